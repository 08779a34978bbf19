"""A survey link is refused when it is expired, used or forged (R-SUR-2). The citizen sees the
same message in every case; the error code tells them apart internally."""

import datetime as dt

import pytest

from surveys import services
from surveys.exceptions import SurveyLinkInvalid
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

INVITED_AT = at(2026, 3, 5, 11)


@pytest.fixture
def token(returned_dossier):
    return services.invitation_create(dossier=returned_dossier, at=INVITED_AT)


def refused(token, *, small_form, when):
    before = db_state()
    with pytest.raises(SurveyLinkInvalid) as info:
        services.response_submit_by_token(
            token=token, answers=by_id(small_form.c, {"x1": 4}), at=when
        )
    assert db_state() == before
    return info.value


def test_expired_link_is_refused_r_sur_2(token, small_form):
    when = INVITED_AT + dt.timedelta(days=30, seconds=1)
    error = refused(token, small_form=small_form, when=when)
    assert error.code == "expired"


def test_link_works_until_its_expiry_r_sur_2(token, small_form):
    when = INVITED_AT + dt.timedelta(days=30, seconds=-1)
    response = services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 4}), at=when
    )
    assert response.pk


def test_used_link_is_refused_r_sur_2(token, small_form):
    services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 4}), at=INVITED_AT
    )
    error = refused(token, small_form=small_form, when=INVITED_AT + dt.timedelta(hours=1))
    assert error.code == "used"


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t[1:],  # random part changed
        lambda t: "not-a-token",
        lambda t: "",
        lambda t: t + "." + t,
    ],
)
def test_forged_link_is_refused_r_sur_2(token, small_form, forge):
    error = refused(forge(token), small_form=small_form, when=INVITED_AT)
    assert error.code == "forged"


def test_correctly_signed_but_unknown_token_is_refused_as_forged(small_form, returned_dossier):
    from surveys.tokens import INVITATION_SALT, token_new

    unknown, _hash = token_new(salt=INVITATION_SALT)
    error = refused(unknown, small_form=small_form, when=INVITED_AT)
    assert error.code == "forged"


def test_every_refusal_shows_the_citizen_the_same_message(token, small_form):
    services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 4}), at=INVITED_AT
    )
    used = refused(token, small_form=small_form, when=INVITED_AT)
    forged = refused("bad", small_form=small_form, when=INVITED_AT)
    assert str(used.message) == str(forged.message)
    assert used.code != forged.code
