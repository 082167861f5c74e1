"""Backpropagation for an MLP by hand, following the notes' algorithm.

Forward pass: store every pre-activation z_l and activation h_l (`dlbook.nets.forward_trace`).
Backward pass: start from y_bar = dL/dy and, for l = L, ..., 1, apply the VJP of the
activation (z_bar_l = h_bar_l * phi'(z_l)) and of the affine map (A_bar_l, b_bar_l and
h_bar_{l-1}); the batch is aggregated by the sums inside these products. Chapter 5 checks
the result against torch.autograd.
"""

from __future__ import annotations

import numpy as np

from dlbook.losses import cross_entropy, softmax
from dlbook.nets import Params, check_params, forward_trace

SLOPES = {
    "relu": lambda z: (z > 0).astype(float),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "linear": np.ones_like,
}


def matmul_vjp(A: np.ndarray, B: np.ndarray, P_bar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P = A B: A_bar = P_bar B^T, B_bar = A^T P_bar.

    Shapes: A: (M, H), B: (H, N), P_bar: (M, N) -> (M, H), (H, N). Chapter 5.
    """
    A, B, P_bar = (np.asarray(a, dtype=float) for a in (A, B, P_bar))
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"A has shape {A.shape} and B has shape {B.shape}: not (M, H), (H, N)")
    if P_bar.shape != (A.shape[0], B.shape[1]):
        raise ValueError(f"P_bar has shape {P_bar.shape}; expected {(A.shape[0], B.shape[1])}")
    return P_bar @ B.T, A.T @ P_bar


def activation_vjp(z: np.ndarray, h_bar: np.ndarray, activation: str = "relu") -> np.ndarray:
    """h = phi(z) elementwise: z_bar = h_bar * phi'(z) (J_phi is diagonal).

    Shapes: z, h_bar: the same shape -> same. Chapter 5.
    """
    if activation not in SLOPES:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(SLOPES)}")
    z, h_bar = np.asarray(z, dtype=float), np.asarray(h_bar, dtype=float)
    if z.shape != h_bar.shape:
        raise ValueError(f"z has shape {z.shape} but h_bar has shape {h_bar.shape}")
    return h_bar * SLOPES[activation](z)


def mlp_backward(
    params: Params,
    zs: list[np.ndarray],
    hs: list[np.ndarray],
    y_bar: np.ndarray,
    activation: str = "relu",
) -> list[tuple[np.ndarray, np.ndarray]]:
    """A_bar_l = z_bar_l^T h_{l-1}, b_bar_l = sum_i z_bar_l[i], h_bar_{l-1} = z_bar_l A_l.

    From the stored forward pass (z_1..z_L, h_0..h_L) and y_bar = dL/dh_L, with
    z_bar_l = h_bar_l * phi'(z_l) below the (linear) last layer.
    Shapes: hs[l]: (B, n_l), y_bar: (B, n_L) -> L pairs (A_l: (n_l, n_{l-1}), b_l: (n_l,)).
    Chapter 5.
    """
    widths = check_params(params)
    y_bar = np.asarray(y_bar, dtype=float)
    if y_bar.shape != hs[-1].shape or hs[-1].shape[1] != widths[-1]:
        raise ValueError(f"y_bar has shape {y_bar.shape}; the output has shape {hs[-1].shape}")
    grads = []
    h_bar = y_bar
    for l in range(len(params), 0, -1):  # l = L, ..., 1
        A = np.asarray(params[l - 1][0])
        last = l == len(params)
        z_bar = h_bar if last else activation_vjp(zs[l - 1], h_bar, activation)  # (B, n_l)
        # z_l = h_{l-1} A_l^T + b_l: the matmul VJP gives h_bar_{l-1} = z_bar A_l, (B, n_{l-1}),
        # and (A_l^T)_bar = h_{l-1}^T z_bar, (n_{l-1}, n_l), summed over the batch
        if l > 1:
            h_bar, At_bar = matmul_vjp(hs[l - 1], A.T, z_bar)
        else:  # the input X needs no gradient: skip its matmul (as torch does)
            At_bar = hs[0].T @ z_bar
        grads.append((At_bar.T, z_bar.sum(axis=0)))  # b_bar: the addition VJP, summed
    return grads[::-1]


def mlp_gradients(
    params: Params, X: np.ndarray, labels: np.ndarray, activation: str = "relu"
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """L = mean_i CE(f(x_i), l_i) and its gradients: y_bar = (softmax(y) - onehot(l)) / B.

    Shapes: X: (B, n_0), labels: (B,) in 0..n_L-1 -> scalar, L pairs like params. Chapter 5.
    """
    zs, hs = forward_trace(params, X, activation)
    y = hs[-1]  # (B, K) logits
    loss = float(cross_entropy(y, labels))  # also checks the labels' shape and range
    y_bar = (softmax(y) - np.eye(y.shape[1])[np.asarray(labels)]) / y.shape[0]  # (B, K)
    return loss, mlp_backward(params, zs, hs, y_bar, activation)
