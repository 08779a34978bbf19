"""The change history of records and settings (issue 13, part 7), kept by the database itself:
``django-pghistory`` installs a PostgreSQL trigger per tracked table that copies the changed
row into its history table (``<Model>History``) with the request that made the change (the
user and the path, set by ``portal.middleware.HistoryMiddleware``). Changes made in the admin,
by a task, by a management command or in raw SQL are all kept; nothing in Python can forget.

Two kinds of tracked models (``docs/security.md`` § Audit and backups):

- **settings** (``history_of_settings``): units, desks, memberships, calendars, rule sets,
  procedures, forms, report targets... Small tables changed rarely: every insert, update and
  delete is kept, whole rows.
- **records** (``history_of_records``): dossiers, feedback items, survey responses and answers.
  Their creation is already a row of its own (and, for dossiers and feedback items, the
  ``received`` event of their append-only event tables), so only updates and deletes are kept.
  Personal data (R-PRIV-1) is never copied into the history: the columns listed as ``personal``
  are left out of the history table, so the retention task that blanks them
  (``dossiers_anonymise_expired``) leaves no copy behind; a change of one of them is still
  recorded, as a ``personal_update`` event that says who and when, not what.

Inside a request or a task, pghistory prefixes each write statement with ``SELECT
set_config(...)`` to pass the context: do not use ``cursor.executemany`` there (its parameters
would be shifted); Django's ``bulk_create`` and ``update`` are single statements and fine.

On SQLite (the ``make run`` demo) the triggers are not installed (pgtrigger installs triggers
on PostgreSQL only) and the history tables stay empty.
"""

import pghistory

# The labels of the events (``pgh_label``), shown and filtered in the admin.
INSERT = "insert"
UPDATE = "update"
DELETE = "delete"
PERSONAL_UPDATE = "personal_update"


def _obj_field():
    # ``related_name="events"`` (pghistory's default) is already taken on dossiers and feedback
    # items by their event tables.
    return pghistory.ObjForeignKey(related_name="history", related_query_name="history")


def history_of_settings(*, exclude: tuple[str, ...] = (), model_name: str | None = None):
    """Keep every insert, update and delete of a settings table. ``exclude``: columns not to
    copy (secrets such as a token's hash, or a timestamp touched on every use, which then does
    not make an event either)."""

    def decorate(model):
        return pghistory.track(
            pghistory.InsertEvent(INSERT),
            pghistory.UpdateEvent(UPDATE),
            pghistory.DeleteEvent(DELETE),
            exclude=list(exclude) or None,
            obj_field=_obj_field(),
            model_name=model_name or f"{model.__name__}History",
        )(model)

    return decorate


def history_of_records(*, personal: tuple[str, ...] = (), exclude: tuple[str, ...] = ()):
    """Keep the updates and deletes of a record table, without its personal data: the columns
    in ``personal`` are not copied, and a change of any of them makes a ``personal_update``
    event (who and when, not the values)."""

    def decorate(model):
        trackers = [pghistory.UpdateEvent(UPDATE), pghistory.DeleteEvent(DELETE)]
        if personal:
            trackers.append(
                pghistory.UpdateEvent(PERSONAL_UPDATE, condition=pghistory.AnyChange(*personal))
            )
        return pghistory.track(
            *trackers,
            exclude=[*personal, *exclude] or None,
            obj_field=_obj_field(),
            model_name=f"{model.__name__}History",
        )(model)

    return decorate


# --- tasks: the change history names the task that made a change --------------------------
_task_contexts = {}


def task_context_enter(task_id=None, task=None, **_kwargs):
    """Celery's ``task_prerun``: group a task's changes under its name (a task run in a
    request, eagerly, adds its name to the request's context)."""
    from django.db import connection

    if connection.vendor != "postgresql" or task is None:
        return
    context = pghistory.context(task=task.name)
    context.__enter__()
    _task_contexts[task_id] = context


def task_context_exit(task_id=None, **_kwargs):
    """Celery's ``task_postrun`` (also after a failure)."""
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
