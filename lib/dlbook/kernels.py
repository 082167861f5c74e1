"""Infinitely wide networks: the NNGP and NTK recursions, the empirical NTK, kernel regression.

A fully connected network in NTK parameterisation, h^1 = (sigma_w / sqrt(d)) W^1 x + sigma_b b^1,
h^{l+1} = (sigma_w / sqrt(n)) W^{l+1} phi(h^l) + sigma_b b^{l+1} with W, b ~ N(0, 1), has as
n -> infinity a Gaussian output with covariance K^L (the NNGP kernel) and, under gradient
descent, a constant tangent kernel Theta^L (the NTK). Chapter 12 checks both against
simulation, as neural-tangents does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch.func import jacrev

ACTIVATIONS = ("relu", "erf", "tanh")
Params = list[tuple[torch.Tensor, torch.Tensor]]


def _dual(
    k11: np.ndarray, k12: np.ndarray, k22: np.ndarray, activation: str, points: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]])."""
    if activation == "relu":  # the arc-cosine kernel of degree 1 and 0 (Cho & Saul)
        norm = np.sqrt(k11 * k22)
        safe = np.where(norm > 0, norm, 1.0)  # a dead layer (norm 0) gives 0 below
        cos = np.clip(k12 / safe, -1.0, 1.0)
        theta = np.arccos(cos)
        value = norm * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi)
        return value, (np.pi - theta) / (2 * np.pi)
    if activation == "erf":  # Williams (1997)
        a, b = 1 + 2 * k11, 1 + 2 * k22
        value = 2 / np.pi * np.arcsin(np.clip(2 * k12 / np.sqrt(a * b), -1.0, 1.0))
        return value, 4 / np.pi / np.sqrt(a * b - 4 * k12**2)
    return gaussian_expectations(k11, k12, k22, np.tanh, lambda u: 1 / np.cosh(u) ** 2, points)


def gaussian_expectations(
    k11: np.ndarray,
    k12: np.ndarray,
    k22: np.ndarray,
    phi: Callable[[np.ndarray], np.ndarray],
    dphi: Callable[[np.ndarray], np.ndarray],
    points: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """E[phi(u) phi(v)], E[phi'(u) phi'(v)], (u, v) ~ N(0, K), by Gauss-Hermite quadrature.

    u = sqrt(k11) z1, v = sqrt(k22) (c z1 + sqrt(1 - c^2) z2) with c = k12 / sqrt(k11 k22).
    Shapes: k11, k12, k22: (...) -> two arrays (...). Chapter 12.
    """
    z, w = np.polynomial.hermite_e.hermegauss(points)
    w = w / w.sum()  # probabilists' weights of N(0, 1)
    k11, k12, k22 = (np.asarray(k, dtype=float)[..., None, None] for k in (k11, k12, k22))
    c = np.clip(k12 / np.sqrt(k11 * k22), -1.0, 1.0)
    z1, z2 = z[:, None], z[None, :]  # (P, 1), (1, P)
    u = np.sqrt(k11) * z1
    v = np.sqrt(k22) * (c * z1 + np.sqrt(1 - c**2) * z2)
    ww = w[:, None] * w[None, :]
    return (ww * phi(u) * phi(v)).sum((-2, -1)), (ww * dphi(u) * dphi(v)).sum((-2, -1))


def nngp_ntk(
    X1: np.ndarray,
    X2: np.ndarray,
    depth: int,
    activation: str = "relu",
    sigma_w2: float = 2.0,
    sigma_b2: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """K^{l+1} = sb2 + sw2 E[phi(u) phi(v)], Theta^{l+1} = K^{l+1} + sw2 E[phi' phi'] Theta^l.

    Starting from K^0 = Theta^0 = sb2 + sw2 x.x'/d; `depth` hidden layers. ReLU and erf in
    closed form, tanh by quadrature. Shapes: X1: (N, D), X2: (M, D) -> K, Theta: (N, M).
    Chapter 12.
    """
    X1, X2 = np.atleast_2d(np.asarray(X1, float)), np.atleast_2d(np.asarray(X2, float))
    if X1.ndim != 2 or X2.ndim != 2 or X1.shape[1] != X2.shape[1]:
        raise ValueError(f"X1 {X1.shape} and X2 {X2.shape} must be (N, D) and (M, D)")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {ACTIVATIONS}")
    if depth < 0 or sigma_w2 <= 0 or sigma_b2 < 0:
        raise ValueError(
            f"need depth >= 0, sigma_w2 > 0, sigma_b2 >= 0; got {depth}, {sigma_w2}, {sigma_b2}"
        )
    d = X1.shape[1]
    k12 = sigma_b2 + sigma_w2 * X1 @ X2.T / d  # (N, M)
    k11 = (sigma_b2 + sigma_w2 * (X1**2).sum(1) / d)[:, None]  # (N, 1)
    k22 = (sigma_b2 + sigma_w2 * (X2**2).sum(1) / d)[None, :]  # (1, M)
    theta = k12.copy()
    for _ in range(depth):
        e12, de12 = _dual(k11, k12, k22, activation)
        e11 = _dual(k11, k11, k11, activation)[0]
        e22 = _dual(k22, k22, k22, activation)[0]
        k12 = sigma_b2 + sigma_w2 * e12
        theta = k12 + sigma_w2 * de12 * theta
        k11, k22 = sigma_b2 + sigma_w2 * e11, sigma_b2 + sigma_w2 * e22
    return k12, theta


def init_ntk_params(widths: list[int], generator: torch.Generator) -> Params:
    """W^l, b^l ~ N(0, 1) for the layer widths (D, n_1, ..., K); the scaling is in the forward.

    Shapes: widths (L+1,) -> L pairs (W: (n_out, n_in), b: (n_out,)). Chapter 12.
    """
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"need at least two positive widths, got {widths}")
    return [
        (
            torch.randn(n_out, n_in, generator=generator, dtype=torch.float64),
            torch.randn(n_out, generator=generator, dtype=torch.float64),
        )
        for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)
    ]


def ntk_forward(
    params: Params,
    X: torch.Tensor,
    activation: str = "relu",
    sigma_w2: float = 2.0,
    sigma_b2: float = 0.0,
) -> torch.Tensor:
    """h^{l+1} = (sigma_w / sqrt(n_l)) W^{l+1} phi(h^l) + sigma_b b^{l+1}; phi not on the output.

    Shapes: X: (B, D) -> (B, K). Chapter 12.
    """
    if X.ndim != 2 or X.shape[1] != params[0][0].shape[1]:
        raise ValueError(f"X {tuple(X.shape)} must be (B, {params[0][0].shape[1]})")
    phi = {"relu": torch.relu, "erf": torch.erf, "tanh": torch.tanh}[activation]
    h = X
    for i, (W, b) in enumerate(params):
        if i > 0:
            h = phi(h)
        h = math.sqrt(sigma_w2 / W.shape[1]) * h @ W.T + math.sqrt(sigma_b2) * b
    return h


def empirical_ntk(
    params: Params, X1: torch.Tensor, X2: torch.Tensor, activation: str = "relu", **scales: float
) -> torch.Tensor:
    """Theta_hat(x, x') = sum_p df(x)/dtheta_p df(x')/dtheta_p, Jacobians by torch.func.

    For a scalar output (K = 1). Shapes: X1: (N, D), X2: (M, D) -> (N, M). Chapter 12.
    """
    if params[-1][0].shape[0] != 1:
        raise ValueError(f"empirical_ntk needs one output, got {params[-1][0].shape[0]}")
    flat = {f"{i}.{j}": t for i, pair in enumerate(params) for j, t in enumerate(pair)}

    def f(p: dict[str, torch.Tensor], X: torch.Tensor) -> torch.Tensor:
        pairs = [(p[f"{i}.0"], p[f"{i}.1"]) for i in range(len(params))]
        return ntk_forward(pairs, X, activation, **scales)[:, 0]

    J1, J2 = jacrev(f)(flat, X1), jacrev(f)(flat, X2)  # name -> (N, *shape), (M, *shape)
    return sum(J1[k].reshape(len(X1), -1) @ J2[k].reshape(len(X2), -1).T for k in flat)


def kernel_regression(
    K_train: np.ndarray, K_cross: np.ndarray, K_test_diag: np.ndarray, y: np.ndarray, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """m = K_*X (K + s^2 I)^-1 y, v = diag(K_**) - diag(K_*X (K + s^2 I)^-1 K_X*).

    GP regression (noise > 0) or kernel interpolation (noise = 0); Cholesky solves.
    Shapes: K_train: (N, N), K_cross: (T, N), K_test_diag: (T,), y: (N,) -> (T,), (T,).
    Chapter 12.
    """
    N = len(y)
    if K_train.shape != (N, N) or K_cross.shape[1] != N or K_test_diag.shape != K_cross.shape[:1]:
        raise ValueError(
            f"shapes K {K_train.shape}, K_*X {K_cross.shape}, "
            f"diag {K_test_diag.shape}, y {np.shape(y)} do not match"
        )
    L = np.linalg.cholesky(K_train + noise**2 * np.eye(N))
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    V = np.linalg.solve(L, K_cross.T)  # (N, T)
    return K_cross @ alpha, np.maximum(K_test_diag - (V**2).sum(0), 0.0)


def linearised_prediction(
    Theta_train: np.ndarray,
    Theta_cross: np.ndarray,
    r0: np.ndarray,
    f0_test: np.ndarray,
    lr: float,
    steps: int,
) -> np.ndarray:
    """f_*(t) = f_*(0) - (lr/N) Theta_*X sum_{s<t} (I - lr Theta / N)^s r_0 (lazy training).

    Gradient descent on L = (1/2N) sum (f - y)^2 of the network linearised in its parameters,
    where r_0 = f(X; theta_0) - y. Shapes: Theta_train: (N, N), Theta_cross: (T, N),
    r0: (N,), f0_test: (T,) -> (T,). Chapter 12.
    """
    N = len(r0)
    if Theta_train.shape != (N, N) or Theta_cross.shape[1] != N:
        raise ValueError(f"Theta {Theta_train.shape}, Theta_*X {Theta_cross.shape}, r0 {N}")
    r, f = np.array(r0, float), np.array(f0_test, float)
    for _ in range(steps):
        f = f - lr / N * Theta_cross @ r
        r = r - lr / N * Theta_train @ r
    return f


def random_one_layer_outputs(
    n: int, X: np.ndarray, draws: int, rng: np.random.Generator, sigma_w2: float = 2.0
) -> np.ndarray:
    """f(x) = sqrt(sw2 / n) sum_j v_j relu(sqrt(sw2 / d) w_j . x) for `draws` random networks.

    One hidden ReLU layer of width n, W, v ~ N(0, 1), no biases; vectorised over networks.
    Shapes: X: (P, D) -> (draws, P). Chapter 12.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or n < 1 or draws < 1:
        raise ValueError(f"need X (P, D), n >= 1, draws >= 1; got {X.shape}, {n}, {draws}")
    d = X.shape[1]
    W = rng.standard_normal((draws, n, d))
    H = np.maximum(np.sqrt(sigma_w2 / d) * W @ X.T, 0.0)  # (draws, n, P)
    v = rng.standard_normal((draws, 1, n))
    return np.sqrt(sigma_w2 / n) * (v @ H)[:, 0, :]


def nngp_step(
    k11: np.ndarray,
    k12: np.ndarray,
    k22: np.ndarray,
    activation: str = "relu",
    sigma_w2: float = 2.0,
    sigma_b2: float = 0.0,
) -> np.ndarray:
    """K^{l+1}_12 = sb2 + sw2 E[phi(u) phi(v)], (u, v) ~ N(0, [[k11, k12], [k12, k22]]).

    One layer of the NNGP recursion, applied elementwise (to a batch of 2 x 2 kernels).
    Shapes: k11, k12, k22: (...) -> (...). Chapter 12.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {ACTIVATIONS}")
    k11, k12, k22 = (np.asarray(k, dtype=float) for k in (k11, k12, k22))
    if not k11.shape == k12.shape == k22.shape:
        raise ValueError(f"k11 {k11.shape}, k12 {k12.shape}, k22 {k22.shape} must match")
    return sigma_b2 + sigma_w2 * _dual(k11, k12, k22, activation)[0]
