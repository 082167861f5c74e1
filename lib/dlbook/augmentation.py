"""Label-preserving transformations of 8x8 digit images, and a residual MLP with stochastic depth.

Data augmentation trains on shifted copies so that the model learns what does not change
the label; stochastic depth drops whole residual blocks while training. Both are
regularizers of chapter 7; chapter 8 contrasts augmentation with built-in invariance.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from dlbook.nets import reset_linear_

SIDE = 8  # scikit-learn's digits are 8 x 8 images, flattened to 64 values


def _images(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != SIDE * SIDE:
        raise ValueError(f"expected flattened 8x8 images of shape (n, 64), got {X.shape}")
    return X.reshape(-1, SIDE, SIDE)  # (n, 64) -> (n, 8, 8)


def shift_images(X: np.ndarray, dy: np.ndarray, dx: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """x'[i, j] = x[i - dy, j - dx], pixels shifted in from outside set to `fill`.

    Each image gets its own (dy, dx). Shapes: X: (n, 64), dy, dx: (n,) ints -> (n, 64).
    Chapter 7.
    """
    images = _images(X)
    dy, dx = np.broadcast_to(dy, len(images)), np.broadcast_to(dx, len(images))
    out = np.full_like(images, fill, dtype=float)
    for k, (sy, sx) in enumerate(zip(dy, dx, strict=True)):
        sy, sx = int(sy), int(sx)
        if abs(sy) >= SIDE or abs(sx) >= SIDE:
            continue  # shifted out of the frame entirely
        src = images[k, max(0, -sy) : SIDE - max(0, sy), max(0, -sx) : SIDE - max(0, sx)]
        out[k, max(0, sy) : SIDE - max(0, -sy), max(0, sx) : SIDE - max(0, -sx)] = src
    return out.reshape(len(images), SIDE * SIDE)  # (n, 8, 8) -> (n, 64)


def random_shifts(
    X: np.ndarray, max_shift: int, rng: np.random.Generator, fill: float = 0.0
) -> np.ndarray:
    """Each image shifted by (dy, dx) drawn uniformly from {-max_shift, ..., max_shift}^2.

    Shapes: X: (n, 64) -> (n, 64). Chapter 7.
    """
    if max_shift < 0:
        raise ValueError(f"max_shift must be >= 0, got {max_shift}")
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=(2, len(_images(X))))
    return shift_images(X, dy, dx, fill)


class StochasticDepthBlock(nn.Module):
    """h' = h + b g(h) / q in training, b ~ Bernoulli(q); h' = h + g(h) at evaluation.

    g(h) = W_2 ReLU(W_1 h + b_1) + b_2. Scaling the kept branch by 1/q (like inverted
    dropout) keeps E[h'] equal to the evaluation output. One Bernoulli draw per example.
    """

    def __init__(self, width: int, survival: float, generator: torch.Generator | None = None):
        super().__init__()
        if not 0.0 < survival <= 1.0:
            raise ValueError(f"survival probability must lie in (0, 1], got {survival}")
        self.branch = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width))
        self.survival, self.generator = survival, generator

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """h + b g(h) / q (training) or h + g(h) (evaluation). Shapes: (B, W) -> (B, W).

        Chapter 7.
        """
        if not self.training or self.survival == 1.0:
            return h + self.branch(h)
        keep = torch.rand(h.shape[0], 1, generator=self.generator, dtype=h.dtype) < self.survival
        return h + keep * self.branch(h) / self.survival  # (B, 1) * (B, W)


def residual_mlp(
    widths: tuple[int, int, int],
    blocks: int,
    survival: float,
    generator: torch.Generator,
) -> nn.Sequential:
    """f(x) = W_out h_L, h_l = h_{l-1} + b_l g_l(h_{l-1}) / q, h_0 = W_in x (stochastic depth).

    widths = (D, W, K). Initialisation and block drops are drawn from `generator`.
    Shapes: x: (B, D) -> (B, K). Chapter 7.
    """
    D, width, K = widths
    layers = [nn.Linear(D, width)]
    layers += [StochasticDepthBlock(width, survival, generator) for _ in range(blocks)]
    layers.append(nn.Linear(width, K))
    return reset_linear_(nn.Sequential(*layers), generator)
