"""Multinomial logistic regression: p(l | x; W, b) = softmax(W x + b)_l in torch, trained by
full-batch gradient descent on the mean cross-entropy -(1/n) sum_i log p(l_i | x_i).

Chapter 2 trains it on scikit-learn's digits; it is the one-layer network that later
chapters put hidden layers under.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from dlbook.runtime import check_finite


@dataclass
class SoftmaxRun:
    """A trained model with the training loss before each step (and after the last)."""

    model: nn.Linear
    losses: np.ndarray  # (steps + 1,)


def _tensors(X: np.ndarray, labels: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    X, labels = np.asarray(X), np.asarray(labels)
    if X.ndim != 2 or labels.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, D) and labels (n,); got {X.shape} and {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer classes, got dtype {labels.dtype}")
    return torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(labels, dtype=torch.long)


def train_softmax_regression(
    X: np.ndarray,
    labels: np.ndarray,
    classes: int,
    generator: torch.Generator,
    lr: float = 0.5,
    steps: int = 500,
) -> SoftmaxRun:
    """theta_{k+1} = theta_k - eta grad L(theta_k), with L the mean cross-entropy.

    float64, PyTorch's default initialisation drawn from `generator`. Shapes: X: (n, D),
    labels: (n,) in {0..K-1} -> a Linear(D, K) model. Chapter 2.
    """
    X_t, y_t = _tensors(X, labels)
    if y_t.numel() and (y_t.min() < 0 or y_t.max() >= classes):
        bad = int(y_t[(y_t < 0) | (y_t >= classes)][0])
        raise ValueError(f"label {bad} is out of range for {classes} classes")
    model = nn.Linear(X_t.shape[1], classes, dtype=torch.float64)
    bound = 1.0 / X_t.shape[1] ** 0.5
    with torch.no_grad():
        model.weight.uniform_(-bound, bound, generator=generator)
        model.bias.uniform_(-bound, bound, generator=generator)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for step in range(steps + 1):
        loss = F.cross_entropy(model(X_t), y_t)  # (n, K), (n,) -> scalar
        losses.append(check_finite(loss.item(), step))
        if step == steps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return SoftmaxRun(model, np.array(losses))


def logits(model: nn.Linear, X: np.ndarray) -> np.ndarray:
    """y = W x + b for every row of X, as numpy.

    Shapes: X: (n, D) -> (n, K). Chapter 2.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != model.in_features:
        raise ValueError(f"X of shape {X.shape} does not fit a model with D = {model.in_features}")
    with torch.no_grad():
        return model(torch.as_tensor(X, dtype=torch.float64)).numpy()


def accuracy(model: nn.Linear, X: np.ndarray, labels: np.ndarray) -> float:
    """The fraction of rows where argmax_k y_k equals the label.

    Shapes: X: (n, D), labels: (n,) -> scalar. Chapter 2.
    """
    predicted = logits(model, X).argmax(axis=1)
    labels = np.asarray(labels)
    if labels.shape != predicted.shape:
        raise ValueError(f"labels of shape {labels.shape} do not match {predicted.shape} rows")
    return float(np.mean(predicted == labels))
