"""The permissions matrix (issue 13; R-UNIT-3, R-PRIV-1): every page and API route, with every
method it answers, called by every actor of ``tests/security/matrix.py`` about Commune C1's
objects, and each answer checked against the one declared table,
``tests/security/permissions_table.py``.

The routes come from the URL configuration (the resolver, walked) and the OpenAPI schema
(drf-spectacular's generator): a route or an API operation missing from the table fails
``test_every_route_is_in_the_table`` and its own case, with the names to add. Reads are GETs;
writes (POST) are sent with an empty body, so an actor with the right gets past the gate
(a 400 for the missing fields, or the form again) and one without it is refused; every
request runs in a transaction rolled back afterwards, and a refused write is checked to
have changed nothing. Answers to actors outside Commune C1's staff must not contain its
applicant's or sender's personal data (``matrix.SECRETS``).

One case per route and method (a failure lists every actor whose answer differs, as
``route METHOD actor: expected … got …``). Set ``MATRIX_RECORD=/path.json`` to write the
answers seen instead of checking them (to draft the table of a new route, then review it).
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security import matrix
from tests.security.permissions_table import TABLE, expected_for

# The test database is made for marked tests only; each case also runs in a savepoint of its
# own inside the module's transaction.
pytestmark = pytest.mark.django_db
RECORD = os.environ.get("MATRIX_RECORD")
ROUTES = matrix.url_routes()
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = {"401", "403", "404", "405", "login"}


def _cases():
    names = sorted(set(ROUTES) | set(TABLE))
    cases = []
    for name in names:
        methods = sorted(TABLE.get(name, {})) or (["GET", "POST"] if RECORD else ["?"])
        for method in methods:
            cases.append(pytest.param(name, method, id=f"{name} {method}"))
    return cases


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The dataset and one client per actor, made once for the module in a transaction that
    is rolled back at its end. PDFs are laid out as a stub (WeasyPrint's layout is slow and
    is not what the matrix checks); rate limits are off (the matrix sends hundreds of
    requests from one address; their own tests check them)."""
    from unittest import mock

    root = tmp_path_factory.mktemp("matrix")
    settings = override_settings(
        RATELIMIT_ENABLE=False,
        FEEDBACK_FILES_ROOT=root / "feedback",
        REPORTS_EXPORTS_ROOT=root / "exports",
        REPORTS_PAGE_CACHE_SECONDS=0,
    )
    stub_pdf = mock.patch("weasyprint.HTML.write_pdf", return_value=matrix.PDF)
    no_throttle = mock.patch(
        "rest_framework.throttling.SimpleRateThrottle.allow_request", return_value=True
    )
    # The schema is the same for everyone (public): made once, not once per actor.
    from drf_spectacular.generators import SchemaGenerator

    made = {}
    original = SchemaGenerator.get_schema

    def get_schema_once(self, request=None, public=False):
        if public not in made:
            made[public] = original(self, request=request, public=public)
        return made[public]

    schema_once = mock.patch.object(SchemaGenerator, "get_schema", get_schema_once)
    with (
        settings,
        stub_pdf,
        no_throttle,
        schema_once,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        data = matrix.build()
        clients = matrix.clients(data)
        yield data, clients
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def recorded():
    seen: dict = {}
    yield seen
    if RECORD:
        with open(RECORD, "w") as out:
            json.dump(seen, out, indent=1, sort_keys=True, ensure_ascii=False)


def outcome(response) -> str:
    status = response.status_code
    if 300 <= status < 400:
        location = response.get("Location", "")
        return "login" if "/login/" in location else "redirect"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("text", "json", "csv", "javascript")):
        return ""
    return content.decode("utf-8", "replace")


def snapshot() -> tuple:
    """A fingerprint of every table a write of these routes may change (one query): an md5
    of each table's rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from dossiers import models as dossiers
    from feedback import models as feedback
    from portal import models as portal
    from reports.exports.models import ExportJob
    from surveys import models as surveys

    changed_by_writes = (
        dossiers.Dossier,
        dossiers.DossierEvent,
        dossiers.Step,
        dossiers.Pause,
        dossiers.Refusal,
        dossiers.Withdrawal,
        dossiers.Reschedule,
        dossiers.Procedure.desks.through,
        feedback.Item,
        feedback.Event,
        feedback.Reply,
        feedback.Extension,
        feedback.Publication,
        feedback.Attachment,
        portal.Membership,
        portal.ServiceDesk,
        portal.Department,
        portal.CalendarOverride,
        portal.AuditLog,
        portal.Notification,
        get_user_model(),
        ExportJob,
        surveys.Response,
        surveys.Invitation,
        surveys.KioskDevice,
        surveys.SurveyForm,
    )
    parts = [
        f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
        f'FROM "{m._meta.db_table}" t)'
        for m in changed_by_writes
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return cursor.fetchone()


def call(client, method: str, url: str, *, check: bool = False):
    """One request in a transaction that is rolled back, the client's cookies kept as they
    were (a logout or a "forget" must not change the next case's actor). With ``check``,
    also whether the request changed the data (compared before the rollback)."""
    cookies = copy.deepcopy(client.cookies)
    changed = False
    with transaction.atomic():
        before = snapshot() if check else None
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.generic(method, url, "{}", content_type="application/json")
        else:
            response = client.generic(
                method, url, "", content_type="application/x-www-form-urlencoded"
            )
        body = body_of(response)
        if check:
            changed = snapshot() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, body, changed


def test_every_route_is_in_the_table():
    """A new route, or a new operation of the API schema, joins the table or fails here."""
    missing = sorted(set(ROUTES) - set(TABLE))
    assert not missing, (
        "Routes missing from tests/security/permissions_table.py (declare who may call them):\n"
        + "\n".join(f"  {name}  ({ROUTES[name].pattern})" for name in missing)
    )
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"Routes in the table that the URL configuration no longer has: {stale}"
    operations = matrix.schema_operations()
    undeclared = sorted(f"{n} {m}" for n, m in operations if m not in TABLE.get(n, {}))
    assert not undeclared, (
        "API operations of the OpenAPI schema missing from the table: " + ", ".join(undeclared)
    )


def test_the_personal_data_checked_for_is_in_c1_staff_answers(world):
    """The leak check is not vacuous: C1's own staff do see the applicant's and the sender's
    ID numbers and addresses that no one else may (R-PRIV-1)."""
    data, clients = world
    own = clients["receptionist@own"]
    dossier = call(own, "GET", matrix.url_for("dossiers:detail", data))[1]
    item = call(own, "GET", matrix.url_for("feedback-detail", data))[1]
    assert all(secret in dossier for secret in matrix.SECRETS[:2]), "applicant not on the page"
    assert all(secret in item for secret in matrix.SECRETS[2:]), "sender not in the answer"


@pytest.mark.parametrize(("name", "method"), _cases())
def test_route_answers_each_actor_as_declared(world, recorded, name, method):
    """R-UNIT-3, R-PRIV-1: the answer to each actor is the table's, refused writes change
    nothing, and no personal data of C1 reaches an actor outside its staff."""
    if not RECORD:
        assert name in TABLE, (
            f"{name} ({ROUTES[name].pattern}) is missing from tests/security/permissions_table.py"
        )
    data, clients = world
    expected = {} if RECORD else expected_for(name, method)
    problems = []
    # On staff pages (not for anonymous), staff outside C1 see none of its records either.
    staff_only = RECORD is None and expected["anonymous"] not in {"ok", "redirect"}
    markers = (data.dossier.code, data.item.code, data.response.paper_serial)
    for actor in matrix.ACTORS:
        refused = expected.get(actor) in REFUSED
        check = method in WRITE_METHODS and refused
        url = matrix.url_for(name, data)  # per actor: a setup code works once
        response, body, changed = call(clients[actor], method, url, check=check)
        got = outcome(response)
        recorded.setdefault(name, {}).setdefault(method, {})[actor] = got
        if RECORD:
            continue
        if got != expected[actor]:
            problems.append(
                f"{name} {method} {actor}: expected {expected[actor]}, got {got} "
                f"({response.status_code} {response.get('Location', '')})"
            )
        if changed:
            problems.append(f"{name} {method} {actor}: a refused write changed the data")
        if body and not matrix.in_scope(actor):
            leaked = [s for s in matrix.SECRETS if s in body]
            if staff_only and (actor not in matrix.OTHERS or actor == "no-role"):
                leaked += [m for m in markers if m in body]
            if leaked:
                problems.append(f"{name} {method} {actor}: C1's data in the answer {leaked}")
    assert not problems, f"{url}\n" + "\n".join(problems)
