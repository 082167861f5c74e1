"""The edge of stability: full-batch GD on a small MLP while tracking the sharpness.

Full-batch GD with learning rate lr is stable on a quadratic only while the top Hessian
eigenvalue (the sharpness) stays below 2/lr. On networks the sharpness rises during
training until it reaches about 2/lr, then hovers there while the loss keeps falling,
non-monotonically. Chapter 4.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from dlbook.optim import GD, flat_loss, power_iteration
from dlbook.runtime import check_finite


def eos_run(
    X: torch.Tensor,
    Y: torch.Tensor,
    net: nn.Module,
    lr: float,
    steps: int,
    generator: torch.Generator,
    every: int = 20,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """theta <- theta - lr grad L, L = mean_i ||f(x_i) - y_i||^2 / 2; sharpness every `every` steps.

    Shapes: X: (n, d), Y: (n, k) -> losses (steps,), at (S,), sharpness (S,). Chapter 4.
    The net is not modified; power iteration is warm-started (50 iterations, then 10).
    """
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X {tuple(X.shape)} and Y {tuple(Y.shape)} need the same rows")

    def half_mse(out: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
        return 0.5 * ((out - Y) ** 2).sum(dim=1).mean()

    loss, theta = flat_loss(net, X, Y, half_mse)  # theta: (P,)
    v = torch.randn(theta.shape, generator=generator, dtype=theta.dtype)
    opt, losses, at, sharp = GD(lr), [], [], []
    for k in range(steps):
        if k % every == 0:
            value, v = power_iteration(loss, theta, v, 50 if k == 0 else 10)
            at.append(k)
            sharp.append(value)
        t = theta.requires_grad_()
        value = loss(t)
        (g,) = torch.autograd.grad(value, t)
        losses.append(check_finite(value.item(), k))
        (theta,) = opt.step([theta.detach()], [g])
    return np.array(losses), np.array(at), np.array(sharp)
