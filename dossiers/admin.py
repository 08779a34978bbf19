"""Admin for the procedure catalogue and rule sets; dossiers are read-only here because every
change to a dossier must go through its services (and their events)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    Procedure,
    RequiredDocument,
    Reschedule,
    RuleSet,
    Step,
)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "level",
        "processing_time",
        "time_unit",
        "fee_vnd",
        "online_level",
        "is_active",
        "is_demo",
    ]
    list_filter = ["level", "field", "time_unit", "online_level", "is_active", "is_demo"]
    search_fields = ["code", "name", "field"]
    filter_horizontal = ["desks"]
    inlines = [RequiredDocumentInline]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "effective_from",
        "paper_handover_cutoff",
        "supplement_request_days",
        "supplement_clock_default",
        "reschedule_min_working_days",
        "reschedule_max_working_days",
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # dossiers point at the rule set they were received under


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class StepInline(ReadOnlyInline):
    model = Step
    fields = [
        "number",
        "department",
        "handed_by",
        "handed_at",
        "due_at",
        "finished_at",
        "classification",
    ]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ["name", "is_original", "quantity"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: use the staff pages or the API to act on a dossier."""

    list_display = [
        "code",
        "procedure",
        "unit",
        "status",
        "received_at",
        "due_at",
        "classification",
    ]
    list_filter = ["status", "classification", "channel", "unit__level"]
    search_fields = ["code"]
    date_hierarchy = "received_at"
    list_select_related = ["procedure", "unit"]
    inlines = [DocumentInline, StepInline, EventInline]
    exclude = ["pin_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "pin_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reschedule)
class RescheduleAdmin(admin.ModelAdmin):
    list_display = ["dossier", "original_due_at", "new_due_at", "responsible_unit", "created_at"]
    list_select_related = ["dossier", "responsible_unit"]
    readonly_fields = [
        "dossier",
        "reason",
        "responsible_department",
        "responsible_unit",
        "original_due_at",
        "new_due_at",
        "created_at",
        "created_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("One-stop-shop portal administration")
