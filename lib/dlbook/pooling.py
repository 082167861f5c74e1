"""Pooling and upsampling: max and mean over windows, bilinear upsampling, and pooling over
the translation group, f(X) = max_phi g(X * phi), which makes any g exactly invariant.

Chapter 8.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlbook.conv import im2col


def _pool(X: np.ndarray, kernel: int, stride: int | None) -> tuple[np.ndarray, tuple]:
    X = np.asarray(X, dtype=float)
    if X.ndim != 4:
        raise ValueError(f"X must be (B, C, H, W), got {X.shape}")
    stride = kernel if stride is None else stride
    B, C, H, W = X.shape
    cols = im2col(X.reshape(B * C, 1, H, W), kernel, kernel, stride)  # (BC, k k, L)
    Ho, Wo = (H - kernel) // stride + 1, (W - kernel) // stride + 1
    return cols, (B, C, Ho, Wo)


def max_pool2d(X: np.ndarray, kernel: int, stride: int | None = None) -> np.ndarray:
    """y[b, c, i, j] = max_{u,v < k} x[b, c, s i + u, s j + v] (stride s = k by default).

    Shapes: X: (B, C, H, W) -> (B, C, H_out, W_out). Chapter 8.
    """
    cols, shape = _pool(X, kernel, stride)
    return cols.max(axis=1).reshape(shape)


def avg_pool2d(X: np.ndarray, kernel: int, stride: int | None = None) -> np.ndarray:
    """y[b, c, i, j] = (1/k^2) sum_{u,v < k} x[b, c, s i + u, s j + v].

    Shapes: X: (B, C, H, W) -> (B, C, H_out, W_out). Chapter 8.
    """
    cols, shape = _pool(X, kernel, stride)
    return cols.mean(axis=1).reshape(shape)


def bilinear_matrix(n: int, scale: int) -> np.ndarray:
    """M[i, j]: weight of input j in output i, source (i + 1/2)/scale - 1/2 (half-pixel).

    Each row mixes the two nearest inputs linearly (clamped at the borders), as
    `F.interpolate(mode="bilinear", align_corners=False)` does along one axis.
    Shapes: -> (n scale, n). Chapter 8.
    """
    if n < 1 or scale < 1:
        raise ValueError(f"need n >= 1 and an integer scale >= 1; got n={n}, scale={scale}")
    src = np.maximum((np.arange(n * scale) + 0.5) / scale - 0.5, 0.0)  # (n scale,)
    i0 = np.minimum(np.floor(src).astype(int), n - 1)
    i1 = np.minimum(i0 + 1, n - 1)
    lam = src - i0
    M = np.zeros((n * scale, n))
    rows = np.arange(n * scale)
    np.add.at(M, (rows, i0), 1 - lam)
    np.add.at(M, (rows, i1), lam)
    return M


def bilinear_upsample(X: np.ndarray, scale: int) -> np.ndarray:
    """Y = M_H X M_W^T per channel: separable linear interpolation by an integer factor.

    Shapes: X: (B, C, H, W) -> (B, C, H scale, W scale). Chapter 8.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 4:
        raise ValueError(f"X must be (B, C, H, W), got {X.shape}")
    MH, MW = bilinear_matrix(X.shape[2], scale), bilinear_matrix(X.shape[3], scale)
    return np.einsum("ih,bchw,jw->bcij", MH, X, MW)


def cyclic_shift(X: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """(X * phi)[.., i, j] = X[.., i - dy mod H, j - dx mod W]: a cyclic translation.

    Shapes: X: (..., H, W) -> (..., H, W). Chapter 8.
    """
    return np.roll(np.asarray(X), (dy, dx), axis=(-2, -1))


def all_shifts(X: np.ndarray) -> np.ndarray:
    """Every cyclic translation of every image: the orbit of X under the group.

    Shapes: X: (n, H, W) -> (n, H W, H, W), shift (dy, dx) at index dy W + dx. Chapter 8.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 3:
        raise ValueError(f"X must be (n, H, W), got {X.shape}")
    H, W = X.shape[1:]
    return np.stack([cyclic_shift(X, dy, dx) for dy in range(H) for dx in range(W)], axis=1)


def group_pool(
    g: Callable[[np.ndarray], np.ndarray], X: np.ndarray, reduce: str = "max"
) -> np.ndarray:
    """f(X) = max_phi g(X * phi) (or the sum) over all H W cyclic translations phi.

    Exactly invariant: shifting X only permutes the set {X * phi} the max runs over.
    Shapes: g: (m, H, W) -> (m, K); X: (n, H, W) -> (n, K). Chapter 8.
    """
    if reduce not in ("max", "sum"):
        raise ValueError(f"reduce must be 'max' or 'sum', got {reduce!r}")
    orbit = all_shifts(X)  # (n, G, H, W), G = H W
    n, G = orbit.shape[:2]
    scores = np.asarray(g(orbit.reshape(n * G, *orbit.shape[2:])))  # (n G, K)
    scores = scores.reshape(n, G, -1)
    return scores.max(axis=1) if reduce == "max" else scores.sum(axis=1)
