"""Scaling limits in numbers: KS distance to N(0, 1), excess kurtosis, log-log fits with
confidence intervals, and the depth-to-width law of deep ReLU networks at initialisation.

Chapter 12 uses these to turn "tends to a Gaussian" into a measured rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from dlbook.rmt import ks_distance


def ks_to_normal(samples: np.ndarray) -> float:
    """D = sup_x |F_M(x) - Phi(x)| of the samples against the standard normal CDF Phi.

    Shapes: samples: (M,) -> scalar. Chapter 12 (the appendix's ks_distance underneath).
    """
    samples = np.sort(np.asarray(samples, dtype=float))
    if samples.ndim != 1 or samples.size < 2:
        raise ValueError(f"need a 1-D array of at least 2 samples, got shape {samples.shape}")
    return ks_distance(samples, stats.norm.cdf(samples))


def standardised_sums(n: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Z_n = (sum_{i<=n} X_i - n) / sqrt(n) for X_i ~ Exp(1), via sum ~ Gamma(n, 1).

    Shapes: -> (draws,). Chapter 12.
    """
    if n < 1 or draws < 1:
        raise ValueError(f"need n >= 1 and draws >= 1, got {n}, {draws}")
    return (rng.gamma(n, size=draws) - n) / np.sqrt(n)


def excess_kurtosis(samples: np.ndarray) -> float:
    """kappa = E[(X - mu)^4] / Var(X)^2 - 3 (0 for a Gaussian).

    Shapes: samples: (M,) -> scalar. Chapter 12.
    """
    x = np.asarray(samples, dtype=float)
    if x.ndim != 1 or x.size < 4:
        raise ValueError(f"need a 1-D array of at least 4 samples, got shape {x.shape}")
    c = x - x.mean()
    return float(np.mean(c**4) / np.mean(c**2) ** 2 - 3.0)


@dataclass(frozen=True)
class LogLogFit:
    """log y = log a + slope log x, with a confidence interval for the slope and R^2."""

    slope: float
    log_a: float
    ci: tuple[float, float]
    r2: float


def fit_loglog(x: Sequence[float], y: Sequence[float], level: float = 0.95) -> LogLogFit:
    """y = a x^slope by least squares in log-log; slope +- t_{level} * standard error.

    Shapes: x, y: (M,) with M >= 3 -> LogLogFit. Chapter 12.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size < 3:
        raise ValueError(f"need matching 1-D arrays of >= 3 points, got {x.shape}, {y.shape}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("a power law needs positive x and y")
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    lx, ly = np.log(x), np.log(y)
    slope, log_a = np.polyfit(lx, ly, 1)
    resid = ly - (log_a + slope * lx)
    m = x.size
    se = np.sqrt(resid @ resid / (m - 2) / np.sum((lx - lx.mean()) ** 2))
    half = stats.t.ppf(0.5 + level / 2, m - 2) * se
    r2 = 1 - resid @ resid / np.sum((ly - ly.mean()) ** 2)
    return LogLogFit(
        float(slope), float(log_a), (float(slope - half), float(slope + half)), float(r2)
    )


def relu_log_norm_increments(
    n: int, depth: int, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """log(||h_l||^2 / ||h_{l-1}||^2) for a He-initialised ReLU net, layer by layer.

    With W ~ N(0, 2/n), W h has the law of ||h|| N(0, (2/n) I), so each increment is
    log((2/n) chi^2_K) with K ~ Binomial(n, 1/2) active units, independent across layers.
    Shapes: -> (draws, depth). Chapter 12.
    """
    if n < 1 or depth < 1 or draws < 1:
        raise ValueError(f"need n, depth, draws >= 1, got {n}, {depth}, {draws}")
    active = rng.binomial(n, 0.5, size=(draws, depth))
    chi2 = rng.chisquare(np.maximum(active, 1)) * (active > 0)
    with np.errstate(divide="ignore"):
        return np.log(2.0 / n * chi2)


def relu_log_norm_explicit(n: int, depth: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """log(||h_d||^2 / ||h_0||^2) for d = 1..depth from explicit He weight matrices.

    h_0 = e_1, h_l = relu(W_l h_{l-1}), W_l ~ N(0, 2/n). Shapes: -> (draws, depth). Chapter 12.
    """
    if n < 1 or depth < 1 or draws < 1:
        raise ValueError(f"need n, depth, draws >= 1, got {n}, {depth}, {draws}")
    h = np.zeros((draws, n))
    h[:, 0] = 1.0
    out = np.empty((draws, depth))
    for layer in range(depth):
        W = rng.standard_normal((draws, n, n)) * np.sqrt(2.0 / n)
        h = np.maximum(np.einsum("bij,bj->bi", W, h), 0.0)  # (draws, n)
        out[:, layer] = np.log((h**2).sum(1))
    return out
