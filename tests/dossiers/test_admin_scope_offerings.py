"""The procedures offered at a desk are chosen by the administrators of its unit (R-UNIT-2,
R-UNIT-3) from the national catalogue, through the service, with an audit row; the page lists
the catalogue of the unit's level."""

import pytest
from django.urls import reverse

from dossiers import services
from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from tests.factories import DeskFactory, ProcedureFactory
from tests.helpers import SCOPE_CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_offerings_are_chosen_within_the_admins_scope_only_r_unit_3(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    desk = DeskFactory(unit=tree[where])
    kept = ProcedureFactory(code="1.000001", offered_at=[desk])
    dropped = ProcedureFactory(code="1.000002", offered_at=[desk])
    added = ProcedureFactory(code="1.000003")

    if allowed:
        change = services.desk_procedures_set(desk=desk, procedures=[kept, added], actor=actor)
        assert change == {"added": ["1.000003"], "removed": ["1.000002"]}
        assert set(desk.procedures.all()) == {kept, added}
        assert AuditLog.objects.get(action="desk.procedures").data == change
        assert dropped.is_active  # the catalogue itself is not changed
    else:
        with pytest.raises(PermissionDenied):
            services.desk_procedures_set(desk=desk, procedures=[kept, added], actor=actor)
        assert set(desk.procedures.all()) == {kept, dropped}


def test_the_page_lets_the_ward_admin_choose_and_hides_other_wards(
    client, tree, ward_admin, desk_a1
):
    other = DeskFactory(unit=tree["commune_a2"])
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", level="commune")
    ProcedureFactory(code="1.009794", name="Cấp giấy phép xây dựng", level="district")
    client.force_login(ward_admin)
    url = reverse("dossiers:desk_procedures", args=[desk_a1.pk])

    page = client.get(url).content.decode()
    saved = client.post(url, {"procedure": [str(birth.pk)]})

    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng" not in page
    assert saved.status_code == 302
    assert list(desk_a1.procedures.all()) == [birth]
    assert client.get(reverse("dossiers:desk_procedures", args=[other.pk])).status_code == 404
