"""Batch and layer normalization, x_hat = (x - mu) / sqrt(var + eps), y = gamma x_hat + beta.

Batch norm takes mu and var of each feature over the batch (axis 0) and keeps running
averages for evaluation; layer norm takes them over the features of each sample (last
axis) and behaves the same in training and evaluation. In numpy with hand-written
backward passes (`BatchNorm`, `LayerNorm`), and in torch (`normalized_mlp`) for training.
Chapter 8.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from dlbook.nets import ACTIVATIONS

Cache = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def _check(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or np.shape(gamma) != (X.shape[1],) or np.shape(beta) != (X.shape[1],):
        raise ValueError(
            f"X must be (B, D) with gamma, beta (D,); got {X.shape}, "
            f"{np.shape(gamma)}, {np.shape(beta)}"
        )
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    return X


def normalize_forward(
    X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, axis: int, eps: float = 1e-5
) -> tuple[np.ndarray, Cache]:
    """y = gamma (x - mu) / sqrt(var + eps) + beta, mu and var (biased) taken along `axis`.

    axis = 0 is batch norm in training mode, axis = 1 is layer norm.
    Shapes: X: (B, D), gamma, beta: (D,) -> Y: (B, D) and a cache for the backward pass.
    Chapter 8.
    """
    X = _check(X, gamma, beta, eps)
    if axis not in (0, 1):
        raise ValueError(f"axis must be 0 (batch norm) or 1 (layer norm), got {axis}")
    mu = X.mean(axis=axis, keepdims=True)  # (1, D) or (B, 1)
    sigma = np.sqrt(X.var(axis=axis, keepdims=True) + eps)
    x_hat = (X - mu) / sigma  # (B, D)
    return gamma * x_hat + beta, (x_hat, sigma, np.asarray(gamma, dtype=float), axis)


def normalize_backward(dY: np.ndarray, cache: Cache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx = (dx_hat - mean(dx_hat) - x_hat mean(dx_hat x_hat)) / sigma, dx_hat = gamma dy.

    Means along the normalized axis; dgamma = sum_i dy x_hat, dbeta = sum_i dy over the batch.
    Shapes: dY: (B, D) -> dX: (B, D), dgamma: (D,), dbeta: (D,). Chapter 8.
    """
    x_hat, sigma, gamma, axis = cache
    dY = np.asarray(dY, dtype=float)
    if dY.shape != x_hat.shape:
        raise ValueError(f"dY has shape {dY.shape}; the forward output had {x_hat.shape}")
    dx_hat = dY * gamma  # (B, D)
    mean_d = dx_hat.mean(axis=axis, keepdims=True)
    mean_dx = (dx_hat * x_hat).mean(axis=axis, keepdims=True)
    dX = (dx_hat - mean_d - x_hat * mean_dx) / sigma
    return dX, (dY * x_hat).sum(axis=0), dY.sum(axis=0)


class BatchNorm:
    """Batch norm in numpy with gamma, beta, eps, running statistics and train/eval modes.

    Like `torch.nn.BatchNorm1d`: in training, batch statistics normalize and the running
    averages move by `momentum` (the variance unbiased, B/(B-1)); in evaluation the running
    averages normalize, so each sample's output depends on it alone.
    """

    def __init__(self, D: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.gamma, self.beta = np.ones(D), np.zeros(D)
        self.running_mean, self.running_var = np.zeros(D), np.ones(D)
        self.eps, self.momentum, self.training = eps, momentum, True
        self._cache: Cache | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        """y = gamma (x - mu_B) / sigma_B + beta (train) or with running mu, var (eval).

        Shapes: X: (B, D) -> (B, D). Chapter 8.
        """
        X = _check(X, self.gamma, self.beta, self.eps)
        if not self.training:
            sigma = np.sqrt(self.running_var + self.eps)
            return self.gamma * (X - self.running_mean) / sigma + self.beta
        if X.shape[0] < 2:
            raise ValueError(f"batch norm in training needs B >= 2 samples, got {X.shape}")
        Y, self._cache = normalize_forward(X, self.gamma, self.beta, 0, self.eps)
        B, m = X.shape[0], self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * X.mean(axis=0)
        self.running_var = (1 - m) * self.running_var + m * X.var(axis=0) * B / (B - 1)
        return Y

    def backward(self, dY: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(dX, dgamma, dbeta) of the last training-mode forward pass.

        Shapes: dY: (B, D) -> (B, D), (D,), (D,). Chapter 8.
        """
        if self._cache is None:
            raise ValueError("backward needs a forward pass in training mode first")
        return normalize_backward(dY, self._cache)


class LayerNorm:
    """Layer norm in numpy: each sample normalized over its D features, in every mode."""

    def __init__(self, D: int, eps: float = 1e-5) -> None:
        self.gamma, self.beta, self.eps = np.ones(D), np.zeros(D), eps
        self._cache: Cache | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        """y = gamma (x - mu(x)) / sigma(x) + beta per row x.

        Shapes: X: (B, D) -> (B, D). Chapter 8.
        """
        Y, self._cache = normalize_forward(X, self.gamma, self.beta, 1, self.eps)
        return Y

    def backward(self, dY: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(dX, dgamma, dbeta) of the last forward pass.

        Shapes: dY: (B, D) -> (B, D), (D,), (D,). Chapter 8.
        """
        if self._cache is None:
            raise ValueError("backward needs a forward pass first")
        return normalize_backward(dY, self._cache)


def normalize_torch(
    x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, axis: int, eps: float = 1e-5
) -> torch.Tensor:
    """y = gamma (x - mu) / sqrt(var + eps) + beta in torch ops, so autograd differentiates it.

    axis = 0: batch norm with batch statistics; axis = 1: layer norm.
    Shapes: x: (B, D), gamma, beta: (D,) -> (B, D). Chapter 8.
    """
    if x.ndim != 2 or axis not in (0, 1):
        raise ValueError(f"need x of shape (B, D) and axis 0 or 1; got {tuple(x.shape)}, {axis}")
    mu = x.mean(dim=axis, keepdim=True)
    var = x.var(dim=axis, unbiased=False, keepdim=True)
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def batch_statistics(X: np.ndarray, B: int, rng: np.random.Generator, draws: int) -> np.ndarray:
    """(mu_B, sigma_B) of the first feature on `draws` random batches of B rows of X.

    What batch norm divides by is itself a noisy estimate: its spread shrinks like 1/sqrt(B).
    Shapes: X: (n, D) -> (draws, 2). Chapter 8.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not 1 <= B <= X.shape[0]:
        raise ValueError(f"need X (n, D) and 1 <= B <= n; got {X.shape} and B = {B}")
    idx = np.stack([rng.choice(X.shape[0], B, replace=False) for _ in range(draws)])
    batch = X[idx, 0]  # (draws, B)
    return np.stack([batch.mean(axis=1), batch.std(axis=1)], axis=1)


def normalized_mlp(
    widths: Sequence[int],
    norm: str | None,
    activation: str = "relu",
    generator: torch.Generator | None = None,
) -> nn.Sequential:
    """f(x) = W_L phi(N(W_{L-1} ... phi(N(W_1 x)))) with N batch norm, layer norm or none.

    He-uniform weights W ~ U(-sqrt(6/n_in), sqrt(6/n_in)), zero biases, drawn from `generator`,
    so that a deep ReLU net without normalization starts with well-scaled signals (chapter 6).
    Shapes: x: (B, widths[0]) -> (B, widths[-1]). Chapter 8.
    """
    norms = {"batch": nn.BatchNorm1d, "layer": nn.LayerNorm, None: None}
    if norm not in norms or activation not in ACTIVATIONS:
        raise ValueError(f"unknown norm {norm!r} or activation {activation!r}")
    widths = [int(w) for w in widths]
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"an MLP needs at least two positive widths, got {widths}")
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        linear = nn.Linear(n_in, n_out)
        with torch.no_grad():
            bound = (6.0 / n_in) ** 0.5
            linear.weight.uniform_(-bound, bound, generator=generator)
            linear.bias.zero_()
        layers.append(linear)
        if i < len(widths) - 2:
            if norm is not None:
                layers.append(norms[norm](n_out))
            layers.append(ACTIVATIONS[activation]())
    return nn.Sequential(*layers)
