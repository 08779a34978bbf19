"""Kiosk tablets and survey forms are managed by the administrators of the units they serve
(R-SUR-1, R-SUR-2, R-UNIT-3): a kiosk by a leader or admin of its desk's unit; a new version of
a form for a unit, and its publication, by an admin of that unit and the units under it (a
commune has none under it); a form used everywhere by a superuser only."""

import pytest
from django.urls import reverse

from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from surveys import selectors, services
from surveys.models import KioskDevice, SurveyForm
from tests.factories import CriterionFactory, DeskFactory, SurveyAreaFactory, SurveyFormFactory
from tests.helpers import SCOPE_CASES


@pytest.fixture
def national_form(db):
    form = SurveyFormFactory(code="sipas-test", name_vi="Phiếu SIPAS")
    CriterionFactory(area=SurveyAreaFactory(form=form))
    return form


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_kiosks_are_registered_and_revoked_within_the_scope_only_r_sur_2(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    desk = DeskFactory(unit=tree[where])

    if allowed:
        device, _token = services.kiosk_device_register(desk=desk, name="Máy 1", actor=actor)
        services.kiosk_device_revoke(device=device, actor=actor)
        device.refresh_from_db()
        assert device.revoked_by == actor and not device.is_active
    else:
        with pytest.raises(PermissionDenied):
            services.kiosk_device_register(desk=desk, name="Máy 1", actor=actor)
        assert not KioskDevice.objects.exists()


# A form for a unit applies to the units under it too: the district's own administrator, whose
# role does not cover the communes, cannot set the district's form (the other cases as usual).
FORM_CASES = [
    pytest.param(*case.values[:2], False, id=case.id) if case.id == "district-itself" else case
    for case in SCOPE_CASES
]


@pytest.mark.parametrize(("who", "where", "allowed"), FORM_CASES)
def test_a_form_version_is_made_and_published_for_a_unit_within_the_scope_only_r_sur_1(
    request, tree, national_form, who, where, allowed
):
    actor = request.getfixturevalue(who)
    unit = tree[where]

    if allowed:
        draft = services.survey_form_new_version(form=national_form, actor=actor, units=[unit])
        services.survey_form_publish(form=draft, actor=actor)
        assert list(draft.units.all()) == [unit]
        assert selectors.survey_form_for(unit=unit) == draft
        assert AuditLog.objects.filter(action="survey_form.publish").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.survey_form_new_version(form=national_form, actor=actor, units=[unit])
        assert SurveyForm.objects.count() == 1


def test_a_draft_is_published_only_by_an_admin_of_its_units(
    tree, national_form, ward_admin, district_office_admin
):
    draft = services.survey_form_new_version(
        form=national_form, actor=ward_admin, units=[tree["commune_a1"]]
    )

    with pytest.raises(PermissionDenied):
        services.survey_form_publish(form=draft, actor=district_office_admin)
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_form_used_everywhere_is_the_superusers(national_form, district_admin, superuser):
    with pytest.raises(PermissionDenied):
        services.survey_form_new_version(form=national_form, actor=district_admin, units=[])

    everywhere = services.survey_form_new_version(form=national_form, actor=superuser, units=[])
    assert not everywhere.units.exists()


def test_the_forms_page_makes_and_publishes_a_version_for_the_ward(
    client, tree, national_form, ward_admin
):
    client.force_login(ward_admin)

    page = client.get(reverse("surveys:forms"))
    made = client.post(
        reverse("surveys:forms"),
        {"action": "new_version", "form": national_form.pk, "unit": tree["commune_a1"].pk},
    )
    draft = SurveyForm.objects.get(version=2)
    published = client.post(reverse("surveys:forms"), {"action": "publish", "form": draft.pk})

    assert page.status_code == 200 and "Phiếu SIPAS" in page.content.decode()
    assert made.status_code == published.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and list(draft.units.all()) == [tree["commune_a1"]]
