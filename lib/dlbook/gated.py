"""Gated recurrent cells: the GRU (in Cho et al.'s form and in torch's) and the LSTM.

Each step works on numpy arrays and on torch tensors alike (the same equations, with the
array library picked from the input), so one definition gives the numpy forward pass and a
differentiable torch one. Parameters use `dlbook.rnn`'s layout with torch's gate order:
(r, z, n) for the GRU, (i, f, g, o) for the LSTM. Chapter 9.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

Array = Any  # a numpy array or a torch tensor
VARIANTS = ("torch", "cho")


def _ops(x: Array) -> tuple[Any, Any]:
    """(sigmoid, tanh) for the array library of x."""
    if isinstance(x, torch.Tensor):
        return torch.sigmoid, torch.tanh
    return (lambda z: 1.0 / (1.0 + np.exp(-z))), np.tanh


def _blocks(v: Array, G: int) -> list[Array]:
    """Split the last axis of v into G equal gate blocks."""
    H = v.shape[-1] // G
    return [v[..., k * H : (k + 1) * H] for k in range(G)]


def gru_step(params: dict[str, Array], h: Array, x: Array, variant: str = "torch") -> Array:
    """h_t = z * h_{t-1} + (1 - z) * n, z = sigma(W_z x + U_z h + b_z), r likewise, with
    n = tanh(W_n x + b_n + r * (U_n h + b_hn)) ("torch") or tanh(W_n x + U_n (r * h) + b) ("cho").

    Torch's nn.GRU applies the reset gate after the hidden matrix product; Cho et al. (2014)
    before it. The two agree when U_n is diagonal and b_hn = 0.
    Shapes: h: (B, H), x: (B, D) -> (B, H). Chapter 9.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown GRU variant {variant!r}; choose from {VARIANTS}")
    sigmoid, tanh = _ops(x)
    xi_r, xi_z, xi_n = _blocks(x @ params["W_ih"].T + params["b_ih"], 3)  # (B, 3H) -> 3 (B, H)
    U_r, U_z, U_n = _blocks(params["W_hh"].T, 3)  # (H, 3H) -> 3 (H, H)
    b_r, b_z, b_n = _blocks(params["b_hh"], 3)
    r = sigmoid(xi_r + h @ U_r + b_r)
    z = sigmoid(xi_z + h @ U_z + b_z)
    if variant == "torch":
        n = tanh(xi_n + r * (h @ U_n + b_n))
    else:
        n = tanh(xi_n + (r * h) @ U_n + b_n)
    return z * h + (1.0 - z) * n


def lstm_gates(params: dict[str, Array], state: tuple[Array, Array], x: Array) -> dict[str, Array]:
    """f, i, o = sigma(W x + U h_{t-1} + b), c~ = tanh(...), c_t = f * c_{t-1} + i * c~,
    h_t = o * tanh(c_t): every gate and both new states of one LSTM step.

    Shapes: state: ((B, H), (B, H)), x: (B, D) -> dict of (B, H) arrays
    i, f, g (= c~), o, c, h. Chapter 9.
    """
    sigmoid, tanh = _ops(x)
    h, c = state
    pre = x @ params["W_ih"].T + h @ params["W_hh"].T + params["b_ih"] + params["b_hh"]
    a_i, a_f, a_g, a_o = _blocks(pre, 4)  # (B, 4H) -> 4 (B, H), torch's order
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
    c = f * c + i * g
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": o * tanh(c)}


def lstm_step(
    params: dict[str, Array], state: tuple[Array, Array], x: Array
) -> tuple[Array, Array]:
    """(h_t, c_t) = LSTM(h_{t-1}, c_{t-1}, x_t): c_t = f * c_{t-1} + i * c~, h_t = o * tanh(c_t).

    Shapes: state: ((B, H), (B, H)), x: (B, D) -> ((B, H), (B, H)). Chapter 9.
    """
    gates = lstm_gates(params, state, x)
    return gates["h"], gates["c"]


def lstm_trace(params: dict[str, Array], X: Array) -> dict[str, Array]:
    """Every gate and state of an LSTM run from h_0 = c_0 = 0, stacked over time.

    Shapes: X: (B, T, D) -> dict of (B, T, H) arrays i, f, g, o, c, h. Chapter 9.
    """
    if len(X.shape) != 3:
        raise ValueError(f"X has shape {tuple(X.shape)}; expected shape (B, T, D)")
    B, H = X.shape[0], params["W_hh"].shape[-1]
    zeros = torch.zeros(B, H, dtype=X.dtype) if isinstance(X, torch.Tensor) else np.zeros((B, H))
    state, trace = (zeros, zeros), []
    for t in range(X.shape[1]):
        gates = lstm_gates(params, state, X[:, t])
        state = gates["h"], gates["c"]
        trace.append(gates)
    stack = torch.stack if isinstance(X, torch.Tensor) else np.stack
    kw = {"dim": 1} if isinstance(X, torch.Tensor) else {"axis": 1}
    return {k: stack([g[k] for g in trace], **kw) for k in trace[0]}
