"""Helpers of the evaluation tests."""

from reports import periods
from reports.evaluations import services
from tests.helpers import at

Q1 = periods.quarter(2026, 1)
NOW = at(2026, 4, 1, 8)


def enter(*, unit, actor, period=Q1, staff=None, contacts=None, bodies=None, published=None):
    """Save a Circular 01 entry: ``contacts`` and ``bodies`` as (2-point, 1-point, 0-point)
    dossier counts, ``published`` as (at the desk, electronically)."""
    values = {}
    if contacts is not None:
        values.update(dict(zip(("contacts_2", "contacts_1", "contacts_0"), contacts, strict=True)))
    if bodies is not None:
        values.update(dict(zip(("bodies_2", "bodies_1", "bodies_0"), bodies, strict=True)))
    if published is not None:
        values.update(published_at_desk=published[0], published_online=published[1])
    return services.evaluation_entry_save(
        unit=unit, period=period, staff=staff, values=values, actor=actor
    )


def conduct_complaint(*, unit, actor, dossier=None, staff_member=None, received_at=None):
    """A complaint about a staff member's conduct entered from the hotline (R-FB-4)."""
    from feedback import services as feedback_services
    from feedback.models import Channel, Kind
    from tests.feedback.helpers import BODY, SENDER

    item, _pin = feedback_services.feedback_submit(
        unit=unit,
        kind=Kind.CONDUCT,
        channel=Channel.HOTLINE,
        body=BODY,
        sender=dict(SENDER),
        actor=actor,
        dossier=dossier,
        staff_member=staff_member,
        received_at=received_at or at(2026, 3, 20, 9),
    )
    return item


def feedback_item(*, unit, actor, received_at):
    """Feedback on a procedure entered from the hotline (Circular 01 index 8)."""
    from feedback import services as feedback_services
    from feedback.models import Channel, Kind
    from tests.feedback.helpers import BODY, SENDER

    item, _pin = feedback_services.feedback_submit(
        unit=unit,
        kind=Kind.FEEDBACK,
        channel=Channel.HOTLINE,
        body=BODY,
        sender=dict(SENDER),
        actor=actor,
        received_at=received_at,
    )
    return item


def reply(item, *, actor, when, finding=""):
    from feedback import services as feedback_services

    return feedback_services.feedback_reply(
        item=item, actor=actor, text="Đã xem xét và trả lời.", finding=finding, at=when
    )
