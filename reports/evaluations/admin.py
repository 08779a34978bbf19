"""Admin of the evaluations: the Circular 01/2018 rule set (a new version for a new date), the
Decision 766 rule table (profiles with their sub-indicators and optional bands, R-IND-7), and the
entered figures, read-only (they are entered on the pages, where each save is audited)."""

from decimal import Decimal

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from reports.evaluations.models import (
    GROUP_MAX,
    Circular01RuleSet,
    EvaluationEntry,
    Index766Band,
    Index766Entry,
    Index766Item,
    Index766Profile,
)


@admin.register(Circular01RuleSet)
class Circular01RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "effective_from", "effective_to", "verified"]
    readonly_fields = ["created_at"]


class Index766ItemInline(admin.TabularInline):
    model = Index766Item
    extra = 0
    fields = [
        "order",
        "group",
        "code",
        "name",
        "weight",
        "target",
        "capped",
        "source",
        "computation",
        "no_data",
        "redistribute_to",
        "times_item",
        "verified",
    ]


class Index766BandInline(admin.TabularInline):
    model = Index766Band
    extra = 0


@admin.register(Index766Profile)
class Index766ProfileAdmin(admin.ModelAdmin):
    """Decision 766 sets no bands: add them only if the province decides to."""

    list_display = ["code", "name", "effective_from", "is_active"]
    list_filter = ["is_active"]
    inlines = [Index766ItemInline, Index766BandInline]
    readonly_fields = ["created_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile = form.instance
        totals: dict = {}
        for item in profile.items.all():
            totals[item.group] = totals.get(item.group, Decimal(0)) + item.weight
        off = [
            f"{group}: {totals.get(group, 0)} / {maximum}"
            for group, maximum in GROUP_MAX.items()
            if totals.get(group, Decimal(0)) != maximum
        ]
        if off:
            messages.warning(
                request,
                _("The points of some groups do not add up to the Decision's: %(groups)s")
                % {"groups": "; ".join(off)},
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvaluationEntry)
class EvaluationEntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "staff", "period_kind", "period_start", "updated_by", "updated_at"]
    list_filter = ["period_kind"]
    list_select_related = ["unit", "staff", "updated_by"]


@admin.register(Index766Entry)
class Index766EntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "code", "period_start", "numerator", "denominator", "updated_by"]
    list_select_related = ["unit", "updated_by"]
