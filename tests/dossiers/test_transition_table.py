"""The lifecycle is one table (R-LIFE-1): ``dossiers.transitions.TRANSITIONS``, shown in
``docs/architecture.md``; the two must not drift apart."""

import re
from pathlib import Path

from django.conf import settings

from dossiers.models import DossierStatus, EventKind
from dossiers.transitions import RESUMED, TRANSITIONS, UNCHANGED
from portal.models import Role

DOC = Path(settings.BASE_DIR) / "docs" / "architecture.md"


def _codes(cell: str) -> tuple[str, ...]:
    """The `backticked` codes of a table cell, in order."""
    return tuple(re.findall(r"`([a-z_]+)`", cell))


def _documented() -> dict[str, tuple[tuple[str, ...], str, set[str]]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[4].startswith("`dossier"):
            continue
        action, from_cell, to_cell, roles, _service = cells
        (action,) = _codes(action)
        (to_status,) = _codes(to_cell)
        rows[action] = (_codes(from_cell), to_status, {r.strip() for r in roles.split(",")})
    return rows


def test_the_documented_table_is_the_one_in_the_code_r_life_1():
    labels = {Role.RECEPTIONIST: "receptionist", Role.OFFICER: "officer", Role.LEADER: "leader"}
    in_code = {
        t.action: (tuple(t.from_statuses), t.to_status, {labels[r] for r in t.roles})
        for t in TRANSITIONS.values()
    }
    assert _documented() == in_code


def test_every_event_kind_has_one_row_and_every_target_is_a_status():
    assert set(TRANSITIONS) == set(EventKind.values)
    targets = {t.to_status for t in TRANSITIONS.values()}
    assert targets <= set(DossierStatus.values) | {RESUMED, UNCHANGED}
    assert all(set(t.from_statuses) <= set(DossierStatus.values) for t in TRANSITIONS.values())
