"""Data for the book: small synthetic problems and the data sets scikit-learn ships.

Nothing here reads the network: the only real data is what an installed package carries
(scikit-learn's digits). Randomness comes in as `rng` (numpy) or `generator` (torch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from dlbook.runtime import book_seed


def xor(signed: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points: y = +1 where exactly one coordinate is 1.

    Shapes: -> X: (4, 2), y: (4,) in {-1, +1} (or {0, 1} with signed=False). Chapter 1.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, (2 * y - 1 if signed else y)


def noisy_xor(
    n: int, rng: np.random.Generator, noise: float = 0.15
) -> tuple[np.ndarray, np.ndarray]:
    """n points in four Gaussian clouds around the XOR corners (centred at 0), labels ±1.

    Shapes: -> X: (n, 2), y: (n,). Chapter 1.
    """
    if n < 4:
        raise ValueError(f"noisy_xor needs n >= 4, got {n}")
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + noise * rng.standard_normal((n, 2))
    y = np.where(corners[idx, 0] * corners[idx, 1] < 0, 1, -1)
    return X, y


def linearly_separable(
    n: int, rng: np.random.Generator, dim: int = 2, margin: float = 0.1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n points in [-1, 1]^dim labelled by a random hyperplane through 0, with a margin gap.

    Points closer than `margin` to the plane are redrawn, so the data is separable with
    margin >= margin by the returned unit normal w_star.
    Shapes: -> X: (n, dim), y: (n,) in {-1, +1}, w_star: (dim,). Chapter 1.
    """
    if not 0 <= margin < 0.5:
        raise ValueError(f"margin must be in [0, 0.5), got {margin}")
    w_star = rng.standard_normal(dim)
    w_star /= np.linalg.norm(w_star)
    X = np.empty((0, dim))
    while len(X) < n:
        batch = rng.uniform(-1.0, 1.0, size=(4 * n, dim))
        X = np.vstack([X, batch[np.abs(batch @ w_star) >= margin]])
    X = X[:n]
    return X, np.where(X @ w_star > 0, 1, -1), w_star


def sine_quadratic(
    m: int, rng: np.random.Generator, d: int = 5, noise: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
    """y = sin(z_1) + z_2^2 / 2 + noise * eps, z ~ N(0, I_d), x = z / sqrt(d), eps ~ N(0, 1).

    The regression teacher of the double-descent and ensemble experiments: the inputs have
    E||x||^2 = 1 and the target uses two of the d directions.
    Shapes: -> X: (m, d), y: (m,). Chapter 7.
    """
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 1:
        raise ValueError(f"m (the number of points) must be a positive int, got {m!r}")
    if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 2:
        raise ValueError(f"d (the input dimension) must be an int >= 2, got {d!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise (the label noise's sd) must be finite and >= 0, got {noise!r}")
    z = rng.standard_normal((m, d))
    y = np.sin(z[:, 0]) + 0.5 * z[:, 1] ** 2
    return z / np.sqrt(d), y + noise * rng.standard_normal(m)


@dataclass(frozen=True)
class TeacherTask:
    """A fixed random tanh network g(x) = w_2^T tanh(W_1 tanh(W_0 x)) that students learn.

    Inputs are x ~ N(0, I_D); targets are standardised to unit variance (no noise), so the
    test loss of a student measures how well its function family can approximate g.
    """

    W0: torch.Tensor  # (H, D)
    W1: torch.Tensor  # (H, H)
    w2: torch.Tensor  # (H,)
    scale: float

    @classmethod
    def random(
        cls, generator: torch.Generator, dim: int = 8, hidden: int = 32, gain: float = 2.0
    ) -> TeacherTask:
        """Draw a teacher with weights N(0, gain²/fan_in). Shapes: -> W0: (H, D). Chapter 1."""
        W0 = torch.randn(hidden, dim, generator=generator) * gain / dim**0.5
        W1 = torch.randn(hidden, hidden, generator=generator) * gain / hidden**0.5
        w2 = torch.randn(hidden, generator=generator) / hidden**0.5
        probe = torch.randn(8192, dim, generator=generator)
        raw = torch.tanh(torch.tanh(probe @ W0.T) @ W1.T) @ w2
        return cls(W0, W1, w2, float(raw.std()))

    @property
    def dim(self) -> int:
        """D, the input dimension. Shapes: -> scalar. Chapter 1."""
        return self.W0.shape[1]

    def target(self, X: torch.Tensor) -> torch.Tensor:
        """y = g(x) / scale. Shapes: X: (B, D) -> (B, 1). Chapter 1."""
        if X.ndim != 2 or X.shape[1] != self.dim:
            raise ValueError(
                f"teacher expects inputs of shape (B, {self.dim}), got {tuple(X.shape)}"
            )
        X = X.to(self.W0.dtype)
        h = torch.tanh(torch.tanh(X @ self.W0.T) @ self.W1.T)  # (B, H)
        return (h @ self.w2 / self.scale).unsqueeze(1)  # (B,) -> (B, 1)

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Fresh samples (x, g(x)). Shapes: -> X: (n, D), y: (n, 1). Chapter 1."""
        X = torch.randn(n, self.dim, generator=generator)
        return X, self.target(X)


def digits(
    test_size: float = 0.3, seed: int = 0, standardize: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits (1797 images, shipped with the package), split and scaled.

    Split is stratified with `random_state=book_seed(seed)` (DLBOOK_SEED_OFFSET shifts it);
    standardisation uses training statistics (pixels that are constant in training get
    scale 1).
    Shapes: -> X_train: (n_train, 64), X_test: (n_test, 64), y_train, y_test in {0..9}.
    Chapters 4, 7 and 12 use it.
    """
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X.astype(np.float64), y, test_size=test_size, random_state=book_seed(seed), stratify=y
    )
    if standardize:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    return X_train, X_test, y_train, y_test
