"""Explicit regularizers and the tools to measure what they do.

The L2 penalty and ridge regression (with its Bayesian reading), inverted dropout, early
stopping, magnitude-pruning masks for lottery tickets, random ReLU features for double
descent, and the Monte Carlo bias-variance decomposition. Chapter 7.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _unit_interval(name: str, value: float) -> float:
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return float(value)


def l2_penalty(weights: Sequence[np.ndarray], gamma: float) -> float:
    """R(theta_W) = (gamma / 2) sum_j theta_{W,j}^2, summed over every weight array.

    Biases are usually left out: pass only the weight matrices.
    Shapes: weights: arrays of any shapes -> scalar. Chapter 7.
    """
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    return 0.5 * gamma * sum(float(np.sum(np.asarray(w, dtype=float) ** 2)) for w in weights)


def l2_penalty_grad(weights: Sequence[np.ndarray], gamma: float) -> list[np.ndarray]:
    """dR/dtheta_W = gamma theta_W, so GD on L + R shrinks theta_W by (1 - lambda gamma).

    Shapes: weights: arrays -> arrays of the same shapes. Chapter 7.
    """
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    return [gamma * np.asarray(w, dtype=float) for w in weights]


def ridge(X: np.ndarray, y: np.ndarray, gamma: float) -> np.ndarray:
    """theta* = (X^T X + gamma I)^{-1} X^T y = argmin 1/2 ||X theta - y||^2 + gamma/2 ||theta||^2.

    Shapes: X: (n, P), y: (n,) -> theta: (P,). Chapter 7.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X has shape {X.shape} and y {y.shape}; expected (n, P) and (n,)")
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0 for the closed form, got {gamma}")
    P = X.shape[1]
    return np.linalg.solve(X.T @ X + gamma * np.eye(P), X.T @ y)


def gaussian_map(X: np.ndarray, y: np.ndarray, sigma: float, tau: float) -> np.ndarray:
    """theta_MAP = argmax p(theta | X, y) for y ~ N(X theta, sigma^2 I), theta ~ N(0, tau^2 I).

    Maximising the log posterior -||X theta - y||^2 / (2 sigma^2) - ||theta||^2 / (2 tau^2)
    by setting its gradient to zero gives the normal equations
    (X^T X / sigma^2 + I / tau^2) theta = X^T y / sigma^2: ridge with gamma = sigma^2 / tau^2.
    Shapes: X: (n, P), y: (n,) -> theta: (P,). Chapter 7.
    """
    if not (sigma > 0 and tau > 0):
        raise ValueError(f"sigma and tau must be > 0, got sigma={sigma}, tau={tau}")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X has shape {X.shape} and y {y.shape}; expected (n, P) and (n,)")
    precision = X.T @ X / sigma**2 + np.eye(X.shape[1]) / tau**2  # (P, P)
    return np.linalg.solve(precision, X.T @ y / sigma**2)


def dropout_mask(shape: tuple[int, ...], p: float, rng: np.random.Generator) -> np.ndarray:
    """m_i = 1[u_i >= p] / (1 - p), u_i ~ U[0, 1): zero with probability p, E[m_i] = 1.

    Shapes: -> shape. Chapter 7.
    """
    p = _unit_interval("dropout probability p", p)
    return (rng.uniform(size=shape) >= p) / (1.0 - p)


def dropout(h: np.ndarray, p: float, rng: np.random.Generator, training: bool = True) -> np.ndarray:
    """h_tilde = m * h in training (inverted dropout), h_tilde = h at test time.

    Shapes: h: any shape -> same shape. Chapter 7.
    """
    p = _unit_interval("dropout probability p", p)
    h = np.asarray(h, dtype=float)
    if not training or p == 0.0:
        return h
    return h * dropout_mask(h.shape, p, rng)


@dataclass(frozen=True)
class EarlyStop:
    """Where early stopping halts (`stop`) and which epoch's weights it keeps (`best`)."""

    best: int
    stop: int


def early_stopping(val_losses: Sequence[float], patience: int) -> EarlyStop:
    """best = argmin_{k <= stop} v_k, stop = first k with no improvement for `patience` epochs.

    Without such an epoch training runs to the end (stop = last index).
    Shapes: val_losses: (E,) -> two indices. Chapter 7.
    """
    if patience < 1:
        raise ValueError(f"patience must be >= 1, got {patience}")
    v = np.asarray(val_losses, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"val_losses must be a non-empty 1-D sequence, got shape {v.shape}")
    best = 0
    for k in range(1, v.size):
        if v[k] < v[best]:
            best = k
        elif k - best >= patience:
            return EarlyStop(best, k)
    return EarlyStop(best, v.size - 1)


def prune_mask(weight: np.ndarray, mask: np.ndarray, fraction: float) -> np.ndarray:
    """m' = m with the `fraction` of surviving weights smallest in |w| set to 0.

    One round of layer-wise magnitude pruning (Frankle & Carbin, 2019): pruned weights stay
    pruned. Shapes: weight, mask: the same shape -> mask of that shape. Chapter 7.
    """
    fraction = _unit_interval("prune fraction", fraction)
    weight, mask = np.asarray(weight, dtype=float), np.asarray(mask, dtype=bool)
    if weight.shape != mask.shape:
        raise ValueError(f"weight of shape {weight.shape} and mask {mask.shape} differ")
    alive = np.flatnonzero(mask)
    n_prune = int(round(fraction * alive.size))
    order = np.argsort(np.abs(weight.ravel()[alive]), kind="stable")  # smallest first
    new = mask.copy().ravel()
    new[alive[order[:n_prune]]] = False
    return new.reshape(mask.shape)


def relu_features(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """phi(x) = ReLU(x W + b) / sqrt(p), p random features of a fixed first layer.

    Shapes: X: (n, d), W: (d, p), b: (p,) -> (n, p). Chapter 7.
    """
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(
            f"X {X.shape}, W {W.shape} and b {b.shape} do not fit: need (n, d), (d, p), (p,)"
        )
    return np.maximum(X @ W + b, 0.0) / np.sqrt(W.shape[1])


def min_norm_least_squares(Phi: np.ndarray, y: np.ndarray) -> np.ndarray:
    """theta = Phi^+ y: the least-squares fit of smallest ||theta|| (interpolating when p >= n).

    Shapes: Phi: (n, p), y: (n,) -> theta: (p,). Chapter 7.
    """
    Phi, y = np.asarray(Phi, dtype=float), np.asarray(y, dtype=float)
    if Phi.ndim != 2 or y.shape != (Phi.shape[0],):
        raise ValueError(f"Phi has shape {Phi.shape} and y {y.shape}; expected (n, p) and (n,)")
    return np.linalg.pinv(Phi) @ y


@dataclass(frozen=True)
class BiasVariance:
    """E[(f_hat(x) - y)^2] = bias^2 + variance + noise, each averaged over test inputs x."""

    bias2: float
    variance: float
    noise: float

    @property
    def total(self) -> float:
        """E_err = bias^2 + variance + noise, the expected test error. Shapes: scalar. Chapter 7."""
        return self.bias2 + self.variance + self.noise


def bias_variance(predictions: np.ndarray, f_true: np.ndarray, sigma: float) -> BiasVariance:
    """bias^2 = mean_x (E_D f_D(x) - f(x))^2, variance = mean_x Var_D f_D(x), noise = sigma^2.

    `predictions[r]` are the predictions at the test inputs of the model fitted to the r-th of
    R independent training sets; the expectations over data sets D are averages over r.
    Shapes: predictions: (R, T), f_true: (T,) -> three scalars. Chapter 7.
    """
    predictions, f_true = np.asarray(predictions, dtype=float), np.asarray(f_true, dtype=float)
    if predictions.ndim != 2 or f_true.shape != (predictions.shape[1],):
        raise ValueError(
            f"predictions {predictions.shape} and f_true {f_true.shape}: need (R, T) and (T,)"
        )
    if predictions.shape[0] < 2:
        raise ValueError(f"need at least 2 training sets, got {predictions.shape[0]}")
    mean = predictions.mean(axis=0)  # (T,), the average model
    return BiasVariance(
        bias2=float(np.mean((mean - f_true) ** 2)),
        variance=float(np.mean(predictions.var(axis=0))),
        noise=float(sigma**2),
    )


def ensemble_spread(predictions: np.ndarray, size: int) -> float:
    """mean_x Var_e f_e(x), f_e the average of `size` members, over disjoint ensembles e.

    The members are split into len // size disjoint ensembles (at least 2 are needed); for
    independent members the spread falls like 1 / size.
    Shapes: predictions: (members, T) -> scalar. Chapter 7.
    """
    predictions = np.asarray(predictions, dtype=float)
    if predictions.ndim != 2:
        raise ValueError(f"predictions must be (members, T), got shape {predictions.shape}")
    groups = predictions.shape[0] // size if size >= 1 else 0
    if groups < 2:
        raise ValueError(f"{predictions.shape[0]} members make fewer than 2 ensembles of {size}")
    used = predictions[: groups * size].reshape(groups, size, -1)  # (E, size, T)
    return float(np.mean(used.mean(axis=1).var(axis=0)))
