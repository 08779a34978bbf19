"""``get_<field>_display()`` reads a field's choices once (``portal.model_display``, issue 14)
and still answers in the active language."""

import pytest
from django.utils.translation import override

from dossiers.models import Dossier, DossierStatus
from portal.model_display import _get_field_display
from portal.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_the_label_follows_the_language_and_unknown_values_pass_through():
    dossier = Dossier(status=DossierStatus.RECEIVED)
    with override("en"):
        english = dossier.get_status_display()
    with override("vi"):
        vietnamese = dossier.get_status_display()
    with override("en"):
        assert english == str(DossierStatus.RECEIVED.label)
    with override("vi"):
        assert vietnamese == str(DossierStatus.RECEIVED.label)
    dossier.status = "no-such-status"
    assert dossier.get_status_display() == "no-such-status"
    assert Membership(role=Role.LEADER).get_role_display() == str(Role.LEADER.label)


def test_the_choices_are_mapped_once_per_field(monkeypatch):
    from portal import model_display

    dossier = Dossier(status=DossierStatus.RECEIVED)
    dossier.get_status_display()  # the mapping is built once
    flattened = []
    original = model_display.make_hashable
    monkeypatch.setattr(
        model_display,
        "make_hashable",
        lambda value: flattened.append(isinstance(value, list)) or original(value),
    )
    for _ in range(5):
        assert dossier.get_status_display() == str(DossierStatus.RECEIVED.label)
    assert flattened == [False] * 5  # only the value is made hashable, never the choices


def test_new_choices_on_the_field_are_read_again():
    field = Dossier._meta.get_field("status")
    dossier = Dossier(status="x")
    saved = field.choices
    try:
        field.choices = [("x", "Ex")]
        assert _get_field_display(dossier, field) == "Ex"
    finally:
        field.choices = saved
    assert dossier.get_status_display() == "x"
