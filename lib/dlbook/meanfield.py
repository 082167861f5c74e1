"""Mean-field signal propagation in deep tanh networks: the order-to-chaos transition.

In z_l = A_l tanh(z_{l-1}) + b_l with A_ij ~ N(0, sigma_w^2/N) and b_i ~ N(0, sigma_b^2),
a wide layer's pre-activations are Gaussian, and two numbers summarise two inputs: the
length q_l = E z_l^2 and the correlation c_l between them. They follow deterministic maps
(Poole et al. 2016; Schoenholz et al. 2017):

  q_l = sigma_w^2 E[tanh(sqrt(q_{l-1}) u)^2] + sigma_b^2,
  c_l q_l = sigma_w^2 E[tanh(u_1) tanh(u_2)] + sigma_b^2  (u_1, u_2 with correlation c_{l-1}).

chi_1 = sigma_w^2 E[tanh'(sqrt(q*) u)^2] decides the phase: below 1 every pair of inputs
becomes alike (ordered, c -> 1), above 1 nearby inputs decorrelate (chaotic, c -> c* < 1).
Expectations over u ~ N(0, 1) use a fixed quadrature rule. Chapter 6.
"""

from __future__ import annotations

import numpy as np

# Expectations under N(0, 1) by the trapezoidal rule on [-10, 10]: for smooth integrands
# with Gaussian tails it converges geometrically (Gauss-Hermite does worse here, since
# tanh(sqrt(q) u) is close to a step when q is large).
NODES = np.linspace(-10.0, 10.0, 121)
WEIGHTS = np.exp(-(NODES**2) / 2) / np.sqrt(2 * np.pi) * (NODES[1] - NODES[0])


def _check(sw2: np.ndarray, sb2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sw2, sb2 = np.asarray(sw2, dtype=float), np.asarray(sb2, dtype=float)
    if np.any(sw2 <= 0) or np.any(sb2 < 0):
        raise ValueError(f"need sigma_w^2 > 0 and sigma_b^2 >= 0, got {sw2} and {sb2}")
    return sw2, sb2


def variance_map(q: np.ndarray, sw2: np.ndarray, sb2: np.ndarray) -> np.ndarray:
    """q' = sigma_w^2 E_u[tanh(sqrt(q) u)^2] + sigma_b^2, u ~ N(0, 1).

    Shapes: q, sw2, sb2 broadcast together -> their broadcast shape. Chapter 6.
    """
    sw2, sb2 = _check(sw2, sb2)
    q = np.asarray(q, dtype=float)[..., None]
    return sw2 * np.sum(WEIGHTS * np.tanh(np.sqrt(q) * NODES) ** 2, axis=-1) + sb2


def fixed_point(sw2: np.ndarray, sb2: np.ndarray, iters: int = 300) -> np.ndarray:
    """q* = variance_map(q*): iterate the length map from q = 1.

    Shapes: sw2, sb2 broadcast -> their broadcast shape. Chapter 6.
    """
    sw2, sb2 = _check(sw2, sb2)
    q = np.ones(np.broadcast(sw2, sb2).shape)
    for _ in range(iters):
        q = variance_map(q, sw2, sb2)
    return q


def chi1(sw2: np.ndarray, sb2: np.ndarray) -> np.ndarray:
    """chi_1 = sigma_w^2 E_u[tanh'(sqrt(q*) u)^2]: the slope of the correlation map at c = 1.

    chi_1 = 1 is the critical line between the ordered and chaotic phases.
    Shapes: sw2, sb2 broadcast -> their broadcast shape. Chapter 6.
    """
    q = fixed_point(sw2, sb2)[..., None]
    slope = 1.0 / np.cosh(np.sqrt(q) * NODES) ** 2  # tanh' = sech^2
    return np.asarray(sw2) * np.sum(WEIGHTS * slope**2, axis=-1)


def correlation_map(
    c: np.ndarray, q: np.ndarray, sw2: np.ndarray, sb2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """c' = (sigma_w^2 E[tanh(u_1) tanh(u_2)] + sigma_b^2) / q', both inputs of length q.

    u_1 = sqrt(q) x, u_2 = sqrt(q) (c x + sqrt(1 - c^2) y) with x, y ~ N(0, 1) independent.
    Shapes: c, q, sw2, sb2 broadcast -> (c', q') in their broadcast shape. Chapter 6.
    """
    sw2, sb2 = _check(sw2, sb2)
    c = np.clip(np.asarray(c, dtype=float), -1.0, 1.0)[..., None, None]
    root = np.sqrt(np.asarray(q, dtype=float))[..., None, None]
    x, y = NODES[:, None], NODES[None, :]  # a 2-D quadrature grid
    u1, u2 = root * x, root * (c * x + np.sqrt(1 - c**2) * y)
    joint = np.sum(WEIGHTS[:, None] * WEIGHTS[None, :] * np.tanh(u1) * np.tanh(u2), axis=(-2, -1))
    q_next = variance_map(q, sw2, sb2)
    return np.clip((sw2 * joint + sb2) / q_next, -1.0, 1.0), q_next


def correlation_through_depth(
    c0: float, depth: int, sw2: np.ndarray, sb2: np.ndarray
) -> np.ndarray:
    """c_0, c_1, ..., c_depth by the correlation map, the inputs starting at length q*.

    Shapes: sw2, sb2 broadcast to G -> (depth + 1, *G). Chapter 6.
    """
    if depth < 1 or not -1 <= c0 <= 1:
        raise ValueError(f"need depth >= 1 and c0 in [-1, 1], got depth={depth}, c0={c0}")
    q = fixed_point(sw2, sb2)
    cs = [np.full(q.shape, float(c0))]
    for _ in range(depth):
        c, q = correlation_map(cs[-1], q, sw2, sb2)
        cs.append(c)
    return np.stack(cs)


def sampled_correlation(
    c0: float,
    depth: int,
    width: int,
    sw2: float,
    sb2: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """The correlation of z_l(x_1) and z_l(x_2) in one random tanh network of this width.

    z_0 of both inputs has length q* per unit and correlation c0; z_l = A_l tanh(z_{l-1}) + b_l.
    Shapes: -> (depth + 1,). Chapter 6.
    """
    if width < 2 or depth < 1:
        raise ValueError(f"need width >= 2 and depth >= 1, got width={width}, depth={depth}")
    q = float(fixed_point(sw2, sb2))
    x, y = rng.standard_normal((2, width))
    Z = np.sqrt(q) * np.stack([x, c0 * x + np.sqrt(1 - c0**2) * y])  # (2, width)
    cs = []
    for l in range(depth + 1):
        if l > 0:
            A = rng.normal(0.0, np.sqrt(sw2 / width), (width, width))
            Z = np.tanh(Z) @ A.T + rng.normal(0.0, np.sqrt(sb2), width)  # (2, width)
        cs.append(Z[0] @ Z[1] / np.sqrt((Z[0] @ Z[0]) * (Z[1] @ Z[1])))
    return np.array(cs)
