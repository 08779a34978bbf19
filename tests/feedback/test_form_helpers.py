"""What the forms read from the services before anyone types: which kinds need the sender's
identity under the rules in force (R-FB-1), and the masked draft staff edit before publishing
(R-FB-3)."""

import datetime as dt

import pytest

from feedback import services
from feedback.deadlines import rules_ensure_defaults
from feedback.models import DeadlineRule
from tests.feedback.helpers import SENDER
from tests.helpers import at

pytestmark = pytest.mark.django_db


def test_complaints_denunciations_and_conduct_need_identity_by_default_r_fb_1():
    assert services.identity_required_kinds(day=dt.date(2026, 3, 2)) == [
        "conduct",
        "complaint",
        "denunciation",
    ]


def test_a_province_may_require_identity_for_feedback_too():
    rules_ensure_defaults()  # the default rows (a flush by another test may have removed them)
    rule = DeadlineRule.objects.filter(kind="feedback").order_by("-effective_from").first()
    rule.pk = None
    rule.code = "feedback-2026-strict"
    rule.effective_from = dt.date(2026, 1, 1)
    rule.identity_required = True
    rule.save()

    assert "feedback" in services.identity_required_kinds(day=dt.date(2026, 3, 2))
    assert "feedback" not in services.identity_required_kinds(day=dt.date(2025, 12, 31))


def test_the_publication_draft_is_the_content_and_the_answer_masked_r_fb_3(submit, officer):
    item, _pin = submit(
        subject="Trễ hẹn", body=f"Tôi là {SENDER['name']}, số {SENDER['phone']}. Hồ sơ trễ."
    )
    assert services.publication_draft(item) == {"title": "", "question": "", "answer": ""}
    services.feedback_reply(
        item=item, actor=officer, text=f"Gửi {SENDER['name']}: đã xong.", at=at(2026, 3, 3)
    )

    draft = services.publication_draft(item)

    assert draft == {
        "title": "Trễ hẹn",
        "question": "Tôi là ***, số ***. Hồ sơ trễ.",
        "answer": "Gửi ***: đã xong.",
    }
    publication = services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 4))
    assert (publication.title, publication.question, publication.answer) == (
        draft["title"],
        draft["question"],
        draft["answer"],
    )


def test_a_denunciation_has_no_draft(submit, officer):
    item, _pin = submit(kind="denunciation")

    assert services.publication_draft(item) == {"title": "", "question": "", "answer": ""}
