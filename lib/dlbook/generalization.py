"""Empirical risk against expected risk: how fast the gap closes as the sample size m grows.

Two settings of statistical learning theory, measured over many independent data sets:

* one fixed hypothesis with a loss in [0, 1]: R_hat_m(h) - R(h) is a mean of m i.i.d.
  bounded terms, so it shrinks like m^(-1/2) (Hoeffding);
* the empirical-risk minimiser of well-specified least squares: its excess risk
  R(theta_hat) - R(theta*) shrinks like m^(-1), with mean sigma^2 d / (m - d - 1).

Chapter 2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CHUNK = 2**20  # numbers drawn at a time, so that large m x draws fit in memory


@dataclass(frozen=True)
class NoisyThreshold:
    """x ~ U[0, 1], y = 1[x > boundary], each label flipped with probability eta.

    Hypotheses h_t(x) = 1[x > t] under the 0-1 loss have an exact risk (:meth:`risk`).
    """

    boundary: float = 0.5
    eta: float = 0.1

    def sample(
        self, shape: int | tuple[int, ...], rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw (x, y). Shapes: -> x: shape, y: shape in {0, 1}. Chapter 2."""
        x = rng.uniform(0.0, 1.0, size=shape)
        flip = rng.uniform(0.0, 1.0, size=shape) < self.eta
        return x, (x > self.boundary) ^ flip

    def risk(self, t: float) -> float:
        """R(h_t) = P(h_t(x) != y) = eta + (1 - 2 eta) |t - boundary| for t in [0, 1].

        Shapes: scalar -> scalar. Chapter 2.
        """
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"threshold t must lie in [0, 1], got {t}")
        return self.eta + (1.0 - 2.0 * self.eta) * abs(t - self.boundary)


def empirical_risk(t: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """R_hat(h_t) = (1/m) sum_i 1[h_t(x_i) != y_i], the mean 0-1 loss over the last axis.

    Shapes: x, y: (..., m) -> (...). Chapter 2.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape:
        raise ValueError(f"x of shape {x.shape} and y of shape {y.shape} do not match")
    return np.mean((x > t) != y, axis=-1)


def _chunks(draws: int, m: int) -> list[int]:
    per = max(1, CHUNK // max(m, 1))
    return [min(per, draws - start) for start in range(0, draws, per)]


def fixed_hypothesis_gaps(
    task: NoisyThreshold, t: float, ms: Sequence[int], draws: int, rng: np.random.Generator
) -> np.ndarray:
    """R_hat_m(h_t) - R(h_t) on `draws` independent data sets of each size m.

    Shapes: ms: (M,) -> (M, draws). Chapter 2.
    """
    if draws < 1 or min(ms) < 1:
        raise ValueError(f"need draws >= 1 and every m >= 1, got draws={draws}, ms={list(ms)}")
    risk = task.risk(t)
    rows = []
    for m in ms:
        parts = [empirical_risk(t, *task.sample((n, m), rng)) for n in _chunks(draws, m)]
        rows.append(np.concatenate(parts) - risk)  # (draws,)
    return np.array(rows)


def hoeffding_epsilon(m: int | np.ndarray, delta: float) -> float | np.ndarray:
    """epsilon = sqrt(log(2 / delta) / (2 m)): P(|R_hat_m - R| > epsilon) <= delta.

    For one fixed hypothesis and a loss in [0, 1]. Shapes: m: scalar or (M,) -> same.
    Chapter 2.
    """
    if not 0.0 < delta < 1.0:
        raise ValueError(f"delta must lie in (0, 1), got {delta}")
    return np.sqrt(math.log(2.0 / delta) / (2.0 * np.asarray(m, dtype=float)))


def hoeffding_sample_size(epsilon: float, delta: float) -> int:
    """m* = ceil(log(2 / delta) / (2 epsilon^2)), the smallest m with hoeffding_epsilon <= eps.

    Shapes: scalars -> scalar. Chapter 2.
    """
    if not epsilon > 0.0:
        raise ValueError(f"epsilon must be positive, got {epsilon}")
    if not 0.0 < delta < 1.0:
        raise ValueError(f"delta must lie in (0, 1), got {delta}")
    return math.ceil(math.log(2.0 / delta) / (2.0 * epsilon**2))


def least_squares_excess_risks(
    ms: Sequence[int],
    theta_star: np.ndarray,
    sigma: float,
    draws: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """R(theta_hat) - R(theta*) = ||theta_hat - theta*||^2 for least squares on m samples.

    Data: x ~ N(0, I_d), y = x^T theta* + sigma N(0, 1); theta_hat minimises the empirical
    squared loss (the normal equations). With E[x x^T] = I the excess risk is exactly
    ||theta_hat - theta*||^2. Shapes: ms: (M,), theta_star: (d,) -> (M, draws). Chapter 2.
    """
    theta_star = np.asarray(theta_star, dtype=float)
    d = theta_star.shape[0]
    if min(ms) <= d + 1:
        raise ValueError(f"need every m > d + 1 = {d + 1} samples, got ms={list(ms)}")
    rows = []
    for m in ms:
        parts = []
        for n in _chunks(draws, m * d):
            X = rng.standard_normal((n, m, d))
            y = X @ theta_star + sigma * rng.standard_normal((n, m))  # (n, m)
            XtX = np.swapaxes(X, 1, 2) @ X  # (n, d, d)
            Xty = np.einsum("nmd,nm->nd", X, y)  # (n, d)
            theta_hat = np.linalg.solve(XtX, Xty[..., None])[..., 0]  # (n, d, 1) -> (n, d)
            parts.append(np.sum((theta_hat - theta_star) ** 2, axis=1))
        rows.append(np.concatenate(parts))
    return np.array(rows)


def ols_expected_excess_risk(m: int | np.ndarray, d: int, sigma: float) -> float | np.ndarray:
    """E[R(theta_hat) - R(theta*)] = sigma^2 d / (m - d - 1) for Gaussian inputs, m > d + 1.

    Shapes: m: scalar or (M,) -> same. Chapter 2.
    """
    m = np.asarray(m, dtype=float)
    if np.any(m <= d + 1):
        raise ValueError(f"the formula needs m > d + 1 = {d + 1}, got m = {m}")
    return sigma**2 * d / (m - d - 1)


def loglog_slope(m: Sequence[float], values: Sequence[float]) -> float:
    """The slope b of the least-squares line log v = a + b log m (v ~ m^b).

    Shapes: m, values: (M,) with M >= 2 -> scalar. Chapter 2.
    """
    m, values = np.asarray(m, dtype=float), np.asarray(values, dtype=float)
    if m.shape != values.shape or m.ndim != 1 or len(m) < 2:
        raise ValueError(f"need matching 1-D arrays of >= 2 points, got {m.shape}, {values.shape}")
    if np.any(m <= 0) or np.any(values <= 0):
        raise ValueError("a log-log slope needs positive m and values")
    return float(np.polyfit(np.log(m), np.log(values), 1)[0])
