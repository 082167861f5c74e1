"""Chapter 12's demo: the width slider.

Left, the histogram of a random one-hidden-layer ReLU network's output at one input against
the Gaussian of the NNGP; right, the Monte-Carlo covariance E[f(x_0) f(x_t)] over the angle t
against the analytic arc-cosine kernel. A scrubber over `draw_width`, which tests call.
A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dlbook.kernels import nngp_ntk, random_one_layer_outputs
from dlbook.widgets import scrubber


def circle(angles: np.ndarray) -> np.ndarray:
    """x_t = (cos t, sin t): unit inputs at the given angles.

    Shapes: angles: (A,) -> (A, 2). Chapter 12.
    """
    angles = np.asarray(angles, dtype=float)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def draw_width(n: int, outputs: np.ndarray, angles: np.ndarray) -> Figure:
    """The output histogram at x_0 against N(0, K(x_0, x_0)), and the covariance over angle.

    Shapes: outputs: (draws, A) from random_one_layer_outputs on circle(angles) -> a figure.
    Chapter 12.
    """
    outputs, angles = np.asarray(outputs, float), np.asarray(angles, float)
    if outputs.ndim != 2 or outputs.shape[1] != len(angles):
        raise ValueError(f"outputs {outputs.shape} must be (draws, {len(angles)})")
    X = circle(angles)
    K, _ = nngp_ntk(X[:1], X, 1, "relu")  # (1, A)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.3))
    grid = np.linspace(-4, 4, 200)
    density, edges = np.histogram(outputs[:, 0], bins=np.linspace(-4, 4, 61), density=True)
    ax1.stairs(density, edges, fill=True, alpha=0.6)  # one artist, not 60 bars
    ax1.plot(grid, np.exp(-(grid**2) / (2 * K[0, 0])) / np.sqrt(2 * np.pi * K[0, 0]), "k")
    ax1.set(xlim=(-4, 4), ylim=(0, 1.2), xlabel="$f(x_0)$", title=f"width n = {n}")
    cov = outputs[:, :1].T @ outputs / len(outputs)  # (1, A)
    ax2.plot(angles, K[0], "k", label="analytic $K^1$")
    ax2.plot(angles, cov[0], "o", ms=3, label="Monte Carlo")
    ax2.set(xlabel="angle $t$ between $x_0$ and $x_t$", ylabel="covariance", ylim=(0, 1.1))
    ax2.legend(fontsize=8)
    return fig


def width_scrubber(
    widths: Sequence[int], draws: int, rng: np.random.Generator, angles: np.ndarray
) -> W.VBox:
    """A slider over widths: one frame of draw_width per width (works on the website).

    Shapes: widths: (F,) -> a widget with F frames. Chapter 12.
    """
    X = circle(angles)
    data = {n: random_one_layer_outputs(n, X, draws, rng) for n in widths}
    return scrubber(lambda n: draw_width(n, data[n], angles), list(widths), "width n")
