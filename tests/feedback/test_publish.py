"""R-FB-3: an answered item is published anonymised on the public list; staff edit the texts,
and the sender's name, phone, address and ID number never appear, whatever staff leave in."""

import pytest

from feedback import selectors, services
from feedback.exceptions import PublishNotAllowed, TransitionNotAllowed
from feedback.models import Publication
from tests.feedback.helpers import SENDER
from tests.helpers import at

BODY_WITH_DATA = (
    "Tôi là Nguyễn Văn An (CCCD 001085012345, điện thoại 0912345678), nhà ở 12 Phúc Xá, "
    "Ba Đình, Hà Nội. Hồ sơ của tôi bị trễ hẹn."
)


@pytest.fixture
def answered(submit, officer):
    item, _pin = submit(body=BODY_WITH_DATA)
    services.feedback_reply(
        item=item,
        actor=officer,
        text="Kính gửi ông Nguyễn Văn An (0912 345 678): hồ sơ đã có kết quả.",
        at=at(2026, 3, 5, 9),
    )
    return item


def test_published_texts_never_show_the_senders_data_r_fb_3(answered, officer):
    publication = services.feedback_publish(item=answered, actor=officer, at=at(2026, 3, 6, 9))
    published = publication.title + publication.question + publication.answer
    for value in SENDER.values():
        assert value not in published, value
    for value in ("0912345678", "0912 345 678", "12 Phúc Xá", "Nguyễn Văn An"):
        assert value not in published, value
    assert "Hồ sơ của tôi bị trễ hẹn." in publication.question
    assert "hồ sơ đã có kết quả" in publication.answer


def test_staff_edit_the_texts_and_what_they_leave_in_is_still_masked_r_fb_3(answered, officer):
    publication = services.feedback_publish(
        item=answered,
        actor=officer,
        title="Trễ hẹn hồ sơ",
        question="Ông Nguyen Van An phản ánh hồ sơ trễ hẹn, liên hệ 0912.345.678.",
        answer="Đã trả kết quả cho ông An tại 12 Phúc Xá.",
        at=at(2026, 3, 6, 9),
    )
    assert publication.title == "Trễ hẹn hồ sơ"
    assert publication.question == "Ông *** phản ánh hồ sơ trễ hẹn, liên hệ ***."
    assert publication.answer == "Đã trả kết quả cho ông An tại ***."


def test_the_public_list_shows_published_results_with_search(answered, officer):
    services.feedback_publish(item=answered, actor=officer, at=at(2026, 3, 6, 9))
    assert selectors.published_list().count() == 1
    assert selectors.published_list(q="tre hen").count() == 1  # diacritics ignored
    assert selectors.published_list(q="không có").count() == 0
    services.feedback_unpublish(item=answered, actor=officer, at=at(2026, 3, 7, 9))
    assert selectors.published_list().count() == 0
    assert Publication.objects.count() == 1  # withdrawn, still recorded


def test_only_answered_items_are_published(submit, officer):
    item, _pin = submit()
    with pytest.raises(TransitionNotAllowed):
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 3, 9))


def test_a_denunciation_is_never_published(submit, officer):
    item, _pin = submit(kind="denunciation")
    services.feedback_transfer(item=item, actor=officer, to_body="Thanh tra", at=at(2026, 3, 3))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 4, 9))
    with pytest.raises(TransitionNotAllowed):
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 5, 9))


def test_a_closed_item_without_answer_cannot_be_published(submit, officer, tree):
    item, _pin = submit()
    services.feedback_transfer(item=item, actor=officer, to_body="Sở Y tế", at=at(2026, 3, 3, 9))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 4, 9))
    with pytest.raises(PublishNotAllowed):
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 5, 9))


def test_the_staff_members_name_is_masked_too(submit, officer, alice, leader):
    item, _pin = submit(kind="conduct", staff_member=alice)
    services.feedback_reply(item=item, actor=leader, text="Đã nhắc nhở.", at=at(2026, 3, 5, 9))
    publication = services.feedback_publish(
        item=item,
        actor=leader,
        question=f"Cán bộ {alice.last_name} {alice.first_name} thiếu tôn trọng.",
        at=at(2026, 3, 6, 9),
    )
    assert publication.question == "Cán bộ *** thiếu tôn trọng."
