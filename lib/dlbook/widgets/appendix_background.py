"""The appendix's demos: the Marchenko-Pastur aspect-ratio slider and the Langevin
temperature slider, both scrubbers over plain drawing functions (`draw_mp`,
`draw_langevin`) that tests call. A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dlbook import rmt, sde
from dlbook.runtime import numpy_rng
from dlbook.widgets import scrubber


def draw_mp(gamma: float, n: int = 1000, seed: int = 0) -> Figure:
    """Eigenvalues of W^T W / n (W: n x gamma n Gaussian) against the Marchenko-Pastur density.

    Shapes: scalars -> a figure. Appendix.
    """
    d = max(1, int(round(gamma * n)))
    eig = rmt.wishart_eigenvalues(n, d, numpy_rng(seed))
    a, b = rmt.mp_edges(d / n)
    x = np.linspace(max(a - 0.05, 0), b + 0.05, 400)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.hist(eig, bins=40, density=True, alpha=0.5, label=f"eigenvalues, d = {d}")
    ax.plot(x, rmt.mp_density(x, d / n), "k", lw=1.5, label="Marchenko-Pastur")
    ax.axvline(a, color="gray", ls=":"), ax.axvline(b, color="gray", ls=":")
    ax.set(xlabel=r"eigenvalue $\lambda$", ylabel="density", title=rf"$\gamma = d/n = {d / n:.2f}$")
    ax.legend(fontsize=8)
    return fig


def mp_scrubber(gammas: Sequence[float]) -> W.VBox:
    """A slider over gamma = d / n redrawing the spectrum. Shapes: one frame per gamma. Appendix."""
    return scrubber(draw_mp, list(gammas), "gamma = d/n")


def draw_langevin(T: float, chains: int = 400, steps: int = 1500, seed: int = 0) -> Figure:
    """Langevin samples on the double well L = (theta^2 - 1)^2 at temperature T vs exp(-L/T) / Z.

    Shapes: scalars -> a figure. Appendix.
    """
    rng = numpy_rng(seed)
    path = sde.langevin(sde.double_well_grad, T, -np.ones((chains, 1)), 0.005, steps, rng)
    x = np.linspace(-2, 2, 400)
    dens = np.exp(-sde.double_well(x) / T)
    dens /= np.sum(dens) * (x[1] - x[0])
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.hist(path[-1, :, 0], bins=40, range=(-2, 2), density=True, alpha=0.5,
            label="Langevin, all chains started at -1")  # fmt: skip
    ax.plot(x, dens, "k", lw=1.5, label=r"Gibbs $e^{-L/T}/Z$")
    ax.set(xlabel=r"$\theta$", ylabel="density", title=f"T = {T}", ylim=(0, 3))
    ax.legend(fontsize=8, loc="upper right")
    return fig


def langevin_scrubber(temperatures: Sequence[float]) -> W.VBox:
    """A slider over the temperature T. Shapes: one frame per T. Appendix."""
    return scrubber(draw_langevin, list(temperatures), "temperature T")
