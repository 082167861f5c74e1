"""Linear regions of ReLU networks: activation patterns, exact counts and Zaslavsky's bound.

Inside a region every unit keeps its sign, so a ReLU network is affine there. A shallow
layer with M units in D dimensions cuts R^D along M hyperplanes a_k^T x + b_k = 0, into at
most sum_{i<=D} C(M, i) regions. Chapter 3.
"""

from __future__ import annotations

from math import comb

import numpy as np

from dlbook.nets import Params, check_params, forward_trace


def zaslavsky_bound(M: int, D: int) -> int:
    """R(M, D) = sum_{i=0}^{D} C(M, i): most regions M hyperplanes cut R^D into.

    Reached exactly when the hyperplanes are in general position.
    Shapes: scalars -> scalar. Chapter 3.
    """
    if M < 0 or D < 0:
        raise ValueError(f"need M >= 0 hyperplanes and D >= 0 dimensions, got M={M}, D={D}")
    return sum(comb(M, i) for i in range(D + 1))


def activation_patterns(params: Params, X: np.ndarray) -> np.ndarray:
    """s(x) = [z_l(x) > 0 for every hidden layer l]: which ReLUs are on at each input.

    Shapes: X: (B, n_0) -> (B, n_1 + ... + n_{L-1}) booleans. Chapter 3.
    """
    zs, _ = forward_trace(params, X, "relu")
    if len(zs) == 1:
        raise ValueError("a network with one layer (A, b) has no hidden units")
    return np.concatenate([z > 0 for z in zs[:-1]], axis=1)  # (B, total hidden units)


def layer_patterns(A: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    """s(x) = [A x + b > 0]: the activation pattern of one ReLU layer (no read-out).

    Shapes: A: (M, D), b: (M,), X: (B, D) -> (B, M) booleans. Chapter 3.
    """
    A, b, X = np.asarray(A, float), np.asarray(b, float), np.asarray(X, float)
    if A.ndim != 2 or b.shape != (A.shape[0],) or X.ndim != 2 or X.shape[1] != A.shape[1]:
        raise ValueError(
            f"A has shape {A.shape}, b {b.shape}, X {X.shape}; expected (M, D), (M,), (B, D)"
        )
    return X @ A.T + b > 0  # (B, D) @ (D, M) -> (B, M)


def count_patterns(patterns: np.ndarray) -> int:
    """Number of distinct rows of a pattern matrix: the regions that the points visit.

    Shapes: patterns: (B, M) -> scalar. Chapter 3.
    """
    patterns = np.asarray(patterns)
    if patterns.ndim != 2:
        raise ValueError(f"patterns must be (B, M), got shape {patterns.shape}")
    if patterns.shape[1] <= 62:  # one integer code per row: far faster than rows
        codes = patterns.astype(np.int64) @ (np.int64(1) << np.arange(patterns.shape[1]))
        return len(np.unique(codes))
    return len(np.unique(patterns, axis=0))


def breakpoints_1d(params: Params, lo: float, hi: float) -> np.ndarray:
    """Exact points in (lo, hi) where some ReLU of a 1-D-input network changes sign.

    Layer by layer: every pre-activation is linear between the current breakpoints, so its
    zero crossings are found exactly by linear interpolation.
    Shapes: widths (1, ..., n_L) -> (K,) sorted. Chapter 3.
    """
    widths = check_params(params)
    if widths[0] != 1 or not lo < hi:
        raise ValueError(f"need a 1-D input and lo < hi, got widths {widths}, ({lo}, {hi})")
    points = np.array([lo, hi], dtype=float)
    for l in range(1, len(params)):  # hidden layers only: the read-out has no ReLU
        z = forward_trace(params, points[:, None])[0][l - 1]  # (P, n_l) at the points
        new = []
        for k in range(z.shape[1]):
            left, right = z[:-1, k], z[1:, k]
            cross = np.flatnonzero(left * right < 0)  # a strict sign change inside a piece
            t = left[cross] / (left[cross] - right[cross])
            new.append(points[cross] + t * (points[cross + 1] - points[cross]))
        points = np.unique(np.concatenate([points, *new]))
    return points[1:-1]


def count_regions_1d(params: Params, lo: float, hi: float) -> int:
    """Exact number of activation regions of a 1-D-input ReLU network on (lo, hi).

    Adjacent pieces with the same pattern are one region.
    Shapes: widths (1, ..., n_L) -> scalar. Chapter 3.
    """
    edges = np.concatenate([[lo], breakpoints_1d(params, lo, hi), [hi]])
    mids = (edges[:-1] + edges[1:]) / 2
    patterns = activation_patterns(params, mids[:, None])  # (P, units)
    return 1 + int(np.any(patterns[1:] != patterns[:-1], axis=1).sum())


def count_regions_2d(A: np.ndarray, b: np.ndarray) -> int:
    """Exact number of regions of R^2 cut by the lines a_k^T x + b_k = 0 (distinct lines).

    Enumerates the arrangement: one probe point in every cell around every crossing point,
    and beside both far ends of every line; counts their distinct patterns.
    Shapes: A: (M, 2), b: (M,) -> scalar. Chapter 3.
    """
    A, b = np.asarray(A, float), np.asarray(b, float)
    if A.ndim != 2 or A.shape[1] != 2 or b.shape != (A.shape[0],):
        raise ValueError(f"A has shape {A.shape} and b {b.shape}; expected (M, 2) and (M,)")
    M = A.shape[0]
    if M == 0:
        return 1
    norms = np.linalg.norm(A, axis=1)
    if np.any(norms == 0):
        raise ValueError("every line needs a nonzero normal a_k")
    A, b = A / norms[:, None], b / norms
    vertices = [
        np.linalg.solve(A[[i, j]], -b[[i, j]])
        for i in range(M)
        for j in range(i + 1, M)
        if abs(np.linalg.det(A[[i, j]])) > 1e-12
    ]
    V = np.array(vertices).reshape(-1, 2)
    gaps = np.abs(V @ A.T + b)  # distance of each vertex to each line
    eps = 1e-3 * max(gaps[gaps > 1e-9].min(initial=1.0), 1e-9)
    directions = np.array([[-A[k, 1], A[k, 0]] for k in range(M)])  # along each line
    angles = np.sort(np.mod(np.arctan2(directions[:, 1], directions[:, 0]), np.pi))
    rays = np.concatenate([angles, angles + np.pi])  # both directions of every line
    mid = (rays + np.roll(rays, -1) + np.where(np.arange(2 * M) == 2 * M - 1, 2 * np.pi, 0)) / 2
    probe_dirs = np.column_stack([np.cos(mid), np.sin(mid)])  # between consecutive rays
    probes = [(V[:, None, :] + eps * probe_dirs[None]).reshape(-1, 2)]
    far = 10.0 * (1.0 + np.abs(V).max(initial=0.0) + np.abs(b).max())
    foot = -b[:, None] * A  # closest point of each line to the origin
    for sign in (-1.0, 1.0):
        for side in (-1.0, 1.0):
            probes.append(foot + sign * far * directions + side * 1e-6 * far * A)
    return count_patterns(layer_patterns(A, b, np.concatenate(probes)))


def count_regions_lines_formula(A: np.ndarray, b: np.ndarray, tol: float = 1e-9) -> int:
    """R = 1 + M + sum_p (m_p - 1) for M distinct lines, m_p lines through crossing point p.

    Euler's formula for a line arrangement (an independent check of the enumeration).
    Shapes: A: (M, 2), b: (M,) -> scalar. Chapter 3.
    """
    A, b = np.asarray(A, float), np.asarray(b, float)
    if A.ndim != 2 or A.shape[1] != 2 or b.shape != (A.shape[0],):
        raise ValueError(f"A has shape {A.shape} and b {b.shape}; expected (M, 2) and (M,)")
    M = A.shape[0]
    points: list[np.ndarray] = []
    for i in range(M):
        for j in range(i + 1, M):
            if abs(np.linalg.det(A[[i, j]])) > tol:
                p = np.linalg.solve(A[[i, j]], -b[[i, j]])
                if not any(np.allclose(p, q, atol=tol) for q in points):
                    points.append(p)
    through = [
        int(np.sum(np.abs(A @ p + b) <= tol * (1 + np.linalg.norm(A, axis=1)))) for p in points
    ]
    return 1 + M + sum(m - 1 for m in through)


def sawtooth_params(L: int) -> Params:
    """L hidden layers of two ReLUs, each computing the tent t(x) = 2 relu(x) - 4 relu(x - 1/2).

    Composing the tent L times gives a sawtooth with 2^L linear pieces on [0, 1].
    Shapes: -> widths (1, 2, ..., 2, 1). Chapter 3.
    """
    if L < 1:
        raise ValueError(f"the sawtooth needs L >= 1 layers, got {L}")
    first = (np.ones((2, 1)), np.array([0.0, -0.5]))
    middle = (np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))
    return [first] + [middle] * (L - 1) + [(np.array([[2.0, -4.0]]), np.zeros(1))]
