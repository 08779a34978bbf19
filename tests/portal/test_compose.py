"""docker-compose.yml is a valid Compose file and starts nothing before what it needs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE_FILE = ROOT / "docker-compose.yml"
APP_SERVICES = {"web", "worker", "beat"}


def check_jsonschema_command():
    venv_bin = Path(sys.executable).parent / "check-jsonschema"
    found = str(venv_bin) if venv_bin.exists() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema (a dev dependency) is not installed"
    return found


def validate_against_compose_spec(path):
    return subprocess.run(
        [check_jsonschema_command(), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def test_compose_file_matches_the_compose_specification():
    result = validate_against_compose_spec(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        "services:\n  web:\n    image: x\n    depends_on:\n      db:\n"
        "        condition: when_it_feels_like_it\n",
        encoding="utf-8",
    )
    result = validate_against_compose_spec(broken)
    assert result.returncode != 0


def test_compose_file_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_stack_has_web_worker_beat_postgres_and_redis(compose):
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_every_service_has_a_healthcheck_or_waits_for_healthy_services(compose):
    for name, service in compose["services"].items():
        depends_on = service.get("depends_on") or {}
        waits_for_healthy = isinstance(depends_on, dict) and any(
            (dependency or {}).get("condition") == "service_healthy"
            for dependency in depends_on.values()
        )
        assert "healthcheck" in service or waits_for_healthy, name


def test_app_services_wait_for_healthy_database_and_broker(compose):
    for name in APP_SERVICES:
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_app_services_run_production_settings(compose):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production", name


def test_worker_consumes_the_default_and_pdf_queues(compose):
    command = compose["services"]["worker"]["command"]
    assert command[command.index("-Q") + 1].split(",") == ["default", "pdf"]
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


def test_postgres_and_redis_keep_their_data_in_named_volumes(compose):
    named = set(compose["volumes"])
    for name, data_dir in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        mounts = dict(volume.split(":")[:2] for volume in compose["services"][name]["volumes"])
        assert data_dir in mounts.values(), name
        source = next(src for src, dst in mounts.items() if dst == data_dir)
        assert source in named, name


def test_private_files_live_in_named_volumes_the_app_services_share(compose):
    """Feedback attachments and export files written by a worker must be readable by web."""
    named = set(compose["volumes"])
    for setting in ("FEEDBACK_FILES_ROOT", "REPORTS_EXPORTS_ROOT"):
        target = "/app/" + str(Path(str(getattr(settings, setting))).relative_to(settings.BASE_DIR))
        for service in ("web", "worker"):
            mounts = {
                dst: src
                for src, dst in (v.split(":")[:2] for v in compose["services"][service]["volumes"])
            }
            assert target in mounts, (service, setting)
            assert mounts[target] in named, (service, setting)


def test_the_files_to_back_up_live_on_named_volumes_shared_by_web_and_worker(compose):
    """docs/operations.md § Backup and restore: uploads, feedback attachments (personal data)
    and export files survive a rebuild of the containers, and web and the workers see the same
    files."""
    named = set(compose["volumes"])
    for target in ("/app/media", "/app/private/feedback", "/app/private/exports"):
        for name in ("web", "worker"):
            mounts = dict(v.split(":")[:2] for v in compose["services"][name]["volumes"])
            sources = [src for src, dst in mounts.items() if dst == target]
            assert sources and sources[0] in named, (name, target)
