"""Least squares: f(x; theta) = theta_0 + theta_1 x fitted by the normal equations and by
gradient descent on L(theta) = sum_i (f(x_i; theta) - y_i)^2, the notes' total loss.

Everything works for any design matrix X (one row x_i^T per example); `design_matrix` builds
the one for a line. Chapter 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlbook.runtime import check_finite


def design_matrix(x: np.ndarray) -> np.ndarray:
    """X = [1, x]: row i is (1, x_i), so X theta = theta_0 + theta_1 x.

    Shapes: x: (n,) -> (n, 2). Chapter 2.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D array of inputs, got shape {x.shape}")
    return np.column_stack([np.ones_like(x), x])  # (n,) -> (n, 2)


def _check(theta: np.ndarray | None, X: np.ndarray, y: np.ndarray) -> None:
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, P) and y (n,); got X {X.shape} and y {y.shape}")
    if theta is not None and theta.shape != (X.shape[1],):
        raise ValueError(f"theta of shape {theta.shape} does not fit X of shape {X.shape}")


def squared_loss(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """L(theta) = sum_i (x_i^T theta - y_i)^2 = ||X theta - y||^2.

    Shapes: theta: (P,), X: (n, P), y: (n,) -> scalar. Chapter 2.
    """
    theta, X, y = (np.asarray(a, dtype=float) for a in (theta, X, y))
    _check(theta, X, y)
    residual = X @ theta - y
    return float(residual @ residual)


def squared_loss_grad(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """grad L(theta) = 2 X^T (X theta - y), i.e. dL/dtheta_j = sum_i 2 (f(x_i) - y_i) x_ij.

    Shapes: theta: (P,), X: (n, P), y: (n,) -> (P,). Chapter 2.
    """
    theta, X, y = (np.asarray(a, dtype=float) for a in (theta, X, y))
    _check(theta, X, y)
    return 2.0 * X.T @ (X @ theta - y)


def normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """theta* solves X^T X theta = X^T y, where grad L(theta) = 0.

    Shapes: X: (n, P), y: (n,) -> (P,). Chapter 2.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    _check(None, X, y)
    return np.linalg.solve(X.T @ X, X.T @ y)


def smoothness(X: np.ndarray) -> float:
    """The largest eigenvalue of the Hessian 2 X^T X; steps eta < 2 / it converge.

    Shapes: X: (n, P) -> scalar. Chapter 2 (Chapter 4 explains step sizes).
    """
    X = np.asarray(X, dtype=float)
    return float(np.linalg.eigvalsh(2.0 * X.T @ X)[-1])


@dataclass(frozen=True)
class GDRun:
    """A gradient-descent run: the last theta, every iterate and every loss."""

    theta: np.ndarray  # (P,)
    thetas: np.ndarray  # (steps + 1, P)
    losses: np.ndarray  # (steps + 1,)


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    lr: float,
    steps: int,
    theta0: np.ndarray | None = None,
) -> GDRun:
    """theta_{k+1} = theta_k - eta grad L(theta_k) on the squared loss, from theta0 (or 0).

    Stops with DivergenceError if the loss explodes (eta too large).
    Shapes: X: (n, P), y: (n,), theta0: (P,) -> thetas: (steps + 1, P). Chapter 2.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    theta = np.zeros(X.shape[1]) if theta0 is None else np.array(theta0, dtype=float)
    _check(theta, X, y)
    thetas, losses = [theta.copy()], [squared_loss(theta, X, y)]
    for step in range(steps):
        theta = theta - lr * squared_loss_grad(theta, X, y)
        thetas.append(theta.copy())
        losses.append(check_finite(squared_loss(theta, X, y), step + 1))
    return GDRun(theta, np.array(thetas), np.array(losses))


def loss_surface(
    X: np.ndarray, y: np.ndarray, theta0s: np.ndarray, theta1s: np.ndarray
) -> np.ndarray:
    """L(theta_0, theta_1) on a grid, for contour plots of a two-parameter model.

    Shapes: X: (n, 2), y: (n,), theta0s: (G0,), theta1s: (G1,) -> (G1, G0) (rows: theta_1).
    Chapter 2.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    _check(None, X, y)
    if X.shape[1] != 2:
        raise ValueError(f"a loss surface needs two parameters; X has shape {X.shape}")
    t0, t1 = np.meshgrid(np.asarray(theta0s, float), np.asarray(theta1s, float))  # (G1, G0)
    pred = t0[..., None] * X[:, 0] + t1[..., None] * X[:, 1]  # (G1, G0, n)
    return np.sum((pred - y) ** 2, axis=-1)
