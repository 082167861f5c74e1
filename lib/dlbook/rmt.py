"""Random matrix theory for deep learning: the Marchenko-Pastur law and products of random
layers (the input-output Jacobian of a deep linear network at initialisation).

For W with i.i.d. N(0, 1) entries of shape (n, d), the eigenvalues of W^T W / n follow, as
n, d -> inf with d / n -> gamma <= 1, the density
rho(x) = sqrt((b - x)(x - a)) / (2 pi gamma x) on [a, b], a, b = (1 -+ sqrt(gamma))^2.
Appendix (background of the theory course).
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import cumulative_trapezoid
from scipy.stats import ortho_group


def _ratio(gamma: float) -> float:
    if not 0 < gamma <= 1:
        raise ValueError(f"the aspect ratio gamma = d / n must lie in (0, 1], got {gamma}")
    return float(gamma)


def mp_edges(gamma: float) -> tuple[float, float]:
    """(a, b) = ((1 - sqrt(gamma))^2, (1 + sqrt(gamma))^2), the support of the MP law.

    Shapes: scalar -> two scalars. Appendix.
    """
    g = _ratio(gamma)
    return (1 - np.sqrt(g)) ** 2, (1 + np.sqrt(g)) ** 2


def mp_density(x: np.ndarray, gamma: float) -> np.ndarray:
    """rho(x) = sqrt((b - x)(x - a)) / (2 pi gamma x) on [a, b], 0 elsewhere.

    Shapes: x: any -> same. Appendix.
    """
    a, b = mp_edges(gamma)
    x = np.asarray(x, float)
    inside = (x > a) & (x < b)
    safe = np.where(inside, x, 1.0)
    return np.where(inside, np.sqrt((b - safe) * (safe - a)) / (2 * np.pi * gamma * safe), 0.0)


def mp_cdf(x: np.ndarray, gamma: float) -> np.ndarray:
    """F(x) = int_a^x rho, by the trapezoid rule on a fine grid. Shapes: any -> same. Appendix."""
    a, b = mp_edges(gamma)
    # a grid that is dense near the square-root edges (cosine spacing)
    grid = a + (b - a) * (1 - np.cos(np.linspace(0, np.pi, 20001))) / 2
    cum = cumulative_trapezoid(mp_density(grid, gamma), grid, initial=0.0)
    return np.interp(np.asarray(x, float), grid, cum / cum[-1])


def wishart_eigenvalues(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Eigenvalues of W^T W / n for W of shape (n, d) with N(0, 1) entries (d <= n).

    Shapes: -> (d,). Appendix.
    """
    if not 1 <= d <= n:
        raise ValueError(f"need 1 <= d <= n, got n = {n}, d = {d}")
    W = rng.standard_normal((n, d))
    return np.linalg.eigvalsh(W.T @ W / n)


def ks_distance(samples: np.ndarray, cdf: np.ndarray) -> float:
    """D = sup_x |F_n(x) - F(x)| from the sorted samples and F evaluated at them.

    Shapes: samples: (N,) sorted, cdf: (N,) = F(samples) -> scalar. Appendix.
    """
    samples, cdf = np.asarray(samples, float), np.asarray(cdf, float)
    if samples.shape != cdf.shape or samples.ndim != 1:
        raise ValueError(f"samples {samples.shape} and cdf {cdf.shape} must be equal 1-D shapes")
    n = samples.size
    upper = np.arange(1, n + 1) / n - cdf
    lower = cdf - np.arange(n) / n
    return float(max(upper.max(), lower.max()))


def deep_linear_jacobian_singular_values(
    width: int, depth: int, init: str, rng: np.random.Generator
) -> np.ndarray:
    """Singular values of J = W_L ... W_1 for a deep linear network at initialisation.

    init "gaussian": W_l ~ N(0, 1/width) (variance-preserving); "orthogonal": W_l Haar-random
    orthogonal, so J is orthogonal and every singular value is 1 (dynamical isometry).
    Shapes: -> (width,). Appendix (links chapter 6).
    """
    if width < 1 or depth < 1:
        raise ValueError(f"need width, depth >= 1, got {width}, {depth}")
    if init not in ("gaussian", "orthogonal"):
        raise ValueError(f"unknown init {init!r}; choose 'gaussian' or 'orthogonal'")
    J = np.eye(width)
    for _ in range(depth):
        if init == "gaussian":
            W = rng.standard_normal((width, width)) / np.sqrt(width)
        else:
            W = ortho_group.rvs(width, random_state=rng)
        J = W @ J
    return np.linalg.svd(J, compute_uv=False)
