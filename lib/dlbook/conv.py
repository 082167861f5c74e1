"""Convolutions from scratch: y[k, i] = b_k + sum_{c, u} W[k, c, u] x[c, s i + d u - p].

(Cross-correlation, as in every deep-learning library.) A loop version to read
(`conv1d_naive`, `conv2d_naive`), an im2col version for speed (`conv2d`, `conv1d`), its
backward pass, the transposed convolution as its adjoint, the output-size formula and
the receptive field of a stack of layers. Chapter 8.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch.nn import functional as F

Pair = int | tuple[int, int]


def _pair(v: Pair, name: str) -> tuple[int, int]:
    a, b = (v, v) if isinstance(v, int | np.integer) else tuple(v)
    return int(a), int(b)


def conv_output_size(
    n: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """n_out = floor((n + 2p - d (k - 1) - 1) / s) + 1.

    Raises ValueError, naming the sizes, for a non-positive stride, kernel or dilation, a
    negative padding, or a (dilated) kernel larger than the padded input.
    Shapes: scalars -> scalar. Chapter 8.
    """
    if stride < 1 or kernel < 1 or dilation < 1 or padding < 0:
        raise ValueError(
            f"need stride, kernel, dilation >= 1 and padding >= 0; got stride={stride}, "
            f"kernel={kernel}, dilation={dilation}, padding={padding}"
        )
    span = dilation * (kernel - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(
            f"kernel of size {kernel} (span {span} with dilation {dilation}) is larger than "
            f"the padded input of size {n} + 2*{padding} = {n + 2 * padding}"
        )
    return (n + 2 * padding - span) // stride + 1


def _geometry(
    X: np.ndarray, W: np.ndarray, stride: Pair, padding: Pair, dilation: Pair
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]:
    if X.ndim != 4 or W.ndim != 4 or X.shape[1] != W.shape[1]:
        raise ValueError(f"X must be (B, C, H, W) and W (K, C, kh, kw); got {X.shape}, {W.shape}")
    s, p, d = _pair(stride, "stride"), _pair(padding, "padding"), _pair(dilation, "dilation")
    out = tuple(conv_output_size(X.shape[2 + a], W.shape[2 + a], s[a], p[a], d[a]) for a in (0, 1))
    return s, p, d, out


def im2col(
    X: np.ndarray, kh: int, kw: int, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
) -> np.ndarray:
    """cols[b, (c, u, v), (i, j)] = x_pad[b, c, s i + d u, s j + d v]: every patch as a column.

    Shapes: X: (B, C, H, W) -> (B, C kh kw, H_out W_out). Chapter 8.
    """
    s, p, d, (Ho, Wo) = _geometry(X, np.zeros((1, X.shape[1], kh, kw)), stride, padding, dilation)
    Xp = np.pad(X, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    B, C = X.shape[:2]
    cols = np.empty((B, C, kh, kw, Ho, Wo), dtype=np.result_type(X, float))
    for u in range(kh):
        for v in range(kw):
            i0, j0 = u * d[0], v * d[1]
            cols[:, :, u, v] = Xp[:, :, i0 : i0 + s[0] * (Ho - 1) + 1 : s[0],
                                  j0 : j0 + s[1] * (Wo - 1) + 1 : s[1]]  # fmt: skip
    return cols.reshape(B, C * kh * kw, Ho * Wo)


def col2im(
    cols: np.ndarray,
    shape: tuple[int, int, int, int],
    kh: int,
    kw: int,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """The adjoint of im2col: each column's entries are added back where they came from.

    Shapes: cols: (B, C kh kw, H_out W_out) -> X: shape = (B, C, H, W). Chapter 8.
    """
    B, C, H, Wd = shape
    s, p, d, (Ho, Wo) = _geometry(
        np.zeros(shape), np.zeros((1, C, kh, kw)), stride, padding, dilation
    )
    if cols.shape != (B, C * kh * kw, Ho * Wo):
        raise ValueError(f"cols has shape {cols.shape}; expected {(B, C * kh * kw, Ho * Wo)}")
    cols = cols.reshape(B, C, kh, kw, Ho, Wo)
    Xp = np.zeros((B, C, H + 2 * p[0], Wd + 2 * p[1]), dtype=cols.dtype)
    for u in range(kh):
        for v in range(kw):
            i0, j0 = u * d[0], v * d[1]
            Xp[:, :, i0 : i0 + s[0] * (Ho - 1) + 1 : s[0],
               j0 : j0 + s[1] * (Wo - 1) + 1 : s[1]] += cols[:, :, u, v]  # fmt: skip
    return Xp[:, :, p[0] : p[0] + H, p[1] : p[1] + Wd]


def conv2d(
    X: np.ndarray,
    W: np.ndarray,
    b: np.ndarray | None = None,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """y[b, k, i, j] = b_k + sum_{c,u,v} W[k,c,u,v] x_pad[b, c, s i + d u, s j + d v] (im2col).

    Shapes: X: (B, C, H, W), W: (K, C, kh, kw), b: (K,) -> (B, K, H_out, W_out). Chapter 8.
    """
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    _, _, _, (Ho, Wo) = _geometry(X, W, stride, padding, dilation)
    cols = im2col(X, W.shape[2], W.shape[3], stride, padding, dilation)  # (B, CKK, L)
    Y = W.reshape(W.shape[0], -1) @ cols  # (K, CKK) @ (B, CKK, L) -> (B, K, L)
    if b is not None:
        Y = Y + np.asarray(b, dtype=float)[:, None]
    return Y.reshape(X.shape[0], W.shape[0], Ho, Wo)


def conv2d_naive(
    X: np.ndarray,
    W: np.ndarray,
    b: np.ndarray | None = None,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """The same sum as `conv2d`, one sample, filter and position at a time (for reading).

    Shapes: X: (B, C, H, W), W: (K, C, kh, kw), b: (K,) -> (B, K, H_out, W_out). Chapter 8.
    """
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    s, p, d, (Ho, Wo) = _geometry(X, W, stride, padding, dilation)
    Xp = np.pad(X, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    kh, kw = W.shape[2:]
    Y = np.zeros((X.shape[0], W.shape[0], Ho, Wo))
    for n, k, i, j in np.ndindex(*Y.shape):
        rows = slice(s[0] * i, s[0] * i + d[0] * (kh - 1) + 1, d[0])
        cols = slice(s[1] * j, s[1] * j + d[1] * (kw - 1) + 1, d[1])
        patch = Xp[n, :, rows, cols]  # (C, kh, kw): what the kernel sees
        Y[n, k, i, j] = np.sum(W[k] * patch)
    return Y if b is None else Y + np.asarray(b, dtype=float)[:, None, None]


def conv2d_backward(
    dY: np.ndarray, X: np.ndarray, W: np.ndarray, stride: Pair = 1, padding: Pair = 0,
    dilation: Pair = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """dW = sum_{b,l} dy cols^T, db = sum dy, dX = col2im(W^T dy): the gradients of conv2d.

    Shapes: dY: (B, K, H_out, W_out) -> dX: (B, C, H, W), dW: (K, C, kh, kw), db: (K,).
    Chapter 8.
    """
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    _, _, _, (Ho, Wo) = _geometry(X, W, stride, padding, dilation)
    B, K = X.shape[0], W.shape[0]
    if dY.shape != (B, K, Ho, Wo):
        raise ValueError(f"dY has shape {dY.shape}; the output is {(B, K, Ho, Wo)}")
    kh, kw = W.shape[2:]
    dYr = dY.reshape(B, K, Ho * Wo)
    cols = im2col(X, kh, kw, stride, padding, dilation)
    dW = np.einsum("bkl,bcl->kc", dYr, cols).reshape(W.shape)
    dcols = W.reshape(K, -1).T @ dYr  # (CKK, K) @ (B, K, L) -> (B, CKK, L)
    dX = col2im(dcols, X.shape, kh, kw, stride, padding, dilation)
    return dX, dW, dY.sum(axis=(0, 2, 3))


def conv_transpose2d(
    Y: np.ndarray, W: np.ndarray, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1,
    output_padding: Pair = 0,
) -> np.ndarray:  # fmt: skip
    """x = conv^T(y): the adjoint of conv2d, so <conv(x), y> = <x, conv^T(y)>; upsamples.

    H = (H_in - 1) s - 2p + d (k - 1) + output_padding + 1, as `F.conv_transpose2d`.
    Shapes: Y: (B, K, H_in, W_in), W: (K, C, kh, kw) -> (B, C, H, W). Chapter 8.
    """
    Y, W = np.asarray(Y, dtype=float), np.asarray(W, dtype=float)
    if Y.ndim != 4 or W.ndim != 4 or Y.shape[1] != W.shape[0]:
        raise ValueError(f"Y must be (B, K, H, W) and W (K, C, kh, kw); got {Y.shape}, {W.shape}")
    s, p, d = _pair(stride, "stride"), _pair(padding, "padding"), _pair(dilation, "dilation")
    op = _pair(output_padding, "output_padding")
    if min(s) < 1 or not all(0 <= op[a] < s[a] for a in (0, 1)):
        raise ValueError(f"need stride >= 1 and 0 <= output_padding < stride; got {s}, {op}")
    H, Wd = ((Y.shape[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (W.shape[2 + a] - 1) + op[a] + 1
             for a in (0, 1))  # fmt: skip
    if H < 1 or Wd < 1:
        raise ValueError(f"output size {(H, Wd)} is not positive for input {Y.shape}")
    dY = Y.reshape(Y.shape[0], Y.shape[1], -1)  # (B, K, L)
    cols = np.einsum("kc,bkl->bcl", W.reshape(W.shape[0], -1), dY)
    return col2im(cols, (Y.shape[0], W.shape[1], H, Wd), *W.shape[2:], s, p, d)


def conv1d(
    X: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1,
    padding: int = 0, dilation: int = 1,
) -> np.ndarray:  # fmt: skip
    """y[b, k, i] = b_k + sum_{c,u} W[k,c,u] x_pad[b, c, s i + d u]: conv2d on a 1-row image.

    Shapes: X: (B, C, L), W: (K, C, k), b: (K,) -> (B, K, L_out). Chapter 8.
    """
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    if X.ndim != 3 or W.ndim != 3:
        raise ValueError(f"X must be (B, C, L) and W (K, C, k); got {X.shape}, {W.shape}")
    Y = conv2d(X[:, :, None], W[:, :, None], b, (1, stride), (0, padding), (1, dilation))
    return Y[:, :, 0]  # (B, K, 1, L_out) -> (B, K, L_out)


def conv1d_naive(
    X: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1,
    padding: int = 0, dilation: int = 1,
) -> np.ndarray:  # fmt: skip
    """The sum of `conv1d` written as loops over samples, filters and positions.

    Shapes: X: (B, C, L), W: (K, C, k), b: (K,) -> (B, K, L_out). Chapter 8.
    """
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    if X.ndim != 3 or W.ndim != 3 or X.shape[1] != W.shape[1]:
        raise ValueError(f"X must be (B, C, L) and W (K, C, k); got {X.shape}, {W.shape}")
    n_out = conv_output_size(X.shape[2], W.shape[2], stride, padding, dilation)
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding)))
    Y = np.zeros((X.shape[0], W.shape[0], n_out))
    for n in range(X.shape[0]):
        for k in range(W.shape[0]):
            for i in range(n_out):
                taps = Xp[
                    n, :, stride * i : stride * i + dilation * (W.shape[2] - 1) + 1 : dilation
                ]
                Y[n, k, i] = np.sum(W[k] * taps) + (0.0 if b is None else b[k])
    return Y


def receptive_field(
    kernels: Sequence[int], strides: Sequence[int], dilations: Sequence[int]
) -> int:
    """r = 1 + sum_l d_l (k_l - 1) prod_{i < l} s_i for a stack of convolutions.

    Shapes: L layers -> scalar. Chapter 8.
    """
    if not len(kernels) == len(strides) == len(dilations) >= 1:
        raise ValueError(f"need one kernel, stride, dilation per layer; got {kernels}, "
                         f"{strides}, {dilations}")  # fmt: skip
    r, jump = 1, 1
    for k, s, d in zip(kernels, strides, dilations, strict=True):
        r, jump = r + d * (k - 1) * jump, jump * s
    return r


def measured_receptive_field(
    kernels: Sequence[int], strides: Sequence[int], dilations: Sequence[int], n: int = 128
) -> int:
    """Span of the non-zero footprint of d y_mid / d x through a stack of all-ones conv1d.

    Positive weights, so nothing cancels: the footprint is exactly what y_mid can see.
    Shapes: L layers -> scalar. Chapter 8.
    """
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    y = x + 1.0
    for k, s, d in zip(kernels, strides, dilations, strict=True):
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    y[0, 0, y.shape[2] // 2].backward()
    nonzero = torch.nonzero(x.grad[0, 0]).flatten()
    return int(nonzero.max() - nonzero.min() + 1)
