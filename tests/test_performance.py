"""Tests of the performance page's tables and chart: they say what the results say."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

from dlbook import performance
from dlbook.plotting import BLUE, ORANGE_RED

REPO = Path(__file__).resolve().parents[1]

RESULTS = {
    "kernels": [{"name": "numpy MLP", "ratio": 1.2, "goal": 1.5},
                {"name": "engine", "ratio": 3.5, "goal": 3.0}],
    "demos": [{"key": "capacity", "kind": "scrubber", "prepare_s": 0.5, "build_s": 1.0,
               "redraw_s": 0.12, "goal_s": 0.15},
              {"key": "playground", "kind": "live", "prepare_s": 0.0, "build_s": 0.2,
               "redraw_s": 0.2, "goal_s": 0.15}],
    "notebooks": [{"path": "chapters/01_x/a.ipynb", "seconds": 30.0, "budget_s": 60.0},
                  {"path": "chapters/02_y/b.ipynb", "seconds": 70.0, "budget_s": 60.0}],
    "chapters": [{"chapter": "01_x", "notebooks": 1, "seconds": 30.0, "budget_s": 60},
                 {"chapter": "02_y", "notebooks": 1, "seconds": 70.0, "budget_s": 60}],
    "book": {"seconds": 100.0, "goal_s": 900, "ceiling_s": 1200},
    "site": {"bytes": 3_000_000, "pages": [{"page": "a.html", "bytes": 1_000_000},
                                           {"page": "b.html", "bytes": 2_000_000}]},
}  # fmt: skip


def _rows(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_kernel_table_reports_ratio_and_goal() -> None:
    rows = _rows(performance.kernel_table(RESULTS))
    assert rows[0] == ["numpy MLP", "1.20x", "<= 1.5x", "yes"]
    assert rows[1] == ["engine", "3.50x", "<= 3x", "**no**"]


def test_demo_table_adds_prepare_and_build() -> None:
    rows = _rows(performance.demo_table(RESULTS))
    assert rows[0] == ["capacity", "scrubber", "1.5 s", "120 ms", "yes"]
    assert rows[1][-1] == "**no**"


def test_chapter_table_ends_with_the_whole_book() -> None:
    rows = _rows(performance.chapter_table(RESULTS))
    assert rows[0][-1] == "yes" and rows[1][-1] == "**no**"
    assert rows[2] == ["**whole book**", "2", "**1.7 min**", "15 min", "yes"]


def test_site_table_sorts_pages_by_weight() -> None:
    rows = _rows(performance.site_table(RESULTS, top=1))
    assert rows == [["b.html", "2.0 MB"]]


def test_chart_marks_notebooks_over_budget() -> None:
    fig = performance.draw_notebook_times(RESULTS)
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [30.0, 70.0]
    assert [to_hex(b.get_facecolor()) for b in bars] == [BLUE.lower(), ORANGE_RED.lower()]
    plt.close(fig)


def test_load_results_reads_the_file_or_says_how_to_make_it(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(RESULTS))
    assert performance.load_results(path) == RESULTS
    with pytest.raises(FileNotFoundError, match="benchmarks/bench.py"):
        performance.load_results(tmp_path / "missing.json")
    shipped = performance.load_results()  # the copy inside the package
    assert {"kernels", "demos", "notebooks"} <= set(shipped)


def test_book_notebooks_follow_the_toc(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("intro", "one", "two"):
        (tmp_path / "a" / f"{name}.ipynb").write_text("{}")
    (tmp_path / "a" / "index.md").write_text("# a chapter page, not a notebook")
    toc = "root: a/intro\nparts:\n  - chapters:\n    - file: a/index\n      sections:\n"
    toc += "        - file: a/two\n        - file: a/one\n"
    (tmp_path / "_toc.yml").write_text(toc)
    assert performance.book_notebooks(tmp_path) == ["a/intro.ipynb", "a/two.ipynb", "a/one.ipynb"]
    real = performance.book_notebooks(REPO)
    assert real[0] == "chapters/00_preface/preface.ipynb" and len(real) > 30
    assert performance.timed_notebooks(REPO) == [p for p in real if p != performance.REPORT_PAGE]
    assert performance.REPORT_PAGE in real


def test_shipped_results_cover_every_notebook_and_demo() -> None:
    """Adding a notebook or a demo means rerunning benchmarks/bench.py."""
    from dlbook.widgets import catalog

    results = performance.load_results()
    measured = [n["path"] for n in results["notebooks"]]
    assert measured == performance.timed_notebooks(REPO), "rerun benchmarks/bench.py"
    assert [d["key"] for d in results["demos"]] == [d.key for d in catalog.DEMOS]
