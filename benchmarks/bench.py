"""Benchmarks of the book's from-scratch code against PyTorch, and of its widget redraws.

    python benchmarks/bench.py            # full sizes: writes benchmarks/results.json and .md
    python benchmarks/bench.py --smoke    # tiny sizes, nothing written (the tests run this)

Everything runs on one thread (as the notebooks do) and is reported as ratios where two
implementations are compared: absolute times drift on a shared machine, ratios hold. Each
timing is the best of several repeats. Take timings on a quiet machine.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from dlbook import attention, autodiff, backprop, conv, gated, nets, rnn  # noqa: E402
from dlbook.plotting import fig_to_png  # noqa: E402
from dlbook.runtime import pin_threads  # noqa: E402

HERE = Path(__file__).resolve().parent


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


def mlp_pair(B: int, widths: list[int], rng: np.random.Generator) -> tuple[Callable, Callable]:
    """numpy forward + backward (chapter 5's backprop) and the same in torch, float64."""
    params = nets.init_params(widths, rng)
    X, labels = rng.standard_normal((B, widths[0])), rng.integers(0, widths[-1], B)
    net = nets.to_torch(params).double()
    Xt, yt = torch.tensor(X), torch.tensor(labels)

    def ours() -> object:
        return backprop.mlp_gradients(params, X, labels)

    def theirs() -> object:
        net.zero_grad()
        F.cross_entropy(net(Xt), yt).backward()
        return None

    return ours, theirs


def engine_pair(B: int, widths: list[int], rng: np.random.Generator) -> tuple[Callable, Callable]:
    """One training step (forward, backward) of the autodiff engine and of torch, float64."""
    params = nets.init_params(widths, rng)
    X, labels = rng.standard_normal((B, widths[0])), rng.integers(0, widths[-1], B)
    net = nets.to_torch(params).double()
    Xt, yt = torch.tensor(X), torch.tensor(labels)

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

    def theirs() -> object:
        net.zero_grad()
        F.cross_entropy(net(Xt), yt).backward()
        return None

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
    ]
    repeats, number = (2, 2) if smoke else (7, 20)
    rows = []
    for name, goal, (ours, theirs) in cases:
        t_ours, t_torch = best_time(ours, repeats, number), best_time(theirs, repeats, number)
        rows.append({"name": name, "ours_s": t_ours, "torch_s": t_torch,
                     "ratio": t_ours / t_torch, "goal": goal})  # fmt: skip
    return rows


def widgets(smoke: bool) -> list[dict]:
    """Redraw times (draw and render to PNG) of demo drawing functions (goal: 150 ms each)."""
    from dlbook.widgets import appendix_background, regularization

    x = np.linspace(0, 1, 20)
    data = (x, np.sin(2 * np.pi * x)), (x, np.sin(2 * np.pi * x))
    draws = {
        "capacity (chapter 7)": lambda: regularization.draw_capacity(
            lambda t: np.sin(2 * np.pi * t), *data, 6, list(range(1, 15))
        ),
        "Marchenko-Pastur (appendix)": lambda: appendix_background.draw_mp(0.25, n=400),
    }
    rows = []
    for name, draw in draws.items():

        def once(draw: Callable = draw) -> None:
            fig = draw()
            fig_to_png(fig)  # render it, as the scrubber and the live demo do
            plt.close(fig)

        rows.append({"name": name, "seconds": best_time(once, 2 if smoke else 5, 1), "goal": 0.15})
    return rows


def markdown(results: dict) -> str:
    """The results as Markdown tables."""
    lines = ["| kernel | ours / torch | goal | met |", "|---|---|---|---|"]
    for r in results["kernels"]:
        met = "yes" if r["ratio"] <= r["goal"] else "no"
        lines.append(f"| {r['name']} | {r['ratio']:.2f}x | <= {r['goal']}x | {met} |")
    lines += ["", "| widget redraw | ms | goal | met |", "|---|---|---|---|"]
    for r in results["widgets"]:
        met = "yes" if r["seconds"] <= r["goal"] else "no"
        lines.append(f"| {r['name']} | {1000 * r['seconds']:.0f} | <= 150 ms | {met} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> dict:
    """Run every benchmark; write the files unless --smoke. Returns the results."""
    pin_threads(1)
    smoke = "--smoke" in argv
    results = {"threads": 1, "smoke": smoke, "kernels": kernels(smoke), "widgets": widgets(smoke)}
    if not smoke:
        (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
        (HERE / "results.md").write_text(markdown(results))
    print(markdown(results))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
