"""Staff see the responses of their own units only (R-UNIT-3), filtered by desk, period and
channel; this is the list behind every survey figure (R-IND-5)."""

import datetime as dt

import pytest

from surveys.models import Response
from surveys.selectors import responses_filtered, responses_visible
from tests.factories import DeskFactory
from tests.helpers import at


@pytest.fixture
def responses(tree, small_form, desk, desk_b1):
    desk_a2 = DeskFactory(unit=tree["commune_a2"])
    rows = {}
    for name, the_desk, channel, when in [
        ("a1_kiosk", desk, "kiosk", at(2026, 3, 1, 0, 5)),
        ("a1_link", desk, "link", at(2026, 3, 31, 23, 55)),
        ("a1_april", desk, "kiosk", at(2026, 4, 1, 0, 1)),
        ("a2_phone", desk_a2, "phone", at(2026, 3, 15)),
        ("b1_kiosk", desk_b1, "kiosk", at(2026, 3, 15)),
    ]:
        rows[name] = Response.objects.create(
            form=small_form.form,
            unit=the_desk.unit,
            desk=the_desk,
            channel=channel,
            submitted_at=when,
        )
    return rows


def names(queryset, responses):
    by_pk = {r.pk: name for name, r in responses.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def test_commune_receptionist_sees_her_communes_responses_only(responses, alice):
    assert names(responses_visible(user=alice), responses) == {"a1_kiosk", "a1_link", "a1_april"}


def test_district_leader_sees_all_communes_of_the_district(responses, bob):
    assert names(responses_visible(user=bob), responses) == {
        "a1_kiosk",
        "a1_link",
        "a1_april",
        "a2_phone",
    }


def test_outsider_cannot_see_other_districts_responses(responses, charlie):
    assert names(responses_visible(user=charlie), responses) == {"b1_kiosk"}


def test_period_filter_uses_local_dates_both_ends_included(responses, bob):
    march = responses_filtered(
        user=bob, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)
    )
    assert names(march, responses) == {"a1_kiosk", "a1_link", "a2_phone"}


def test_desk_channel_and_unit_filters(responses, bob, desk, tree):
    assert names(responses_filtered(user=bob, desk=desk), responses) == {
        "a1_kiosk",
        "a1_link",
        "a1_april",
    }
    assert names(responses_filtered(user=bob, channel="kiosk"), responses) == {
        "a1_kiosk",
        "a1_april",
    }
    assert names(responses_filtered(user=bob, unit=tree["commune_a2"]), responses) == {"a2_phone"}


def test_filters_never_widen_the_scope(responses, alice, desk_b1, tree):
    assert names(responses_filtered(user=alice, desk=desk_b1), responses) == set()
    assert names(responses_filtered(user=alice, unit=tree["city"]), responses) == {
        "a1_kiosk",
        "a1_link",
        "a1_april",
    }


def test_listing_responses_takes_a_constant_number_of_queries(
    responses, bob, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # memberships, then the responses
        rows = [
            (r.form.code, r.unit.name, r.desk.name, r.procedure)
            for r in responses_visible(user=bob)
        ]
    assert len(rows) == 4
