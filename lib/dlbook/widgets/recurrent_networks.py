"""Chapter 9's demos: the LSTM gate inspector and the sampling-temperature slider.

Both are scrubbers (frames rendered when the notebook runs, so they work on the website)
over plain drawing functions that tests call: `draw_gates` and `draw_temperature`.
A presentation module.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dlbook.charlm import temperature_probs
from dlbook.widgets import scrubber

GATE_NAMES = {"i": "input gate $i_t$", "f": "forget gate $f_t$", "o": "output gate $o_t$"}


def _shown(ch: str) -> str:
    """A character as a readable label (spaces and newlines made visible)."""
    return {" ": "␣", "\n": "↵", "$": r"\$"}.get(ch, ch)


def draw_gates(trace: dict[str, np.ndarray], text: str, t: int, units: int = 12) -> Figure:
    """The LSTM's gates i, f, o (top, stacked) and cell state c (bottom) over a text, step t marked.

    `trace` holds (T, H) arrays (one sequence of `dlbook.gated.lstm_trace`); each band shows
    the first `units` units, one row each. Two axes, not four: a frame draws in half the time.
    Shapes: trace[k]: (T, H), text of length T -> a figure. Chapter 9.
    """
    T = len(text)
    if any(np.shape(trace[k])[0] != T for k in "ifoc") or not 0 <= t < T:
        raise ValueError(f"need (T, H) gate arrays for a text of length T = {T} and 0 <= t < T")
    gates = np.vstack([np.asarray(trace[k])[:, :units].T for k in "ifo"])  # (3 units, T)
    cell = np.asarray(trace["c"])[:, :units].T  # (units, T)
    units = len(cell)  # fewer if the LSTM has fewer
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 4.6), sharex=True, height_ratios=[3, 1.3])
    top.imshow(gates, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    for row in (units, 2 * units):
        top.axhline(row - 0.5, color="white", lw=2)
    top.set_yticks([(k + 0.5) * units - 0.5 for k in range(3)], list(GATE_NAMES.values()))
    lim = np.abs(cell).max()
    bottom.imshow(cell, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    bottom.set_yticks([(units - 1) / 2], ["cell state $c_t$"])
    for ax in (top, bottom):
        ax.axvline(t, color="red", lw=1.5)
        ax.grid(False)
    bottom.set_xticks(range(T), [_shown(ch) for ch in text], fontsize=7)
    bottom.set_xlabel("step $t$ (the character read)")
    top.set_title(
        f"step {t}: reading {_shown(text[t])!r}, "
        f"mean f = {np.mean(trace['f'][t]):.2f}, "
        f"mean i = {np.mean(trace['i'][t]):.2f} (first {units} units each)",
        fontsize=10,
    )
    return fig


def gate_inspector(trace: dict[str, np.ndarray], text: str) -> W.VBox:
    """A slider over the steps of a text, showing the LSTM's gates at each step.

    Shapes: as draw_gates; one frame per character. Chapter 9.
    """
    return scrubber(
        lambda t: draw_gates(trace, text, t),
        list(range(len(text))),
        "step t",
        labels=[f"{t}: {_shown(ch)}" for t, ch in enumerate(text)],
    )


def draw_temperature(
    logits: np.ndarray, vocab: Sequence[str], samples: dict[float, str], tau: float, top: int = 12
) -> Figure:
    """Left: softmax(z / tau) of the next character (top entries); right: a sample at tau.

    Shapes: logits: (V,), vocab of length V -> a figure. Chapter 9.
    """
    if len(logits) != len(vocab):
        raise ValueError(f"logits of shape {np.shape(logits)} for a vocabulary of {len(vocab)}")
    p = temperature_probs(logits, tau)
    order = np.argsort(logits)[::-1][:top]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4), width_ratios=[1, 1.6])
    ax1.bar(range(len(order)), p[order], color="C0")
    ax1.set_xticks(range(len(order)), [_shown(vocab[k]) for k in order])
    ax1.set(ylim=(0, 1), ylabel="probability", title=f"next character, $\\tau$ = {tau:g}")
    ax2.axis("off")
    sample = samples[tau].replace("$", r"\$")
    lines = [sample[k : k + 48] for k in range(0, len(sample), 48)]
    ax2.text(
        0, 1, "\n".join(lines), va="top", family="monospace", fontsize=9, transform=ax2.transAxes
    )
    ax2.set_title(f"a sample at $\\tau$ = {tau:g}")
    return fig


def temperature_scrubber(
    logits: np.ndarray, vocab: Sequence[str], samples: dict[float, str]
) -> W.VBox:
    """A slider over the temperatures of `samples`: the distribution sharpens or flattens.

    Shapes: as draw_temperature; one frame per temperature. Chapter 9.
    """
    taus = sorted(samples)
    return scrubber(lambda tau: draw_temperature(logits, vocab, samples, tau), taus, "temperature")
