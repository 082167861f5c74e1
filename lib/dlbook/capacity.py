"""Capacity sweeps: train and test error as the model grows, bias and variance, double descent.

Least-squares models whose capacity is one number: M polynomial basis functions on a fixed
design, or p random ReLU features fitted by minimum-norm least squares. Chapter 7.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlbook.basis import features
from dlbook.regularization import BiasVariance, bias_variance, min_norm_least_squares, relu_features


def polynomial_errors(
    x: np.ndarray, y: np.ndarray, x_test: np.ndarray, y_test: np.ndarray, Ms: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Mean squared train and test errors of the least-squares fit with M polynomial features.

    Basis on [0, 1] as in chapter 3 (degree M - 1). Shapes: x, y: (n,), x_test, y_test: (T,),
    Ms: (K,) -> two arrays (K,). Chapter 7.
    """
    x, y, x_test, y_test = (np.asarray(a, dtype=float) for a in (x, y, x_test, y_test))
    if x.shape != y.shape or x_test.shape != y_test.shape:
        raise ValueError(f"x {x.shape}, y {y.shape}, x_test {x_test.shape}, y_test {y_test.shape}")
    train, test = [], []
    for M in Ms:
        theta = min_norm_least_squares(features(x, "polynomial", M), y)  # (M,)
        train.append(np.mean((features(x, "polynomial", M) @ theta - y) ** 2))
        test.append(np.mean((features(x_test, "polynomial", M) @ theta - y_test) ** 2))
    return np.array(train), np.array(test)


def polynomial_bias_variance(
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    x_test: np.ndarray,
    sigma: float,
    M: int,
    draws: int,
    rng: np.random.Generator,
) -> tuple[BiasVariance, float]:
    """(bias^2, variance, noise) of the M-feature fit over `draws` noisy training sets, and the
    Monte Carlo test error E[(f_D(x) - y)^2] they should add up to.

    The design x is fixed; each training set is y = f(x) + sigma eps. Shapes: x: (n,),
    x_test: (T,) -> a BiasVariance and a scalar. Chapter 7.
    """
    x, x_test = np.asarray(x, dtype=float), np.asarray(x_test, dtype=float)
    if draws < 2:
        raise ValueError(f"need at least 2 training sets, got draws={draws}")
    Y = f(x) + sigma * rng.standard_normal((draws, x.size))  # (R, n) training targets
    Theta = np.linalg.pinv(features(x, "polynomial", M)) @ Y.T  # (M, R): every fit at once
    P = (features(x_test, "polynomial", M) @ Theta).T  # (R, T) predictions
    y_test = f(x_test) + sigma * rng.standard_normal(P.shape)  # a fresh label per fit
    return bias_variance(P, f(x_test), sigma), float(np.mean((P - y_test) ** 2))


def random_features_errors(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    ps: Sequence[int],
    draws: int,
    rng: np.random.Generator,
    bias_std: float = 0.5,
) -> np.ndarray:
    """Test MSE of min-norm least squares on p random ReLU features, for each p and draw.

    Features phi(x) = ReLU(x W + b) / sqrt(p), W ~ N(0, 1), b ~ N(0, bias_std^2).
    Shapes: X: (n, d), y: (n,), X_test: (T, d), y_test: (T,), ps: (K,) -> (K, draws). Chapter 7.
    """
    X, X_test = np.asarray(X, dtype=float), np.asarray(X_test, dtype=float)
    if X.ndim != 2 or X_test.ndim != 2 or X.shape[1] != X_test.shape[1]:
        raise ValueError(f"X {X.shape} and X_test {X_test.shape} must be (n, d) and (T, d)")
    errors = np.zeros((len(ps), draws))
    for i, p in enumerate(ps):
        for j in range(draws):
            W = rng.standard_normal((X.shape[1], p))  # (d, p)
            b = bias_std * rng.standard_normal(p)  # (p,)
            theta = min_norm_least_squares(relu_features(X, W, b), y)
            errors[i, j] = np.mean((relu_features(X_test, W, b) @ theta - y_test) ** 2)
    return errors


def random_features_predictions(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    p: int,
    members: int,
    rng: np.random.Generator,
    bias_std: float = 0.5,
) -> np.ndarray:
    """f_j(x) = phi_j(x)^T Phi_j^+ y for `members` independent draws j of p random features.

    The members of an ensemble that differ only in their random first layer.
    Shapes: X: (n, d), y: (n,), X_test: (T, d) -> (members, T). Chapter 7.
    """
    X, X_test = np.asarray(X, dtype=float), np.asarray(X_test, dtype=float)
    if X.ndim != 2 or X_test.ndim != 2 or X.shape[1] != X_test.shape[1]:
        raise ValueError(f"X {X.shape} and X_test {X_test.shape} must be (n, d) and (T, d)")
    out = np.zeros((members, X_test.shape[0]))
    for j in range(members):
        W = rng.standard_normal((X.shape[1], p))  # (d, p)
        b = bias_std * rng.standard_normal(p)  # (p,)
        out[j] = relu_features(X_test, W, b) @ min_norm_least_squares(relu_features(X, W, b), y)
    return out
