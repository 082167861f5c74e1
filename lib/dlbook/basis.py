"""Basis-function models f(x; theta) = sum_k theta_k phi_k(x), fitted by least squares.

Fixed bases (polynomial, Fourier, Gaussian RBF) are linear in theta, so least squares
solves them in one step; translated bases phi(x - c_k) with learnable centres c_k are not,
and train by gradient descent (`TranslatedBasis`). Chapter 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlbook.losses import mse as mse  # E = mean_i (f(x_i) - y_i)^2, re-exported for chapter 3

KINDS = ("polynomial", "fourier", "rbf")


def _as_column(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"x must be a vector of scalar inputs (B,) or (B, 1), got {x.shape}")
    return x


def simple_features(x: np.ndarray, family: str) -> np.ndarray:
    """phi(x) = (1, x), (1, x, x^2) or (1, x, sin x): the notes' three simple families.

    Shapes: x: (B,) -> (B, 2) for "linear", (B, 3) for "quadratic" and "sine". Chapter 3.
    """
    x = _as_column(x)
    columns = {
        "linear": [np.ones_like(x), x],
        "quadratic": [np.ones_like(x), x, x**2],
        "sine": [np.ones_like(x), x, np.sin(x)],
    }
    if family not in columns:
        raise ValueError(f"unknown family {family!r}; choose from {sorted(columns)}")
    return np.column_stack(columns[family])


def features(
    x: np.ndarray, kind: str, M: int, lo: float = 0.0, hi: float = 1.0, width: float = 1.0
) -> np.ndarray:
    """Phi[i, k] = phi_k(x_i), M basis functions on [lo, hi], with t = (x - lo) / (hi - lo).

    polynomial: phi_k = (2t - 1)^k, k = 0..M-1; fourier: 1, sin(2 pi t), cos(2 pi t),
    sin(4 pi t), ... (M columns); rbf: exp(-(t - mu_k)^2 / (2 sigma^2)) with M centres mu_k
    evenly on [0, 1] and sigma = width / M.
    Shapes: x: (B,) -> (B, M). Chapter 3.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown basis {kind!r}; choose from {KINDS}")
    if M < 1 or not lo < hi:
        raise ValueError(f"need M >= 1 and lo < hi, got M={M}, ({lo}, {hi})")
    t = (_as_column(x) - lo) / (hi - lo)  # (B,) rescaled to [0, 1]
    k = np.arange(M)
    if kind == "polynomial":
        return (2 * t[:, None] - 1) ** k  # (B, M) monomials of a variable in [-1, 1]
    if kind == "fourier":
        freq = (k + 1) // 2  # 0, 1, 1, 2, 2, ...
        phase = np.where(k % 2 == 1, 0.0, np.pi / 2)  # sin for odd k, cos (and 1) for even k
        return np.sin(2 * np.pi * freq * t[:, None] + phase)  # (B, M)
    centres = np.linspace(0.0, 1.0, M) if M > 1 else np.array([0.5])
    sigma = width / M
    return np.exp(-((t[:, None] - centres) ** 2) / (2 * sigma**2))  # (B, M)


def least_squares(Phi: np.ndarray, y: np.ndarray, ridge: float = 0.0) -> np.ndarray:
    """theta = argmin ||Phi theta - y||^2 + ridge ||theta||^2 (minimum norm if not unique).

    Shapes: Phi: (B, M), y: (B,) -> theta: (M,). Chapter 3.
    """
    Phi, y = np.asarray(Phi, dtype=float), np.asarray(y, dtype=float)
    if Phi.ndim != 2 or y.shape != (Phi.shape[0],):
        raise ValueError(f"Phi has shape {Phi.shape} and y {y.shape}; expected (B, M) and (B,)")
    if ridge < 0:
        raise ValueError(f"ridge must be >= 0, got {ridge}")
    if ridge > 0:
        M = Phi.shape[1]
        Phi = np.vstack([Phi, np.sqrt(ridge) * np.eye(M)])  # (B + M, M)
        y = np.concatenate([y, np.zeros(M)])
    return np.linalg.lstsq(Phi, y, rcond=None)[0]


@dataclass
class BasisFit:
    """A fitted model f(x) = Phi(x) theta for one basis kind, M and interval."""

    kind: str
    M: int
    lo: float
    hi: float
    theta: np.ndarray

    def predict(self, x: np.ndarray) -> np.ndarray:
        """f(x) = sum_k theta_k phi_k(x). Shapes: x: (B,) -> (B,). Chapter 3."""
        return features(x, self.kind, self.M, self.lo, self.hi) @ self.theta


def fit_basis(
    x: np.ndarray,
    y: np.ndarray,
    kind: str,
    M: int,
    lo: float = 0.0,
    hi: float = 1.0,
    ridge: float = 0.0,
) -> BasisFit:
    """theta = argmin_theta sum_i (sum_k theta_k phi_k(x_i) - y_i)^2 for one basis.

    Shapes: x: (B,), y: (B,) -> a BasisFit with theta: (M,). Chapter 3.
    """
    theta = least_squares(features(x, kind, M, lo, hi), y, ridge)
    return BasisFit(kind, M, lo, hi, theta)


class TranslatedBasis(nn.Module):
    """f(x) = theta_0 + sum_k theta_k exp(-(x - c_k)^2 / (2 s_k^2)), centres c_k learnable."""

    def __init__(self, centres: torch.Tensor, width: float) -> None:
        super().__init__()
        centres = torch.as_tensor(centres, dtype=torch.float64).flatten()
        M = centres.numel()
        self.centres = nn.Parameter(centres.clone())
        self.log_widths = nn.Parameter(torch.full((M,), float(np.log(width)), dtype=torch.float64))
        self.theta = nn.Parameter(torch.zeros(M, dtype=torch.float64))
        self.theta0 = nn.Parameter(torch.zeros(1, dtype=torch.float64))

    def basis(self, x: torch.Tensor) -> torch.Tensor:
        """phi_k(x) = exp(-(x - c_k)^2 / (2 s_k^2)). Shapes: x: (B, 1) -> (B, M). Chapter 3."""
        if x.ndim != 2 or x.shape[1] != 1:
            raise ValueError(f"x must have shape (B, 1), got {tuple(x.shape)}")
        s = self.log_widths.exp()
        return torch.exp(-((x - self.centres) ** 2) / (2 * s**2))  # (B, 1) - (M,) -> (B, M)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """f(x) = theta_0 + Phi(x) theta. Shapes: x: (B, 1) -> (B, 1). Chapter 3."""
        return self.theta0 + self.basis(x) @ self.theta[:, None]  # (B, M) @ (M, 1)
