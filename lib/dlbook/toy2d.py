"""Two-dimensional toy distributions for generative models, and how to compare samples.

A ring of Gaussians (the standard test of mode coverage), two moons, the kernel two-sample
statistic MMD^2 between two sets of samples, and a count of the ring's modes a sampler
covers. Chapter 11 trains a VAE, a GAN and a diffusion model on these and compares them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.datasets import make_moons


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """c_k = r (cos 2 pi k / K, sin 2 pi k / K), k = 0..K-1: the centres of the ring.

    Shapes: -> (K, 2). Chapter 11.
    """
    if modes < 1 or radius <= 0:
        raise ValueError(f"need modes >= 1 and radius > 0, got {modes} and {radius}")
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def ring_of_gaussians(
    n: int, rng: np.random.Generator, modes: int = 8, radius: float = 2.0, std: float = 0.1
) -> np.ndarray:
    """x = c_k + std * eps, k ~ U{0..K-1}, eps ~ N(0, I): an equal mixture of K Gaussians.

    Shapes: -> (n, 2). Chapter 11.
    """
    if n < 1 or std <= 0:
        raise ValueError(f"need n >= 1 and std > 0, got {n} and {std}")
    centers = ring_centers(modes, radius)
    k = rng.integers(0, modes, n)
    return centers[k] + std * rng.standard_normal((n, 2))


def two_moons(n: int, rng: np.random.Generator, noise: float = 0.05) -> np.ndarray:
    """Two interleaved half circles (scikit-learn's make_moons), centred and scaled to ~unit spread.

    Shapes: -> (n, 2). Chapter 11.
    """
    X, _ = make_moons(n, noise=noise, random_state=int(rng.integers(2**31)))
    return (X - np.array([0.5, 0.25])) * np.array([1.0, 2.0])  # (n, 2)


def rbf_kernel(X: np.ndarray, Y: np.ndarray, bandwidths: Sequence[float]) -> np.ndarray:
    """k(x, y) = sum_h exp(-||x - y||^2 / (2 h^2)): a sum of Gaussian kernels.

    Shapes: X: (n, D), Y: (m, D) -> (n, m). Chapter 11.
    """
    X, Y = np.atleast_2d(np.asarray(X, float)), np.atleast_2d(np.asarray(Y, float))
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X has shape {X.shape} but Y has shape {Y.shape}: dimensions differ")
    sq = (X**2).sum(1)[:, None] + (Y**2).sum(1)[None, :] - 2 * X @ Y.T  # (n, m)
    sq = np.maximum(sq, 0.0)
    return sum(np.exp(-sq / (2 * h**2)) for h in bandwidths)


def mmd2(X: np.ndarray, Y: np.ndarray, bandwidths: Sequence[float] = (0.1, 0.3, 1.0)) -> float:
    """MMD^2 = mean k(x, x') + mean k(y, y') - 2 mean k(x, y): zero when the samples agree.

    The biased (V-statistic) estimate, so MMD^2(X, X) = 0 exactly and it is never negative.
    Shapes: X: (n, D), Y: (m, D) -> scalar. Chapter 11.
    """
    if len(bandwidths) == 0 or min(bandwidths) <= 0:
        raise ValueError(f"bandwidths must be positive, got {bandwidths}")
    kxx = rbf_kernel(X, X, bandwidths).mean()
    kyy = rbf_kernel(Y, Y, bandwidths).mean()
    kxy = rbf_kernel(X, Y, bandwidths).mean()
    return float(max(kxx + kyy - 2 * kxy, 0.0))


def mode_counts(samples: np.ndarray, centers: np.ndarray, within: float = 0.3) -> np.ndarray:
    """n_k = #{x : ||x - c_k|| < within}: how many samples land near each centre.

    Shapes: samples: (n, 2), centers: (K, 2) -> (K,). Chapter 11.
    """
    samples, centers = np.asarray(samples, float), np.asarray(centers, float)
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples {samples.shape} and centers {centers.shape} must be (n, D), (K, D)"
        )
    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)  # (n, K)
    return (dist < within).sum(axis=0)


def modes_captured(
    samples: np.ndarray, centers: np.ndarray, within: float = 0.3, min_share: float = 0.02
) -> int:
    """#{k : n_k / n >= min_share}: the modes that get at least a small share of the samples.

    Shapes: samples: (n, 2), centers: (K, 2) -> scalar. Chapter 11.
    """
    counts = mode_counts(samples, centers, within)
    return int((counts / len(samples) >= min_share).sum())
