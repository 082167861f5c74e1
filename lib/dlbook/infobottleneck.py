"""The information plane: I(X;T) and I(T;Y) of a layer T, estimated by binning activations.

The information bottleneck asks for a representation T of X that solves
min I(X;T) - beta I(T;Y). For a deterministic network T = h(X) is a function of X, so
I(X;T) is infinite for continuous activations; binning each unit into a few intervals
makes T discrete, and then the plug-in estimates below are finite. They depend on the
number of bins (the estimator is part of the picture). Chapter 8.
"""

from __future__ import annotations

import numpy as np


def discretize(T: np.ndarray, n_bins: int, low: float, high: float) -> np.ndarray:
    """t_id = the row of bin indices floor(n_bins (t - low) / (high - low)), as one integer.

    Rows falling in the same cell of the grid get the same id (ids 0, 1, ... by first use).
    Shapes: T: (n, m) -> (n,) integers. Chapter 8.
    """
    T = np.asarray(T, dtype=float)
    if T.ndim != 2 or n_bins < 1 or not high > low:
        raise ValueError(f"need T (n, m), n_bins >= 1, high > low; got {T.shape}, {n_bins}, "
                         f"[{low}, {high}]")  # fmt: skip
    cells = np.clip(np.floor(n_bins * (T - low) / (high - low)), 0, n_bins - 1).astype(int)
    _, ids = np.unique(cells, axis=0, return_inverse=True)
    return ids.reshape(-1)


def entropy(ids: np.ndarray) -> float:
    """H(A) = - sum_a p(a) log2 p(a), with p the empirical frequencies, in bits.

    Shapes: ids: (n,) integers -> scalar. Chapter 8.
    """
    _, counts = np.unique(np.asarray(ids), return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def mutual_information(a: np.ndarray, b: np.ndarray) -> float:
    """I(A;B) = H(A) + H(B) - H(A, B) from paired samples, in bits (plug-in estimate).

    Shapes: a, b: (n,) integers -> scalar. Chapter 8.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be paired 1-D samples; got {a.shape} and {b.shape}")
    joint = np.unique(np.stack([a, b], axis=1), axis=0, return_inverse=True)[1].reshape(-1)
    return entropy(a) + entropy(b) - entropy(joint)


def information_plane(
    T: np.ndarray, x_ids: np.ndarray, y: np.ndarray, n_bins: int, low: float, high: float
) -> tuple[float, float]:
    """(I(X;T), I(T;Y)) of the binned layer T over a data set with X-identities x_ids.

    Shapes: T: (n, m), x_ids: (n,), y: (n,) -> (scalar, scalar). Chapter 8.
    """
    t = discretize(T, n_bins, low, high)
    return mutual_information(x_ids, t), mutual_information(t, y)
