"""Weight initialization and how signals propagate through a deep network at initialization.

For p = A x with independent, zero-mean A_ij and x_j, Var(p_i) = N sigma_A^2 sigma_x^2, so
sigma_A^2 = 1/N keeps the variance (Glorot/Xavier) and sigma_A^2 = 2/N keeps it through a
ReLU, which halves the second moment (He). Weights are shaped like `nn.Linear.weight`,
(fan_out, fan_in). `propagate` runs one forward and backward pass by hand (checked against
autograd); `signal_propagation` records the per-layer statistics of a random deep network.
Chapter 6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODES = ("fan_in", "fan_out", "avg")
ACTIVATIONS = ("relu", "tanh", "linear")


def fan(fan_in: int, fan_out: int, mode: str = "fan_in") -> float:
    """N = fan_in, fan_out or (fan_in + fan_out)/2: the count the variance is divided by.

    Glorot and Bengio average the two fans (torch's xavier_*); He et al. and the notes use
    fan_in. Shapes: scalars -> scalar. Chapter 6.
    """
    for name, value in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {MODES}")
    return {"fan_in": fan_in, "fan_out": fan_out, "avg": (fan_in + fan_out) / 2}[mode]


def init_variance(scheme: str, fan_in: int, fan_out: int, mode: str = "fan_in") -> float:
    """sigma_A^2 = 1/N (Xavier) or 2/N (He), N given by `mode`.

    Shapes: scalars -> scalar. Chapter 6.
    """
    gains = {"xavier": 1.0, "he": 2.0}
    if scheme not in gains:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {sorted(gains)}")
    return gains[scheme] / fan(fan_in, fan_out, mode)


def _draw(
    scheme: str, uniform: bool, fan_in: int, fan_out: int, rng: np.random.Generator, mode: str
) -> np.ndarray:
    var = init_variance(scheme, fan_in, fan_out, mode)
    if uniform:  # U(-a, a) has variance a^2 / 3
        bound = np.sqrt(3.0 * var)
        return rng.uniform(-bound, bound, (fan_out, fan_in))
    return rng.normal(0.0, np.sqrt(var), (fan_out, fan_in))


def xavier_normal(
    fan_in: int, fan_out: int, rng: np.random.Generator, mode: str = "fan_in"
) -> np.ndarray:
    """A_ij ~ N(0, 1/N): Glorot/Xavier, normal form (mode="avg" is torch's xavier_normal_).

    Shapes: -> A: (fan_out, fan_in). Chapter 6.
    """
    return _draw("xavier", False, fan_in, fan_out, rng, mode)


def xavier_uniform(
    fan_in: int, fan_out: int, rng: np.random.Generator, mode: str = "fan_in"
) -> np.ndarray:
    """A_ij ~ U(-sqrt(3/N), sqrt(3/N)), variance 1/N (mode="avg" is torch's xavier_uniform_).

    Shapes: -> A: (fan_out, fan_in). Chapter 6.
    """
    return _draw("xavier", True, fan_in, fan_out, rng, mode)


def he_normal(
    fan_in: int, fan_out: int, rng: np.random.Generator, mode: str = "fan_in"
) -> np.ndarray:
    """A_ij ~ N(0, 2/N): He/Kaiming, normal form (torch's kaiming_normal_ for ReLU).

    Shapes: -> A: (fan_out, fan_in). Chapter 6.
    """
    return _draw("he", False, fan_in, fan_out, rng, mode)


def he_uniform(
    fan_in: int, fan_out: int, rng: np.random.Generator, mode: str = "fan_in"
) -> np.ndarray:
    """A_ij ~ U(-sqrt(6/N), sqrt(6/N)), variance 2/N (torch's kaiming_uniform_ for ReLU).

    Shapes: -> A: (fan_out, fan_in). Chapter 6.
    """
    return _draw("he", True, fan_in, fan_out, rng, mode)


def _phi(z: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """phi(z) and phi'(z)."""
    if activation == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(z.dtype)
    if activation == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t**2
    return z, np.ones_like(z)


def _check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")


def propagate(
    weights: list[np.ndarray], X: np.ndarray, G: np.ndarray, activation: str = "relu"
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """z_l = A_l phi(z_{l-1}) (phi(z_0) = x), and backward g_l = dL/dz_l for L = sum(G * z_L).

    The backward pass is g_{l-1} = phi'(z_{l-1}) * (A_l^T g_l), written by hand; biases are 0.
    Shapes: weights: [(n_l, n_{l-1})], X: (B, n_0), G: (B, n_L) -> z_0..z_L and g_0..g_L,
    each (B, n_l) (z_0 = X; g_0 = dL/dx). Chapter 6.
    """
    _check_activation(activation)
    X, G = np.asarray(X, dtype=float), np.asarray(G, dtype=float)
    if X.ndim != 2 or not weights or X.shape[1] != weights[0].shape[1]:
        first = weights[0].shape if weights else None
        raise ValueError(f"X has shape {X.shape}, the first weight has shape {first}")
    zs, derivs = [X], [np.ones_like(X)]  # the input enters as it is
    for l, A in enumerate(weights, start=1):
        if A.ndim != 2 or A.shape[1] != zs[-1].shape[1]:
            raise ValueError(f"weight {l} has shape {A.shape}; it gets {zs[-1].shape[1]} inputs")
        h = zs[-1] if l == 1 else _phi(zs[-1], activation)[0]
        zs.append(h @ A.T)  # (B, n_{l-1}) @ (n_{l-1}, n_l) -> (B, n_l)
        derivs.append(_phi(zs[-1], activation)[1])
    if G.shape != zs[-1].shape:
        raise ValueError(f"G has shape {G.shape}; the output has shape {zs[-1].shape}")
    gs = [G]
    for l in range(len(weights), 0, -1):
        back = gs[0] @ weights[l - 1]  # (B, n_l) @ (n_l, n_{l-1}) -> (B, n_{l-1})
        gs.insert(0, back if l == 1 else back * derivs[l - 1])
    return zs, gs


@dataclass
class Propagation:
    """Per-layer statistics of random networks; index l = 0 is the input, row k network k."""

    q_each: np.ndarray  # (networks, depth + 1) mean of z_l^2 over units and samples
    grad_each: np.ndarray  # (networks, depth + 1) mean over samples of ||dL/dz_l||^2
    samples: np.ndarray  # (depth + 1, S) a few pre-activations of each layer (network 0)

    @property
    def q(self) -> np.ndarray:
        """E z_l^2 averaged over the networks. Shapes: -> (depth + 1,). Chapter 6."""
        return self.q_each.mean(axis=0)

    @property
    def grad(self) -> np.ndarray:
        """sqrt(E ||dL/dz_l||^2) over samples and networks. Shapes: -> (depth + 1,). Chapter 6."""
        return np.sqrt(self.grad_each.mean(axis=0))


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def signal_propagation(
    depth: int,
    width: int,
    scale: float,
    activation: str,
    rng: np.random.Generator,
    batch: int = 16,
    networks: int = 1,
    keep: int = 2000,
) -> Propagation:
    """q_l = mean z_l^2 and ||dL/dz_l||^2 through `depth` layers with A_l ~ N(0, scale/width).

    scale = 1 is Xavier, 2 is He. Inputs x ~ N(0, I), output gradient G ~ N(0, I); one
    row of statistics for each of `networks` independent draws of the weights.
    Shapes: -> q_each, grad_each: (networks, depth + 1), samples: (depth + 1, S). Chapter 6.
    """
    _check_activation(activation)
    for name, value in (("depth", depth), ("width", width), ("batch", batch)):
        _check_count(name, value)
    _check_count("networks", networks)
    if not scale > 0:
        raise ValueError(f"scale (sigma_w^2 times the width) must be positive, got {scale!r}")
    std = np.sqrt(scale / width)
    q_each, grad_each = np.empty((networks, depth + 1)), np.empty((networks, depth + 1))
    for k in range(networks):
        weights = [rng.normal(0.0, std, (width, width)) for _ in range(depth)]
        X = rng.standard_normal((batch, width))
        zs, gs = propagate(weights, X, rng.standard_normal((batch, width)), activation)
        q_each[k] = [np.mean(z**2) for z in zs]
        grad_each[k] = [np.mean(np.sum(g**2, axis=1)) for g in gs]
        if k == 0:
            samples = np.stack([z.ravel()[: min(keep, batch * width)] for z in zs])
    return Propagation(q_each, grad_each, samples)


def relu_variance_recursion(depth: int, scale: float, q0: float = 1.0) -> np.ndarray:
    """q_1 = scale q_0, q_l = (scale / 2) q_{l-1}: the ReLU network's second moments.

    A ReLU keeps half of a symmetric z's second moment, E phi(z)^2 = q/2.
    Shapes: -> (depth + 1,) with q_0 first. Chapter 6.
    """
    if depth < 1 or not scale > 0:
        raise ValueError(f"need depth >= 1 and scale > 0, got depth={depth}, scale={scale}")
    factors = np.concatenate([[1.0, scale], np.full(depth - 1, scale / 2)])
    return q0 * np.cumprod(factors)
