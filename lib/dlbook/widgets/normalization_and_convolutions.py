"""Chapter 8's demos: the convolution explorer and the batch-norm batch-size slider.

`draw_convolution` draws the padded input grid, the footprint of the kernel for the first
outputs and the output grid with its size; `convolution_explorer` wraps it in live
sliders, `convolution_small_multiples` is the static figure for the website and
`dilation_scrubber` the kernel-free slider. `draw_batch_statistics` shows how noisy the
statistics batch norm divides by are at a given batch size. A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dlbook.conv import conv_output_size
from dlbook.norm import batch_statistics
from dlbook.widgets import live, scrubber


def _grid(ax: Axes, n: int, x0: float, color: str, pad: int = 0) -> None:
    cells, faces = [], []
    for i in range(n + 2 * pad):
        for j in range(n + 2 * pad):
            inside = pad <= i < n + pad and pad <= j < n + pad
            cells.append(Rectangle((x0 + j, -i - 1), 1, 1))
            faces.append(color if inside else "0.93")
    # one collection, not a patch per cell: ten times faster to draw
    ax.add_collection(PatchCollection(cells, facecolors=faces, edgecolors="0.6", linewidths=0.5))


def draw_on(ax: Axes, n: int, kernel: int, stride: int, dilation: int, padding: int) -> None:
    """The padded input (grey ring = padding), kernel taps of the first outputs, the output.

    Shapes: scalars -> draws on ax. Chapter 8.
    """
    ax.set_aspect("equal")
    ax.axis("off")
    try:
        m = conv_output_size(n, kernel, stride, padding, dilation)
    except ValueError as err:
        _grid(ax, n, 0, "white", padding)
        ax.set_title(f"impossible:\n{str(err)[:60]}...", fontsize=8, color="C3")
        ax.set_xlim(-0.5, n + 2 * padding + 0.5)
        ax.set_ylim(-(n + 2 * padding) - 0.5, 0.5)
        return
    _grid(ax, n, 0, "white", padding)
    for out, color in zip(((0, 0), (0, 1)), ("C0", "C1"), strict=True):
        if out[1] >= m:
            continue
        rows = [out[0] * stride + u * dilation for u in range(kernel)]
        cols = [out[1] * stride + v * dilation for v in range(kernel)]
        taps = [Rectangle((j + 0.1, -i - 0.9), 0.8, 0.8) for i in rows for j in cols]
        ax.add_collection(PatchCollection(taps, facecolors=color, alpha=0.6))
    x_out = n + 2 * padding + 2
    _grid(ax, m, x_out, "white")
    for out, color in zip(((0, 0), (0, 1)), ("C0", "C1"), strict=True):
        if out[1] < m:
            ax.add_patch(Rectangle((x_out + out[1], -out[0] - 1), 1, 1, fc=color, alpha=0.6))
    ax.set_title(
        f"k={kernel}, s={stride}, d={dilation}, p={padding}: "
        f"{n}x{n} -> {m}x{m}\n{kernel * kernel} weights, span {dilation * (kernel - 1) + 1}",
        fontsize=9,
    )
    ax.set_xlim(-0.5, x_out + m + 0.5)
    ax.set_ylim(-(n + 2 * padding) - 0.5, 0.5)


def draw_convolution(
    kernel: int = 3, stride: int = 1, dilation: int = 1, padding: int = 0, n: int = 7
) -> Figure:
    """One frame of the convolution explorer (an n x n input, one channel).

    Shapes: scalars -> Figure. Chapter 8.
    """
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    draw_on(ax, n, kernel, stride, dilation, padding)
    return fig


def convolution_explorer(n: int = 7) -> W.VBox:
    """Live sliders for kernel size, stride, dilation and padding (needs a kernel).

    Shapes: none. Chapter 8.
    """

    def slider(name: str, lo: int, hi: int, value: int) -> W.IntSlider:
        return W.IntSlider(value=value, min=lo, max=hi, description=name, continuous_update=False)

    return live(
        lambda kernel, stride, dilation, padding: draw_convolution(
            kernel, stride, dilation, padding, n
        ),
        kernel=slider("kernel", 1, 7, 3),
        stride=slider("stride", 1, 4, 1),
        dilation=slider("dilation", 1, 4, 1),
        padding=slider("padding", 0, 3, 0),
    )


def convolution_small_multiples(
    settings: Sequence[tuple[int, int, int, int]], n: int = 7
) -> Figure:
    """The static figure of what the sliders do: one panel per (kernel, stride, dilation, pad).

    Shapes: F settings -> Figure with F panels. Chapter 8.
    """
    cols = min(3, len(settings))
    rows = -(-len(settings) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax in axes.flat[len(settings) :]:
        ax.axis("off")
    for ax, (k, s, d, p) in zip(axes.flat, settings, strict=False):
        draw_on(ax, n, k, s, d, p)
    return fig


def dilation_scrubber(
    kernel: int = 3, n: int = 9, dilations: Sequence[int] = (1, 2, 3, 4)
) -> W.VBox:
    """A kernel-free slider over the dilation: same weights, wider footprint, smaller output.

    Shapes: F dilations -> F frames. Chapter 8.
    """
    return scrubber(
        lambda d: draw_convolution(kernel, 1, d, 0, n), list(dilations), description="dilation"
    )


def draw_batch_statistics(stats: np.ndarray, B: int, mu: float, sigma: float) -> Figure:
    """Histograms of the per-batch mean and standard deviation, with the population values.

    Shapes: stats: (draws, 2) -> Figure. Chapter 8.
    """
    stats = np.asarray(stats)
    if stats.ndim != 2 or stats.shape[1] != 2:
        raise ValueError(f"stats must be (draws, 2), got {stats.shape}")
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 2.8))
    for ax, values, truth, name, lim in zip(
        axes, stats.T, (mu, sigma), ("batch mean", "batch std"), ((-2, 2), (0, 2.5)), strict=True
    ):
        ax.hist(values, bins=np.linspace(*lim, 41), color="C0", alpha=0.8)
        ax.axvline(truth, color="C3", lw=2, label="population")
        ax.set(xlabel=name, xlim=lim, yticks=[])
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"B = {B}: spread of the mean {stats[:, 0].std():.2f}", fontsize=9)
    axes[1].set_title(f"spread of the std {stats[:, 1].std():.2f}", fontsize=9)
    return fig


def batch_size_scrubber(
    X: np.ndarray, rng: np.random.Generator, sizes: Sequence[int] = (2, 4, 8, 16, 32, 64, 128)
) -> W.VBox:
    """A kernel-free slider over the batch size B for the noise of batch-norm statistics.

    Shapes: X: (n, D) -> len(sizes) frames. Chapter 8.
    """
    X = np.asarray(X, dtype=float)
    stats = {B: batch_statistics(X, B, rng, 400) for B in sizes}
    mu, sigma = float(X[:, 0].mean()), float(X[:, 0].std())
    return scrubber(
        lambda B: draw_batch_statistics(stats[B], B, mu, sigma), list(sizes), description="B"
    )
