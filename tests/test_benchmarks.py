"""The benchmark script's small-size smoke run: every benchmark runs and reports a ratio.

Timings are not asserted here (the machine may be busy); benchmarks/bench.py without
--smoke measures them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def test_the_smoke_run_reports_every_kernel_and_widget(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--smoke"])
    assert results["smoke"] and results["threads"] == 1
    assert len(results["kernels"]) == 5 and len(results["widgets"]) == 2
    for row in results["kernels"]:
        assert row["ours_s"] > 0 and row["torch_s"] > 0 and row["goal"] >= 1
        assert row["ratio"] == row["ours_s"] / row["torch_s"]
    assert "| kernel | ours / torch |" in capsys.readouterr().out
