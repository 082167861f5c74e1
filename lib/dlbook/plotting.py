"""The book's figure style and the plotting helpers that more than one chapter uses.

A presentation module: it may import the math modules, never the other way round.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter, NullLocator

# Okabe & Ito's colour-blind-safe palette: the book's colour cycle.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
BLUE, ORANGE_RED, GREEN = PALETTE[0], PALETTE[1], PALETTE[2]

STYLE: dict[str, object] = {
    "figure.figsize": (6.0, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "image.cmap": "viridis",
}


def set_style() -> None:
    """Apply the book-wide matplotlib style (palette, sizes, grid) and crisp inline figures.

    Shapes: none. Chapter 0.
    """
    mpl.rcParams.update(STYLE)
    try:  # sharper figures in Jupyter; a no-op outside IPython
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        if get_ipython() is not None:
            set_matplotlib_formats("retina")
    except ImportError:  # pragma: no cover - IPython is always there in the book
        pass


_RENDERERS: dict[tuple[float, float, float], RendererAgg] = {}


def fig_to_png(fig: Figure, dpi: int = 90) -> bytes:
    """Render a figure to PNG bytes and close it (frames for the kernel-free scrubber).

    A figure that is already laid out (see LayoutReuse) is drawn once, straight to an Agg
    renderer shared by every figure of its size: savefig would draw it twice (once to lay it
    out), and a fresh renderer would measure every tick label and title again, where the
    shared one remembers them. Shapes: Figure -> bytes. Chapter 0.
    """
    buffer = io.BytesIO()
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.savefig(buffer, format="png", dpi=dpi)
    else:
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        w, h = fig.bbox.size
        key = (float(w), float(h), float(fig.dpi))
        if key not in _RENDERERS:
            if len(_RENDERERS) > 16:
                _RENDERERS.clear()
            _RENDERERS[key] = RendererAgg(w, h, fig.dpi)
        # the canvas reuses a renderer whose key matches (matplotlib's own cache, per canvas)
        canvas.renderer, canvas._lastKey = _RENDERERS[key], key
        canvas.print_png(buffer)
    plt.close(fig)
    return buffer.getvalue()


def plain_log_ticks(ax: Axes, axis: str = "y") -> Axes:
    """Label a log axis 0.01, 1, 100 (plain text) and drop its minor ticks.

    Matplotlib's default labels (10^k) are typeset as mathematics for every frame, which is a
    fifth of a demo's redraw. Shapes: none. Chapter 0.
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    target.set_minor_locator(NullLocator())
    return ax


class LayoutReuse:
    """Lay out the first figure with constrained layout; give later figures of the same
    shape (number of axes, size) the same axes positions instead of solving the layout again.

    The layout pass measures every tick label and title and is about half the cost of a
    redraw; the frames of one demo share their layout, so one pass is enough.
    Shapes: Figure -> the same Figure, laid out, its layout engine switched off. Chapter 0.
    """

    def __init__(self) -> None:
        self.key: tuple[int, tuple[float, float]] | None = None
        self.positions: list[tuple[float, float, float, float]] = []

    def __call__(self, fig: Figure) -> Figure:
        engine = fig.get_layout_engine()
        if not isinstance(engine, ConstrainedLayoutEngine):
            return fig  # nothing to solve (or a layout the figure chose itself)
        w, h = fig.get_size_inches()
        key = (len(fig.axes), (round(float(w), 3), round(float(h), 3)))
        if key != self.key:
            engine.execute(fig)
            self.key, self.positions = key, [ax.get_position().bounds for ax in fig.axes]
        else:
            for ax, position in zip(fig.axes, self.positions, strict=True):
                ax.set_position(position)
        fig.set_layout_engine("none")
        return fig


def grid_2d(
    X: np.ndarray, n: int = 150, pad: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regular n x n grid covering the points X, padded by `pad` on each side.

    Shapes: X: (B, 2) -> xx: (n, n), yy: (n, n), points: (n*n, 2). Chapter 1.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"grid_2d needs 2-D points of shape (B, 2), got {X.shape}")
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def decision_boundary(
    ax: Axes,
    score: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    title: str = "",
    n: int = 150,
) -> Axes:
    """Shade {x : score(x) > 0} and draw the points of both classes.

    Shapes: score: (M, 2) -> (M,); X: (B, 2); y: (B,) in {-1, +1} or {0, 1}. Chapter 1.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"X has shape {X.shape} but y has shape {y.shape}; expected ({X.shape[0]},)"
        )
    xx, yy, points = grid_2d(X, n=n)
    s = np.asarray(score(points), dtype=float).reshape(xx.shape)
    shades = ListedColormap(["#cfe3f3", "#f6d5c3"])
    ax.contourf(xx, yy, (s > 0).astype(float), levels=[-0.5, 0.5, 1.5], cmap=shades)
    ax.contour(xx, yy, s, levels=[0.0], colors="k", linewidths=1.2)
    positive = y > 0
    ax.scatter(*X[~positive].T, c=BLUE, edgecolors="white", linewidths=0.6, label="class −")
    ax.scatter(
        *X[positive].T,
        c=ORANGE_RED,
        edgecolors="white",
        linewidths=0.6,
        marker="s",
        label="class +",
    )
    ax.set(
        xlabel="$x_1$",
        ylabel="$x_2$",
        title=title,
        xlim=(xx.min(), xx.max()),
        ylim=(yy.min(), yy.max()),
    )
    ax.grid(False)
    return ax


def loglog_fit(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    curve: Callable[[np.ndarray], np.ndarray] | None = None,
    label: str = "measured",
    curve_label: str = "fit",
) -> Axes:
    """Points on log-log axes, and optionally a fitted curve drawn over the same range.

    Shapes: x: (M,), y: (M,), curve: (G,) -> (G,). Chapters 1 and 12.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"x has shape {x.shape} but y has shape {y.shape}")
    ax.loglog(x, y, "o", label=label, zorder=3)
    if curve is not None:
        grid = np.geomspace(x.min(), x.max(), 200)
        ax.loglog(grid, curve(grid), "-", label=curve_label, color=ORANGE_RED)
    ax.legend()
    return ax
