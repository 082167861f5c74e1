"""Chapter 10's demos: the attention-map explorer of the trained language model (a
scrubber over query positions) and the temperature / top-k slider on generation (live,
with a static small-multiples figure for the website).

Plain drawing functions that tests call: `draw_attention`, `draw_decoding` and
`draw_decoding_grid`. A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dlbook.decoding import top_k_probs
from dlbook.widgets import live, scrubber


def _shown(ch: str) -> str:
    """A character as a readable label (spaces and newlines made visible)."""
    return {" ": "␣", "\n": "↵", "$": r"\$"}.get(ch, ch)


def draw_attention(maps: np.ndarray, text: str, t: int) -> Figure:
    """Row (l, i): the weights A[l, i, t, :] of query t over the prefix, one row per head.

    Shapes: maps: (L, h, T, T), text of length T, 0 <= t < T -> a figure. Chapter 10.
    """
    maps = np.asarray(maps)
    L, h, T, _ = maps.shape
    if len(text) != T or not 0 <= t < T:
        raise ValueError(f"maps of shape {maps.shape} need a text of length T = {T}, 0 <= t < T")
    rows = maps[:, :, t, :].reshape(L * h, T)  # (L h, T): one row per (layer, head)
    rows = np.where(np.arange(T) <= t, rows, np.nan)  # the future is masked
    fig, ax = plt.subplots(figsize=(min(10, 1.2 + 0.25 * T), 0.9 + 0.32 * L * h))
    im = ax.imshow(rows, aspect="auto", cmap="viridis", vmin=0, vmax=np.nanmax(rows))
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="weight", fraction=0.04)
    ax.set_xticks(range(T), [_shown(ch) for ch in text], fontsize=7)
    ax.set_yticks(
        range(L * h), [f"layer {l + 1}, head {i + 1}" for l in range(L) for i in range(h)]
    )
    ax.axvline(t, color="red", lw=1)
    ax.set_title(f"query {t} ({_shown(text[t])!r}): where each head looks", fontsize=10)
    return fig


def attention_explorer(maps: np.ndarray, text: str) -> W.VBox:
    """A slider over query positions, showing every layer's and head's weights over the prefix.

    Shapes: as draw_attention; one frame per position. Chapter 10.
    """
    T = len(text)
    return scrubber(
        lambda t: draw_attention(maps, text, t),
        list(range(T)),
        "query t",
        labels=[f"{t}: {_shown(ch)}" for t, ch in enumerate(text)],
    )


def draw_decoding(
    logits: np.ndarray, vocab: Sequence[str], temperature: float, k: int, ax: object = None
) -> Figure:
    """Bars: the sampling distribution top_k(softmax(z / tau)) of the next character.

    Shapes: logits: (V,), vocab of length V -> a figure. Chapter 10.
    """
    if len(logits) != len(vocab):
        raise ValueError(f"logits of shape {np.shape(logits)} for a vocabulary of {len(vocab)}")
    p = top_k_probs(logits, temperature, k)
    order = np.argsort(logits)[::-1][:12]  # the 12 most likely at tau = 1
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 2.8))
    else:
        fig = ax.figure
    ax.bar(range(len(order)), p[order], color="C0")
    ax.set_xticks(range(len(order)), [_shown(vocab[j]) for j in order])
    ax.set(ylim=(0, 1), title=f"$\\tau$ = {temperature:g}, k = {k}")
    return fig


def draw_decoding_grid(
    logits: np.ndarray, vocab: Sequence[str], taus: Sequence[float], ks: Sequence[int]
) -> Figure:
    """Small multiples of draw_decoding: temperatures across, top-k values down.

    Shapes: logits: (V,) -> a figure with len(ks) x len(taus) panels. Chapter 10.
    """
    fig, axes = plt.subplots(
        len(ks), len(taus), figsize=(2.6 * len(taus), 2.1 * len(ks)), sharey=True, squeeze=False
    )
    for row, k in zip(axes, ks, strict=True):
        for ax, tau in zip(row, taus, strict=True):
            draw_decoding(logits, vocab, tau, k, ax=ax)
            ax.tick_params(labelsize=7)
            ax.title.set_fontsize(9)
    return fig


def decoding_slider(logits: np.ndarray, vocab: Sequence[str]) -> W.VBox:
    """Two sliders, temperature and k, over the next-character distribution (needs a kernel).

    Shapes: logits: (V,) -> a widget. Chapter 10.
    """
    return live(
        lambda temperature, k: draw_decoding(logits, vocab, temperature, k),
        temperature=W.FloatLogSlider(value=1.0, base=10, min=-1, max=0.5, description="tau"),
        k=W.IntSlider(value=len(vocab), min=1, max=len(vocab), description="top-k"),
    )
