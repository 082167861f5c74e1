"""Floating point in practice: machine epsilon, cancellation, and stable sigmoid-type functions.

A float carries a fixed number of significant bits, so 1 + eps rounds to 1 below the
machine epsilon, subtracting two close numbers loses their common digits (catastrophic
cancellation), and exp overflows past log(max float). The naive formulas are kept beside
the stable ones because they teach; the stable ones match `torch.nn.functional` and stay
finite for logits of +-1e4. The softmax family lives in `dlbook.losses`. Chapter 6.
"""

from __future__ import annotations

import numpy as np

from dlbook.losses import _reduce  # mean, sum or none, as in torch


def _floating(x: object) -> np.ndarray:
    arr = np.asarray(x)
    return arr if np.issubdtype(arr.dtype, np.floating) else arr.astype(np.float64)


def machine_epsilon(dtype: type | np.dtype = np.float64) -> float:
    """eps = the smallest power of two with 1 + eps != 1, found by halving.

    Equals np.finfo(dtype).eps: 2^-52 (float64), 2^-23 (float32), 2^-10 (float16).
    Shapes: none -> scalar. Chapter 6.
    """
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"machine_epsilon needs a floating dtype, got {dtype}")
    one, eps = dtype.type(1), dtype.type(1)
    while one + eps / dtype.type(2) != one:
        eps = eps / dtype.type(2)
    return float(eps)


def naive_variance(x: np.ndarray) -> float:
    """Var x = E[x^2] - (E x)^2, one pass: cancels catastrophically when |E x| >> std x.

    Kept to show the failure; use :func:`two_pass_variance`. Shapes: x: (n,) -> scalar.
    Chapter 6.
    """
    x = _floating(x).ravel()
    return float(np.mean(x * x) - np.mean(x) ** 2)


def two_pass_variance(x: np.ndarray) -> float:
    """Var x = E[(x - E x)^2]: subtract the mean first, then square (no cancellation).

    Shapes: x: (n,) -> scalar. Chapter 6.
    """
    x = _floating(x).ravel()
    return float(np.mean((x - np.mean(x)) ** 2))


def naive_sigmoid(x: np.ndarray) -> np.ndarray:
    """sigma(x) = 1 / (1 + exp(-x)), literally: exp(-x) overflows (with a warning) for x << 0.

    Kept to show the failure. Shapes: any -> same. Chapter 6.
    """
    x = _floating(x)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """sigma(x) = 1/(1 + e^-x) for x >= 0 and e^x/(1 + e^x) for x < 0: exp never overflows.

    Shapes: any -> same. Chapter 6.
    """
    x = _floating(x)
    e = np.exp(-np.abs(x))  # in (0, 1]
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def naive_softplus(x: np.ndarray) -> np.ndarray:
    """softplus(x) = log(1 + exp(x)), literally: inf for x > log(max float).

    Kept to show the failure. Shapes: any -> same. Chapter 6.
    """
    x = _floating(x)
    with np.errstate(over="ignore"):
        return np.log(1.0 + np.exp(x))


def softplus(x: np.ndarray) -> np.ndarray:
    """softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|), finite for every finite x.

    Shapes: any -> same. Chapter 6.
    """
    x = _floating(x)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log sigma(x) = -softplus(-x): about x for x << 0 (where sigma(x) underflows to 0).

    Shapes: any -> same. Chapter 6.
    """
    return -softplus(-_floating(x))


def naive_bce(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """L = -t log sigma(y) - (1 - t) log(1 - sigma(y)), literally: inf or nan once sigma rounds.

    Kept to show the failure. Shapes: logits, targets: same shape -> same. Chapter 6.
    """
    p = naive_sigmoid(logits)
    t = _floating(targets)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def bce_with_logits(
    logits: np.ndarray, targets: np.ndarray, reduction: str = "mean"
) -> float | np.ndarray:
    """L(y, t) = -t log sigma(y) - (1-t) log(1 - sigma(y)) = softplus(y) - t y, computed stably.

    As F.binary_cross_entropy_with_logits: targets t in [0, 1], `reduction` "mean", "sum"
    or "none". Shapes: logits, targets: same shape -> scalar (or that shape). Chapter 6.
    """
    y, t = _floating(logits), _floating(targets)
    if y.shape != t.shape:
        raise ValueError(f"logits have shape {y.shape} but targets have shape {t.shape}")
    if np.any((t < 0) | (t > 1)):
        raise ValueError("targets must lie in [0, 1]")
    return _reduce(softplus(y) - t * y, reduction)
