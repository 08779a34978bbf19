"""``make bench`` ends with every figure against its target (issue 14, Deliver 5): the table
that ``benchmarks.results`` prints from what each benchmark recorded."""

import json

from benchmarks import results


def test_recorded_figures_are_printed_against_their_targets(tmp_path, monkeypatch, capsys):
    path = tmp_path / "out" / "results.jsonl"
    monkeypatch.setenv("BENCH_RESULTS", str(path))
    assert results.record("GET /healthz", 1.02, "ms CPU") is None
    assert results.record("QR look-up", 3.1, "ms CPU", target=2.5) is False
    assert results.record("intake rate", 160, "dossiers/s", target=150, better="higher") is True

    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [row["met"] for row in rows] == [None, False, True]

    assert results.main([str(path)]) == 0
    printed = capsys.readouterr().out
    assert "QR look-up" in printed and "≤ 2.50 ms CPU" in printed and "MISSED" in printed
    assert "≥ 160" not in printed and "≥ 150 dossiers/s" in printed
    assert "1 met, 1 missed" in printed


def test_without_a_results_file_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert results.record("x", 5, "ms CPU", target=4) is False
    assert list(tmp_path.iterdir()) == []


def _bench_recipe() -> list[str]:
    makefile = (results.harness.ROOT / "Makefile").read_text().splitlines()
    start = makefile.index("bench: sync")
    recipe = []
    for line in makefile[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_bench_runs_every_benchmark_with_a_results_file_and_ends_with_the_table():
    makefile = (results.harness.ROOT / "Makefile").read_text()
    assert "bench: export BENCH_RESULTS" in makefile
    recipe = _bench_recipe()
    assert ": > '$(BENCH_RESULTS)'" in " ".join(recipe)  # emptied before the first benchmark
    assert "benchmarks.results" in recipe[-2] and "exit 1" in recipe[-1]
    run = " ".join(recipe)
    for module in ("intake", "tracking", "national", "exports", "profile", "first_run"):
        assert f"benchmarks.{module}" in run
        source = (results.harness.ROOT / "benchmarks" / f"{module}.py").read_text()
        assert "results.record(" in source, module


def test_first_run_splits_the_log_into_phases():
    from benchmarks import first_run

    lines = [
        (0.1, "uv"),
        (2.0, "==> database: sqlite"),
        (20.0, "==> demo data"),
        (45.0, "==> Open"),
    ]
    assert first_run.phases(lines, 50.0) == [
        ("uv sync", 2.0),
        ("migrate", 18.0),
        ("seed", 25.0),
        ("server start", 5.0),
    ]
    assert first_run.phases([(0.5, "==> database")], 9.0) == [("uv sync", 0.5), ("migrate", 8.5)]
