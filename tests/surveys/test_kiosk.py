"""Anonymous walk-in answers at a kiosk of the desk (R-SUR-2)."""

import hashlib

import pytest

from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from surveys import services
from surveys.exceptions import KioskDeviceInvalid
from surveys.models import KioskDevice
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

NOW = at(2026, 3, 9, 10)


@pytest.fixture
def kiosk(desk, leader):
    return services.kiosk_device_register(desk=desk, name="Máy tính bảng quầy 1", actor=leader)


def test_kiosk_answer_is_anonymous_and_belongs_to_the_devices_desk_r_sur_2(kiosk, small_form, desk):
    device, token = kiosk
    response = services.response_submit_kiosk(
        device_token=token, answers=by_id(small_form.c, {"x1": 5, "y1": 3}), at=NOW
    )
    assert response.channel == "kiosk"
    assert response.dossier is None
    assert (response.desk, response.unit, response.kiosk_device) == (desk, desk.unit, device)
    device.refresh_from_db()
    assert device.last_used_at == NOW


def test_kiosk_token_is_stored_only_as_a_hash(kiosk):
    device, token = kiosk
    assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert AuditLog.objects.filter(action="kiosk_device.registered", object_id=device.pk).exists()


def test_revoked_kiosk_is_refused_and_nothing_is_stored_r_sur_2(kiosk, small_form, leader):
    device, token = kiosk
    services.kiosk_device_revoke(device=device, actor=leader, at=NOW)
    device.refresh_from_db()
    assert (device.is_active, device.revoked_at, device.revoked_by) == (False, NOW, leader)
    before = db_state()
    with pytest.raises(KioskDeviceInvalid) as info:
        services.response_submit_kiosk(
            device_token=token, answers=by_id(small_form.c, {"x1": 5}), at=NOW
        )
    assert info.value.code == "revoked"
    assert db_state() == before


def test_unknown_kiosk_token_is_refused(small_form, kiosk):
    _device, token = kiosk
    before = db_state()
    for bad in ("", "nonsense", token[:-2] + "xx"):
        with pytest.raises(KioskDeviceInvalid) as info:
            services.response_submit_kiosk(
                device_token=bad, answers=by_id(small_form.c, {"x1": 5}), at=NOW
            )
        assert info.value.code == "unknown"
    assert db_state() == before


def test_invitation_token_does_not_work_as_a_kiosk_token(small_form, returned_dossier):
    token = services.invitation_create(dossier=returned_dossier, at=NOW)
    with pytest.raises(KioskDeviceInvalid):
        services.response_submit_kiosk(
            device_token=token, answers=by_id(small_form.c, {"x1": 5}), at=NOW
        )


def test_only_leaders_and_admins_of_the_unit_register_kiosks(desk, alice, charlie, bob):
    for user in (alice, charlie):
        with pytest.raises(PermissionDenied):
            services.kiosk_device_register(desk=desk, name="Kiosk", actor=user)
    device, _token = services.kiosk_device_register(desk=desk, name="Kiosk", actor=bob)
    assert KioskDevice.objects.get() == device


def test_outsider_cannot_revoke_a_kiosk(kiosk, charlie):
    device, _token = kiosk
    with pytest.raises(PermissionDenied):
        services.kiosk_device_revoke(device=device, actor=charlie)
    device.refresh_from_db()
    assert device.is_active
