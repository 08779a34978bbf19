"""R-FB-3, R-PRIV-1: the public list of published answers (/phan-anh/cong-khai/), searchable
and paged, shows the texts as masked for publication: never the sender's name, phone,
address or ID number; withdrawn results and unpublished items are not shown."""

import pytest

from feedback import services
from tests.feedback.helpers import SENDER
from tests.feedback.pages import PUBLISHED_URL, html
from tests.helpers import at

pytestmark = pytest.mark.django_db

BODY = (
    "Tôi là Nguyễn Văn An, CCCD 001085012345, điện thoại 0912 345 678, nhà ở 12 Phúc Xá, "
    "Ba Đình, Hà Nội. Hồ sơ đất đai của tôi bị trễ hẹn."
)


@pytest.fixture
def published(submit, officer):
    item, _pin = submit(body=BODY, subject="Trễ hẹn hồ sơ đất đai")
    services.feedback_reply(
        item=item,
        actor=officer,
        text="Kính gửi ông Nguyễn Văn An (0912345678): hồ sơ đã có kết quả ngày 05/03.",
        at=at(2026, 3, 5, 9),
    )
    return services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 6, 9))


def test_published_answers_show_no_personal_data_r_fb_3(client, published):
    listed = html(client.get(PUBLISHED_URL))
    detail = html(client.get(f"{PUBLISHED_URL}{published.pk}/"))

    for page in (listed, detail):
        assert "Trễ hẹn hồ sơ đất đai" in page
        assert "hồ sơ đã có kết quả" in page
        for value in (*SENDER.values(), "0912345678", "0912 345 678", "12 Phúc Xá"):
            assert value not in page, value


def test_the_list_is_searchable_without_diacritics(client, published):
    assert "Trễ hẹn hồ sơ đất đai" in html(client.get(PUBLISHED_URL, {"q": "tre hen"}))
    assert "Trễ hẹn hồ sơ đất đai" not in html(client.get(PUBLISHED_URL, {"q": "khai sinh"}))


def test_the_list_is_paged(client, submit, officer, settings):
    for n in range(23):
        item, _pin = submit(subject=f"Góp ý số {n:02d}")
        services.feedback_reply(item=item, actor=officer, text="Cảm ơn.", at=at(2026, 3, 5, 9))
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 6, 9, n))

    first = html(client.get(PUBLISHED_URL))
    second = html(client.get(PUBLISHED_URL, {"page": 2}))

    assert first.count('class="card fb-published"') == 20
    assert second.count('class="card fb-published"') == 3
    assert "Góp ý số 22" in first and "Góp ý số 00" in second  # newest first
    assert 'rel="next"' in first


def test_withdrawn_and_unpublished_results_are_not_shown(client, published, submit, officer):
    submit(subject="Chưa công khai")
    services.feedback_unpublish(item=published.item, actor=officer, at=at(2026, 3, 7, 9))

    page = html(client.get(PUBLISHED_URL))

    assert "Trễ hẹn hồ sơ đất đai" not in page and "Chưa công khai" not in page
    assert client.get(f"{PUBLISHED_URL}{published.pk}/").status_code == 404


def test_no_sign_in_is_needed(client, published):
    response = client.get(PUBLISHED_URL)

    assert response.status_code == 200
    assert 'class="site-nav"' not in html(response)
