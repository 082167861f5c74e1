"""Two-dimensional test landscapes for optimizers, and the loop that runs one on them.

Each landscape is a function of theta = (x, y) returning (loss, gradient) in numpy, so
that `run` can drive any optimizer of `dlbook.optim` and record its trajectory. Chapter 4.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlbook.optim import Optimizer
from dlbook.runtime import check_finite

Landscape = Callable[[np.ndarray], tuple[float, np.ndarray]]


def _theta(theta: np.ndarray) -> np.ndarray:
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (2,):
        raise ValueError(f"theta must have shape (2,), got {theta.shape}")
    return theta


def ravine(theta: np.ndarray, kappa: float = 25.0) -> tuple[float, np.ndarray]:
    """L = (x^2 + kappa y^2) / 2, an ill-conditioned quadratic with Hessian diag(1, kappa).

    Shapes: theta: (2,) -> (scalar, (2,)). Chapter 4.
    """
    x, y = _theta(theta)
    return 0.5 * (x * x + kappa * y * y), np.array([x, kappa * y])


def rosenbrock(theta: np.ndarray, b: float = 10.0) -> tuple[float, np.ndarray]:
    """L = (1 - x)^2 + b (y - x^2)^2, a curved valley with its minimum at (1, 1).

    Shapes: theta: (2,) -> (scalar, (2,)). Chapter 4.
    """
    x, y = _theta(theta)
    r = y - x * x
    return (1 - x) ** 2 + b * r * r, np.array([-2 * (1 - x) - 4 * b * x * r, 2 * b * r])


def saddle(theta: np.ndarray) -> tuple[float, np.ndarray]:
    """L = (x^2 - y^2) / 2 + y^4 / 4, a saddle at 0 between minima at (0, +-1).

    Shapes: theta: (2,) -> (scalar, (2,)). Chapter 4.
    """
    x, y = _theta(theta)
    return 0.5 * (x * x - y * y) + 0.25 * y**4, np.array([x, -y + y**3])


LANDSCAPES: dict[str, Landscape] = {"ravine": ravine, "rosenbrock": rosenbrock, "saddle": saddle}


def run(
    opt: Optimizer, landscape: Landscape, theta0: np.ndarray, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """theta_{k+1} = opt.step(theta_k, grad L(theta_k)) for k < steps; stops on divergence.

    Shapes: theta0: (2,) -> trajectory (steps + 1, 2), losses (steps + 1,). Chapter 4.
    """
    theta = _theta(theta0)
    path, losses = [theta], []
    for k in range(steps):
        loss, g = landscape(theta)
        losses.append(check_finite(loss, k))
        (theta,) = opt.step([theta], [g])
        path.append(theta)
    losses.append(check_finite(landscape(theta)[0], steps))
    return np.array(path), np.array(losses)
