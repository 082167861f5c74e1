"""Gradient-descent optimizers from scratch, learning-rate schedules and sharpness.

Every optimizer has one API: `params = opt.step(params, grads)`, where `params` and
`grads` are equal-length lists of numpy arrays or torch tensors of matching shapes. The
step is functional (it returns new arrays and never writes into the old ones), so the
same class drives a numpy landscape and a torch network, and a trajectory is just the
list of what `step` returned. The optimizer keeps its own state (velocities, moments).
We chose this over subclassing `torch.optim.Optimizer` because the rules then read as
the equations of the notes, without `param_groups` or in-place bookkeeping. Chapter 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn
from torch.func import functional_call, grad, jvp

Array = Any  # a numpy array or a torch tensor


def _check(params: Sequence[Array], grads: Sequence[Array]) -> None:
    """Raise ValueError unless params and grads pair up with matching shapes."""
    if len(params) != len(grads):
        raise ValueError(f"got {len(params)} parameters but {len(grads)} gradients")
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        if tuple(p.shape) != tuple(g.shape):
            raise ValueError(
                f"parameter {i} has shape {tuple(p.shape)} but its gradient {tuple(g.shape)}"
            )


def _positive(name: str, value: float) -> float:
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _unit(name: str, value: float) -> float:
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


class Optimizer:
    """Base class: validates the learning rate and the (params, grads) pairing."""

    def __init__(self, lr: float) -> None:
        self.lr = _positive("learning rate lr", lr)
        self.t = 0  # steps taken

    def step(self, params: Sequence[Array], grads: Sequence[Array]) -> list[Array]:
        """theta_{k+1} = update(theta_k, g_k); returns the new parameters.

        Shapes: params, grads: lists of matching arrays -> list like params. Chapter 4.
        """
        _check(params, grads)
        self.t += 1
        return self._step(list(params), list(grads))

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        raise NotImplementedError


class GD(Optimizer):
    """theta <- theta - lr g (plain, full-batch or stochastic, gradient descent)."""

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        return [p - self.lr * g for p, g in zip(params, grads, strict=True)]


class Momentum(Optimizer):
    """Heavy ball, in either convention of the notes.

    convention="sum" (torch.optim.SGD's): b <- beta b + g, theta <- theta - lr b;
    with nesterov=True the step uses g + beta b instead of b.
    convention="ema": m <- beta m + (1 - beta) g, theta <- theta - lr m (the same
    rule with lr scaled by 1 - beta).
    """

    def __init__(
        self, lr: float, beta: float = 0.9, nesterov: bool = False, convention: str = "sum"
    ) -> None:
        super().__init__(lr)
        self.beta = _unit("beta", beta)
        if convention not in ("sum", "ema"):
            raise ValueError(f"convention must be 'sum' or 'ema', got {convention!r}")
        self.nesterov, self.convention = nesterov, convention
        self.buf: list[Array] | None = None

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        scale = 1.0 if self.convention == "sum" else 1.0 - self.beta
        if self.buf is None:
            self.buf = [scale * g for g in grads]
        else:
            self.buf = [self.beta * b + scale * g for b, g in zip(self.buf, grads, strict=True)]
        direction = self.buf
        if self.nesterov:
            direction = [scale * g + self.beta * b for g, b in zip(grads, self.buf, strict=True)]
        return [p - self.lr * d for p, d in zip(params, direction, strict=True)]


class RMSProp(Optimizer):
    """v <- rho v + (1 - rho) g^2, theta <- theta - lr g / (sqrt(v) + eps)."""

    def __init__(self, lr: float, rho: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho, self.eps = _unit("rho", rho), eps
        self.v: list[Array] | None = None

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        if self.v is None:
            self.v = [0 * g for g in grads]
        self.v = [self.rho * v + (1 - self.rho) * g * g for v, g in zip(self.v, grads, strict=True)]
        return [
            p - self.lr * g / (v**0.5 + self.eps)
            for p, g, v in zip(params, grads, self.v, strict=True)
        ]


class Adam(Optimizer):
    """m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2, theta <- theta - lr m_hat/(sqrt(v_hat)+eps)
    with the bias corrections m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)."""

    def __init__(
        self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = _unit("beta1", beta1), _unit("beta2", beta2), eps
        self.m: list[Array] | None = None
        self.v: list[Array] | None = None

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        if self.m is None or self.v is None:
            self.m, self.v = [0 * g for g in grads], [0 * g for g in grads]
        b1, b2 = self.beta1, self.beta2
        self.m = [b1 * m + (1 - b1) * g for m, g in zip(self.m, grads, strict=True)]
        self.v = [b2 * v + (1 - b2) * g * g for v, g in zip(self.v, grads, strict=True)]
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        return [
            p - self.lr * (m / c1) / ((v / c2) ** 0.5 + self.eps)
            for p, m, v in zip(params, self.m, self.v, strict=True)
        ]


class NormalizedGD(Optimizer):
    """theta <- theta - lr g / ||g|| (norm over all parameters): every step has length lr."""

    def _step(self, params: list[Array], grads: list[Array]) -> list[Array]:
        norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
        if norm == 0:
            return params
        return [p - (self.lr / norm) * g for p, g in zip(params, grads, strict=True)]


def step_schedule(k: int, lr0: float, drop: float = 0.1, every: int = 30) -> float:
    """lr_k = lr0 * drop^floor(k / every).

    Shapes: scalars -> scalar. Chapter 4.
    """
    return lr0 * drop ** (k // every)


def exponential_schedule(k: int, lr0: float, gamma: float = 0.97) -> float:
    """lr_k = lr0 * gamma^k.

    Shapes: scalars -> scalar. Chapter 4.
    """
    return lr0 * gamma**k


def cosine_schedule(k: int, lr0: float, total: int, lr_min: float = 0.0) -> float:
    """lr_k = lr_min + (lr0 - lr_min) (1 + cos(pi k / total)) / 2.

    Shapes: scalars -> scalar. Chapter 4.
    """
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * min(k, total) / total)) / 2


def hvp(
    loss: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    """H v = d/de grad L(theta + e v) at e = 0 (forward-over-reverse with torch.func).

    Shapes: theta, v: (P,) -> (P,). Chapter 4.
    """
    if theta.shape != v.shape:
        raise ValueError(f"theta {tuple(theta.shape)} and v {tuple(v.shape)} must match")
    return jvp(grad(loss), (theta,), (v,))[1]


def power_iteration(
    loss: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor, v: torch.Tensor, iters: int
) -> tuple[float, torch.Tensor]:
    """lambda ~ v^T H v after iters steps of v <- H v / ||H v||, started from v.

    Shapes: theta, v: (P,) -> (scalar, (P,)). Chapter 4. Warm-start v from the last call.
    """
    v = v / v.norm()
    value = 0.0
    for _ in range(iters):
        hv = hvp(loss, theta, v)
        value = float(v @ hv)
        v = hv / hv.norm()
    return value, v


def sharpness(
    loss: Callable[[torch.Tensor], torch.Tensor],
    theta: torch.Tensor,
    generator: torch.Generator,
    iters: int = 20,
) -> float:
    """lambda_max(H) by power iteration v <- H v / ||H v|| from a random start.

    Shapes: theta: (P,) -> scalar. Chapter 4. Power iteration finds the eigenvalue of largest
    magnitude; near a minimum the top one is positive and that is it.
    """
    v = torch.randn(theta.shape, generator=generator, dtype=theta.dtype)
    return power_iteration(loss, theta, v, iters)[0]


def flat_loss(
    model: nn.Module,
    X: torch.Tensor,
    target: torch.Tensor,
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> tuple[Callable[[torch.Tensor], torch.Tensor], torch.Tensor]:
    """(L, theta): L(theta) = criterion(f(X; theta), target) as a function of one flat vector
    theta of all the model's parameters (for hvp and sharpness), and the model's current theta.

    The model itself is not changed. Shapes: X: (n, ...) -> (a function (P,) -> scalar, (P,)).
    Chapter 4.
    """
    names = [name for name, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]

    def loss(theta: torch.Tensor) -> torch.Tensor:
        parts = [t.reshape(s) for t, s in zip(theta.split(sizes), shapes, strict=True)]
        out = functional_call(model, dict(zip(names, parts, strict=True)), (X,))
        return criterion(out, target)

    return loss, torch.cat([p.detach().reshape(-1) for p in model.parameters()])  # (P,)
