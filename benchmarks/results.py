"""Every benchmark's figures against their targets, printed together at the end of ``make bench``.

Each benchmark calls ``record(...)`` for a figure that has a target (or that serves as the
baseline) when ``BENCH_RESULTS`` names a file: one JSON object per line is appended to it.
``python -m benchmarks.results`` then prints them as one table, in the order they were
recorded, with met / missed, and exits 0 (a missed target is reported, not an error: the figures
go to docs/performance.md as they are). ``make bench`` empties the file first.

    BENCH_RESULTS=benchmarks/out/results.jsonl .venv/bin/python -m benchmarks.tracking
    .venv/bin/python -m benchmarks.results benchmarks/out/results.jsonl
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from benchmarks import harness

DEFAULT_PATH = "benchmarks/out/results.jsonl"


def record(
    measure: str,
    figure: float,
    unit: str,
    *,
    target: float | None = None,
    better: str = "lower",
    note: str = "",
    target_text: str = "",
) -> bool | None:
    """Append one figure. ``target`` is the bound it should meet (``better``: "lower" means the
    figure must be <= target, "higher" >= target); None for a figure without a target (the
    baseline). Returns whether it was met (None without a target). Without ``BENCH_RESULTS`` it
    only computes that."""
    met = None
    if target is not None:
        met = figure <= target if better == "lower" else figure >= target
    path = os.environ.get("BENCH_RESULTS")
    if path:
        row = {
            "measure": measure,
            "figure": figure,
            "unit": unit,
            "target": target,
            "better": better,
            "met": met,
            "note": note,
            "target_text": target_text,
            "machine": harness.machine(),
        }
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return met


def _number(value: float, unit: str) -> str:
    if isinstance(value, int):  # counts: gaps, duplicates
        return f"{value:,} {unit}"
    if (unit in {"ms", "ms CPU", "× healthz"} and abs(value) < 100) or abs(value) < 10:
        return f"{value:,.2f} {unit}"
    return f"{value:,.0f} {unit}"


def table(rows: list[dict]) -> str:
    lines = []
    header = ("measure", "figure", "target", "verdict")
    body = []
    for row in rows:
        if row["target"] is None:
            target, verdict = row.get("target_text") or "—", "—"
        else:
            sign = "≤" if row["better"] == "lower" else "≥"
            target = row.get("target_text") or f"{sign} {_number(row['target'], row['unit'])}"
            verdict = "met" if row["met"] else "MISSED"
        figure = _number(row["figure"], row["unit"])
        if row.get("note"):
            figure += f" ({row['note']})"
        body.append((row["measure"], figure, target, verdict))
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(4)]
    for r in [header, tuple("-" * w for w in widths), *body]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else os.environ.get("BENCH_RESULTS", DEFAULT_PATH))
    if not path.exists():
        print(f"no results in {path}: run the benchmarks with BENCH_RESULTS={path}")
        return 1
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    print(f"\nEvery figure against its target ({len(rows)} rows, {path}):\n")
    print(table(rows))
    missed = sum(1 for row in rows if row["met"] is False)
    met = sum(1 for row in rows if row["met"])
    print(f"\n{met} met, {missed} missed (machine at the end: {harness.machine()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
