"""The two-layer network f(x; theta) = W1 phi(W0 x~), theta = {W0, W1}, in numpy.

x~ = (x, 1) appends a constant input so that W0's last column acts as the hidden bias.
Trained by full-batch gradient descent theta_{k+1} = theta_k - eta grad L(theta_k) on
L = (1 / 2B) sum_i ||f(x_i) - y_i||^2, with the gradient written out by hand (each backward
step under its forward step) and tested against torch.autograd. Chapter 1; Chapter 5
derives the backward rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlbook.runtime import check_finite


@dataclass
class TwoLayerNet:
    """f(x) = W1 tanh(W0 x~). W0: (M, D+1), W1: (K, M)."""

    W0: np.ndarray
    W1: np.ndarray

    @classmethod
    def init(cls, dim: int, width: int, rng: np.random.Generator, out: int = 1) -> TwoLayerNet:
        """W0 ~ N(0, 1/(D+1)), W1 ~ N(0, 1/M). Shapes: -> W0: (M, D+1), W1: (K, M). Chapter 1."""
        W0 = rng.standard_normal((width, dim + 1)) / np.sqrt(dim + 1)
        W1 = rng.standard_normal((out, width)) / np.sqrt(width)
        return cls(W0, W1)

    def copy(self) -> TwoLayerNet:
        """An independent copy of (W0, W1). Shapes: unchanged. Chapter 1."""
        return TwoLayerNet(self.W0.copy(), self.W1.copy())

    def _augment(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] + 1 != self.W0.shape[1]:
            raise ValueError(
                f"inputs of shape {X.shape} do not fit W0 of shape {self.W0.shape}; "
                f"expected (B, {self.W0.shape[1] - 1})"
            )
        return np.column_stack([X, np.ones(len(X))])  # (B, D) -> (B, D+1)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """f(X) = tanh(X~ W0^T) W1^T. Shapes: X: (B, D) -> (B, K). Chapter 1."""
        return np.tanh(self._augment(X) @ self.W0.T) @ self.W1.T

    def score(self, X: np.ndarray) -> np.ndarray:
        """The first output, for decision boundaries. Shapes: X: (B, D) -> (B,). Chapter 1."""
        return self(X)[:, 0]

    def loss_and_grads(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """L = (1/2B) sum ||f(x_i) - y_i||^2 and its gradients dL/dW0, dL/dW1.

        Shapes: X: (B, D), Y: (B, K) or (B,) -> scalar, {W0: (M, D+1), W1: (K, M)}. Chapter 1.
        """
        Xt = self._augment(X)
        Y = np.asarray(Y, dtype=float)
        given = Y.shape
        Y = Y[:, None] if Y.ndim == 1 else Y  # (B,) -> (B, 1)
        B = Xt.shape[0]
        if Y.shape != (B, self.W1.shape[0]):
            raise ValueError(
                f"targets of shape {given} do not match outputs ({B}, {self.W1.shape[0]})"
            )
        Z = Xt @ self.W0.T  # pre-activations (B, M)
        H = np.tanh(Z)  # hidden units (B, M)
        F = H @ self.W1.T  # outputs (B, K)
        R = F - Y  # residuals (B, K)
        loss = 0.5 * float(np.sum(R**2)) / B
        # backward, in reverse order, each line the chain rule for the forward line above
        dF = R / B  # dL/dF (B, K)
        dW1 = dF.T @ H  # F = H W1^T  -> (K, M)
        dH = dF @ self.W1  # (B, M)
        dZ = dH * (1.0 - H**2)  # tanh'(z) = 1 - tanh(z)^2
        dW0 = dZ.T @ Xt  # Z = X~ W0^T -> (M, D+1)
        return loss, {"W0": dW0, "W1": dW1}


@dataclass
class GDRun:
    """The record of a gradient-descent run."""

    net: TwoLayerNet
    losses: list[float] = field(default_factory=list)
    snapshots: list[tuple[int, TwoLayerNet]] = field(default_factory=list)


def train_gd(
    net: TwoLayerNet,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float,
    steps: int,
    snapshot_steps: tuple[int, ...] = (),
) -> GDRun:
    """Full-batch gradient descent theta_{k+1} = theta_k - eta grad L(theta_k), for `steps` steps.

    The net is not modified; the run holds a trained copy. Raises DivergenceError if the
    loss stops being finite. Shapes: X: (B, D), Y: (B, K) -> GDRun. Chapter 1.
    """
    if lr <= 0:
        raise ValueError(f"the step size must be positive, got {lr}")
    net = net.copy()
    run = GDRun(net=net)
    wanted = set(snapshot_steps)
    for k in range(steps + 1):
        if k in wanted:
            run.snapshots.append((k, net.copy()))
        loss, grads = net.loss_and_grads(X, Y)
        run.losses.append(check_finite(loss, k))
        if k == steps:
            break
        net.W0 -= lr * grads["W0"]
        net.W1 -= lr * grads["W1"]
    return run
