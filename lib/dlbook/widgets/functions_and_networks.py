"""Chapter 3's demos (chapters/03_functions_and_networks): hinges, bases and regions.

Each demo is a plain drawing function that tests call, wrapped in `live` (several
sliders, needs a kernel) or `scrubber` (one slider, works on the website).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from dlbook.basis import KINDS, fit_basis, mse
from dlbook.plotting import PALETTE
from dlbook.regions import count_regions_2d, layer_patterns, zaslavsky_bound
from dlbook.widgets import live, scrubber

Target = Callable[[np.ndarray], np.ndarray]


def _new_ax(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        return plt.subplots(figsize=size)
    return ax.figure, ax


def draw_hinges(
    a: Sequence[float],
    b: Sequence[float],
    c: Sequence[float],
    c0: float,
    target: Target | None = None,
    lo: float = -2.0,
    hi: float = 2.0,
    ax: Axes | None = None,
) -> Figure:
    """Each hinge c_k relu(a_k x + b_k) (thin) and their sum y = c^T relu(a x + b) + c_0.

    Shapes: a, b, c: (M,), c0: scalar, target: (G,) -> (G,). Chapter 3.
    """
    a, b, c = (np.asarray(v, dtype=float).ravel() for v in (a, b, c))
    if not a.shape == b.shape == c.shape:
        raise ValueError(
            f"a, b, c must have one entry per unit; got {a.shape}, {b.shape}, {c.shape}"
        )
    fig, ax = _new_ax(ax, (5.5, 3.4))
    x = np.linspace(lo, hi, 401)
    hinges = c * np.maximum(np.outer(x, a) + b, 0.0)  # (G, M)
    y = hinges.sum(axis=1) + c0
    for k in range(len(a)):
        ax.plot(x, hinges[:, k], "--", lw=1.2, color=PALETTE[(k + 2) % 8], label=f"unit {k + 1}")
    title = "y = sum of hinges"
    if target is not None:
        g = np.asarray(target(x), dtype=float)
        ax.plot(x, g, color="0.6", lw=4, alpha=0.6, label="target", zorder=1)
        title += f"; sup error {np.abs(y - g).max():.2f}"
    ax.plot(x, y, color=PALETTE[0], lw=2.4, label="network y(x)")
    ax.set(xlabel="$x$", title=title, xlim=(lo, hi))
    ax.legend(fontsize=7, loc="upper left")
    return fig


def hinge_builder(target: Target, units: int = 3, lo: float = -2.0, hi: float = 2.0) -> W.VBox:
    """Sliders for a_k, b_k, c_k of each unit and c_0: build y = c^T relu(a x + b) + c_0.

    Needs a kernel. Shapes: target: (G,) -> (G,). Chapter 3.
    """
    if not 1 <= units <= 4:
        raise ValueError(f"the builder has 1 to 4 units, got {units}")
    sliders: dict[str, W.FloatSlider] = {}
    for k in range(1, units + 1):
        for name, value in (("a", 1.0), ("b", 0.5 * (k - 2)), ("c", 0.5)):
            sliders[f"{name}{k}"] = W.FloatSlider(
                value=value, min=-3.0, max=3.0, step=0.1, description=f"{name}{k}"
            )
    sliders["c0"] = W.FloatSlider(value=0.0, min=-2.0, max=2.0, step=0.1, description="c0")

    def draw(**v: float) -> Figure:
        pick = [[v[f"{n}{k}"] for k in range(1, units + 1)] for n in "abc"]
        return draw_hinges(*pick, v["c0"], target, lo, hi)

    return live(draw, **sliders)


def draw_basis_fit(
    kind: str,
    M: int,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    truth: Target | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The least-squares fit of M basis functions of one kind, with train and test error.

    Shapes: train, test: ((B,), (B,)) on [0, 1]; truth: (G,) -> (G,). Chapter 3.
    """
    fig, ax = _new_ax(ax, (5.0, 3.2))
    fit = fit_basis(*train, kind, M)
    grid = np.linspace(0, 1, 400)
    ax.scatter(*train, s=14, color=PALETTE[1], label="train", zorder=3)
    if truth is not None:
        ax.plot(grid, truth(grid), color="0.6", lw=3, alpha=0.6, label="truth")
    ax.plot(grid, fit.predict(grid), color=PALETTE[0], label="fit")
    train_err, test_err = mse(fit.predict(train[0]), train[1]), mse(fit.predict(test[0]), test[1])
    span = np.ptp(train[1])
    ax.set_ylim(train[1].min() - 0.3 * span, train[1].max() + 0.3 * span)
    ax.set_title(f"{kind}, M = {M}: train {train_err:.3f}, test {test_err:.3f}", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    return fig


def basis_explorer(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    truth: Target | None = None,
    max_M: int = 25,
) -> W.VBox:
    """Choose the basis family and M; see the fit and its train and test error. Needs a kernel.

    Shapes: train, test: ((B,), (B,)) on [0, 1]. Chapter 3.
    """
    return live(
        lambda kind, M: draw_basis_fit(kind, M, train, test, truth),
        kind=W.Dropdown(options=list(KINDS), value="polynomial", description="basis"),
        M=W.IntSlider(value=5, min=1, max=max_M, description="M"),
    )


def draw_regions(
    A: np.ndarray, b: np.ndarray, M: int, half: float = 3.0, n: int = 300, ax: Axes | None = None
) -> Figure:
    """The plane coloured by the activation pattern of the first M units relu(A x + b).

    The title gives the exact region count (on all of R^2) and Zaslavsky's bound.
    Shapes: A: (M_max, 2), b: (M_max,) -> Figure. Chapter 3.
    """
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    if A.ndim != 2 or A.shape[1] != 2 or b.shape != (A.shape[0],) or not 0 <= M <= len(b):
        raise ValueError(f"A has shape {A.shape} and b {b.shape}; cannot take M = {M} units")
    fig, ax = _new_ax(ax, (4.2, 4.0))
    xs = np.linspace(-half, half, n)
    grid = np.array(np.meshgrid(xs, xs)).reshape(2, -1).T  # (n*n, 2)
    patterns = layer_patterns(A[:M], b[:M], grid)  # (n*n, M)
    code = patterns @ (2.0 ** np.arange(M))  # one number per pattern: its colour, whatever M is
    colours = ListedColormap(plt.get_cmap("tab20")(np.arange(20)))
    ax.imshow(
        (code % 20).reshape(n, n),
        origin="lower",
        extent=(-half, half, -half, half),
        cmap=colours,
        vmin=0,
        vmax=19,
        interpolation="nearest",
    )
    for a_k, b_k in zip(A[:M], b[:M], strict=True):  # the lines a_k^T x + b_k = 0
        t = np.linspace(-3 * half, 3 * half, 2)
        p0 = -b_k * a_k / (a_k @ a_k)
        ax.plot(p0[0] - t * a_k[1], p0[1] + t * a_k[0], color="k", lw=0.8)
    ax.set(xlim=(-half, half), ylim=(-half, half), xlabel="$x_1$", ylabel="$x_2$")
    exact = count_regions_2d(A[:M], b[:M])
    ax.set_title(
        f"M = {M}: {exact} regions, bound {zaslavsky_bound(M, 2)}\n"
        f"({len(np.unique(code))} visible here)",
        fontsize=10,
    )
    ax.grid(False)
    return fig


def regions_scrubber(A: np.ndarray, b: np.ndarray, widths: Sequence[int]) -> W.VBox:
    """A width slider over draw_regions: kernel-free frames for the website.

    Shapes: A: (M_max, 2), b: (M_max,), widths: (F,) -> F frames. Chapter 3.
    """
    return scrubber(lambda M: draw_regions(A, b, M), list(widths), description="width M")
