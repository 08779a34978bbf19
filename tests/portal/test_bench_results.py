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
