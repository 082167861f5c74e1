"""Rosenblatt's perceptron (1958) and why it cannot learn XOR.

The model predicts sign(w^T x + b); on every mistake it moves the hyperplane towards the
misclassified point: w <- w + y_i x_i, b <- b + y_i. Chapter 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class PerceptronRun:
    """What a perceptron run returns: final weights and the record of its mistakes."""

    w: np.ndarray  # (D,)
    b: float
    mistakes: int  # total updates made
    errors_per_epoch: list[int] = field(default_factory=list)
    snapshots: list[tuple[int, np.ndarray, float]] = field(default_factory=list)  # (update, w, b)
    converged: bool = False

    def score(self, X: np.ndarray) -> np.ndarray:
        """s = X w + b. Shapes: X: (B, D) -> (B,). Chapter 1."""
        return np.asarray(X, dtype=float) @ self.w + self.b


def _check_xy(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"expected X: (B, D) and y: (B,), got X: {X.shape} and y: {y.shape}")
    if not np.all(np.isin(y, (-1, 1))):
        raise ValueError("perceptron labels must be -1 or +1")
    return X, y


def train_perceptron(
    X: np.ndarray, y: np.ndarray, epochs: int = 100, snapshot_every: int = 0
) -> PerceptronRun:
    """Cyclic perceptron: for each (x_i, y_i) with y_i (w^T x_i + b) <= 0, w += y_i x_i, b += y_i.

    Stops after the first epoch without mistakes (converged) or after `epochs` epochs.
    Shapes: X: (B, D), y: (B,) in {-1, +1} -> w: (D,), b: scalar. Chapter 1.
    """
    X, y = _check_xy(X, y)
    w, b, updates = np.zeros(X.shape[1]), 0.0, 0
    run = PerceptronRun(w=w, b=b, mistakes=0, snapshots=[(0, w.copy(), b)])
    for _ in range(epochs):
        errors = 0
        for x_i, y_i in zip(X, y, strict=True):
            if y_i * (w @ x_i + b) <= 0:  # mistake (or on the boundary)
                w, b = w + y_i * x_i, b + y_i
                errors, updates = errors + 1, updates + 1
                if snapshot_every and updates % snapshot_every == 0:
                    run.snapshots.append((updates, w.copy(), b))
        run.errors_per_epoch.append(errors)
        if errors == 0:
            run.converged = True
            break
    run.w, run.b, run.mistakes = w, float(b), updates
    return run


def novikoff_bound(X: np.ndarray, y: np.ndarray, w_star: np.ndarray, b_star: float = 0.0) -> float:
    """Mistake bound (R / gamma)^2 for any (w*, b*) that separates the data.

    With the bias folded into x~ = (x, 1) and u = (w*, b*)/||(w*, b*)||: R = max ||x~_i||,
    gamma = min y_i u^T x~_i. The perceptron makes at most (R / gamma)^2 mistakes.
    Shapes: X: (B, D), y: (B,), w_star: (D,) -> scalar. Chapter 1.
    """
    X, y = _check_xy(X, y)
    Xt = np.column_stack([X, np.ones(len(X))])  # (B, D) -> (B, D+1)
    u = np.append(np.asarray(w_star, dtype=float), b_star)
    if u.shape != (Xt.shape[1],):
        raise ValueError(f"w_star has shape {np.shape(w_star)}; expected ({X.shape[1]},)")
    u = u / np.linalg.norm(u)
    gamma = float(np.min(y * (Xt @ u)))
    if gamma <= 0:
        raise ValueError(f"(w_star, b_star) does not separate the data (margin {gamma:.3g})")
    radius = float(np.max(np.linalg.norm(Xt, axis=1)))
    return (radius / gamma) ** 2


def inseparability_certificate(X: np.ndarray, y: np.ndarray, lam: np.ndarray) -> bool:
    """True if lam >= 0, lam != 0, and sum_i lam_i y_i (x_i, 1) = 0.

    Such lam proves no (w, b) has y_i (w^T x_i + b) > 0 for all i: summing those
    inequalities with weights lam_i would give 0 > 0. Shapes: X: (B, D), y, lam: (B,) -> bool.
    Chapter 1.
    """
    X, y = _check_xy(X, y)
    lam = np.asarray(lam, dtype=float)
    if lam.shape != y.shape:
        raise ValueError(f"lam has shape {lam.shape}; expected {y.shape}")
    Xt = np.column_stack([X, np.ones(len(X))])
    combo = (lam * y) @ Xt  # (B,) @ (B, D+1) -> (D+1,)
    return bool(np.all(lam >= 0) and lam.sum() > 0 and np.allclose(combo, 0.0))


def best_line_accuracy(X: np.ndarray, y: np.ndarray, angles: int = 720) -> float:
    """max over lines of mean[sign(u^T x - t) = y]: the best any linear classifier does in 2-D.

    Searches `angles` directions u and, for each, every threshold t between two sorted
    projections (both orientations), so it is exact up to the angular grid. Shapes: X:
    (n, 2), y: (n,) in {-1, +1} -> scalar. Chapter 1.
    """
    X, y = _check_xy(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane), got {X.shape}")
    if angles < 1:
        raise ValueError(f"angles must be >= 1, got {angles}")
    best = 0.0
    for theta in np.linspace(0.0, np.pi, angles, endpoint=False):
        ys = y[np.argsort(X @ np.array([np.cos(theta), np.sin(theta)]))]
        # cut i: predict -1 below it, +1 from it on (negatives before + positives after)
        neg_before = np.concatenate([[0], np.cumsum(ys == -1)])
        pos_after = np.concatenate([np.cumsum((ys == 1)[::-1])[::-1], [0]])
        correct = (neg_before + pos_after) / len(y)  # (n + 1,) cuts
        best = max(best, correct.max(), (1.0 - correct).max())
    return float(best)
