"""The book's performance figures as tables and a chart, read from the measured results.

`benchmarks/bench.py` measures (from-scratch code against torch, every demo's start and redraw
time, every notebook's run time against its chapter's budget, the built site's weight) and
writes them to `dlbook/resources/benchmarks.json`, shipped inside the package so that an
installed `dlbook` (Colab, Binder) can read them too; the appendix page "Performance" renders
them with these functions when the book is built, so the published figures are the measured
ones. A presentation module.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dlbook.plotting import BLUE, ORANGE_RED

RESULTS = "resources/benchmarks.json"  # inside the package: written by benchmarks/bench.py
REPORT_PAGE = "chapters/appendix_instructors/performance.ipynb"  # reads results, not timed
Results = dict[str, object]


def book_notebooks(root: Path) -> list[str]:
    """The book's notebooks in reading order, as paths relative to the repository (_toc.yml).

    Shapes: none -> N paths. Appendix (performance).
    """
    root = Path(root)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    files = re.findall(r"(?:root|file):\s*(\S+)", toc)  # the root page is the preface
    return [f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def timed_notebooks(root: Path) -> list[str]:
    """Every notebook of the book but the performance page itself, which only reads the results.

    Shapes: none -> N - 1 paths. Appendix (performance).
    """
    return [path for path in book_notebooks(root) if path != REPORT_PAGE]


def load_results(path: Path | None = None) -> Results:
    """results = the JSON written by benchmarks/bench.py (default: the copy the package ships).

    Shapes: none. Appendix (performance).
    """
    if path is None:
        return json.loads((resources.files("dlbook") / RESULTS).read_text(encoding="utf-8"))
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python benchmarks/bench.py` first")
    return json.loads(path.read_text(encoding="utf-8"))


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def kernel_table(results: Results) -> str:
    """ratio = t_ours / t_torch per kernel, against the book's goal (Markdown).

    Shapes: K kernels -> K rows. Appendix (performance).
    """
    rows = [[r["name"], f"{r['ratio']:.2f}x", f"<= {r['goal']:g}x", _met(r["ratio"] <= r["goal"])]
            for r in results["kernels"]]  # fmt: skip
    return _table(["from scratch vs torch (1 thread)", "time ratio", "goal", "met"], rows)


def demo_table(results: Results) -> str:
    """start = prepare + build seconds; redraw = one frame drawn and rendered, goal 150 ms.

    Shapes: M demos -> M rows. Appendix (performance).
    """
    rows = []
    for r in results["demos"]:
        start = r["prepare_s"] + r["build_s"]
        rows.append([r["key"], r["kind"], f"{start:.1f} s", f"{1000 * r['redraw_s']:.0f} ms",
                     _met(r["redraw_s"] <= r["goal_s"])])  # fmt: skip
    return _table(["demo", "kind", "start", "redraw", "redraw <= 150 ms"], rows)


def chapter_table(results: Results) -> str:
    """seconds = sum of the chapter's notebook run times, against the chapter's budget.

    Shapes: C chapters -> C rows plus the whole book. Appendix (performance).
    """
    rows = [[c["chapter"], str(c["notebooks"]), f"{c['seconds']:.0f} s", f"{c['budget_s']:.0f} s",
             _met(c["seconds"] <= c["budget_s"])] for c in results["chapters"]]  # fmt: skip
    book = results["book"]
    rows.append(["**whole book**", str(sum(c["notebooks"] for c in results["chapters"])),
                 f"**{book['seconds'] / 60:.1f} min**", f"{book['goal_s'] / 60:.0f} min",
                 _met(book["seconds"] <= book["goal_s"])])  # fmt: skip
    return _table(["chapter", "notebooks", "run time", "budget", "met"], rows)


def site_table(results: Results, top: int = 8) -> str:
    """The heaviest pages of the built site: HTML plus the images it loads (Markdown).

    Shapes: pages -> `top` rows. Appendix (performance).
    """
    pages = sorted(results["site"]["pages"], key=lambda p: -p["bytes"])[:top]
    return _table(["page", "size"], [[p["page"], f"{p['bytes'] / 1e6:.1f} MB"] for p in pages])


def draw_notebook_times(results: Results) -> Figure:
    """Each notebook's run time (bars) and the 60 s per-notebook budget (line).

    Shapes: N notebooks -> a Figure with N bars. Appendix (performance).
    """
    notebooks = results["notebooks"]
    fig, ax = plt.subplots(figsize=(7.0, 0.19 * len(notebooks) + 1.0))
    names = [n["path"].removeprefix("chapters/").removesuffix(".ipynb") for n in notebooks]
    seconds = [n["seconds"] for n in notebooks]
    colours = [ORANGE_RED if n["seconds"] > n["budget_s"] else BLUE for n in notebooks]
    ax.barh(names, seconds, color=colours)
    ax.axvline(60, color="0.4", ls=":", lw=1, label="60 s: one notebook's budget")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set(xlabel="run time (s), one process, one thread", title="every notebook, as CI runs it")
    ax.legend(fontsize=8, loc="lower right")
    return fig
