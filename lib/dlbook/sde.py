"""SGD as a Markov chain and as a stochastic differential equation, and Langevin sampling.

Constant-step SGD on a quadratic with Gaussian gradient noise, theta <- theta - eta (H theta +
xi), is an AR(1) process with a closed-form stationary variance; its continuous-time model
d theta = -grad L dt + sqrt(eta) Sigma^{1/2} dW is an Ornstein-Uhlenbeck process; Langevin
dynamics d theta = -grad L dt + sqrt(2 T) dW samples the Gibbs density exp(-L / T).
Appendix (background of the theory course).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.integrate import quad


def _positive(name: str, value: float) -> float:
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return float(value)


def sgd_chain(
    h: np.ndarray,
    eta: float,
    sigma: float,
    theta0: np.ndarray,
    steps: int,
    rng: np.random.Generator,
    chains: int = 1,
) -> np.ndarray:
    """theta_{k+1} = theta_k - eta (h * theta_k + xi_k), xi_k ~ N(0, sigma^2 I), diagonal H = h.

    Runs `chains` independent chains at once. Shapes: h, theta0: (P,) -> (steps + 1, chains, P).
    Appendix.
    """
    h, theta0 = np.atleast_1d(np.asarray(h, float)), np.atleast_1d(np.asarray(theta0, float))
    _positive("step eta", eta)
    if np.any(eta * h >= 2) or np.any(h <= 0):
        raise ValueError(f"need 0 < eta h < 2 for a stable chain, got eta h = {eta * h}")
    if h.shape != theta0.shape:
        raise ValueError(f"h {h.shape} and theta0 {theta0.shape} must have the same shape")
    out = np.empty((steps + 1, chains, h.size))
    out[0] = theta0
    for k in range(steps):
        xi = sigma * rng.standard_normal((chains, h.size))
        out[k + 1] = out[k] - eta * (h * out[k] + xi)
    return out


def sgd_stationary_variance(h: float, eta: float, sigma: float) -> float:
    """Var_inf = eta sigma^2 / (h (2 - eta h)) of the chain theta <- theta - eta (h theta + xi).

    From v = (1 - eta h)^2 v + eta^2 sigma^2. Shapes: scalars -> scalar. Appendix.
    """
    _positive("h", h), _positive("eta", eta)
    if eta * h >= 2:
        raise ValueError(f"the chain diverges for eta h >= 2, got {eta * h}")
    return eta * sigma**2 / (h * (2 - eta * h))


def ou_stationary_variance(h: float, eta: float, sigma: float) -> float:
    """Var_inf = eta sigma^2 / (2 h) of d theta = -h theta dt + sqrt(eta) sigma dW.

    The continuous-time limit of the SGD chain. Shapes: scalars -> scalar. Appendix.
    """
    _positive("h", h), _positive("eta", eta)
    return eta * sigma**2 / (2 * h)


def autocorrelation(x: np.ndarray, lags: np.ndarray) -> np.ndarray:
    """rho(k) = Cov(x_t, x_{t+k}) / Var(x_t), averaged over time and chains.

    Shapes: x: (T, chains), lags: (K,) -> (K,). Appendix.
    """
    x = np.asarray(x, float)
    if x.ndim != 2:
        raise ValueError(f"x must be (T, chains), got shape {x.shape}")
    x = x - x.mean()
    var = np.mean(x * x)
    return np.array([np.mean(x[: len(x) - k] * x[k:]) / var for k in lags])


def euler_maruyama(
    drift: Callable[[np.ndarray], np.ndarray],
    diffusion: float,
    theta0: np.ndarray,
    dt: float,
    steps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """theta_{k+1} = theta_k + drift(theta_k) dt + diffusion sqrt(dt) N(0, I).

    The simplest SDE integrator (strong order 1/2). Shapes: theta0: (chains, P) ->
    (steps + 1, chains, P). Appendix.
    """
    _positive("dt", dt)
    theta = np.array(theta0, dtype=float)
    out = np.empty((steps + 1, *theta.shape))
    out[0] = theta
    for k in range(steps):
        theta = (
            theta + drift(theta) * dt + diffusion * np.sqrt(dt) * rng.standard_normal(theta.shape)
        )
        out[k + 1] = theta
    return out


def double_well(theta: np.ndarray, a: float = 1.0) -> np.ndarray:
    """L(theta) = a (theta^2 - 1)^2: minima at +-1, a barrier of height a at 0.

    Shapes: any -> same. Appendix.
    """
    theta = np.asarray(theta, float)
    return a * (theta**2 - 1) ** 2


def double_well_grad(theta: np.ndarray, a: float = 1.0) -> np.ndarray:
    """L'(theta) = 4 a theta (theta^2 - 1). Shapes: any -> same. Appendix."""
    theta = np.asarray(theta, float)
    return 4 * a * theta * (theta**2 - 1)


def gibbs_cdf(
    loss: Callable[[np.ndarray], np.ndarray], T: float, lo: float = -3.0, hi: float = 3.0
) -> Callable[[np.ndarray], np.ndarray]:
    """F(x) = int_lo^x exp(-L/T) / Z, the CDF of the Gibbs density on [lo, hi] (quadrature).

    Shapes: returns a function (N,) -> (N,). Appendix.
    """
    _positive("temperature T", T)
    grid = np.linspace(lo, hi, 4001)
    dens = np.exp(-loss(grid) / T)
    Z = quad(lambda x: float(np.exp(-loss(np.array(x)) / T)), lo, hi, limit=200)[0]
    cum = np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(grid))])
    return lambda x: np.interp(x, grid, cum / Z)


def langevin(
    grad: Callable[[np.ndarray], np.ndarray],
    T: float,
    theta0: np.ndarray,
    dt: float,
    steps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """d theta = -grad L dt + sqrt(2 T) dW by Euler-Maruyama: samples exp(-L / T) as t -> inf.

    Shapes: theta0: (chains, P) -> (steps + 1, chains, P). Appendix.
    """
    _positive("temperature T", T)
    return euler_maruyama(lambda th: -grad(th), np.sqrt(2 * T), theta0, dt, steps, rng)


def escape_times(path: np.ndarray, dt: float) -> np.ndarray:
    """t_i = first time chain i (started in the left well) crosses theta = +0.5, or nan.

    Shapes: path: (steps + 1, chains, 1) -> (chains,). Appendix.
    """
    crossed = path[..., 0] > 0.5  # (steps + 1, chains)
    first = np.argmax(crossed, axis=0).astype(float)
    first[~crossed.any(axis=0)] = np.nan
    return first * dt
