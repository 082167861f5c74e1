"""Checkers for chapter 9's exercises (chapters/09_recurrent_networks)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from dlbook.check import Verdict, close, report, unanswered
from dlbook.runtime import numpy_rng


def gru_step(gru: object) -> Verdict:
    """Exercise: h' = z * h + (1 - z) * n, torch's GRU step, against torch.nn.GRUCell.

    `gru(x, h, W_ih, W_hh, b_ih, b_hh)` takes numpy arrays in torch's layout (gates r, z, n).
    Shapes: x: (B, D), h: (B, H) -> (B, H). Chapter 9.
    """
    name = "a GRU step equal to torch.nn.GRUCell"
    if (empty := unanswered(name, gru)) is not None:
        return empty
    if not callable(gru):
        return report(False, name, f"pass a function, got {type(gru).__name__}")
    rng = numpy_rng(9)
    cell = torch.nn.GRUCell(3, 4).double()
    with torch.no_grad():
        for p in cell.parameters():
            p.copy_(torch.as_tensor(rng.standard_normal(tuple(p.shape))))
    x, h = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    want = cell(torch.as_tensor(x), torch.as_tensor(h)).detach().numpy()
    weights = [p.detach().numpy().copy() for p in (cell.weight_ih, cell.weight_hh)]
    biases = [p.detach().numpy().copy() for p in (cell.bias_ih, cell.bias_hh)]
    fn: Callable[..., object] = gru
    try:
        result = fn(x, h, *weights, *biases)
        if (empty := unanswered(name, result)) is not None:  # the body is still `...`
            return empty
        got = np.asarray(result, dtype=float)
    except Exception as error:  # the reader's code may fail in any way
        return report(False, name, f"your function raised {type(error).__name__}: {error}")
    if got.shape != want.shape:
        return report(False, name, f"your h' has shape {got.shape}; expected {want.shape}")
    return report(
        bool(np.allclose(got, want, atol=1e-8)),
        name,
        "gate order is (r, z, n); torch applies r to (U_n h + b_hn) and keeps h with weight z",
    )


def lstm_param_count(answer: object) -> Verdict:
    """Exercise: N = 4 (H D + H^2 + 2 H) for an LSTM with D = 10 inputs and H = 20 units.

    Shapes: scalar -> Verdict. Chapter 9.
    """
    return close(
        answer,
        4 * (20 * 10 + 20 * 20 + 2 * 20),
        "parameters of torch.nn.LSTM(10, 20)",
        rtol=0,
        atol=0.5,
        hint="four gate blocks, each with W (H x D), U (H x H) and torch's two biases",
    )


def vanishing_norm(answer: object) -> Verdict:
    """Exercise: |dh_50/dh_0| = 0.9^50 for the scalar linear RNN h_t = 0.9 h_{t-1} + x_t.

    Shapes: scalar -> Verdict. Chapter 9.
    """
    return close(
        answer,
        0.9**50,
        "|dh_50/dh_0| for h_t = 0.9 h_(t-1) + x_t",
        rtol=1e-6,
        hint="each step multiplies the derivative by dh_t/dh_(t-1)",
    )


def clipped(answer: object) -> Verdict:
    """Exercise: g min(1, tau/||g||) for g = (3, 4) and tau = 1.

    Shapes: (2,) -> Verdict. Chapter 9.
    """
    return close(
        answer,
        np.array([0.6, 0.8]),
        "the clipped gradient",
        rtol=1e-6,
        hint="clipping keeps the direction and rescales the norm ||g|| to tau",
    )


def uniform_perplexity(answer: object) -> Verdict:
    """Exercise: PPL = exp(-mean log(1/V)) = V for the uniform model over V = 50 symbols.

    Shapes: scalar -> Verdict. Chapter 9.
    """
    return close(
        answer,
        50.0,
        "the perplexity of the uniform model over 50 characters",
        rtol=1e-6,
        hint="every prediction has probability 1/V; take exp of the mean negative log",
    )


def temperature(answer: object) -> Verdict:
    """Exercise: softmax(z / tau) for z = (0, ln 2) and tau = 1/2.

    Shapes: (2,) -> Verdict. Chapter 9.
    """
    return close(
        answer,
        np.array([0.2, 0.8]),
        "softmax((0, ln 2) / 0.5)",
        rtol=1e-6,
        hint="dividing by tau = 1/2 doubles the logits: exp(2 ln 2) = 4",
    )
