"""The book's benchmarks: from-scratch code against PyTorch, every demo's start and redraw
time, every notebook's run time against its budget, and the built site's weight.

    python benchmarks/bench.py            # everything: writes the results (.json, .md)
    python benchmarks/bench.py --only kernels,demos   # some sections (notebooks, site too)
    python benchmarks/bench.py --smoke    # tiny sizes, nothing written (the tests run this)

The site section reads `_build/html` (build the book first; `--html DIR` reads another
build). The results go to lib/dlbook/resources/benchmarks.json (shipped with the package) and
benchmarks/results.md; the book's appendix page "Performance" renders the JSON when it is built.

Everything runs on one thread (as the notebooks do) and is reported as ratios where two
implementations are compared: absolute times drift on a shared machine, ratios hold. Each
timing is the best of several repeats. Take timings on a quiet machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from tqdm.auto import tqdm  # noqa: E402

from dlbook import attention, autodiff, backprop, conv, gated, nets, performance, rnn  # noqa: E402
from dlbook.plotting import fig_to_png, set_style  # noqa: E402
from dlbook.runtime import keep_arrays_in_heap, pin_threads  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTIONS = ["kernels", "demos", "notebooks", "site"]
SMOKE_DEMOS = ("softmax-temperature", "dilation", "backward-pass")
NOTEBOOK_BUDGET_S = 60.0  # each notebook (CONTRIBUTING.md)
CHAPTER_BUDGETS_S = {  # each chapter's notebooks together, as its issue sets them
    "00_preface": 60, "01_history": 60, "02_learning_and_losses": 60,
    "03_functions_and_networks": 90, "04_optimization": 90, "05_backprop": 60,
    "06_initialization": 60, "07_regularization": 150, "08_normalization_and_convolutions": 120,
    "09_recurrent_networks": 120, "10_attention_and_transformers": 150,
    "11_generative_models": 150, "12_theory": 150, "13_summary": 60,
    "appendix_background": 90, "appendix_instructors": 90,
}  # fmt: skip


def best_time(fn: Callable[[], object], repeats: int, number: int) -> float:
    """The best over `repeats` of the mean time of `number` calls of fn, in seconds."""
    fn()  # warm up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def mlp_problem(
    B: int, widths: list[int], rng: np.random.Generator
) -> tuple[list, np.ndarray, np.ndarray, Callable]:
    """A random MLP, batch and labels, and torch's forward + backward on them (float64)."""
    params = nets.init_params(widths, rng)
    X, labels = rng.standard_normal((B, widths[0])), rng.integers(0, widths[-1], B)
    net = nets.to_torch(params).double()
    Xt, yt = torch.tensor(X), torch.tensor(labels)

    def theirs() -> object:
        net.zero_grad()
        F.cross_entropy(net(Xt), yt).backward()
        return None

    return params, X, labels, theirs


def mlp_pair(B: int, widths: list[int], rng: np.random.Generator) -> tuple[Callable, Callable]:
    """numpy forward + backward (chapter 5's backprop) and the same in torch, float64."""
    params, X, labels, theirs = mlp_problem(B, widths, rng)

    def ours() -> object:
        return backprop.mlp_gradients(params, X, labels)

    return ours, theirs


def engine_pair(B: int, widths: list[int], rng: np.random.Generator) -> tuple[Callable, Callable]:
    """One training step (forward, backward) of the autodiff engine and of torch, float64."""
    params, X, labels, theirs = mlp_problem(B, widths, rng)

    def ours() -> object:
        h = autodiff.Tensor(X)
        leaves = []
        for i, (A, b) in enumerate(params):
            At, bt = autodiff.Tensor(A.T), autodiff.Tensor(b)
            leaves += [At, bt]
            h = h @ At + bt
            if i < len(params) - 1:
                h = h.relu()
        loss = autodiff.cross_entropy(h, labels)
        loss.backward()
        return loss

    return ours, theirs


def conv_pair(
    B: int, C: int, K: int, n: int, rng: np.random.Generator
) -> tuple[Callable, Callable]:
    """im2col convolution (chapter 8) against F.conv2d, 3x3 kernels, padding 1, float64."""
    X, W = rng.standard_normal((B, C, n, n)), rng.standard_normal((K, C, 3, 3))
    Xt, Wt = torch.tensor(X), torch.tensor(W)
    return (lambda: conv.conv2d(X, W, padding=1)), (lambda: F.conv2d(Xt, Wt, padding=1))


def attention_pair(B: int, T: int, D: int, heads: int) -> tuple[Callable, Callable]:
    """The book's MultiHeadAttention (chapter 10) against torch.nn.MultiheadAttention."""
    torch.manual_seed(0)
    ours_m = attention.MultiHeadAttention(D, heads)
    ref = attention.copy_into_torch(ours_m, torch.nn.MultiheadAttention(D, heads, batch_first=True))
    x = torch.randn(B, T, D)
    with torch.no_grad():
        return (lambda: ours_m(x)), (lambda: ref(x, x, x, need_weights=False))


def gru_pair(B: int, D: int, H: int, rng: np.random.Generator) -> tuple[Callable, Callable]:
    """One GRU step in numpy (chapter 9) against torch.nn.GRUCell, float64."""
    params = rnn.init_params("gru", D, H, rng)
    h, x = rng.standard_normal((B, H)), rng.standard_normal((B, D))
    cell = torch.nn.GRUCell(D, H).double()
    ht, xt = torch.tensor(h), torch.tensor(x)
    with torch.no_grad():
        return (lambda: gated.gru_step(params, h, x)), (lambda: cell(xt, ht))


def matmul_pair(n: int, rng: np.random.Generator) -> tuple[Callable, Callable]:
    """One (n, n) @ (n, n) product in float64: numpy's BLAS against torch's, the floor under
    every numpy-vs-torch ratio above it."""
    A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    At, Bt = torch.tensor(A), torch.tensor(B)
    return (lambda: A @ B), (lambda: At @ Bt)


def kernels(smoke: bool) -> list[dict]:
    """Each from-scratch kernel's time against torch's, with the book's goal for the ratio."""
    rng = np.random.default_rng(0)
    s = 8 if smoke else 1
    cases = [
        (
            "numpy MLP forward + backward",
            1.5,
            mlp_pair(256 // s, [64, 256 // s, 256 // s, 10], rng),
        ),
        ("autodiff engine training step", 3.0, engine_pair(256 // s, [64, 256 // s, 10], rng)),
        ("im2col conv2d", 3.0, conv_pair(64 // s, 8, 16, 8, rng)),
        ("multi-head attention", 1.5, attention_pair(1 if smoke else 8, 64 // s, 64, 4)),
        ("GRU step (numpy)", 3.0, gru_pair(64 // s, 32, 128 // s, rng)),
        ("matrix product 256x256 (the BLAS itself)", 1.5, matmul_pair(256 // s, rng)),
    ]
    repeats, number = (2, 2) if smoke else (7, 20)
    rows = []
    for name, goal, (ours, theirs) in cases:
        t_ours, t_torch = best_time(ours, repeats, number), best_time(theirs, repeats, number)
        rows.append({"name": name, "ours_s": t_ours, "torch_s": t_torch,
                     "ratio": t_ours / t_torch, "goal": goal})  # fmt: skip
    return rows


def demos(smoke: bool) -> list[dict]:
    """Every in-class demo (dlbook.widgets.catalog): seconds to make its inputs and to build it
    (for a scrubber: render every frame), and one redraw of its drawing core rendered to PNG,
    the layout reused as the live demos and scrubbers do (goal: 150 ms)."""
    from dlbook.plotting import LayoutReuse

    chosen = [d for d in catalog_demos() if not smoke or d.key in SMOKE_DEMOS]
    made: dict[object, dict] = {}  # demos sharing a recipe share its inputs, as in the index
    rows = []
    for demo in tqdm(chosen, desc="demos"):
        prepare_s = 0.0  # a demo sharing the recipe of one above reuses its inputs
        if demo.prepare not in made:
            start = time.perf_counter()
            made[demo.prepare] = demo.prepare(np.random.default_rng(0))
            prepare_s = time.perf_counter() - start
        inputs = made[demo.prepare]
        start = time.perf_counter()
        demo.build(inputs)
        build_s = time.perf_counter() - start
        layout = LayoutReuse()

        def once(demo=demo, inputs: dict = inputs, layout=layout) -> None:
            fig_to_png(layout(demo.draw(inputs)))

        redraw_s = best_time(once, 2 if smoke else 5, 1)
        rows.append({"key": demo.key, "page": demo.page, "kind": demo.kind, "goal_s": 0.15,
                     "prepare_s": prepare_s, "build_s": build_s, "redraw_s": redraw_s})  # fmt: skip
        plt.close("all")
    return rows


def catalog_demos() -> tuple:
    """The demos of dlbook.widgets.catalog, in the book's order."""
    from dlbook.widgets import catalog

    return catalog.DEMOS


def toc_notebooks() -> list[Path]:
    """The book's notebooks in reading order (from _toc.yml), but the performance page."""
    return [ROOT / path for path in performance.timed_notebooks(ROOT)]


def run_notebooks(paths: list[Path]) -> dict[str, float]:
    """Seconds each notebook takes under pytest + nbval on one worker, exactly as CI runs it
    (the repository's conftest.py records them), one after the other."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "times.json"
        env = {**os.environ, "DLBOOK_NOTEBOOK_TIMES": str(out)}
        command = [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider"]
        subprocess.run([*command, *(str(p.relative_to(ROOT)) for p in paths)],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        return json.loads(out.read_text())


def notebooks(smoke: bool) -> dict:
    """Every notebook's run time against its budget, per chapter and for the whole book."""
    paths = [ROOT / "templates" / "chapter.ipynb"] if smoke else toc_notebooks()
    seconds = run_notebooks(paths)
    rows, chapters = [], {}
    for path in paths:
        name, folder = str(path.relative_to(ROOT)), path.parent.name
        rows.append({"path": name, "seconds": seconds[name], "budget_s": NOTEBOOK_BUDGET_S})
        budget = CHAPTER_BUDGETS_S.get(folder, NOTEBOOK_BUDGET_S)
        chapter = chapters.setdefault(
            folder, {"chapter": folder, "notebooks": 0, "seconds": 0.0, "budget_s": budget}
        )
        chapter["notebooks"] += 1
        chapter["seconds"] += rows[-1]["seconds"]
    total = sum(r["seconds"] for r in rows)
    return {"notebooks": rows, "chapters": list(chapters.values()),
            "book": {"seconds": total, "goal_s": 15 * 60, "ceiling_s": 20 * 60}}  # fmt: skip


def site_weights(html: Path) -> dict:
    """The built site's size and each page's weight: its HTML plus the images it loads."""
    if not (html / "index.html").exists():
        raise FileNotFoundError(f"no built site in {html}: run `jupyter-book build .` first")
    total = sum(f.stat().st_size for f in html.rglob("*") if f.is_file())
    pages = []
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        sources = re.findall(r'src="([^"#?]+\.(?:png|svg|jpg|gif))"', text)
        images = {(page.parent / src).resolve() for src in sources}
        size = page.stat().st_size + sum(i.stat().st_size for i in images if i.is_file())
        pages.append({"page": str(page.relative_to(html)), "bytes": size})
    return {"bytes": total, "pages": pages}


def markdown(results: dict) -> str:
    """Every measured section as a Markdown table (dlbook.performance renders them)."""
    P = performance
    sections = {"kernels": P.kernel_table, "demos": P.demo_table,
                "chapters": P.chapter_table, "site": P.site_table}  # fmt: skip
    return "\n\n".join(table(results) for key, table in sections.items() if key in results) + "\n"


def main(argv: list[str]) -> dict:
    """Run the benchmarks (all, or those named by --only); write the files unless --smoke."""
    pin_threads(1)
    keep_arrays_in_heap()  # as dlbook.setup() does in every notebook
    set_style()  # the notebooks' style (constrained layout, fonts), as the demos run there
    smoke = "--smoke" in argv
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else SECTIONS
    path = ROOT / "lib" / "dlbook" / performance.RESULTS
    results = json.loads(path.read_text()) if path.exists() and not smoke else {}
    results.update(threads=1, smoke=smoke)
    results.pop("widgets", None)  # the old name of "demos"
    if "kernels" in only:
        results["kernels"] = kernels(smoke)
    if "demos" in only:
        results["demos"] = demos(smoke)
    if "notebooks" in only:
        results.update(notebooks(smoke))
    if "site" in only and not smoke:
        html = Path(argv[argv.index("--html") + 1]) if "--html" in argv else ROOT / "_build/html"
        results["site"] = site_weights(html)
    if not smoke:
        path.write_text(json.dumps(results, indent=1) + "\n")
        (HERE / "results.md").write_text(markdown(results))
    print(markdown(results))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
