"""One mini-batch training loop for classifiers, shared by the chapters that train networks.

theta_{k+1} = theta_k - lambda * update(grad L_B(theta_k)) over shuffled mini-batches B, with
L the mean cross-entropy; SGD or Adam from torch.optim, an optional decoupled weight decay,
a hook after every step (masks, constraints) and a validation curve for early stopping.
Chapter 7 introduces it; chapters 8 and 12 reuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.runtime import check_finite

OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


@dataclass
class TrainRun:
    """Mean training loss of each epoch and, when validation data is given, its loss."""

    losses: np.ndarray  # (epochs,)
    val_losses: np.ndarray  # (epochs,), empty without validation data


def _dtype(model: nn.Module) -> torch.dtype:
    return next(model.parameters()).dtype


def as_tensors(
    model: nn.Module, X: np.ndarray, labels: np.ndarray
) -> tuple[torch.Tensor, torch.Tensor]:
    """(X, labels) as torch tensors in the model's dtype, checked for shape and classes.

    Shapes: X: (n, D), labels: (n,) integers -> the same as tensors. Chapter 7.
    """
    X, labels = np.asarray(X), np.asarray(labels)
    if X.ndim < 2 or labels.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, ...) and labels (n,); got {X.shape} and {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer classes, got dtype {labels.dtype}")
    return torch.as_tensor(X, dtype=_dtype(model)), torch.as_tensor(labels, dtype=torch.long)


def predict_logits(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """y = f(x; theta) for every row of X, in evaluation mode (no dropout), as numpy.

    Shapes: X: (n, D) -> (n, K). Chapter 7.
    """
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(np.asarray(X), dtype=_dtype(model))).numpy()
    model.train(was_training)
    return out


def accuracy(model: nn.Module, X: np.ndarray, labels: np.ndarray) -> float:
    """acc = (1/n) sum_i 1[argmax_k f_k(x_i) = l_i], in evaluation mode.

    Shapes: X: (n, D), labels: (n,) -> scalar. Chapter 7.
    """
    predicted, labels = predict_logits(model, X).argmax(axis=1), np.asarray(labels)
    if labels.shape != predicted.shape:
        raise ValueError(f"labels of shape {labels.shape} do not match {predicted.shape} rows")
    return float(np.mean(predicted == labels))


def mean_cross_entropy(model: nn.Module, X: np.ndarray, labels: np.ndarray) -> float:
    """L = -(1/n) sum_i log softmax(f(x_i))_{l_i}, in evaluation mode.

    Shapes: X: (n, D), labels: (n,) -> scalar. Chapter 7.
    """
    logits = torch.as_tensor(predict_logits(model, X))  # (n, K)
    labels = torch.as_tensor(np.asarray(labels))
    if labels.shape != logits.shape[:1] or labels.dtype.is_floating_point:
        raise ValueError(f"labels must be (n,) integers for logits {tuple(logits.shape)}")
    return float(F.cross_entropy(logits, labels))


def train_classifier(
    model: nn.Module,
    X: np.ndarray,
    labels: np.ndarray,
    generator: torch.Generator,
    epochs: int = 10,
    lr: float = 3e-3,
    batch_size: int = 128,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    val: tuple[np.ndarray, np.ndarray] | None = None,
    after_step: Callable[[nn.Module], None] | None = None,
    progress: bool = False,
) -> TrainRun:
    """theta <- theta - lambda update(grad L_B), L_B the mean cross-entropy on a mini-batch.

    Trains `model` in place; batches are reshuffled every epoch with `generator`.
    `weight_decay` is torch's: L2 in the gradient for "sgd" and "adam", decoupled for
    "adamw". `after_step(model)` runs after every step. Stops with DivergenceError if the
    loss stops being finite. Shapes: X: (n, D), labels: (n,) -> losses: (epochs,). Chapter 7.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose from {sorted(OPTIMIZERS)}")
    if epochs < 1 or batch_size < 1 or not lr > 0:
        raise ValueError(
            f"need epochs, batch_size >= 1 and lr > 0; got {epochs}, {batch_size}, {lr}"
        )
    X_t, y_t = as_tensors(model, X, labels)
    opt = OPTIMIZERS[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay)
    losses, val_losses, step = [], [], 0
    for _ in tqdm(range(epochs), desc="epochs", disable=not progress, leave=False):
        model.train()
        order = torch.randperm(len(y_t), generator=generator)
        total = 0.0
        for idx in order.split(batch_size):
            loss = F.cross_entropy(model(X_t[idx]), y_t[idx])  # (B, K), (B,) -> scalar
            step += 1
            total += check_finite(loss.item(), step) * len(idx)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if after_step is not None:
                after_step(model)
        losses.append(total / len(y_t))
        if val is not None:
            logits = torch.as_tensor(predict_logits(model, val[0]))
            val_losses.append(F.cross_entropy(logits, torch.as_tensor(val[1])).item())
    return TrainRun(np.array(losses), np.array(val_losses))
