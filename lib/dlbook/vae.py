"""Variational autoencoders: the latent-variable model, its ELBO and the IWAE bound.

p(z) = N(0, I), p_theta(x | z) = N(mu_theta(z), diag sigma^2), and the encoder
q_phi(z | x) = N(mu_phi(x), diag sigma_phi^2(x)); samples z = mu + sigma * eps
(reparameterisation). Also the two gradient estimators of d/dmu E_q[f(z)] that the
reparameterisation trick is compared with. Chapter 11.
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

LOG_2PI = math.log(2 * math.pi)


def gaussian_kl(
    mu_q: torch.Tensor,
    logvar_q: torch.Tensor,
    mu_p: torch.Tensor | None = None,
    logvar_p: torch.Tensor | None = None,
) -> torch.Tensor:
    """KL(q || p) = 1/2 sum_j [s_q/s_p + (mu_q - mu_p)^2/s_p - 1 + log s_p - log s_q], s = var.

    Diagonal Gaussians; p defaults to N(0, I), giving 1/2 sum (s + mu^2 - 1 - log s).
    Shapes: mu_q, logvar_q (and mu_p, logvar_p): (B, J) -> (B,). Chapter 11.
    """
    mu_p = torch.zeros_like(mu_q) if mu_p is None else mu_p
    logvar_p = torch.zeros_like(logvar_q) if logvar_p is None else logvar_p
    shapes = {tuple(t.shape) for t in (mu_q, logvar_q, mu_p, logvar_p)}
    if len(shapes) != 1:
        raise ValueError(f"means and log-variances must share one shape, got {sorted(shapes)}")
    ratio = torch.exp(logvar_q - logvar_p)
    terms = ratio + (mu_q - mu_p) ** 2 / torch.exp(logvar_p) - 1 - (logvar_q - logvar_p)
    return 0.5 * terms.sum(-1)


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """z = mu + sigma * eps, sigma = exp(logvar / 2), eps ~ N(0, I): differentiable in mu, sigma.

    Shapes: mu, logvar: (B, J), eps: (..., B, J) -> (..., B, J). Chapter 11.
    """
    if mu.shape != logvar.shape or eps.shape[-mu.dim() :] != mu.shape:
        raise ValueError(
            f"mu {tuple(mu.shape)}, logvar {tuple(logvar.shape)} and eps {tuple(eps.shape)} clash"
        )
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_log_prob(x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """log N(x | mu, diag e^logvar) = -1/2 sum_j [log 2 pi + logvar_j + (x_j - mu_j)^2 e^-logvar_j].

    Shapes: x, mu, logvar broadcastable to (..., D) -> (...). Chapter 11.
    """
    return -0.5 * (LOG_2PI + logvar + (x - mu) ** 2 * torch.exp(-logvar)).sum(-1)


class VAE(nn.Module):
    """Encoder x -> (mu_phi, log sigma_phi^2), decoder z -> mu_theta, learned log-variances."""

    def __init__(
        self,
        data_dim: int,
        latent_dim: int,
        hidden: int,
        generator: torch.Generator,
        min_logvar: float = -6.0,
    ) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = mlp([data_dim, hidden, hidden, 2 * latent_dim], "tanh", generator)
        self.decoder = mlp([latent_dim, hidden, hidden, data_dim], "tanh", generator)
        self.logvar_x = nn.Parameter(torch.zeros(data_dim))
        self.min_logvar = min_logvar  # a floor: constant pixels would send sigma to 0

    def decoder_logvar(self) -> torch.Tensor:
        """log sigma^2 of p_theta(x | z), floored at min_logvar.

        Shapes: -> (D,). Chapter 11.
        """
        return self.logvar_x.clamp(min=self.min_logvar)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu_phi(x), log sigma_phi^2(x)) of q_phi(z | x).

        Shapes: x: (B, D) -> (B, J), (B, J). Chapter 11.
        """
        mu, logvar = self.encoder(x).chunk(2, dim=-1)
        return mu, logvar

    def log_weights(self, x: torch.Tensor, K: int, generator: torch.Generator) -> torch.Tensor:
        """log w_k = log p_theta(x | z_k) + log p(z_k) - log q_phi(z_k | x), z_k ~ q_phi(z | x).

        Shapes: x: (B, D) -> (K, B). Chapter 11.
        """
        mu, logvar = self.encode(x)
        eps = torch.randn((K, *mu.shape), generator=generator, dtype=mu.dtype)
        z = reparameterize(mu, logvar, eps)  # (K, B, J)
        log_px = gaussian_log_prob(x, self.decoder(z), self.decoder_logvar())
        log_pz = gaussian_log_prob(z, torch.zeros_like(z), torch.zeros_like(z))
        return log_px + log_pz - gaussian_log_prob(z, mu, logvar)

    def elbo(self, x: torch.Tensor, generator: torch.Generator, K: int = 1) -> torch.Tensor:
        """L(x) = E_q[log p_theta(x | z)] - KL(q_phi(z | x) || p(z)), the KL analytic, K samples.

        Shapes: x: (B, D) -> (B,). Chapter 11.
        """
        mu, logvar = self.encode(x)
        eps = torch.randn((K, *mu.shape), generator=generator, dtype=mu.dtype)
        x_mean = self.decoder(reparameterize(mu, logvar, eps))  # (K, B, D)
        reconstruction = gaussian_log_prob(x, x_mean, self.decoder_logvar()).mean(0)
        return reconstruction - gaussian_kl(mu, logvar)

    def iwae(self, x: torch.Tensor, K: int, generator: torch.Generator) -> torch.Tensor:
        """L_K(x) = log (1/K) sum_k w_k <= log p_theta(x): tighter as K grows.

        Shapes: x: (B, D) -> (B,). Chapter 11.
        """
        return torch.logsumexp(self.log_weights(x, K, generator), dim=0) - math.log(K)

    def sample(self, n: int, generator: torch.Generator) -> torch.Tensor:
        """x = mu_theta(z), z ~ N(0, I): decoder means of prior samples.

        Shapes: -> (n, D). Chapter 11.
        """
        p = next(self.parameters())
        z = torch.randn((n, self.latent_dim), generator=generator, dtype=p.dtype)
        return self.decoder(z)


def train_vae(
    model: VAE,
    X: np.ndarray,
    steps: int,
    generator: torch.Generator,
    batch: int = 128,
    lr: float = 3e-3,
    progress: bool = True,
) -> np.ndarray:
    """Maximise the mean ELBO over mini-batches with Adam; return the loss -ELBO per step.

    Shapes: X: (n, D) -> (steps,). Chapter 11.
    """
    dtype = next(model.parameters()).dtype
    data = torch.as_tensor(np.asarray(X), dtype=dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = np.empty(steps)
    for step in tqdm(range(steps), desc="VAE", disable=not progress):
        idx = torch.randint(0, len(data), (min(batch, len(data)),), generator=generator)
        loss = -model.elbo(data[idx], generator).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses[step] = check_finite(loss.item(), step)
    return losses


def reparam_gradients(
    f: Callable[[torch.Tensor], torch.Tensor], mu: float, sigma: float, eps: torch.Tensor
) -> torch.Tensor:
    """g_i = d/dmu f(mu + sigma eps_i): per-sample reparameterised estimates of d/dmu E f(z).

    Shapes: eps: (n,) -> (n,). Chapter 11.
    """
    z = (mu + sigma * eps).detach().requires_grad_(True)
    (per_sample,) = torch.autograd.grad(f(z).sum(), z)  # d f / d z = d f / d mu, per sample
    return per_sample


def score_gradients(
    f: Callable[[torch.Tensor], torch.Tensor], mu: float, sigma: float, eps: torch.Tensor
) -> torch.Tensor:
    """g_i = f(z_i) d/dmu log q(z_i) = f(z_i) (z_i - mu) / sigma^2: the score-function estimates.

    Shapes: eps: (n,) -> (n,). Chapter 11.
    """
    z = mu + sigma * eps
    return f(z) * (z - mu) / sigma**2
