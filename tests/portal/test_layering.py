"""Who imports whom is checked, not only described (DESIGN.md, issue 8): ``make lint`` runs
``lint-imports`` with the contracts in pyproject.toml, and an upward or sideways import breaks
it. The imports are planted in a throw-away copy of the apps' Python files, never in the tree
itself, so nothing is left behind and tests running in parallel see nothing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "dossiers", "surveys", "feedback", "reports")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = "Apps are layered: reports above surveys | feedback above dossiers above portal"
DOSSIERS_PUBLIC = (
    "Surveys and feedback use dossiers only through its selectors, services, signals and exceptions"
)
REPORTS_SELECTORS = "Reports reads dossiers, surveys and feedback only through their selectors"


def lint_imports(cwd: Path) -> tuple[int, str]:
    """Run ``lint-imports`` as ``make lint`` does, in ``cwd`` (which holds pyproject.toml and the
    packages); returns the exit code and the output, with lines unwrapped."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["COLUMNS"] = "500"  # contract names on one line
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def _python_files_only(directory, names):
    return [
        name
        for name in names
        if name == "__pycache__" or not (name.endswith(".py") or Path(directory, name).is_dir())
    ]


@pytest.fixture
def tree_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_python_files_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(tree: Path, module: str, source: str) -> None:
    """Add ``module`` (e.g. ``dossiers._planted``) with ``source`` to the copy."""
    path = tree.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(source, encoding="utf-8")


def test_make_lint_runs_the_import_contracts():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert ".venv/bin/lint-imports" in lint


def test_the_tree_keeps_every_import_contract():
    code, out = lint_imports(ROOT)
    assert code == 0, out
    assert f"{LAYERS} KEPT" in out
    assert f"{DOSSIERS_PUBLIC} KEPT" in out
    assert f"{REPORTS_SELECTORS} KEPT" in out


def test_an_untouched_copy_keeps_them_too(tree_copy):
    """The copy the other tests plant into is a faithful one: untouched, it passes."""
    code, out = lint_imports(tree_copy)
    assert code == 0, out


def test_dossiers_importing_surveys_breaks_the_layers(tree_copy):
    plant(tree_copy, "dossiers._planted_upward", "import surveys.services  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert f"{LAYERS} BROKEN" in out
    assert "dossiers is not allowed to import surveys" in out
    assert "dossiers._planted_upward -> surveys.services" in out


def test_dossiers_importing_reports_breaks_the_layers(tree_copy):
    plant(tree_copy, "dossiers._planted_upward", "from reports import apps  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert "dossiers is not allowed to import reports" in out


def test_portal_importing_an_app_breaks_the_layers(tree_copy):
    plant(tree_copy, "portal._planted_upward", "from dossiers import selectors  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert f"{LAYERS} BROKEN" in out
    assert "portal is not allowed to import dossiers" in out


def test_an_upward_import_through_another_module_is_caught(tree_copy):
    """portal → its own helper → surveys: indirect imports count for the layers."""
    plant(tree_copy, "portal._planted_helper", "import surveys.selectors  # noqa\n")
    plant(tree_copy, "portal._planted_upward", "from portal import _planted_helper  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert "portal is not allowed to import surveys" in out


def test_surveys_and_feedback_stay_independent(tree_copy):
    plant(tree_copy, "feedback._planted_sideways", "from surveys import selectors  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert f"{LAYERS} BROKEN" in out
    assert "feedback is not allowed to import surveys" in out


@pytest.mark.parametrize(
    "statement",
    [
        "from dossiers.models import Dossier",
        "from dossiers import views",
        "from dossiers.api import DossierViewSet",
        "from dossiers import forms",
    ],
)
def test_surveys_reaching_past_dossiers_selectors_and_services_breaks_the_contract(
    tree_copy, statement
):
    plant(tree_copy, "surveys._planted_sideways", f"{statement}  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert f"{DOSSIERS_PUBLIC} BROKEN" in out
    assert "surveys._planted_sideways -> dossiers." in out


def test_surveys_may_use_dossiers_selectors_services_and_signals(tree_copy):
    plant(
        tree_copy,
        "surveys._planted_allowed",
        "from dossiers import exceptions, selectors, services, signals  # noqa\n",
    )
    code, out = lint_imports(tree_copy)
    assert code == 0, out


@pytest.mark.parametrize(
    "statement",
    [
        "from dossiers.models import DossierEvent",
        "from surveys.models import Answer",
        "from feedback.models import Item",
        "from feedback import services",
    ],
)
def test_reports_reaching_past_the_apps_selectors_breaks_its_contract(tree_copy, statement):
    plant(tree_copy, "reports._planted_past", f"{statement}  # noqa\n")
    code, out = lint_imports(tree_copy)
    assert code != 0
    assert f"{REPORTS_SELECTORS} BROKEN" in out
    assert "reports._planted_past -> " in out


def test_reports_may_use_the_apps_selectors_signals_and_index_math(tree_copy):
    plant(
        tree_copy,
        "reports._planted_allowed",
        "from dossiers import selectors  # noqa\n"
        "from surveys import indices, selectors as s  # noqa\n"
        "from feedback import selectors as f, signals  # noqa\n",
    )
    code, out = lint_imports(tree_copy)
    assert code == 0, out
