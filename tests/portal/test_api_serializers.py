"""``portal.api_serializers.FixedModelSerializer`` builds a serializer's fields from the model
once per class (issue 14); every instance still gets fields of its own."""

import pytest
from rest_framework import serializers
from rest_framework.utils import field_mapping

from portal.api_serializers import FixedModelSerializer
from portal.models import AdministrativeUnit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


class PlainUnit(serializers.ModelSerializer):
    extra = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "name", "code", "level", "extra"]


class FixedUnit(FixedModelSerializer):
    extra = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "name", "code", "level", "extra"]


class FixedUnitSubclass(FixedUnit):
    class Meta(FixedUnit.Meta):
        fields = ["id", "name"]


def test_the_same_output_as_a_model_serializer():
    units = [UnitFactory(), UnitFactory()]
    assert FixedUnit(units, many=True).data == PlainUnit(units, many=True).data
    assert FixedUnit(units[0]).data == PlainUnit(units[0]).data


def test_the_model_is_read_once_per_class(monkeypatch):
    unit = UnitFactory()
    FixedUnit(unit).data  # noqa: B018  (builds the fields once, if no earlier test did)
    calls = []
    original = field_mapping.get_field_kwargs
    monkeypatch.setattr(
        "rest_framework.serializers.get_field_kwargs",
        lambda *a, **k: calls.append(a[0]) or original(*a, **k),
    )
    for _ in range(3):
        FixedUnit(unit).data  # noqa: B018
    assert calls == []
    PlainUnit(unit).data  # noqa: B018
    assert calls  # the plain one reads the model every time


def test_each_instance_has_fields_of_its_own():
    first, second = FixedUnit(), FixedUnit()
    assert first.fields["name"] is not second.fields["name"]
    first.fields["name"].read_only = True
    first.fields.pop("code")
    assert "code" in FixedUnit().fields and not FixedUnit().fields["name"].read_only
    assert first.fields["extra"].parent is first and second.fields["extra"].parent is second


def test_a_subclass_builds_its_own_fields():
    assert list(FixedUnit().fields) == ["id", "name", "code", "level", "extra"]
    assert list(FixedUnitSubclass().fields) == ["id", "name"]
    assert list(FixedUnit().fields) == ["id", "name", "code", "level", "extra"]
