"""Checking gradients numerically: central finite differences and a relative error.

Chapter 5 explains why central differences have error O(eps^2); Chapter 1 uses them to
check a hand-written backward pass.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """g_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), one coordinate at a time.

    `f` must not keep a reference to the array it is given. Shapes: x: any shape -> same
    shape. Chapter 5.
    """
    x = np.array(x, dtype=float)  # a private copy that we perturb in place
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + eps
        f_plus = float(f(x.copy()))
        x[idx] = original - eps
        f_minus = float(f(x.copy()))
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / max(||a||, ||b||): 0 when equal, about 1 when unrelated.

    Shapes: a, b: the same shape -> scalar. Chapter 5.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
