"""An item's answer deadline is extended at most once, with a reason, before it passes; the
service refuses a second extension and the database would too (one-to-one key)."""

import pytest
from django.db import IntegrityError, transaction

from feedback import services
from feedback.exceptions import AlreadyExtended, ExtensionNotAllowed, InvalidText
from feedback.models import Extension
from tests.feedback.helpers import database_snapshot
from tests.helpers import at


def test_extension_moves_the_answer_deadline_once_r_fb_2(submit, officer):
    """Feedback received Monday 2 March: 10 working days end 16 March, 20 end 30 March."""
    item, _pin = submit()
    extension = services.feedback_extend(
        item=item, actor=officer, reason="Cần xác minh thêm", at=at(2026, 3, 10, 9)
    )
    item.refresh_from_db()
    assert (extension.previous_due_at, extension.new_due_at) == (
        at(2026, 3, 16, 17),
        at(2026, 3, 30, 17),
    )
    assert item.reply_due_at == item.due_at == at(2026, 3, 30, 17)
    assert item.original_reply_due_at == at(2026, 3, 16, 17)
    assert item.events.filter(kind="extended", note="Cần xác minh thêm").exists()


def test_second_extension_is_refused(submit, officer, leader):
    item, _pin = submit()
    services.feedback_extend(item=item, actor=officer, reason="Lần 1", at=at(2026, 3, 10, 9))
    before = database_snapshot()
    with pytest.raises(AlreadyExtended) as refused:
        services.feedback_extend(item=item, actor=leader, reason="Lần 2", at=at(2026, 3, 11, 9))
    assert refused.value.status_code == 409
    assert database_snapshot() == before


def test_the_database_allows_one_extension_per_item(submit, officer):
    item, _pin = submit()
    services.feedback_extend(item=item, actor=officer, reason="Lần 1", at=at(2026, 3, 10, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            item=item, reason="Lần 2", extended_at=at(2026, 3, 11, 9), extended_by=officer
        )


def test_extension_after_the_deadline_is_refused(submit, officer):
    item, _pin = submit()
    with pytest.raises(ExtensionNotAllowed):
        services.feedback_extend(item=item, actor=officer, reason="Muộn", at=at(2026, 3, 17, 9))


def test_extension_needs_a_reason(submit, officer):
    item, _pin = submit()
    with pytest.raises(InvalidText) as refused:
        services.feedback_extend(item=item, actor=officer, reason="  ", at=at(2026, 3, 10, 9))
    assert "reason" in refused.value.fields


def test_a_suggestion_without_deadline_cannot_be_extended(submit, officer):
    item, _pin = submit(kind="suggestion", sender={})
    with pytest.raises(ExtensionNotAllowed):
        services.feedback_extend(item=item, actor=officer, reason="X", at=at(2026, 3, 10, 9))


def test_receptionist_cannot_extend_r_unit_3(submit, alice):
    item, _pin = submit()
    with pytest.raises(Exception) as refused:
        services.feedback_extend(item=item, actor=alice, reason="X", at=at(2026, 3, 10, 9))
    assert refused.value.code == "permission_denied"
