"""The change history in the admin (``portal/history.py``): read-only pages, searchable by
object and by user, filtered by date and by kind of change.

- ``HistoryEventsAdmin`` is pghistory's "Events" page (every history table at once, with the
  diff of each change and the request's user and path). It is reached from the "Events" button
  of each tracked model's change form (the object's history) and change list (the model's);
  on its own it lists nothing until a filter or a search narrows it
  (``PGHISTORY_ADMIN_ALL_EVENTS = False``): unfiltered, it would read every history table.
- ``HistoryTableAdmin`` is the page of one history table (``DossierHistory``...), registered
  for each of them by ``portal.admin``.

Search: a number is an object id (``pgh_obj_id``); anything else is a username (the user who
made the change). pghistory's aggregate query is PostgreSQL SQL: on SQLite (the demo, where
nothing is recorded anyway) the Events page is empty.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventModelAdmin, EventsAdmin
from pghistory.admin.core import EventsChangeList, _get_obj


def _exists(obj) -> bool:
    try:
        return type(obj)._default_manager.filter(pk=obj.pk).exists()
    except (ValueError, TypeError, ValidationError):
        return False


def _user_ids(term: str) -> list:
    return list(get_user_model().objects.filter(username__iexact=term).values_list("pk", flat=True))


class HistoryChangeList(EventsChangeList):
    """Nothing until narrowed (``PGHISTORY_ADMIN_ALL_EVENTS = False``), where a search narrows
    too (pghistory counts only the list filters)."""

    def get_queryset(self, request, *args, **kwargs):
        queryset = ChangeList.get_queryset(self, request, *args, **kwargs)
        if not self.has_active_filters and not self.query:
            return self.root_queryset.model.no_objects.all()
        return queryset


class HistoryEventsAdmin(EventsAdmin):
    search_fields = ["pgh_obj_id"]  # shows the search box; get_search_results does the work
    search_help_text = _("An object id (a number), or the username of who made the change.")
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return HistoryChangeList

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ("pgh_created_at", admin.DateFieldListFilter)]

    def changelist_view(self, request, extra_context=None):
        # pghistory's page reloads the object named in ``?obj=`` for its subtitle and fails
        # (500) when it was deleted, which is when its history matters most.
        obj = _get_obj(request.GET.get("obj"))
        if obj is None or _exists(obj):
            return super().changelist_view(request, extra_context)
        extra_context = {
            **(extra_context or {}),
            "title": self.model._meta.verbose_name_plural.capitalize(),
            "subtitle": _("%(object)s (deleted)") % {"object": request.GET["obj"]},
        }
        if "back" in request.GET:
            extra_context["pgh_back"] = request.GET["back"]
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if connection.vendor != "postgresql":
            return self.model.objects.none()  # still an EventsQuerySet, for the filters
        return queryset

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or connection.vendor != "postgresql":
            return queryset, False
        if term.isdigit():
            return queryset.filter(pgh_obj_id=term), False
        return queryset.filter(pgh_context__user__in=_user_ids(term)), False


class HistoryTableAdmin(EventModelAdmin):
    """One history table: each row a copy of the object after (or, for a delete, before) the
    change, with the request that made it."""

    list_display = ["pgh_created_at", "pgh_label", "pgh_obj_id", "changed_by", "changed_at_url"]
    list_filter = [*EventModelAdmin.list_filter, ("pgh_created_at", admin.DateFieldListFilter)]
    list_select_related = ["pgh_context"]
    search_fields = ["pgh_obj_id"]  # shows the search box; get_search_results does the work
    search_help_text = HistoryEventsAdmin.search_help_text
    show_full_result_count = False
    ordering = ["-pgh_created_at", "-pgh_id"]

    def get_queryset(self, request):
        # The username of who made the change, in the same query (no query per row).
        user_id = Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField())
        username = get_user_model().objects.filter(pk=OuterRef("_user_id")).values("username")
        return (
            super()
            .get_queryset(request)
            .annotate(_user_id=user_id)
            .annotate(_username=Subquery(username[:1]))
        )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(pgh_obj_id=int(term)), False
        return queryset.filter(_user_id__in=_user_ids(term)), False

    @admin.display(description=_("changed by"))
    def changed_by(self, event):
        return event._username or event._user_id or "—"

    @admin.display(description=_("request"))
    def changed_at_url(self, event):
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        return " ".join(str(metadata[key]) for key in ("method", "url") if metadata.get(key))
