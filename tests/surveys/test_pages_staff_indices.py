"""The staff's indices page (R-SUR-3, R-IND-2): criterion, area and overall indices of a unit or
desk over a period with their sample sizes, the small-sample flag shown, the distribution per
criterion, the extra questions' shares, and every figure linked to the answers behind it
(R-IND-5). Scoped to the user's units, in a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys import services
from tests.helpers import at
from tests.surveys.helpers import SMALL_DATASET, by_id

MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


def enter(*, desk, actor, small_form, rows, day=10, first_serial=1):
    for number, (values, harassment) in enumerate(rows, start=first_serial):
        services.response_enter_paper(
            desk=desk,
            serial=str(number),
            answers=by_id(small_form.c, values),
            extras={small_form.q["harassment"].pk: harassment} if harassment else {},
            actor=actor,
            submitted_at=at(2026, 3, day, 10),
        )


@pytest.fixture
def march(desk, desk_b1, alice, charlie, small_form):
    """The six sheets of the worked example at Alice's desk (A1), one sheet at Charlie's (B1)."""
    enter(desk=desk, actor=alice, small_form=small_form, rows=SMALL_DATASET)
    enter(desk=desk_b1, actor=charlie, small_form=small_form, rows=[({"x1": 1, "x2": 1}, "many")])


def text_of(html, element_id):
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1).strip()


def criterion_row(html, code):
    return html.split(f'data-criterion="{code}"')[1].split("</tr>")[0]


def test_indices_on_the_page_match_the_hand_computed_example_r_sur_3(client, alice, march):
    """The six sheets of docs/surveys.md ("–" blank):

        sheet  x1  x2   y1  harassment
        1      5   5    1   none
        2      4   5    4   none
        3      3   5    2   some
        4      2   n/a  –   none
        5      n/a n/a  –   –
        6      –   –    –   many

    x1: valid 5, 4, 3, 2 → 4; satisfied (4 or 5) 2 → 2 ÷ 4 = 50 %
    x2: valid 5, 5, 5 → 3; satisfied 3 → 100 %
    y1: valid 1, 4, 2 → 3; satisfied 1 → 1 ÷ 3 = 33.33 %
    area X = (50 + 100) ÷ 2 = 75 %; area Y = 33.33 %
    overall = (75 + 33.33) ÷ 2 = 54.17 %, shown "54,2 %"
    6 responses < 30 → small sample, flagged and still shown.
    harassment: 5 answered → none 3 ÷ 5 = 60 %, some 20 %, many 20 %; 1 skipped.
    Charlie's sheet at B1 is outside Alice's units and changes nothing.
    """
    client.force_login(alice)

    response = client.get(reverse("surveys:indices"), MARCH)

    html = response.content.decode()
    result = response.context["result"]
    assert response.status_code == 200
    assert result.responses == 6
    assert round(result.overall, 2) == 54.17
    assert [round(a.index, 2) for a in result.areas] == [75.0, 33.33]
    assert text_of(html, "overall-index") == "54,2 %"
    assert text_of(html, "responses-count") == "6"
    assert "small-sample" in html and "ít hơn 30" in html
    assert ">50,0 %<" in criterion_row(html, "x1")
    assert ">100,0 %<" in criterion_row(html, "x2")
    assert ">33,3 %<" in criterion_row(html, "y1")
    assert ">75,0 %<" in html.split('data-area="X"')[1][:20]
    # Sample sizes next to each criterion: valid answers, then 1..5, n/a, blank.
    cells = re.findall(r"<td[^>]*>(?:<a[^>]*>)?([^<]*)", criterion_row(html, "x1"))
    assert cells[2:] == ["4", "0", "1", "1", "1", "1", "1", "1"]
    shares = {
        option: row.split('<td class="num">')[2].split("<")[0]
        for option, row in re.findall(r'data-option="harassment:(\w+)">(.*?)</tr>', html)
    }
    assert shares == {"none": "60,0 %", "some": "20,0 %", "many": "20,0 %"}
    assert "5 câu trả lời, 1 bỏ qua" in html or "5 answered, 1 skipped" in html


def test_each_index_links_to_the_answers_behind_it_r_ind_5(client, alice, march, desk):
    client.force_login(alice)
    html = client.get(reverse("surveys:indices"), MARCH).content.decode()

    link = re.search(r'href="([^"]+)" class="criterion-index"', criterion_row(html, "x1"))
    behind = client.get(link.group(1).replace("&amp;", "&"))

    answers = list(behind.context["page"].object_list)
    assert behind.status_code == 200
    assert len(answers) == 6  # every sheet's x1, blank and n/a included
    assert {a.response.desk for a in answers} == {desk}
    satisfied = re.search(r'href="([^"]+value=4)"', criterion_row(html, "x1")).group(1)
    fours = client.get(satisfied.replace("&amp;", "&")).context["page"].object_list
    assert [a.value for a in fours] == [4]
    area = re.search(r'href="([^"]+)" data-area="X"', html).group(1)
    area_answers = client.get(area.replace("&amp;", "&")).context["page"].paginator.count
    assert area_answers == 12  # x1 and x2 of six sheets
    overall = re.search(r'href="([^"]+)" id="overall-index"', html).group(1)
    listed = client.get(overall.replace("&amp;", "&")).context["page"].paginator.count
    assert listed == 6


def test_the_district_leader_sees_the_commune_and_the_outsider_only_his_own(
    client, bob, charlie, march, tree
):
    client.force_login(bob)
    assert client.get(reverse("surveys:indices"), MARCH).context["result"].responses == 6

    client.force_login(charlie)
    own = client.get(reverse("surveys:indices"), MARCH).context["result"]
    assert own.responses == 1 and own.overall == 0.0
    other = client.get(reverse("surveys:indices"), {**MARCH, "unit": tree["commune_a1"].pk})
    assert other.status_code == 400 and other.context["result"] is None


def test_an_outsider_gets_no_answers_of_another_unit(client, charlie, march, tree):
    client.force_login(charlie)

    behind = client.get(reverse("surveys:answers"), {**MARCH, "criterion": "x1"})

    assert behind.context["page"].paginator.count == 1  # his own sheet only


def test_the_desk_filter_narrows_the_indices(client, bob, march, desk, desk_b1):
    client.force_login(bob)

    result = client.get(reverse("surveys:indices"), {**MARCH, "desk": desk.pk}).context["result"]

    assert result.responses == 6


def test_a_period_without_answers_shows_no_figure(client, alice, march):
    client.force_login(alice)

    response = client.get(
        reverse("surveys:indices"), {"date_from": "2026-04-01", "date_to": "2026-04-30"}
    )

    assert response.status_code == 200 and response.context["result"] is None


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["surveys:indices", "surveys:responses", "surveys:answers"])
def test_the_pages_run_the_same_number_of_queries_for_3_or_30_sheets(
    client, alice, desk, small_form, page
):
    client.force_login(alice)
    params = {**MARCH, "criterion": "x1"}
    rows = [({"x1": 1 + n % 5, "x2": "na", "y1": None}, "some") for n in range(30)]
    enter(desk=desk, actor=alice, small_form=small_form, rows=rows[:3])
    few = _queries(client, reverse(page), params)

    enter(desk=desk, actor=alice, small_form=small_form, rows=rows[3:], first_serial=4)
    many = _queries(client, reverse(page), params)

    assert few == many
    assert many <= 20
