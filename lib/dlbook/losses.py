"""Losses in numpy: squared error, softmax, log-sum-exp and cross-entropy, computed stably.

Every function takes an `axis` (the class axis for the softmax family) and matches
`torch.nn.functional` in float64. The naive softmax and log-sum-exp are kept beside the
stable ones because they teach: exp overflows once a logit passes log(max float), about
709.78 in float64 and 88.72 in float32. Chapter 2.
"""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def _floating(y: object) -> np.ndarray:
    """An array of y in its own floating type (float32 stays float32), integers as float64."""
    arr = np.asarray(y)
    return arr if np.issubdtype(arr.dtype, np.floating) else arr.astype(np.float64)


def _class_axis(y: np.ndarray, axis: int) -> int:
    """The non-negative index of `axis` in y, which must hold at least one logit."""
    if y.ndim == 0:
        raise ValueError("logits must have at least one dimension (the classes), got a scalar")
    if not -y.ndim <= axis < y.ndim:
        raise ValueError(f"axis {axis} is out of range for logits of shape {y.shape}")
    axis %= y.ndim
    if y.shape[axis] == 0:
        raise ValueError(f"logits of shape {y.shape} have no classes along axis {axis}")
    return axis


def _reduce(losses: np.ndarray, reduction: str) -> float | np.ndarray:
    if reduction == "mean":
        return float(np.mean(losses))
    if reduction == "sum":
        return float(np.sum(losses))
    if reduction == "none":
        return losses
    raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")


def overflow_logit(dtype: type | np.dtype = np.float64) -> float:
    """log(largest finite float): exp(y) overflows to inf for y above it.

    Shapes: none -> scalar (709.78 for float64, 88.72 for float32). Chapter 2.
    """
    return float(np.log(np.finfo(dtype).max))


def naive_logsumexp(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """log sum_k exp(y_k), literally: overflows to inf once a logit passes overflow_logit.

    Kept to show the failure; use :func:`logsumexp`. Shapes: y: (..., K, ...) -> y without
    `axis`. Chapter 2.
    """
    y = _floating(y)
    axis = _class_axis(y, axis)
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(np.sum(np.exp(y), axis=axis))


def naive_softmax(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """z_k = exp(y_k) / sum_k' exp(y_k'), literally: inf / inf = nan for large logits.

    Kept to show the failure; use :func:`softmax`. Shapes: y: (..., K, ...) -> same.
    Chapter 2.
    """
    y = _floating(y)
    axis = _class_axis(y, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(y)
        return e / np.sum(e, axis=axis, keepdims=True)


def logsumexp(y: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log sum_k exp(y_k) = y_max + log sum_k exp(y_k - y_max), which cannot overflow.

    Every exponent is <= 0 and the largest is exp(0) = 1, so the sum lies in [1, K].
    Shapes: y: (..., K, ...) -> y without `axis` (kept as size 1 with keepdims). Chapter 2.
    """
    y = _floating(y)
    axis = _class_axis(y, axis)
    y_max = np.max(y, axis=axis, keepdims=True)
    y_max = np.where(np.isfinite(y_max), y_max, 0.0)  # all -inf (or an inf): no shift
    with np.errstate(divide="ignore"):  # a row of -inf logits: log 0 = -inf is right
        out = y_max + np.log(np.sum(np.exp(y - y_max), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """log z_k = y_k - logsumexp(y), computed as (y_k - y_max) - log sum exp(y - y_max).

    Shapes: y: (..., K, ...) -> same. Chapter 2.
    """
    y = _floating(y)
    axis = _class_axis(y, axis)
    y_max = np.max(y, axis=axis, keepdims=True)
    shifted = y - np.where(np.isfinite(y_max), y_max, 0.0)
    with np.errstate(divide="ignore"):  # a row of -inf logits: log 0 = -inf is right
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """z_k = exp(y_k - y_max) / sum_k' exp(y_k' - y_max): in [0, 1], summing to 1.

    Shapes: y: (..., K, ...) -> same. Chapter 2.
    """
    y = _floating(y)
    axis = _class_axis(y, axis)
    y_max = np.max(y, axis=axis, keepdims=True)
    e = np.exp(y - np.where(np.isfinite(y_max), y_max, 0.0))
    return e / np.sum(e, axis=axis, keepdims=True)


def _check_labels(logits: np.ndarray, labels: np.ndarray, axis: int) -> None:
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices, got dtype {labels.dtype}")
    expected = logits.shape[:axis] + logits.shape[axis + 1 :]
    if labels.shape != expected:
        raise ValueError(
            f"logits of shape {logits.shape} (classes on axis {axis}) need labels of shape "
            f"{expected}, got labels of shape {labels.shape}"
        )
    K = logits.shape[axis]
    bad = labels[(labels < 0) | (labels >= K)]
    if bad.size:
        raise ValueError(
            f"label {int(bad.flat[0])} is out of range for {K} classes (labels are 0, ..., {K - 1})"
        )


def cross_entropy(
    logits: np.ndarray, labels: np.ndarray, axis: int = -1, reduction: str = "mean"
) -> float | np.ndarray:
    """L(y, l) = -log z_l = -(y_l - logsumexp(y)), from logits y and integer labels l.

    Labels count from 0 (the notes count classes from 1). `reduction` is "mean" (over all
    examples, as torch), "sum" or "none". Shapes: logits: (..., K, ...) with K on `axis`,
    labels: logits' shape without `axis` -> scalar (or labels' shape for "none"). Chapter 2.
    """
    logits, labels = _floating(logits), np.asarray(labels)
    axis = _class_axis(logits, axis)
    _check_labels(logits, labels, axis)
    log_z = log_softmax(logits, axis=axis)
    picked = np.take_along_axis(log_z, np.expand_dims(labels, axis), axis=axis)
    return _reduce(-np.squeeze(picked, axis=axis), reduction)  # (..., 1, ...) -> (...)


def _check_same_shape(y: np.ndarray, y_hat: np.ndarray) -> None:
    if y.shape != y_hat.shape:
        raise ValueError(
            f"targets of shape {y.shape} and predictions of shape {y_hat.shape} do not match"
        )


def mse(y: np.ndarray, y_hat: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """L = mean_i (y_i - y_hat_i)^2 over `axis` (over everything when axis is None).

    No broadcasting: y and y_hat must have the same shape. Shapes: y, y_hat: any shape S ->
    scalar, or S without `axis`. Chapter 2.
    """
    y, y_hat = _floating(y), _floating(y_hat)
    _check_same_shape(y, y_hat)
    if axis is not None and not -y.ndim <= axis < y.ndim:
        raise ValueError(f"axis {axis} is out of range for arrays of shape {y.shape}")
    squared = (y - y_hat) ** 2
    return float(np.mean(squared)) if axis is None else np.mean(squared, axis=axis)


def gaussian_nll(y: np.ndarray, y_hat: np.ndarray, sigma: float) -> float:
    """-log p(D) = sum_i [ log(2 pi sigma^2) / 2 + (y_i - y_hat_i)^2 / (2 sigma^2) ].

    The negative log-likelihood of y_i = y_hat_i + sigma * N(0, 1) noise: for a fixed sigma,
    the sum of squared errors scaled by 1/(2 sigma^2), plus a constant.
    Shapes: y, y_hat: (n,) (any matching shape) -> scalar. Chapter 2.
    """
    y, y_hat = _floating(y), _floating(y_hat)
    _check_same_shape(y, y_hat)
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    squared = (y - y_hat) ** 2
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma**2) + squared / (2 * sigma**2)))
