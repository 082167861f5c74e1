"""Checking gradients numerically: central finite differences and a relative error.

Chapter 5 explains why central differences have error O(eps^2) and uses `gradcheck` to
catch a wrong VJP; Chapter 1 uses them to check a hand-written backward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass
class GradcheckReport:
    """What `gradcheck` found: the worst coordinate's relative error and both gradients."""

    max_error: float
    worst: tuple[int, ...]
    passed: bool
    numeric: np.ndarray
    analytic: np.ndarray

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        i = self.worst
        return (
            f"gradcheck {verdict}: largest relative error {self.max_error:.1e} at index {i} "
            f"(analytic {self.analytic[i]:.6g}, numeric {self.numeric[i]:.6g})"
        )


def gradcheck(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray] | np.ndarray,
    x: np.ndarray,
    eps: float = 1e-6,
    tol: float = 1e-5,
    floor: float = 1e-6,
) -> GradcheckReport:
    """e_i = |g_i - n_i| / max(|g_i|, |n_i|, floor), n = central differences of f at x.

    `grad` is the gradient to test (an array, or a function of x); it passes when every
    e_i <= tol. The floor keeps coordinates with a near-zero gradient from dividing by ~0.
    Shapes: x: any shape S; grad(x): S -> report. Chapter 5.
    """
    x = np.asarray(x, dtype=float)
    analytic = np.asarray(grad(x.copy()) if callable(grad) else grad, dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(f"the gradient has shape {analytic.shape}; x has shape {x.shape}")
    numeric = numerical_gradient(f, x, eps)
    denominator = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    errors = np.abs(analytic - numeric) / denominator
    if errors.size == 0:
        return GradcheckReport(0.0, (), True, numeric, analytic)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(errors), errors.shape))
    max_error = float(errors[worst])
    return GradcheckReport(max_error, worst, max_error <= tol, numeric, analytic)
