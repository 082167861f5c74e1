"""Generative adversarial networks: the minimax game, its optimal discriminator and losses.

min_G max_D V(D, G) = E_data[log D(x)] + E_z[log(1 - D(G(z)))], with D = sigmoid(logit).
For fixed G the best D is D* = p_data / (p_data + p_g), and then V = -log 4 + 2 JSD.
The losses here take the discriminator's logits and use softplus, which is exact and stable:
log D = -softplus(-l), log(1 - D) = -softplus(l). Chapter 11.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.runtime import check_finite


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """-V = -mean log D(x) - mean log(1 - D(G(z))): what D minimises (binary cross-entropy).

    Shapes: real_logits: (B,), fake_logits: (B',) -> scalar. Chapter 11.
    """
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss_minimax(fake_logits: torch.Tensor) -> torch.Tensor:
    """mean log(1 - D(G(z))): the generator's part of V, which G minimises (saturates).

    Shapes: fake_logits: (B,) -> scalar. Chapter 11.
    """
    return -F.softplus(fake_logits).mean()


def generator_loss_nonsaturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """-mean log D(G(z)): the non-saturating generator loss of Goodfellow et al. (2014).

    Shapes: fake_logits: (B,) -> scalar. Chapter 11.
    """
    return F.softplus(-fake_logits).mean()


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)).

    Shapes: p_data, p_g: (G,) densities on a grid -> (G,). Chapter 11.
    """
    p_data, p_g = np.asarray(p_data, float), np.asarray(p_g, float)
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_data has shape {p_data.shape} but p_g has shape {p_g.shape}")
    return p_data / (p_data + p_g)


def gan_value(D: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, x: np.ndarray) -> float:
    """V(D, G) = int p_data log D + p_g log(1 - D) dx, by the trapezoid rule on the grid x.

    Shapes: D, p_data, p_g, x: (G,) -> scalar. Chapter 11.
    """
    D, p_data, p_g, x = (np.asarray(a, float) for a in (D, p_data, p_g, x))
    if not D.shape == p_data.shape == p_g.shape == x.shape:
        raise ValueError(f"shapes differ: D {D.shape}, densities {p_data.shape}, x {x.shape}")
    tiny = np.finfo(float).tiny
    integrand = p_data * np.log(np.maximum(D, tiny)) + p_g * np.log(np.maximum(1 - D, tiny))
    return float(np.trapezoid(integrand, x))


def jsd(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q) / 2, on the grid x (nats).

    Shapes: p, q, x: (G,) -> scalar. Chapter 11.
    """
    p, q, x = (np.asarray(a, float) for a in (p, q, x))
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        ratio = np.where(a > 0, a / np.where(m > 0, m, 1.0), 1.0)
        return float(np.trapezoid(a * np.log(ratio), x))

    return 0.5 * kl(p) + 0.5 * kl(q)


def train_gan(
    G: nn.Module,
    D: nn.Module,
    sample_data: Callable[[int], torch.Tensor],
    steps: int,
    generator: torch.Generator,
    batch: int = 256,
    lr: float = 1e-3,
    latent_dim: int = 2,
    r1: float = 0.0,
    every: int = 0,
    progress: bool = True,
) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    """Alternate one Adam step on D (discriminator_loss) and one on G (non-saturating loss).

    With r1 > 0 the discriminator's loss adds the R1 penalty (r1 / 2) E||grad_x D(x)||^2 on
    real data (Mescheder et al., 2018), which damps the oscillations of the game.

    Returns the losses (steps, 2) for (D, G) and, every `every` steps, (step, G(z)) for a
    fixed batch z. Shapes: sample_data: n -> (n, D_x) -> ((steps, 2), snapshots). Chapter 11.
    """
    dtype = next(G.parameters()).dtype
    opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    z_fixed = torch.randn((1000, latent_dim), generator=generator, dtype=dtype)
    losses, snapshots = np.empty((steps, 2)), []
    for step in tqdm(range(steps), desc="GAN", disable=not progress):
        z = torch.randn((batch, latent_dim), generator=generator, dtype=dtype)
        real = sample_data(batch).requires_grad_(r1 > 0)
        real_logits = D(real).squeeze(-1)
        loss_d = discriminator_loss(real_logits, D(G(z).detach()).squeeze(-1))
        if r1 > 0:  # R1: (gamma / 2) E ||grad_x D(x)||^2 on real data
            (grad,) = torch.autograd.grad(real_logits.sum(), real, create_graph=True)
            loss_d = loss_d + r1 / 2 * (grad**2).sum(-1).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = generator_loss_nonsaturating(D(G(z)).squeeze(-1))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        losses[step] = check_finite(loss_d.item(), step), check_finite(loss_g.item(), step)
        if every and (step + 1) % every == 0:
            with torch.no_grad():
                snapshots.append((step + 1, G(z_fixed).numpy().copy()))
    return losses, snapshots
