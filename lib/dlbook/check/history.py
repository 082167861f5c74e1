"""Checkers for chapter 1's exercises (chapters/01_history)."""

from __future__ import annotations

import numpy as np

from dlbook.check import Verdict, close, report, unanswered
from dlbook.nets import mlp_param_count
from dlbook.perceptron import inseparability_certificate
from dlbook.scaling import compute_proxy


def param_count(answer: object) -> Verdict:
    """Exercise 1.1: N = sum_l (n_l + 1) n_{l+1} for the MLP 8 -> 64 -> 64 -> 1.

    Shapes: scalar -> Verdict. Chapter 1.
    """
    return close(
        answer,
        mlp_param_count([8, 64, 64, 1]),
        "parameter count of 8→64→64→1",
        rtol=0,
        atol=0.5,
        hint="each layer has (n_in + 1) · n_out parameters",
    )


def compute(answer: object) -> Verdict:
    """Exercise 1.1: C = N B S for that MLP with B = 256 and S = 1000.

    Shapes: scalar -> Verdict. Chapter 1.
    """
    expected = compute_proxy(mlp_param_count([8, 64, 64, 1]), 256, 1000)
    return close(
        answer,
        expected,
        "compute C = N·B·S",
        rtol=1e-6,
        hint="multiply the parameter count by the batch size and the number of steps",
    )


def xor_lift(w: object, b: object) -> Verdict:
    """Exercise 1.2: y_i (w^T (x1, x2, x1 x2) + b) > 0 on all four XOR points.

    Shapes: w: (3,), b: scalar -> Verdict. Chapter 1.
    """
    name = "a separating hyperplane for lifted XOR"
    if (empty := unanswered(name, w, b)) is not None:
        return empty
    w = np.asarray(w, dtype=float)
    if w.shape != (3,):
        return report(False, name, f"w must have 3 entries (one per feature), got shape {w.shape}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([-1, 1, 1, -1])
    features = np.column_stack([X, X[:, 0] * X[:, 1]])  # (4, 2) -> (4, 3)
    margins = y * (features @ w + float(b))
    return report(
        bool(np.all(margins > 0)),
        name,
        f"{int(np.sum(margins <= 0))} of the 4 points are on the wrong side (or on the plane)",
    )


def parity_certificate(lam: object) -> Verdict:
    """Exercise 1.3: lam >= 0, sum_i lam_i y_i (x_i, 1) = 0 for 3-bit parity.

    Shapes: lam: (8,) -> Verdict. Chapter 1.
    """
    name = "an inseparability certificate for 3-bit parity"
    if (empty := unanswered(name, lam)) is not None:
        return empty
    corners = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)], dtype=float)
    y = np.where(corners.sum(axis=1) % 2 == 1, 1, -1)
    lam = np.asarray(lam, dtype=float)
    if lam.shape != (8,):
        return report(False, name, f"give one weight per corner (8), got shape {lam.shape}")
    return report(
        inseparability_certificate(corners, y, lam),
        name,
        "you need lam >= 0, not all zero, with sum_i lam_i y_i (x_i, 1) = 0",
    )


def xor_network(W0: object, W1: object) -> Verdict:
    """Exercise 1.4: sign(W1 tanh(W0 x~)) = y on the four XOR points.

    Shapes: W0: (M, 3), W1: (1, M) -> Verdict. Chapter 1.
    """
    name = "a hand-built two-layer network for XOR"
    if (empty := unanswered(name, W0, W1)) is not None:
        return empty
    W0, W1 = np.atleast_2d(np.asarray(W0, dtype=float)), np.atleast_2d(np.asarray(W1, dtype=float))
    if W0.shape[1] != 3 or W1.shape != (1, W0.shape[0]):
        return report(
            False, name, f"W0 must be (M, 3) and W1 (1, M); got {W0.shape} and {W1.shape}"
        )
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    out = np.tanh(X @ W0.T) @ W1.T  # (4, M) @ (M, 1) -> (4, 1)
    y = np.array([-1, 1, 1, -1])
    return report(
        bool(np.all(y * out[:, 0] > 0)), name, "check the sign of f at each of the 4 corners"
    )
