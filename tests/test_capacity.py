"""Tests of dlbook.capacity against numpy's polynomial fits, theory and direct computation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from dlbook import capacity


def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


def test_polynomial_errors_match_numpy_polynomial_fits(rng):
    x, x_test = np.linspace(0, 1, 12), rng.uniform(0, 1, 50)
    y, y_test = _sine(x) + 0.2 * rng.standard_normal(12), _sine(x_test)
    Ms = [1, 2, 4, 7]
    train, test = capacity.polynomial_errors(x, y, x_test, y_test, Ms)
    for M, tr, te in zip(Ms, train, test, strict=True):
        poly = Polynomial.fit(x, y, deg=M - 1)
        assert tr == pytest.approx(np.mean((poly(x) - y) ** 2), rel=1e-8)
        assert te == pytest.approx(np.mean((poly(x_test) - y_test) ** 2), rel=1e-8)
    train_all, _ = capacity.polynomial_errors(x, y, x_test, y_test, range(1, 13))
    assert np.all(np.diff(train_all) <= 1e-12)  # nested models: training error never rises
    assert train_all[-1] < 1e-20  # 12 coefficients interpolate 12 points
    with pytest.raises(ValueError, match=r"x \(12,\), y \(11,\)"):
        capacity.polynomial_errors(x, y[:-1], x_test, y_test, Ms)


@pytest.mark.parametrize("M", [1, 3, 6])
def test_bias_variance_matches_theory_and_adds_up(rng, M):
    n, sigma = 15, 0.3
    x = np.linspace(0, 1, n)
    parts, mc_error = capacity.polynomial_bias_variance(_sine, x, x, sigma, M, 4000, rng)
    assert parts.variance == pytest.approx(sigma**2 * M / n, rel=0.05)  # at the design points
    assert parts.total == pytest.approx(mc_error, rel=0.03)
    with pytest.raises(ValueError, match="draws=1"):
        capacity.polynomial_bias_variance(_sine, x, x, sigma, M, 1, rng)


def test_random_features_errors_match_a_direct_computation():
    X, X_test = np.random.default_rng(1).standard_normal((2, 8, 3))
    y, y_test = X[:, 0] ** 2, X_test[:, 0] ** 2
    errors = capacity.random_features_errors(X, y, X_test, y_test, [4, 30], 2,
                                             np.random.default_rng(7))  # fmt: skip
    assert errors.shape == (2, 2)
    draw = np.random.default_rng(7)
    for i, p in enumerate([4, 30]):
        for j in range(2):
            W, b = draw.standard_normal((3, p)), 0.5 * draw.standard_normal(p)
            phi = np.maximum(X @ W + b, 0) / np.sqrt(p)
            theta = np.linalg.lstsq(phi, y, rcond=None)[0]
            expected = np.mean((np.maximum(X_test @ W + b, 0) / np.sqrt(p) @ theta - y_test) ** 2)
            assert errors[i, j] == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match=r"X \(8, 3\) and X_test \(8, 2\)"):
        capacity.random_features_errors(X, y, X_test[:, :2], y_test, [4], 1,
                                        np.random.default_rng(0))  # fmt: skip


def test_random_features_predictions_match_the_error_helper():
    X, X_test = np.random.default_rng(2).standard_normal((2, 10, 3))
    y = X[:, 1]
    preds = capacity.random_features_predictions(X, y, X_test, 25, 3, np.random.default_rng(4))
    errors = capacity.random_features_errors(
        X, y, X_test, X_test[:, 1], [25], 3, np.random.default_rng(4)
    )
    np.testing.assert_allclose(np.mean((preds - X_test[:, 1]) ** 2, axis=1), errors[0])
