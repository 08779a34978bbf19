"""Refused writes answer 403 and change nothing (R-UNIT-3), found by the permissions matrix:
switching a kiosk off and removing a calendar correction were refused with a redirect."""

import pytest
from django.urls import reverse

from portal.models import CalendarOverride
from surveys import services as survey_services
from tests.factories import CalendarOverrideFactory, DeskFactory

pytestmark = pytest.mark.django_db


def test_a_receptionist_cannot_switch_the_units_kiosk_off_r_unit_3(client, tree, alice, leader):
    desk = DeskFactory(unit=tree["commune_a1"])
    device, _token = survey_services.kiosk_device_register(desk=desk, name="Kiosk", actor=leader)
    client.force_login(alice)

    response = client.post(reverse("surveys:kiosk_revoke", args=[device.pk]))

    assert response.status_code == 403
    device.refresh_from_db()
    assert device.is_active and device.revoked_at is None


def test_a_district_admin_cannot_remove_a_calendar_correction_r_unit_3(client, district_admin):
    override = CalendarOverrideFactory()
    client.force_login(district_admin)

    response = client.post(reverse("administration:calendar_delete", args=[override.pk]))

    assert response.status_code == 403
    assert CalendarOverride.objects.filter(pk=override.pk).exists()


def test_a_city_admin_still_removes_it(client, city_admin):
    override = CalendarOverrideFactory()
    client.force_login(city_admin)

    response = client.post(reverse("administration:calendar_delete", args=[override.pk]))

    assert response.status_code == 302
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
