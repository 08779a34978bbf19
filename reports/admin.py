"""Admin for the reports: targets (R-IND-8) and ranking weights (R-IND-3) are edited here; the
recompute runs and dirty buckets are shown read-only (progress of rebuilds)."""

from django.contrib import admin

from reports.models import DirtyBucket, RankingWeights, RecomputeRun, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "level", "unit", "value", "effective_from", "note"]
    list_filter = ["indicator", "level"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RankingWeights)
class RankingWeightsAdmin(admin.ModelAdmin):
    """A version is never edited (rankings already published used it): add a new one."""

    list_display = [
        "version",
        "effective_from",
        "on_time_rate",
        "late_share",
        "online_share",
        "satisfaction",
        "note",
    ]
    readonly_fields = ["version", "created_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            last = RankingWeights.objects.order_by("-version").values_list("version", flat=True)
            obj.version = (last.first() or 0) + 1
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "date_from",
        "date_to",
        "unit",
        "status",
        "done_days",
        "total_days",
        "started_at",
        "updated_at",
        "finished_at",
    ]
    list_filter = ["status"]
    list_select_related = ["unit"]


@admin.register(DirtyBucket)
class DirtyBucketAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "marked_at"]
    list_select_related = ["unit"]
    date_hierarchy = "day"
