"""Chapter 2's demos: fitting a line by hand, and the softmax at different temperatures.

Each demo is built from axes-level drawing functions, so the same pictures appear as a
slider demo and as a static small-multiples figure (for the website, where a live demo
has no kernel). A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlbook.losses import softmax
from dlbook.plotting import BLUE, GREEN, ORANGE_RED
from dlbook.regression import design_matrix, loss_surface, normal_equations, squared_loss
from dlbook.widgets import live, scrubber

Bounds = tuple[float, float, float, float]  # theta_0 from, to; theta_1 from, to


def draw_line_fit(ax: Axes, x: np.ndarray, y: np.ndarray, theta: Sequence[float]) -> Axes:
    """The data, the line theta_0 + theta_1 x and its residuals y_i - f(x_i), with L(theta).

    Shapes: x, y: (n,), theta: (2,). Chapter 2.
    """
    theta = np.asarray(theta, dtype=float)
    X = design_matrix(x)
    pred = X @ theta
    ax.vlines(x, pred, y, colors=ORANGE_RED, linewidth=1.0, label="residuals")
    grid = np.linspace(np.min(x), np.max(x), 2)
    ax.plot(grid, theta[0] + theta[1] * grid, color=BLUE, label="$f(x;\\theta)$")
    ax.scatter(x, y, s=18, color="k", zorder=3, label="data")
    loss = squared_loss(theta, X, y)
    ax.set(xlabel="$x$", ylabel="$y$", title=f"$L(\\theta) = {loss:.1f}$")
    return ax


def draw_loss_contours(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    thetas: Sequence[Sequence[float]],
    bounds: Bounds,
    labels: Sequence[str] | None = None,
) -> Axes:
    """Contours of L(theta_0, theta_1), the given thetas as points and theta* as a star.

    Shapes: x, y: (n,), thetas: (T, 2). Chapter 2.
    """
    X, y = design_matrix(x), np.asarray(y, dtype=float)
    t0 = np.linspace(bounds[0], bounds[1], 80)
    t1 = np.linspace(bounds[2], bounds[3], 80)
    surface = loss_surface(X, y, t0, t1)  # (80, 80), rows: theta_1
    levels = np.geomspace(surface.min() * 1.05, surface.max(), 12)
    ax.contour(t0, t1, surface, levels=levels, cmap="viridis", linewidths=1.0)
    star = normal_equations(X, y)
    ax.plot(*star, marker="*", markersize=13, color=GREEN, linestyle="none")
    ax.annotate("$\\theta^*$", star, xytext=(6, -12), textcoords="offset points", color=GREEN)
    for i, theta in enumerate(np.asarray(thetas, dtype=float).reshape(-1, 2)):
        ax.plot(*theta, "o", color=ORANGE_RED, markeredgecolor="white", markersize=8)
        if labels is not None:
            ax.annotate(labels[i], theta, xytext=(5, 4), textcoords="offset points")
    ax.set(xlabel="$\\theta_0$", ylabel="$\\theta_1$", xlim=bounds[:2], ylim=bounds[2:])
    ax.set_title("loss surface")
    ax.grid(False)
    return ax


def line_fit_figure(
    theta0: float, theta1: float, x: np.ndarray, y: np.ndarray, bounds: Bounds
) -> Figure:
    """The line fit and its point on the loss surface, side by side (one demo frame).

    Shapes: x, y: (n,). Chapter 2.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.4))
    draw_line_fit(left, x, y, (theta0, theta1)).legend(loc="best", fontsize=8)
    draw_loss_contours(right, x, y, [(theta0, theta1)], bounds)
    return fig


def line_fit_demo(x: np.ndarray, y: np.ndarray, bounds: Bounds) -> W.VBox:
    """Sliders for theta_0 and theta_1 redraw :func:`line_fit_figure` (needs a kernel).

    Shapes: x, y: (n,). Chapter 2.
    """
    sliders = {
        "theta0": W.FloatSlider(value=0.0, min=bounds[0], max=bounds[1], step=0.1),
        "theta1": W.FloatSlider(value=0.0, min=bounds[2], max=bounds[3], step=0.1),
    }
    for name, slider in sliders.items():
        slider.description = f"θ{'₀' if name == 'theta0' else '₁'}"
    return live(lambda theta0, theta1: line_fit_figure(theta0, theta1, x, y, bounds), **sliders)


def line_fit_small_multiples(
    x: np.ndarray, y: np.ndarray, thetas: Sequence[Sequence[float]], bounds: Bounds
) -> Figure:
    """One panel per theta (line and residuals), two rows of them, and all of them on the
    loss surface in a taller panel on the right.

    Shapes: x, y: (n,), thetas: (T, 2) -> a figure with T + 1 panels. Chapter 2.
    """
    rows = 1 if len(thetas) == 1 else 2
    cols = -(-len(thetas) // rows)  # ceil(T / rows) fit panels per row
    fig = plt.figure(figsize=(2.9 * cols + 3.9, 2.7 * rows))
    grid = fig.add_gridspec(rows, cols + 1, width_ratios=[1.0] * cols + [1.35])
    labels = [chr(ord("A") + i) for i in range(len(thetas))]
    for i, (theta, label) in enumerate(zip(thetas, labels, strict=True)):
        ax = fig.add_subplot(grid[i // cols, i % cols])
        draw_line_fit(ax, x, y, theta)
        ax.set_title(f"{label}: {ax.get_title()}", fontsize=10)
    draw_loss_contours(fig.add_subplot(grid[:, -1]), x, y, thetas, bounds, labels=labels)
    return fig


def draw_softmax_bars(ax: Axes, logits: np.ndarray, tau: float, label: int) -> Axes:
    """Bars of z = softmax(y / tau), the chosen label l highlighted, -log z_l in the title.

    Shapes: logits: (K,). Chapter 2.
    """
    logits = np.asarray(logits, dtype=float)
    if not 0 <= label < logits.shape[0]:
        raise ValueError(f"label {label} is out of range for {logits.shape[0]} classes")
    z = softmax(logits / tau)
    colours = [ORANGE_RED if k == label else BLUE for k in range(len(z))]
    ax.bar(np.arange(len(z)), z, color=colours)
    ax.set(xticks=np.arange(len(z)), ylim=(0, 1.05), xlabel="class $k$", ylabel="$z_k$")
    ax.set_title(f"$\\tau = {tau:.2g}$:  $-\\log z_{{{label}}} = {-np.log(z[label]):.2f}$")
    return ax


def softmax_temperature_figure(tau: float, logits: np.ndarray, label: int) -> Figure:
    """One frame of the temperature demo. Shapes: logits: (K,). Chapter 2."""
    fig, ax = plt.subplots(figsize=(5.4, 3.2))
    draw_softmax_bars(ax, logits, tau, label)
    return fig


def softmax_temperature_scrubber(logits: np.ndarray, label: int, taus: Sequence[float]) -> W.VBox:
    """A slider over temperatures tau: the bars of softmax(y / tau) and -log z_label.

    Works without a kernel (every frame is rendered in advance). Shapes: logits: (K,),
    taus: (F,) -> F frames. Chapter 2.
    """
    return scrubber(
        lambda tau: softmax_temperature_figure(tau, logits, label),
        list(taus),
        description="temperature τ",
        labels=[f"{tau:.2g}" for tau in taus],
    )


def softmax_small_multiples(logits: np.ndarray, label: int, taus: Sequence[float]) -> Figure:
    """The temperature demo as a row of panels, one per tau.

    Shapes: logits: (K,), taus: (T,) -> a figure with T panels. Chapter 2.
    """
    fig, axes = plt.subplots(1, len(taus), figsize=(2.6 * len(taus), 2.6), sharey=True)
    for ax, tau in zip(np.atleast_1d(axes), taus, strict=True):
        draw_softmax_bars(ax, logits, tau, label)
        ax.title.set_fontsize(10)
    return fig
