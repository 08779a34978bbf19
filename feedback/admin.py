"""Admin for the feedback reference data (deadline rules, categories, units' settings). Items
are read-only here: every change to an item goes through ``feedback.services`` (and its event
and audit rows); the list's actions call those services, and a refusal is shown as a message."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from feedback import services
from feedback.models import (
    Attachment,
    Category,
    DeadlineRule,
    Event,
    Item,
    Publication,
    Reply,
    Status,
    UnitSettings,
)
from portal.exceptions import DomainError


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "effective_from",
        "reply_days",
        "reply_counting",
        "reply_days_extended",
        "accept_days",
        "transfer_days",
        "identity_required",
        "verified",
    ]
    list_filter = ["kind", "verified", "reply_counting"]
    search_fields = ["code", "legal_basis"]

    def has_delete_permission(self, request, obj=None):
        return False  # items point at the rule they were received under


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw a category with "active" instead: items keep theirs


@admin.register(UnitSettings)
class UnitSettingsAdmin(admin.ModelAdmin):
    list_display = ["unit", "is_remote_area", "hotline", "email"]
    list_filter = ["is_remote_area"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["at", "kind", "from_status", "to_status", "actor", "unit", "note"]
    readonly_fields = fields


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["number", "replied_at", "replied_by", "finding", "on_time", "text"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Read-only: act through the staff pages, the API or the actions below."""

    list_display = [
        "code",
        "kind",
        "channel",
        "unit",
        "status",
        "received_at",
        "due_at",
        "transfer_late",
        "answered_on_time",
    ]
    list_filter = ["status", "kind", "channel", "transfer_late", "unit__level"]
    search_fields = ["=code", "=register_number"]
    date_hierarchy = "received_at"
    list_select_related = ["unit"]
    inlines = [AttachmentInline, ReplyInline, EventInline]
    exclude = ["pin_hash"]
    actions = ["close_answered", "unpublish"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "pin_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _each(self, request, queryset, service, done_message):
        done, refused = 0, []
        for item in queryset:
            try:
                service(item=item, actor=request.user)
            except DomainError as exc:
                refused.append(f"{item.code}: {exc.message}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Close the selected answered items"), permissions=["change"])
    def close_answered(self, request, queryset):
        self._each(
            request,
            queryset.filter(status=Status.ANSWERED),
            services.feedback_close,
            _("%(count)d item(s) closed."),
        )

    @admin.action(description=_("Withdraw the selected publications"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._each(
            request,
            queryset.filter(publication__is_active=True),
            services.feedback_unpublish,
            _("%(count)d publication(s) withdrawn."),
        )


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """What the public list shows (masked). Edit through the publish action of the item."""

    list_display = ["title", "item", "published_at", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["item"]
    search_fields = ["title"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
