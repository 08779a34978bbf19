"""Export jobs in the admin, read-only: their state and progress (files are downloaded through
the checked, audited view, never from here)."""

from django.contrib import admin

from reports.exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "owner",
        "unit",
        "fmt",
        "state",
        "progress",
        "created_at",
        "expires_at",
    ]
    list_filter = ["state", "fmt", "kind"]
    list_select_related = ["owner", "unit"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
