"""Backpropagation through time: how dh_T/dh_0 shrinks or grows with T, the rate of that
decay, and gradient-norm clipping.

By the chain rule dh_T/dh_0 = J_T J_{T-1} ... J_1 with J_t = ds_t/ds_{t-1} the Jacobian of
one step; its norm decays (or grows) geometrically when the J_t are contractions (or
expansions). Chapter 9.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.func import jacrev

from dlbook.runtime import check_finite

Array = Any  # a numpy array or a torch tensor


def state_jacobian_norms(
    step: Callable[..., Any], params: dict[str, torch.Tensor], X: torch.Tensor, state: Any
) -> np.ndarray:
    """||ds_T/ds_0||_2 = ||J_T ... J_1||_2 for T = 1..len(X), J_t = ds_t/ds_{t-1}.

    `step(params, state, x_t)` is a torch cell step; the state is h or a pair (h, c),
    flattened to s = (h, c) for the LSTM. One sequence only.
    Shapes: X: (1, T, D), h (and c): (1, H) -> (T,) spectral norms. Chapter 9.
    """
    if X.ndim != 3 or X.shape[0] != 1:
        raise ValueError(f"X has shape {tuple(X.shape)}; expected shape (B, T, D) with B = 1")
    pair = isinstance(state, tuple)
    H = state[0].shape[-1] if pair else state.shape[-1]

    def flat_step(s: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        current = (s[None, :H], s[None, H:]) if pair else s[None]  # (2H,) -> two (1, H)
        new = step(params, current, x)
        return torch.cat([new[0][0], new[1][0]]) if pair else new[0]

    s = torch.cat([state[0][0], state[1][0]]) if pair else state[0]
    J = torch.eye(len(s), dtype=s.dtype)
    norms = []
    for t in range(X.shape[1]):
        J = jacrev(flat_step)(s, X[:, t]) @ J  # (S, S) @ (S, S): the chain rule
        s = flat_step(s, X[:, t]).detach()
        norms.append(torch.linalg.matrix_norm(J, ord=2).item())
    return np.array(norms)


def decay_rate(norms: np.ndarray, start: int = 0) -> tuple[float, float]:
    """rho and the R^2 of the fit log ||dh_T/dh_0|| = a + T log rho (least squares).

    Fits from index `start` on (skip the first steps, before the geometric regime).
    Shapes: norms: (T,) -> (rho, r2). Chapter 9.
    """
    norms = np.asarray(norms, dtype=float)[start:]
    if norms.ndim != 1 or len(norms) < 3 or np.any(norms <= 0):
        raise ValueError(f"need at least 3 positive norms of shape (T,), got shape {norms.shape}")
    T, logs = np.arange(len(norms), dtype=float), np.log(norms)
    slope, intercept = np.polyfit(T, logs, 1)
    residual = logs - (intercept + slope * T)
    r2 = 1.0 - residual.var() / logs.var() if logs.var() > 0 else 1.0
    return float(np.exp(slope)), float(r2)


def global_norm(grads: Sequence[Array]) -> float:
    """||g|| = sqrt(sum_k ||g_k||^2) over every gradient array.

    Shapes: list of arrays -> scalar. Chapter 9.
    """
    return float(np.sqrt(sum(float((g**2).sum()) for g in grads)))


def clip_grad_norm(grads: Sequence[Array], max_norm: float) -> tuple[list[Array], float]:
    """g <- g min(1, tau / ||g||): rescale all gradients together if their norm exceeds tau.

    Returns the clipped gradients (new arrays) and the norm before clipping, like
    `torch.nn.utils.clip_grad_norm_`. Shapes: list of arrays -> same list, scalar. Chapter 9.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    norm = global_norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads], norm


def clipped_step(
    model: nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor, step: int, max_norm: float
) -> float:
    """theta <- update(theta, g min(1, tau / ||g||)): one optimizer step on the clipped gradient.

    Stops with DivergenceError first if the loss is not finite. Returns the loss value.
    Shapes: scalar loss -> scalar. Chapter 9.
    """
    value = check_finite(loss.item(), step)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    opt.step()
    return value
