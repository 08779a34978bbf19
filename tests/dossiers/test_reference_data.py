"""The rule sets are reference data: written by migration 0002 and put back by a
``post_migrate`` handler after every migrate and flush, so transactional tests (which flush
the database when they end) and a freshly migrated database both have them. Nothing repairs
them at run time (``rule_set_on`` only reads)."""

import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from dossiers.models import RuleSet
from dossiers.reference_data import DEFAULT_RULE_SETS, restore_default_rule_sets

DEFAULTS = {(r["code"], r["effective_from"]) for r in DEFAULT_RULE_SETS}


def _rule_sets():
    return set(RuleSet.objects.values_list("code", "effective_from"))


@pytest.mark.django_db(transaction=True)
def test_flush_brings_the_default_rule_sets_back():
    call_command("flush", interactive=False, verbosity=0)
    assert _rule_sets() == DEFAULTS


@pytest.mark.django_db(transaction=True)
def test_restoring_at_once_from_several_connections_makes_each_row_once():
    """The race fixed in e70e0a3 (parallel work on a just-flushed database) cannot come back:
    the handler is get_or_create on the unique code, so concurrent runs end with one row each
    and no error."""
    RuleSet.objects.all().delete()
    threads, start, errors = 8, threading.Barrier(8), []

    def work():
        try:
            start.wait()
            restore_default_rule_sets(sender=None, apps=apps, using="default")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    running = [threading.Thread(target=work) for _ in range(threads)]
    for t in running:
        t.start()
    for t in running:
        t.join()
    assert errors == []
    assert _rule_sets() == DEFAULTS


def test_restoring_adds_what_is_missing_and_keeps_an_administrators_edits(db):
    edited = RuleSet.objects.get(code="nd118-2025")
    edited.reschedule_min_working_days = 2
    edited.code = "nd118-2025-sua"
    edited.save()
    RuleSet.objects.filter(code="nd61-2018").delete()

    restore_default_rule_sets(sender=None, apps=apps, using="default")

    assert RuleSet.objects.get(effective_from=edited.effective_from).code == "nd118-2025-sua"
    assert (
        RuleSet.objects.get(effective_from=edited.effective_from).reschedule_min_working_days == 2
    )
    assert RuleSet.objects.filter(code="nd61-2018").exists()
    assert RuleSet.objects.count() == 2
