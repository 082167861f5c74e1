"""Jacobians by finite differences, and a gradient by forward mode (N JVPs) or reverse mode
(one VJP), for comparing the cost of the two modes.

Chapter 5 checks the finite-difference Jacobians against `torch.func.jacrev`/`jacfwd` and
times the two ways to a gradient of f: R^N -> R.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch


def numerical_jacobian(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """J[o..., i...] = (f(x + eps e_i) - f(x - eps e_i))[o...] / (2 eps), central differences.

    Shapes: x: S_in, f(x): S_out -> S_out + S_in (output axes first, as torch.func). Chapter 5.
    """
    x = np.array(x, dtype=float)
    out_shape = np.shape(f(x.copy()))
    J = np.zeros(out_shape + x.shape)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        diff = np.asarray(f(x + step), dtype=float) - np.asarray(f(x - step), dtype=float)
        J[(Ellipsis, *idx)] = diff / (2 * eps)
    return J


def gradient_forward_mode(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> tuple[torch.Tensor, int]:
    """g_i = J_f(x) e_i, one JVP per input coordinate (N of them for x in R^N).

    Returns the gradient and the number of JVPs. Shapes: x: (N,), f(x): scalar -> (N,).
    Chapter 5.
    """
    if x.ndim != 1:
        raise ValueError(f"x must be a vector (N,), got shape {tuple(x.shape)}")
    basis = torch.eye(x.shape[0], dtype=x.dtype)
    g = torch.stack([torch.func.jvp(f, (x,), (e,))[1] for e in basis])  # (N,)
    return g, x.shape[0]


def gradient_reverse_mode(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> tuple[torch.Tensor, int]:
    """g = 1 * J_f(x): one VJP with the seed 1 for a scalar output.

    Returns the gradient and the number of VJPs (1). Shapes: x: (N,), f(x): scalar -> (N,).
    Chapter 5.
    """
    if x.ndim != 1:
        raise ValueError(f"x must be a vector (N,), got shape {tuple(x.shape)}")
    y, vjp = torch.func.vjp(f, x)
    (g,) = vjp(torch.ones_like(y))
    return g, 1
