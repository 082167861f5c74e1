"""Denoising diffusion (DDPM): noise schedules, the forward process and ancestral sampling.

q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I); in closed form
x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps with abar_t = prod_{i<=t} (1 - beta_i).
A network eps_theta(x_t, t) learns to predict eps with the MSE objective; sampling runs the
learned reverse chain from x_T ~ N(0, I) (Ho et al., 2020). Time steps are 1..T; index t of
the arrays holds step t + 1. Chapter 11.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from dlbook.nets import mlp
from dlbook.runtime import check_finite

Predictor = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def check_betas(betas: torch.Tensor) -> torch.Tensor:
    """beta_t in (0, 1) for every t, else ValueError: a valid noise schedule.

    Shapes: betas: (T,) -> (T,). Chapter 11.
    """
    betas = torch.as_tensor(betas, dtype=torch.float64)
    if betas.dim() != 1 or len(betas) == 0:
        raise ValueError(f"a schedule is a non-empty vector, got shape {tuple(betas.shape)}")
    bad = (betas <= 0) | (betas >= 1) | ~torch.isfinite(betas)
    if bad.any():
        t = int(torch.nonzero(bad)[0]) + 1
        raise ValueError(f"every beta_t must lie in (0, 1); beta_{t} = {betas[t - 1].item()}")
    return betas


def linear_betas(T: int, beta_1: float = 1e-4, beta_T: float = 0.02) -> torch.Tensor:
    """beta_t = beta_1 + (t - 1) / (T - 1) (beta_T - beta_1): the linear schedule of DDPM.

    Shapes: -> (T,). Chapter 11.
    """
    if T < 1:
        raise ValueError(f"need T >= 1 steps, got {T}")
    return check_betas(torch.linspace(beta_1, beta_T, T, dtype=torch.float64))


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """abar_t = cos^2(pi/2 (t/T + s)/(1 + s)) / abar_0, beta_t = 1 - abar_t / abar_{t-1}.

    The cosine schedule (Nichol & Dhariwal, 2021), betas clipped at max_beta.
    Shapes: -> (T,). Chapter 11.
    """
    if T < 1:
        raise ValueError(f"need T >= 1 steps, got {T}")
    t = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    return check_betas((1 - f[1:] / f[:-1]).clamp(max=max_beta))


def alpha_bars(betas: torch.Tensor) -> torch.Tensor:
    """abar_t = prod_{i=1}^t (1 - beta_i).

    Shapes: betas: (T,) -> (T,). Chapter 11.
    """
    return torch.cumprod(1 - check_betas(betas), dim=0)


def q_sample(
    x0: torch.Tensor, t: torch.Tensor, abar: torch.Tensor, eps: torch.Tensor
) -> torch.Tensor:
    """x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, with t an index into abar (step t + 1).

    Shapes: x0, eps: (B, D), t: (B,) integer -> (B, D). Chapter 11.
    """
    if x0.shape != eps.shape or t.shape != x0.shape[:1]:
        raise ValueError(
            f"x0 {tuple(x0.shape)}, eps {tuple(eps.shape)} and t {tuple(t.shape)} clash"
        )
    a = abar.to(x0.dtype)[t][:, None]  # (B, 1)
    return a.sqrt() * x0 + (1 - a).sqrt() * eps


def forward_chain(
    x0: torch.Tensor, betas: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps_t, iterated for t = 1..T.

    Shapes: x0: (B, D) -> (T + 1, B, D), x_0 first. Chapter 11.
    """
    betas = check_betas(betas).to(x0.dtype)
    xs = [x0]
    for beta in betas:
        eps = torch.randn(x0.shape, generator=generator, dtype=x0.dtype)
        xs.append((1 - beta).sqrt() * xs[-1] + beta.sqrt() * eps)
    return torch.stack(xs)


def time_embedding(t: torch.Tensor, dim: int, T: int) -> torch.Tensor:
    """e(t) = (sin(w_k t / T), cos(w_k t / T))_k with w_k = 1000^(k / (dim/2)): sinusoidal.

    Shapes: t: (B,) -> (B, dim), dim even. Chapter 11.
    """
    if dim % 2:
        raise ValueError(f"the embedding dimension must be even, got {dim}")
    freqs = 1000.0 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim // 2))
    angles = (t.double()[:, None] + 1) / T * freqs[None, :]  # (B, dim / 2)
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


class NoiseMLP(nn.Module):
    """eps_theta(x_t, t) = MLP([x_t, e(t)]): a noise predictor for low-dimensional data."""

    def __init__(
        self,
        data_dim: int,
        T: int,
        generator: torch.Generator,
        hidden: int = 128,
        embed: int = 16,
    ) -> None:
        super().__init__()
        self.T, self.embed = T, embed
        self.net = mlp([data_dim + embed, hidden, hidden, hidden, data_dim], "gelu", generator)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """eps_theta(x_t, t). Shapes: x: (B, D), t: (B,) integer -> (B, D). Chapter 11."""
        e = time_embedding(t, self.embed, self.T).to(x.dtype)
        return self.net(torch.cat([x, e], dim=-1))


def diffusion_loss(
    model: Predictor, x0: torch.Tensor, abar: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """L = E_{t, x_0, eps} ||eps - eps_theta(x_t, t)||^2, one (t, eps) per example.

    Shapes: x0: (B, D) -> scalar. Chapter 11.
    """
    t = torch.randint(0, len(abar), (len(x0),), generator=generator)
    eps = torch.randn(x0.shape, generator=generator, dtype=x0.dtype)
    return ((eps - model(q_sample(x0, t, abar, eps), t)) ** 2).sum(-1).mean()


def train_ddpm(
    model: nn.Module,
    X: np.ndarray,
    betas: torch.Tensor,
    steps: int,
    generator: torch.Generator,
    batch: int = 256,
    lr: float = 1e-2,
    progress: bool = True,
) -> np.ndarray:
    """Minimise the noise-prediction MSE over mini-batches with Adam; return it per step.

    Shapes: X: (n, D) -> (steps,). Chapter 11.
    """
    dtype = next(model.parameters()).dtype
    data, abar = torch.as_tensor(np.asarray(X), dtype=dtype), alpha_bars(betas)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    losses = np.empty(steps)
    for step in tqdm(range(steps), desc="DDPM", disable=not progress):
        idx = torch.randint(0, len(data), (min(batch, len(data)),), generator=generator)
        loss = diffusion_loss(model, data[idx], abar, generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses[step] = check_finite(loss.item(), step)
    return losses


@torch.no_grad()
def ddpm_sample(
    model: Predictor,
    betas: torch.Tensor,
    n: int,
    dim: int,
    generator: torch.Generator,
) -> torch.Tensor:
    """x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) eps_theta) / sqrt(alpha_t) + sqrt(beta_t) z.

    Ancestral sampling from x_T ~ N(0, I), z ~ N(0, I) (no noise at the last step).
    Shapes: -> (T + 1, n, dim), the whole reverse trajectory x_T, ..., x_0. Chapter 11.
    """
    betas = check_betas(betas)
    abar = alpha_bars(betas)
    x = torch.randn((n, dim), generator=generator, dtype=torch.float64)
    trajectory = [x]
    for i in reversed(range(len(betas))):
        t = torch.full((n,), i, dtype=torch.long)
        eps = model(x.to(_dtype(model)), t).double()
        x = (x - betas[i] / (1 - abar[i]).sqrt() * eps) / (1 - betas[i]).sqrt()
        if i > 0:
            x = x + betas[i].sqrt() * torch.randn((n, dim), generator=generator, dtype=x.dtype)
        trajectory.append(x)
    return torch.stack(trajectory)


def _dtype(model: Predictor) -> torch.dtype:
    if isinstance(model, nn.Module):
        return next(model.parameters()).dtype
    return torch.float64
