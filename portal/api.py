"""REST API of the core app (placeholder; the units endpoint is scoped by role)."""

from rest_framework import serializers, viewsets

from portal import selectors
from portal.models import AdministrativeUnit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "tree",
            "parent",
            "level",
            "code",
            "name",
            "division_type",
            "valid_from",
            "valid_to",
        ]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.visible_units(user=self.request.user).order_by("path")
