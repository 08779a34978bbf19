"""Backup and restore (issue 13 part 8; docs/operations.md § Backup and restore): the demo data
at its smallest size (``seed_demo --dossiers 1``: one dossier per demo desk) is dumped with
``pg_dump -Fc`` and restored with ``pg_restore`` into a fresh database, where every dossier,
survey response and answer, feedback item, account and audit row is found again (counts and an
MD5 checksum of their codes and values), and the database-level guards came back with the
data: the change-history triggers still record an update, the append-only events still refuse
one.

It needs the PostgreSQL client programs of the server's major version (``pg_dump``,
``pg_restore``, ``createdb``, ``dropdb``) on the PATH; it is skipped without them."""

import io
import os
import shutil
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not all(shutil.which(p) for p in ("pg_dump", "pg_restore", "createdb", "dropdb")),
        reason="the PostgreSQL client programs are not installed",
    ),
]

# One row per table: how many rows, and an MD5 of what identifies them, in a stable order.
FINGERPRINTS = {
    "dossiers": "SELECT count(*), md5(coalesce(string_agg(code || ':' || status, ',' "
    "ORDER BY code), '')) FROM dossiers_dossier",
    "dossier events": "SELECT count(*), md5(coalesce(string_agg(d.code || ':' || e.kind || ':' "
    "|| e.at::text, ',' ORDER BY d.code, e.at, e.id), '')) FROM dossiers_dossierevent e "
    "JOIN dossiers_dossier d ON d.id = e.dossier_id",
    "survey responses": "SELECT count(*), md5(coalesce(string_agg(coalesce(d.code, '-') || ':' "
    "|| r.channel || ':' || r.submitted_at::text, ',' ORDER BY r.id), '')) "
    "FROM surveys_response r LEFT JOIN dossiers_dossier d ON d.id = r.dossier_id",
    "survey answers": "SELECT count(*), md5(coalesce(string_agg(response_id || ':' || "
    "criterion_id || ':' || coalesce(value::text, 'n/a'), ',' ORDER BY response_id, "
    "criterion_id), '')) FROM surveys_answer",
    "feedback items": "SELECT count(*), md5(coalesce(string_agg(code || ':' || status, ',' "
    "ORDER BY code), '')) FROM feedback_item",
    "accounts": "SELECT count(*), md5(coalesce(string_agg(username || ':' || password, ',' "
    "ORDER BY username), '')) FROM auth_user",
    "audit log": "SELECT count(*), md5(coalesce(string_agg(action || ':' || object_id, ',' "
    "ORDER BY id), '')) FROM portal_auditlog",
    "units": "SELECT count(*), md5(coalesce(string_agg(path, ',' ORDER BY path), '')) "
    "FROM portal_administrativeunit",
}


def _fingerprints(cursor) -> dict:
    result = {}
    for name, sql in FINGERPRINTS.items():
        cursor.execute(sql)
        result[name] = tuple(cursor.fetchone())
    return result


def _client_args(settings_dict) -> tuple[list[str], dict]:
    args = ["--username", settings_dict["USER"] or "postgres"]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"


@pytest.fixture
def fresh_database():
    """The name of an empty database next to the test database, dropped afterwards."""
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"
    args, env = _client_args(settings_dict)
    _run(["dropdb", "--if-exists", *args, name], env)
    _run(["createdb", *args, name], env)
    yield name
    _run(["dropdb", "--if-exists", "--force", *args, name], env)


def test_the_demo_data_survives_pg_dump_and_pg_restore(fresh_database, tmp_path):
    call_command("seed_demo", dossiers=1, stdout=io.StringIO())
    with connection.cursor() as cursor:
        before = _fingerprints(cursor)
    assert before["dossiers"][0] > 0 and before["survey answers"][0] > 0, before
    assert before["survey responses"][0] > 0 and before["feedback items"][0] > 0, before

    settings_dict = connection.settings_dict
    args, env = _client_args(settings_dict)
    dump = tmp_path / "motcua.dump"
    _run(["pg_dump", "--format=custom", *args, "--file", str(dump), settings_dict["NAME"]], env)
    _run(
        [
            "pg_restore",
            *args,
            "--dbname",
            fresh_database,
            "--no-owner",
            "--exit-on-error",
            "--jobs",
            "2",
            str(dump),
        ],
        env,
    )

    restored_dsn = {
        "dbname": fresh_database,
        "user": settings_dict["USER"] or "postgres",
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in restored_dsn.items() if v}) as restored:
        with restored.cursor() as cursor:
            after = _fingerprints(cursor)
            assert after == before

            # The triggers came back: an update is recorded in the change history...
            cursor.execute("SELECT count(*) FROM dossiers_dossierhistory")
            (history_before,) = cursor.fetchone()
            cursor.execute(
                "UPDATE dossiers_dossier SET sets_count = sets_count + 1 "
                "WHERE id = (SELECT min(id) FROM dossiers_dossier)"
            )
            cursor.execute("SELECT count(*) FROM dossiers_dossierhistory")
            assert cursor.fetchone()[0] == history_before + 1

            # ... and the dossiers' events are still append-only (R-LIFE-1).
            with pytest.raises(psycopg.errors.RaiseException):
                cursor.execute("UPDATE dossiers_dossierevent SET note = 'tampered'")
        restored.rollback()
