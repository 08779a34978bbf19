"""R-FB-1, R-FB-2: complaints, conduct complaints and denunciations need the sender's name and
a way to reach them (Law on Complaints Art. 8, Law on Denunciations Art. 23, 25); feedback and
suggestions may be anonymous. A refusal names the fields and writes nothing."""

import pytest
from django.db import IntegrityError, transaction

from feedback.exceptions import InvalidSender
from feedback.models import DeadlineRule, Item
from tests.feedback.helpers import database_snapshot
from tests.helpers import at


@pytest.mark.parametrize("kind", ["complaint", "conduct", "denunciation"])
def test_complaint_without_identity_is_refused_r_fb_1(submit, kind):
    before = database_snapshot()
    with pytest.raises(InvalidSender) as refused:
        submit(kind=kind, sender={"name": "", "phone": "", "email": "", "address": ""})
    assert {"sender_name", "sender_phone"} <= set(refused.value.fields)
    assert refused.value.code == "invalid_sender"
    assert database_snapshot() == before


def test_a_name_alone_is_not_enough_for_a_complaint_r_fb_1(submit):
    with pytest.raises(InvalidSender) as refused:
        submit(kind="complaint", sender={"name": "Trần Thị B"})
    assert list(refused.value.fields) == ["sender_phone"]


def test_a_name_and_an_address_are_enough_for_a_complaint_r_fb_1(submit):
    item, _pin = submit(kind="complaint", sender={"name": "Trần Thị B", "address": "5 Hàng Bông"})
    assert (item.sender_name, item.sender_phone) == ("Trần Thị B", "")


@pytest.mark.parametrize("kind", ["feedback", "suggestion"])
def test_feedback_and_suggestions_may_be_anonymous_r_fb_1(submit, kind):
    item, pin = submit(kind=kind, sender=None, channel="web", actor=None)
    assert item.sender_name == "" and len(pin) == 6


def test_identity_can_be_required_for_feedback_by_the_rule_table(submit):
    """Decree 20/2008 Art. 7 asks for a name, address and phone: a province may require it."""
    DeadlineRule.objects.filter(kind="feedback").update(identity_required=True)
    with pytest.raises(InvalidSender):
        submit(kind="feedback", sender={})


def test_given_details_are_checked_and_normalised(submit):
    with pytest.raises(InvalidSender) as refused:
        submit(sender={"name": "A", "phone": "12345", "email": "x@", "id_number": "12"})
    assert set(refused.value.fields) == {"sender_phone", "sender_email", "sender_id_number"}
    item, _pin = submit(sender={"name": "  Lê   Văn  C ", "phone": "+84 912.345.678"})
    assert (item.sender_name, item.sender_phone) == ("Lê Văn C", "+84912345678")


def test_the_database_refuses_an_anonymous_complaint(submit):
    item, _pin = submit(kind="complaint")
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(sender_name="")


def test_reclassifying_anonymous_feedback_as_a_complaint_is_refused(submit, officer):
    from feedback import services

    item, _pin = submit(sender={})
    with pytest.raises(InvalidSender):
        services.feedback_classify(item=item, actor=officer, kind="complaint", at=at(2026, 3, 3))
