"""Chapter 6's demos: signals and gradients through a random deep network at initialization.

`draw_propagation` is the plain drawing function (second moment of the pre-activations and
gradient norm per layer, and a histogram of one layer's pre-activations); `explorer` wraps
it in live sliders for depth, scale, activation and layer, `draw_small_multiples` is the
static figure of what the scale slider does, and `scale_scrubber` is a kernel-free slider
over the scale, for the website. A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlbook.init import Propagation, signal_propagation
from dlbook.plotting import plain_log_ticks
from dlbook.runtime import numpy_rng
from dlbook.widgets import live, scrubber

WIDTH, BATCH, NETWORKS, SEED = 128, 8, 4, 0


def _stats(depth: int, scale: float, activation: str) -> Propagation:
    rng = numpy_rng(SEED)  # the same draw for the same settings
    return signal_propagation(depth, WIDTH, scale, activation, rng, BATCH, NETWORKS)


def _per_layer(ax: Axes, stats: Propagation, label: str = "") -> None:
    layers = np.arange(len(stats.q))
    ax.semilogy(layers, stats.q, label=label or "$E\\,z_l^2$ (forward)")
    ax.semilogy(layers, stats.grad / stats.grad[-1], "--", label="$\\|g_l\\|/\\|g_L\\|$ (backward)")
    ax.set(xlabel="layer $l$")
    plain_log_ticks(ax)


def draw_propagation(depth: int, scale: float, activation: str, layer: int) -> Figure:
    """Per-layer E z_l^2 and ||dL/dz_l|| (left) and a histogram of z at `layer` (right).

    Weights A_l ~ N(0, scale/width) at width 128, averaged over 4 networks.
    Shapes: scalars -> Figure. Chapter 6.
    """
    if not 0 <= layer <= depth:
        raise ValueError(f"layer must lie in 0..{depth}, got {layer}")
    stats = _stats(depth, scale, activation)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    _per_layer(left, stats)
    left.axvline(layer, color="0.6", lw=1)
    left.set(title=f"{activation}, $\\sigma_w^2 N$ = {scale:g}")
    left.legend(fontsize=8)
    z = stats.samples[layer]
    counts, edges = np.histogram(z, bins=40)
    right.stairs(counts, edges, fill=True, color="C2")  # one artist, not 40 bars
    right.set(xlabel=f"$z_{{{layer}}}$", ylabel="count", title=f"std {np.sqrt(np.mean(z**2)):.2g}")
    return fig


def draw_explorer(depth: int, scale: float, activation: str, layer: int) -> Figure:
    """draw_propagation with the histogram's layer clamped to the depth (for the sliders).

    Shapes: scalars -> Figure. Chapter 6.
    """
    return draw_propagation(depth, scale, activation, min(layer, depth))


def explorer() -> W.VBox:
    """Sliders for depth, scale (log), activation and the histogram's layer (needs a kernel).

    Shapes: none. Chapter 6.
    """
    return live(
        draw_explorer,
        depth=W.IntSlider(value=30, min=2, max=60, description="depth"),
        scale=W.FloatLogSlider(value=2.0, base=2, min=-1, max=2, step=0.25, description="scale"),
        activation=W.Dropdown(options=["relu", "tanh"], value="relu"),
        layer=W.IntSlider(value=10, min=0, max=60, description="layer"),
    )


def draw_small_multiples(
    scales: Sequence[float], depth: int = 30, activations: Sequence[str] = ("relu", "tanh")
) -> Figure:
    """One panel per (activation, scale): what the explorer's scale slider does.

    Shapes: scales: (S,) -> Figure with len(activations) x S panels. Chapter 6.
    """
    rows, cols = len(activations), len(scales)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(2.6 * cols, 2.4 * rows),
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    for r, activation in enumerate(activations):
        for c, scale in enumerate(scales):
            ax = axes[r, c]
            _per_layer(ax, _stats(depth, scale, activation))
            ax.set(title=f"{activation}, scale {scale:g}", ylim=(1e-12, 1e12))
    axes[0, min(2, cols - 1)].legend(fontsize=7, loc="lower left")
    return fig


def scale_scrubber(activation: str = "relu", depth: int = 30) -> W.VBox:
    """A kernel-free slider over the scale s = 2^-1 ... 2^2 (13 frames) at a fixed depth.

    Each frame is draw_propagation(depth, s, activation, depth): the histogram shows the
    last layer. Shapes: none -> widget with 13 frames. Chapter 6.
    """
    scales = [float(s) for s in 2.0 ** np.arange(-1.0, 2.01, 0.25)]
    return scrubber(
        lambda s: draw_propagation(depth, s, activation, depth),
        scales,
        description="scale s",
        labels=[f"{s:.2f}" for s in scales],
    )
