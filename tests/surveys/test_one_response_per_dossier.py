"""A dossier is answered once (R-SUR-2): the services refuse a second response whatever the
channel, and the database refuses it too, also under concurrent submissions."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from portal.models import Role
from surveys import services
from surveys.exceptions import AlreadyAnswered, SurveyLinkInvalid
from surveys.models import Response
from surveys.seeding import seed_sipas_form
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

INVITED_AT = at(2026, 3, 5, 11)


def test_paper_form_for_a_dossier_answered_online_is_refused_r_sur_2(
    returned_dossier, small_form, desk, alice
):
    token = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 5}), at=INVITED_AT
    )
    before = db_state()
    with pytest.raises(AlreadyAnswered):
        services.response_enter_paper(
            desk=desk,
            serial="P-0001",
            dossier=returned_dossier,
            answers=by_id(small_form.c, {"x1": 2}),
            actor=alice,
            at=INVITED_AT,
        )
    assert db_state() == before


def test_link_is_used_once_a_dossier_was_answered_by_phone_r_sur_2(
    returned_dossier, small_form, alice
):
    token = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    services.response_enter_phone(
        dossier=returned_dossier,
        answers=by_id(small_form.c, {"x1": 4}),
        actor=alice,
        at=INVITED_AT,
    )
    before = db_state()
    with pytest.raises(SurveyLinkInvalid) as info:
        services.response_submit_by_token(
            token=token, answers=by_id(small_form.c, {"x1": 5}), at=INVITED_AT
        )
    assert info.value.code == "used"
    assert db_state() == before


def test_database_refuses_a_second_response_for_a_dossier_r_sur_2(
    returned_dossier, small_form, desk
):
    fields = {
        "form": small_form.form,
        "dossier": returned_dossier,
        "unit": desk.unit,
        "desk": desk,
        "channel": "link",
        "submitted_at": INVITED_AT,
    }
    Response.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**fields)
    assert Response.objects.count() == 1


def test_race_past_the_service_check_ends_in_the_same_refusal_r_sur_2(
    returned_dossier, small_form, desk, alice, monkeypatch
):
    """When a concurrent submission commits between the check and the insert, the unique
    constraint refuses the insert and the service turns it into the same clear error."""
    services.response_enter_phone(
        dossier=returned_dossier, answers=by_id(small_form.c, {"x1": 5}), actor=alice, at=INVITED_AT
    )
    monkeypatch.setattr(services, "dossier_answered", lambda *, dossier: False)
    before = db_state()
    with pytest.raises(AlreadyAnswered):
        services.response_enter_paper(
            desk=desk,
            serial="P-0002",
            dossier=returned_dossier,
            answers=by_id(small_form.c, {"x1": 1}),
            actor=alice,
            at=INVITED_AT,
        )
    assert db_state() == before


def test_responses_without_a_dossier_are_not_limited(small_form, desk):
    for _ in range(2):
        Response.objects.create(
            form=small_form.form,
            unit=desk.unit,
            desk=desk,
            channel="kiosk",
            submitted_at=INVITED_AT,
        )
    assert Response.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_creates_one_response_r_sur_2(make_dossier):
    """Two requests with the same link at the same moment: one wins, the other waits on the
    invitation's row lock and then finds the link used."""
    form = seed_sipas_form()
    token = services.invitation_create(dossier=make_dossier(), at=INVITED_AT)
    criterion_ids = list(form.areas.values_list("criteria__pk", flat=True))
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def submit(value):
        try:
            start.wait()
            services.response_submit_by_token(
                token=token, answers=dict.fromkeys(criterion_ids, value), at=INVITED_AT
            )
            outcomes.append("ok")
        except SurveyLinkInvalid as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(v,)) for v in (4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["ok", "used"]
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.count() == 19


@pytest.mark.django_db(transaction=True)
def test_concurrent_staff_entries_for_one_dossier_create_one_response_r_sur_2(make_dossier):
    """Two clerks key in the same dossier's paper form at once: the unique constraint lets one
    through and the other gets the same clear refusal as a sequential duplicate."""
    form = seed_sipas_form()
    dossier = make_dossier()
    clerks = []
    for name in ("clerk1", "clerk2"):
        user = UserFactory(username=name)
        MembershipFactory(user=user, unit=dossier.unit, role=Role.RECEPTIONIST)
        clerks.append(user)
    criterion_ids = list(form.areas.values_list("criteria__pk", flat=True))
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def enter(n):
        try:
            start.wait()
            services.response_enter_paper(
                desk=dossier.desk,
                serial=f"P-{n}",
                dossier=dossier,
                answers=dict.fromkeys(criterion_ids, 4),
                actor=clerks[n],
                at=INVITED_AT,
            )
            outcomes.append("ok")
        except AlreadyAnswered:
            outcomes.append("already_answered")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["already_answered", "ok"]
    assert Response.objects.filter(dossier=dossier).count() == 1
