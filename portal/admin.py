"""Django admin for the core app: units, desks, staff roles, the working calendar, the audit log.

Every changelist selects its foreign keys up front, so the number of queries does not grow with
the number of rows (tests/portal/test_admin_pages.py).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import services
from portal.audit import PERSONAL_DATA_EXPORT_ACTIONS, audit_log_write
from portal.exceptions import DomainError
from portal.models import (
    AdministrativeUnit,
    ApiToken,
    AuditLog,
    CalendarOverride,
    Department,
    Membership,
    ServiceDesk,
    UnitTree,
)

admin.site.site_header = _("One-stop-shop portal administration")
admin.site.site_title = _("One-stop-shop portal")
admin.site.index_title = _("Administration")


@admin.register(UnitTree)
class UnitTreeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "levels", "valid_from", "valid_to"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "tree", "parent", "valid_from", "valid_to"]
    list_filter = ["tree", "level"]
    list_select_related = ["tree", "parent"]
    search_fields = ["name", "code", "agency_code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    fields = [
        "tree",
        "parent",
        "level",
        "code",
        "name",
        "division_type",
        "agency_code",
        "valid_from",
        "valid_to",
        "path",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The materialised path of every descendant is built from the tree, parent and code:
        # changing them here would leave the descendants' paths stale, so they are set once.
        # Reorganisations create new units with validity dates instead (R-UNIT-1).
        if obj is not None:
            return ["tree", "parent", "code", "path"]
        return ["path"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["code", "name", "is_active"]


@admin.register(ServiceDesk)
class ServiceDeskAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "phone", "opens_at", "closes_at", "is_active"]
    list_filter = ["is_active", "unit__level"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "desk", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["desk", "desk__unit"]
    search_fields = ["name", "code", "desk__name", "desk__unit__name"]
    autocomplete_fields = ["desk"]


class ServiceAddForm(forms.ModelForm):
    """An admin form whose *add* goes through a service: the service validates and writes
    (with its audit row) inside the admin's transaction during ``clean()``, so a refusal shows
    as a form error and nothing is written. The admin then finds the object already saved."""

    request = None  # set by the admin

    def call_service(self, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                self.instance = self.call_service(data)
            except DomainError as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        return data

    def validate_unique(self):
        if self.instance.pk is None:  # the service reports duplicates in its own words
            return
        super().validate_unique()


class ServiceAdminMixin:
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            audit_log_write(
                actor=request.user,
                action=f"{obj._meta.model_name}.change",
                instance=obj,
                data={"fields": sorted(form.changed_data)},
            )
        # an add was written by the service during form.clean()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipForm(ServiceAddForm):
    class Meta:
        model = Membership
        fields = [
            "user",
            "unit",
            "role",
            "covers_descendants",
            "department",
            "valid_from",
            "valid_to",
        ]

    def call_service(self, data):
        return services.membership_grant(
            user=data["user"],
            unit=data["unit"],
            role=data["role"],
            covers_descendants=data.get("covers_descendants", False),
            department=data.get("department"),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            actor=self.request.user,
        )


class CalendarOverrideForm(ServiceAddForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "name"]

    def call_service(self, data):
        return services.calendar_override_create(
            date=data["date"], kind=data["kind"], name=data["name"], actor=self.request.user
        )


@admin.register(Membership)
class MembershipAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Grants go through ``membership_grant`` (refuses ended units, duplicates; audits)."""

    form = MembershipForm
    list_display = [
        "user",
        "unit",
        "role",
        "covers_descendants",
        "department",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["role", "covers_descendants", "unit__level"]
    list_select_related = ["user", "unit", "department"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "unit__name",
        "unit__code",
    ]
    autocomplete_fields = ["user", "unit", "department"]

    def delete_model(self, request, obj):
        services.membership_revoke(membership=obj, actor=request.user)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Per-year corrections of the working calendar through ``calendar_override_create``."""

    form = CalendarOverrideForm
    list_display = ["date", "kind", "name", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "kind", "name", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def delete_model(self, request, obj):
        services.calendar_override_delete(override=obj, actor=request.user)


class AuditActionFilter(admin.SimpleListFilter):
    """Kinds of action, fixed choices: the exports and prints of personal data (R-PRIV-1)
    first."""

    title = _("kind of action")
    parameter_name = "kind"
    PREFIXES = {
        "accounts": ("user.", "membership.", "api_token."),
        "settings": ("unit.", "units.", "desk.", "department.", "calendar_override."),
    }

    def lookups(self, request, model_admin):
        return [
            ("exports", _("Exports and prints of personal data")),
            ("accounts", _("Accounts, roles and API tokens")),
            ("settings", _("Units, desks, departments and calendar")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "exports":
            return queryset.filter(action__in=PERSONAL_DATA_EXPORT_ACTIONS)
        prefixes = self.PREFIXES.get(self.value())
        if prefixes:
            condition = Q()
            for prefix in prefixes:
                condition |= Q(action__startswith=prefix)
            return queryset.filter(condition)
        return queryset


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """The audit trail is append-only: it can be read here, never written or removed."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "unit"]
    list_select_related = ["actor", "unit"]
    # Only filters with fixed choices (no SELECT DISTINCT over millions of rows on each page
    # load) and no date hierarchy; both use the indexes on ``at`` and ``(action, at)``.
    list_filter = [AuditActionFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["=object_id", "action", "=actor__username", "=unit__code"]
    search_help_text = _(
        "An object id, an action (or part of it), a username or a unit code, exactly."
    )
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens by user and prefix. Keys are never shown (only their hash is stored); issue
    one with ``manage.py api_token USERNAME`` or the token endpoint, revoke one here."""

    list_display = ["prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["=user__username", "=prefix"]
    fields = ["user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields  # changes go through the services (and the audit log)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke selected API tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            _("%(count)d API token(s) revoked.") % {"count": revoked},
            messages.SUCCESS,
        )


def register_history_tables():
    """A read-only page for each history table of ``portal/history.py`` (DossierHistory, ...),
    found through pghistory, so that a newly tracked model gets its page too."""
    from pghistory.core import event_models

    from portal.admin_history import HistoryTableAdmin

    for model in event_models():
        if not admin.site.is_registered(model):
            admin.site.register(model, HistoryTableAdmin)


register_history_tables()
