"""Implicit regularization: what gradient descent and SGD add to the loss they minimise.

Backward error analysis: GD with step lambda follows, up to O(lambda^2), the gradient flow of
the modified loss L_GD = L + (lambda / 4) ||grad L||^2, whose gradient is
grad L + (lambda / 2) H grad L. Mini-batches add the variance of the batch gradient.
The flows are integrated with scipy's DOP853 to tolerances far below the effects measured.
Chapter 7.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from scipy.integrate import solve_ivp
from torch import nn
from torch.nn import functional as F

from dlbook.optim import flat_loss as optim_flat_loss
from dlbook.optim import sharpness
from dlbook.runtime import check_finite

Vector = np.ndarray
Grad = Callable[[Vector], Vector]
Hess = Callable[[Vector], np.ndarray]


def product_loss(theta: Vector) -> float:
    """L(x, y) = 1/2 (x y - 1)^2, a loss whose minima form the hyperbola x y = 1.

    Flat minima (small x^2 + y^2, near x = y = 1) and sharp ones (far along the arms) make
    it the smallest model of implicit regularization. Shapes: theta: (2,) -> scalar. Chapter 7.
    """
    x, y = np.asarray(theta, dtype=float)
    return 0.5 * (x * y - 1.0) ** 2


def product_grad(theta: Vector) -> Vector:
    """grad L = (x y - 1) (y, x). Shapes: theta: (2,) -> (2,). Chapter 7."""
    x, y = np.asarray(theta, dtype=float)
    return (x * y - 1.0) * np.array([y, x])


def product_hessian(theta: Vector) -> np.ndarray:
    """H = [[y^2, 2 x y - 1], [2 x y - 1, x^2]]. Shapes: theta: (2,) -> (2, 2). Chapter 7."""
    x, y = np.asarray(theta, dtype=float)
    return np.array([[y * y, 2 * x * y - 1.0], [2 * x * y - 1.0, x * x]])


def gd_path(grad: Grad, theta0: Vector, lr: float, steps: int) -> np.ndarray:
    """theta_{k+1} = theta_k - lambda grad L(theta_k), k = 0 .. steps - 1.

    Stops with DivergenceError if an iterate stops being finite.
    Shapes: theta0: (P,) -> (steps + 1, P). Chapter 7.
    """
    if not lr > 0 or steps < 0:
        raise ValueError(f"need lr > 0 and steps >= 0, got lr={lr}, steps={steps}")
    path = [np.array(theta0, dtype=float)]
    for k in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
        check_finite(float(np.sum(path[-1] ** 2)), k + 1)
    return np.array(path)


def flow_path(
    grad: Grad,
    theta0: Vector,
    times: Vector,
    hessian: Hess | None = None,
    lr: float = 0.0,
    rtol: float = 1e-12,
) -> np.ndarray:
    """d theta / dt = -(grad L + (lambda / 2) H grad L), sampled at `times`.

    With lr = 0 (or no Hessian) this is the gradient flow of L; with the step lambda = lr it
    is the flow of the modified loss L + (lambda / 4) ||grad L||^2.
    Shapes: theta0: (P,), times: (T,) increasing from 0 -> (T, P). Chapter 7.
    """
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times[0] != 0.0 or np.any(np.diff(times) <= 0):
        raise ValueError(f"times must increase from 0, got shape {times.shape}")
    if lr > 0 and hessian is None:
        raise ValueError("the modified flow (lr > 0) needs the Hessian")

    def rhs(_t: float, theta: Vector) -> Vector:
        g = grad(theta)
        return -(g + 0.5 * lr * hessian(theta) @ g) if lr > 0 else -g

    sol = solve_ivp(
        rhs,
        (0.0, times[-1]),
        np.asarray(theta0, dtype=float),
        method="DOP853",
        t_eval=times,
        rtol=rtol,
        atol=rtol,
    )
    if not sol.success:
        raise RuntimeError(f"the flow integration failed: {sol.message}")
    return sol.y.T  # (P, T) -> (T, P)


def backward_error(
    grad: Grad, hessian: Hess, theta0: Vector, lr: float, horizon: float
) -> tuple[float, float]:
    """(max_k ||theta_k - theta_L(k lambda)||, max_k ||theta_k - theta_Ltilde(k lambda)||).

    The distance of GD with step lambda, run to time `horizon` (horizon / lambda steps), from
    the flow of L and from the flow of the modified loss: O(lambda) and O(lambda^2).
    Shapes: theta0: (P,) -> two scalars. Chapter 7.
    """
    steps = int(round(horizon / lr))
    if steps < 1 or abs(steps * lr - horizon) > 1e-9 * horizon:
        raise ValueError(f"horizon {horizon} must be a whole number of steps of lr {lr}")
    path = gd_path(grad, theta0, lr, steps)  # (steps + 1, P)
    times = lr * np.arange(steps + 1)
    plain = flow_path(grad, theta0, times)
    modified = flow_path(grad, theta0, times, hessian, lr)
    return (
        float(np.linalg.norm(path - plain, axis=1).max()),
        float(np.linalg.norm(path - modified, axis=1).max()),
    )


def batch_gradient_variance(grads: np.ndarray, batch_size: int, rng: np.random.Generator) -> float:
    """(1 / m) sum_t ||grad L(B_t) - grad L(D)||^2 over one random partition into m batches.

    `grads[i]` is the gradient of example i's loss; grad L(B_t) is a batch mean. The last
    n mod B examples are left out. Shapes: grads: (n, P) -> scalar. Chapter 7.
    """
    grads = np.asarray(grads, dtype=float)
    n = grads.shape[0]
    if grads.ndim != 2 or not 1 <= batch_size <= n:
        raise ValueError(
            f"need grads of shape (n, P) and 1 <= B <= n, got {grads.shape}, B={batch_size}"
        )
    m = n // batch_size
    order = rng.permutation(n)[: m * batch_size].reshape(m, batch_size)  # (m, B) indices
    batch_means = grads[order].mean(axis=1)  # (m, B, P) -> (m, P)
    return float(np.mean(np.sum((batch_means - grads.mean(axis=0)) ** 2, axis=1)))


def expected_batch_gradient_variance(grads: np.ndarray, batch_size: int) -> float:
    """E ||grad L(B) - grad L(D)||^2 = (n - B) / (B (n - 1)) * (1/n) sum_i ||g_i - g_bar||^2.

    For a batch of B examples drawn without replacement: the finite-population correction
    (n - B) / (n - 1) makes it vanish at B = n. Shapes: grads: (n, P) -> scalar. Chapter 7.
    """
    grads = np.asarray(grads, dtype=float)
    n = grads.shape[0]
    if grads.ndim != 2 or not 1 <= batch_size <= n or n < 2:
        raise ValueError(
            f"need grads of shape (n >= 2, P) and 1 <= B <= n, got {grads.shape}, B={batch_size}"
        )
    spread = np.mean(np.sum((grads - grads.mean(axis=0)) ** 2, axis=1))
    return float((n - batch_size) / (batch_size * (n - 1)) * spread)


def flat_loss(
    model: nn.Module, X: torch.Tensor, labels: torch.Tensor
) -> tuple[Callable[[torch.Tensor], torch.Tensor], torch.Tensor]:
    """(L, theta): the mean cross-entropy L(theta) of `model` on (X, labels) as a function of
    one flat parameter vector, and the model's current theta.

    Shapes: X: (n, D), labels: (n,) -> (a function (P,) -> scalar, (P,)). Chapter 7.
    """
    return optim_flat_loss(model, X, labels, F.cross_entropy)


def model_sharpness(
    model: nn.Module,
    X: torch.Tensor,
    labels: torch.Tensor,
    generator: torch.Generator,
    iters: int = 30,
) -> float:
    """lambda_max of the Hessian of the mean cross-entropy at the model's parameters.

    Power iteration on Hessian-vector products (chapter 4's `sharpness`).
    Shapes: X: (n, D), labels: (n,) -> scalar. Chapter 7.
    """
    loss, theta = flat_loss(model, X, labels)
    return sharpness(loss, theta, generator, iters)
