"""The evaluation pages (R-IND-6, R-IND-7, R-FB-4) scoped by role: anyone with a role at a unit
(or covering it) sees its evaluation; a leader sees every official's band and scorecard, any
other official only their own; a user of another unit gets a 404; only leaders and
administrators enter figures, and every save is audited. Pages keep the CSP (no inline script)."""

import pytest
from django.urls import reverse

from portal.models import AuditLog
from reports.evaluations.models import EvaluationEntry

Q1 = "2026-Q1"


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def test_a_district_leader_sees_a_commune_s_evaluation_and_all_its_officials_r_ind_6(
    q1, client, tree, bob, alice
):
    response = _get(client, bob, "evaluations:circular01", unit=tree["commune_a1"].pk, period=Q1)
    assert response.status_code == 200
    page = response.context["page"]
    assert str(page.own.total) == "5.8"
    assert {ev.user.username for ev in page.staff} == {"alice", "clerk"}
    html = response.content.decode()
    assert 'id="agency-grade"' in html
    assert "missing" in html or "thiếu" in html


def test_an_official_sees_only_their_own_band_r_ind_6(q1, client, tree, alice):
    response = _get(client, alice, "evaluations:circular01", unit=tree["commune_a1"].pk, period=Q1)
    assert response.status_code == 200
    assert [ev.user.username for ev in response.context["page"].staff] == ["alice"]
    assert response.context["page"].can_enter is False


def test_another_unit_s_user_cannot_open_the_evaluation(q1, client, tree, charlie):
    response = _get(
        client, charlie, "evaluations:circular01", unit=tree["commune_a1"].pk, period=Q1
    )
    assert response.status_code == 404


def test_each_index_links_to_its_dossiers_r_ind_6(q1, client, tree, bob):
    response = _get(
        client, bob, "evaluations:dossiers", unit=tree["commune_a1"].pk, period=Q1, index=1
    )
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == 5
    assert sorted(d.index_points for d in rows) == [0, 0, 0, 1, 2]


def test_an_official_cannot_list_a_colleague_s_dossiers(q1, client, tree, alice, clerk):
    response = _get(
        client,
        alice,
        "evaluations:dossiers",
        unit=tree["commune_a1"].pk,
        period=Q1,
        index=1,
        staff=clerk.pk,
    )
    assert response.status_code == 403


def test_scorecards_leader_sees_the_unit_staff_see_their_own_r_fb_4(
    q1, client, tree, leader, alice, officer
):
    a1 = tree["commune_a1"].pk
    response = _get(client, leader, "evaluations:scorecards", unit=a1, period="2026-03")
    assert {c.user.username for c in response.context["cards"]} == {
        "alice",
        "clerk",
        "dave",
        "erin",
    }
    response = _get(client, alice, "evaluations:scorecards", unit=a1, period="2026-03")
    assert [c.user.username for c in response.context["cards"]] == ["alice"]


def test_a_leader_enters_the_figures_and_the_save_is_audited_r_ind_6(q1, client, tree, leader):
    a1 = tree["commune_a1"]
    client.force_login(leader)
    url = reverse("evaluations:entries")
    data = {
        "unit": a1.pk,
        "period": Q1,
        "contacts_2": "4",
        "contacts_1": "1",
        "contacts_0": "0",
        "bodies_2": "",
        "bodies_1": "",
        "bodies_0": "",
        "published_at_desk": "yes",
        "published_online": "no",
        "note": "Phiếu đánh giá quý I",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    entry = EvaluationEntry.objects.get(unit=a1)
    assert (entry.contacts_2, entry.published_online, entry.entered_by) == (4, False, leader)
    assert AuditLog.objects.filter(action="evaluation.entry_saved", unit=a1).count() == 1
    page = _get(client, leader, "evaluations:circular01", unit=a1.pk, period=Q1).context["page"]
    assert str(page.own.index(3).value) == "1.8"
    assert str(page.own.index(6).value) == "1"
    assert page.own.index(4).missing


def test_an_incomplete_index_is_refused(q1, client, tree, leader):
    client.force_login(leader)
    response = client.post(
        reverse("evaluations:entries"),
        {"unit": tree["commune_a1"].pk, "period": Q1, "contacts_2": "4"},
    )
    assert response.status_code == 400
    assert not EvaluationEntry.objects.exists()


def test_a_receptionist_cannot_enter_figures(q1, client, tree, alice):
    client.force_login(alice)
    response = client.post(
        reverse("evaluations:entries"),
        {
            "unit": tree["commune_a1"].pk,
            "period": Q1,
            "contacts_2": "1",
            "contacts_1": "0",
            "contacts_0": "0",
        },
    )
    assert response.status_code == 403
    assert not EvaluationEntry.objects.exists()


def test_the_766_page_shows_score_rank_and_the_other_reading_r_ind_7(q1, client, tree, bob):
    response = _get(
        client, bob, "evaluations:index766", unit=tree["commune_a1"].pk, period="2026-03"
    )
    assert response.status_code == 200
    result = response.context["page"].result
    assert str(result.total) == "35.83" and result.rank == 2
    response = _get(
        client, bob, "evaluations:index766", unit=tree["commune_a1"].pk, period="2026-03",
        profile="qd766-spec-a3a5",
    )  # fmt: skip
    assert str(response.context["page"].result.total) == "24.00"


def test_a_leader_enters_766_sub_items_r_ind_7(q1, client, tree, leader):
    a1 = tree["commune_a1"]
    client.force_login(leader)
    response = client.post(
        reverse("evaluations:entries766") + f"?unit={a1.pk}&period=2026-03",
        {
            "unit": a1.pk,
            "period": "2026-03",
            "PAYMENT_DOSSIERS-numerator": "3",
            "PAYMENT_DOSSIERS-denominator": "10",
            "PAYMENT_DOSSIERS-note": "Cổng thanh toán",
        },
    )
    assert response.status_code == 302
    result = (
        _get(client, leader, "evaluations:index766", unit=a1.pk, period="2026-03")
        .context["page"]
        .result
    )
    assert str(next(s.score for s in result.items if s.item.code == "PAYMENT_DOSSIERS")) == "1.8000"
    bad = client.post(
        reverse("evaluations:entries766") + f"?unit={a1.pk}&period=2026-03",
        {
            "unit": a1.pk,
            "period": "2026-03",
            "PAYMENT_DOSSIERS-numerator": "11",
            "PAYMENT_DOSSIERS-denominator": "10",
        },
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "name", ["evaluations:circular01", "evaluations:index766", "evaluations:scorecards"]
)
def test_a_period_with_no_data_shows_missing_not_zero(client, tree, bob, name):
    response = _get(client, bob, name, unit=tree["commune_a1"].pk, period="2025-Q1")
    assert response.status_code == 200
    if name == "evaluations:circular01":
        page = response.context["page"]
        assert page.own.has_data is False and page.own.result_key is None


def test_a_bad_period_is_a_message_not_an_error(client, tree, bob):
    response = _get(client, bob, "evaluations:circular01", unit=tree["commune_a1"].pk, period="Q9")
    assert response.status_code == 200
    assert response.context["error"]


def test_the_navigation_offers_evaluations_and_exports(client, alice):
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert reverse("evaluations:circular01") in html
    assert reverse("exports:list") in html
