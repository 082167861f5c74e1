"""The environment every test and every notebook kernel (nbval) runs in.

Set before torch or numpy start their thread pools, and inherited by nbval's kernels:
one thread each (two per process on a busy two-core machine ran 10-100x slower)
and no network (dlbook.setup enforces it in notebooks).
"""

import json
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ["DLBOOK_FORBID_NETWORK"] = "1"

# ---- per-notebook run times, printed at the end of every run ----

BUDGET_S = 60.0  # each notebook's budget on a 2-core laptop CPU (CONTRIBUTING.md)
_notebook_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):  # noqa: ANN001, ANN201 (pytest hook)
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):  # noqa: ANN001, ANN201 (pytest hook)
    if not _notebook_seconds:
        return
    if os.environ.get("DLBOOK_NOTEBOOK_TIMES"):  # benchmarks/bench.py reads them from here
        with open(os.environ["DLBOOK_NOTEBOOK_TIMES"], "w") as out:
            json.dump(_notebook_seconds, out, indent=1)
    terminalreporter.section("notebook run times (budget: 60 s each)")
    for path, seconds in sorted(_notebook_seconds.items(), key=lambda kv: -kv[1]):
        flag = "   OVER BUDGET" if seconds > BUDGET_S else ""
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}{flag}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):6.1f} s  in all")


# ---- hypothesis: the same examples on every run, so that a red CI is reproducible ----
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("dlbook", derandomize=True, deadline=None, database=None)
    _hypothesis_settings.load_profile("dlbook")
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass
