"""Chapter 11's demos: the diffusion scrubber and the VAE latent explorer.

`diffusion_scrubber` is kernel-free (frames rendered when the notebook runs) over the plain
drawing function `draw_diffusion_step`; `latent_explorer` is a live two-slider demo over
`draw_latent`, with `draw_latent_grid` as its static small-multiples figure for the website.
A presentation module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from dlbook.widgets import live, scrubber

Decoder = Callable[[torch.Tensor], torch.Tensor]
LIMITS = (-3.2, 3.2)


def draw_diffusion_step(forward: np.ndarray, reverse: np.ndarray, t: int) -> Figure:
    """Left: the data noised to step t, x_t ~ q(x_t | x_0); right: the model's x_t on its way back.

    forward[t] and reverse[T - t] are both at step t. Shapes: forward, reverse: (T + 1, n, 2)
    -> a figure. Chapter 11.
    """
    T = len(forward) - 1
    if forward.shape != reverse.shape or not 0 <= t <= T:
        raise ValueError(f"forward {forward.shape}, reverse {reverse.shape}, t = {t} clash")
    fig, axes = plt.subplots(1, 2, figsize=(7.4, 3.6), sharex=True, sharey=True)
    panels = [
        (forward[t], f"forward: data noised to t = {t}", "C0"),
        (reverse[T - t], f"reverse: model samples at t = {t}", "C1"),
    ]
    for ax, (points, title, color) in zip(axes, panels, strict=True):
        ax.scatter(points[:, 0], points[:, 1], s=3, alpha=0.5, color=color)
        ax.set(xlim=LIMITS, ylim=LIMITS, title=title, aspect="equal")
        ax.set_title(title, fontsize=9)
    return fig


def diffusion_scrubber(forward: np.ndarray, reverse: np.ndarray, steps: Sequence[int]) -> W.VBox:
    """A slider over t showing forward noising and reverse sampling at that step.

    Shapes: forward, reverse: (T + 1, n, 2); one frame per step in `steps`. Chapter 11.
    """
    return scrubber(lambda t: draw_diffusion_step(forward, reverse, t), list(steps), "step t")


def decode_image(decoder: Decoder, z: Sequence[float], side: int = 8) -> np.ndarray:
    """The decoder mean mu_theta(z) as a side x side image.

    Shapes: z: (J,) -> (side, side). Chapter 11.
    """
    p = next(iter(decoder.parameters())) if isinstance(decoder, torch.nn.Module) else None
    dtype = p.dtype if p is not None else torch.float64
    with torch.no_grad():
        x = decoder(torch.tensor([list(z)], dtype=dtype))
    return x.reshape(side, side).double().numpy()


def draw_latent(decoder: Decoder, z1: float, z2: float) -> Figure:
    """The digit the decoder makes at the latent point z = (z1, z2).

    Shapes: -> a figure. Chapter 11.
    """
    fig, ax = plt.subplots(figsize=(2.6, 2.6))
    ax.imshow(decode_image(decoder, [z1, z2]), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(f"z = ({z1:.1f}, {z2:.1f})", fontsize=9)
    ax.axis("off")
    return fig


def draw_latent_grid(decoder: Decoder, values: Sequence[float]) -> Figure:
    """Small multiples of draw_latent: one decoded digit per (z1, z2) on a grid of values.

    Shapes: values: (K,) -> a K x K figure (z2 grows upward). Chapter 11.
    """
    K = len(values)
    fig, axes = plt.subplots(K, K, figsize=(0.9 * K, 0.9 * K))
    for i, z2 in enumerate(reversed(list(values))):
        for j, z1 in enumerate(values):
            axes[i, j].imshow(decode_image(decoder, [z1, z2]), cmap="gray_r", vmin=0, vmax=1)
            axes[i, j].axis("off")
    fig.suptitle("decoded digits over the latent plane ($z_1$ across, $z_2$ up)", fontsize=9)
    return fig


def latent_explorer(decoder: Decoder) -> W.VBox:
    """Two sliders over z = (z1, z2) redraw the decoded digit (needs a running kernel).

    Shapes: -> a widget. Chapter 11.
    """

    def slider(name: str) -> W.FloatSlider:
        return W.FloatSlider(value=0.0, min=-2.5, max=2.5, step=0.1, description=name)

    return live(lambda z1, z2: draw_latent(decoder, z1, z2), z1=slider("z1"), z2=slider("z2"))
