"""Chapter 4's demos: the optimizer playground and the race on 2-D landscapes.

`draw_race` is the plain drawing function (trajectories on the contours, loss against
steps beside them); `playground` wraps it in live sliders, and `race_small_multiples`
is the static figure of what the sliders do, for the website. A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dlbook.landscapes import LANDSCAPES, run
from dlbook.optim import GD, Adam, Momentum, NormalizedGD, Optimizer, RMSProp
from dlbook.plotting import plain_log_ticks
from dlbook.runtime import DivergenceError
from dlbook.widgets import live, scrubber

START = {"ravine": (-2.5, 0.8), "rosenbrock": (-1.2, 1.0), "saddle": (-1.5, 1e-3)}
BOX = {"ravine": (-3, 3, -1.2, 1.2), "rosenbrock": (-2, 2, -1, 3), "saddle": (-2, 2, -1.6, 1.6)}
MINIMUM = {"ravine": 0.0, "rosenbrock": 0.0, "saddle": -0.25}  # min L on each
NAMES = ("GD", "momentum", "Nesterov", "RMSProp", "Adam", "normalized GD")


def make_optimizer(name: str, lr: float, beta1: float = 0.9, beta2: float = 0.999) -> Optimizer:
    """The optimizer called `name` with learning rate lr and decay rates beta1, beta2.

    Shapes: none. Chapter 4.
    """
    makers = {
        "GD": lambda: GD(lr),
        "momentum": lambda: Momentum(lr, beta1),
        "Nesterov": lambda: Momentum(lr, beta1, nesterov=True),
        "RMSProp": lambda: RMSProp(lr, beta2),
        "Adam": lambda: Adam(lr, beta1, beta2),
        "normalized GD": lambda: NormalizedGD(lr),
    }
    if name not in makers:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {list(makers)}")
    return makers[name]()


def race(
    landscape: str,
    names: Sequence[str],
    lr: float,
    steps: int,
    beta1: float = 0.9,
    beta2: float = 0.999,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each optimizer's (trajectory, losses) from the landscape's start; a diverged run is cut.

    Shapes: -> {name: ((k + 1, 2), (k + 1,))}. Chapter 4.
    """
    if landscape not in LANDSCAPES:
        raise ValueError(f"unknown landscape {landscape!r}; choose one of {list(LANDSCAPES)}")
    out = {}
    for name in names:
        opt = make_optimizer(name, lr, beta1, beta2)
        try:
            out[name] = run(opt, LANDSCAPES[landscape], np.array(START[landscape]), steps)
        except DivergenceError:
            out[name] = (np.array([START[landscape]]), np.array([np.inf]))
    return out


def draw_race(
    landscape: str, runs: dict[str, tuple[np.ndarray, np.ndarray]], title: str = ""
) -> Figure:
    """Trajectories on the contours of L (left) and L(theta_k) against k (right).

    Shapes: runs: {name: ((k + 1, 2), (k + 1,))} -> Figure. Chapter 4.
    """
    x0, x1, y0, y1 = BOX[landscape]
    xx, yy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    f = LANDSCAPES[landscape]
    zz = np.vectorize(lambda a, b: f(np.array([a, b]))[0])(xx, yy)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    left.contour(
        xx,
        yy,
        zz - zz.min() + 1e-3,
        levels=np.geomspace(1e-3, zz.max() - zz.min(), 15),
        colors="0.7",
        linewidths=0.8,
    )
    for name, (path, losses) in runs.items():
        (line,) = left.plot(*path.T, ".-", ms=2, lw=1.2, label=name)
        if np.all(np.isfinite(losses)):
            right.semilogy(np.maximum(losses - MINIMUM[landscape], 1e-16), color=line.get_color())
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x$", ylabel="$y$", title=title or landscape)
    right.set(xlabel="step $k$", ylabel="$L(\\theta_k) - \\min L$ (log)")
    plain_log_ticks(right)
    left.legend(fontsize=8, loc="lower right")
    return fig


def draw_playground(
    landscape: str, optimizer: str, lr: float, beta1: float, beta2: float, steps: int
) -> Figure:
    """One optimizer's run on one landscape, drawn by draw_race.

    Shapes: scalars -> Figure. Chapter 4.
    """
    runs = race(landscape, [optimizer], lr, steps, beta1, beta2)
    diverged = not np.all(np.isfinite(runs[optimizer][1]))
    return draw_race(
        landscape, runs, f"{landscape}, λ = {lr:g}" + (": diverged" if diverged else "")
    )


def playground() -> W.VBox:
    """Choose landscape and optimizer; sliders for lr, beta1, beta2 and steps (needs a kernel).

    Shapes: none. Chapter 4.
    """
    return live(
        draw_playground,
        landscape=W.Dropdown(options=list(LANDSCAPES), value="ravine"),
        optimizer=W.Dropdown(options=list(NAMES), value="momentum"),
        lr=W.FloatLogSlider(value=0.02, base=10, min=-3, max=0, step=0.1, description="λ"),
        beta1=W.FloatSlider(value=0.9, min=0, max=0.99, step=0.01, description="β₁"),
        beta2=W.FloatSlider(value=0.999, min=0.5, max=0.999, step=0.001, description="β₂"),
        steps=W.IntSlider(value=100, min=10, max=400, step=10, description="steps"),
    )


EosRun = tuple[np.ndarray, np.ndarray, np.ndarray]  # losses, steps of sharpness, sharpness


def draw_eos(lr: float, runs: dict[float, EosRun]) -> Figure:
    """The sharpness against 2/lr (left) and the loss (right) of the run with learning rate lr.

    Shapes: runs: {lr: ((T,), (S,), (S,))} -> Figure. Chapter 4.
    """
    losses, at, sharp = runs[lr]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    left.plot(at, sharp, label="sharpness $\\lambda_{\\max}(H)$")
    left.axhline(2 / lr, color="k", ls="--", lw=1, label="$2/\\lambda$")
    top = 1.2 * max(2 / r for r in runs)
    left.set(xlabel="step", ylim=(0, top), title=f"λ = {lr}")
    left.legend(fontsize=8, loc="lower right")
    right.semilogy(losses)
    right.set(xlabel="step", ylabel="training loss")
    return fig


def eos_scrubber(runs: dict[float, EosRun]) -> W.VBox:
    """A kernel-free slider over the learning rates of the edge-of-stability runs.

    Shapes: runs: {lr: run} -> widget. Chapter 4.
    """
    return scrubber(lambda lr: draw_eos(lr, runs), sorted(runs), description="λ")
