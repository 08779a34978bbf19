"""The QR link on a feedback receipt (R-FB-1, R-PRIV-1): a signed token with the item's id
only, no code, PIN or name; a changed, foreign or expired token opens nothing."""

import datetime as dt

import pytest
import time_machine
from django.core import signing

from feedback import tracking
from tests.helpers import at


def test_the_token_carries_the_id_only_and_reads_back(submit):
    item, pin = submit()

    token = tracking.make_tracking_token(item)

    assert tracking.item_id_from_token(token) == item.pk
    for secret in (item.code, pin, item.sender_name):
        assert secret not in token
    assert tracking.tracking_link(item).endswith(f"/phan-anh/tra-cuu/t/{token}/")


def test_a_changed_or_foreign_token_opens_nothing(submit):
    item, _pin = submit()
    token = tracking.make_tracking_token(item)

    assert tracking.item_id_from_token(token[:-3] + "abc") is None
    assert tracking.item_id_from_token(signing.dumps(item.pk, salt="dossiers.tracking")) is None
    assert tracking.item_id_from_token(signing.dumps("x", salt=tracking.QR_SALT)) is None
    assert tracking.item_id_from_token("") is None


@pytest.mark.django_db
def test_an_expired_token_opens_nothing(settings):
    settings.TRACKING_TOKEN_MAX_AGE_DAYS = 365
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        token = signing.dumps(7, salt=tracking.QR_SALT)
    with time_machine.travel(at(2026, 3, 2, 9) + dt.timedelta(days=366), tick=False):
        assert tracking.item_id_from_token(token) is None
    with time_machine.travel(at(2026, 3, 2, 9) + dt.timedelta(days=364), tick=False):
        assert tracking.item_id_from_token(token) == 7
