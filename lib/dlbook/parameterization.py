"""Standard against width-aware (muP-style) parameterisation of an MLP, and the learning-rate
and compute-optimal sweeps that compare them.

Standard: PyTorch's default initialisation, one learning rate lambda for every parameter.
muP-style, with m = n / base_width: the hidden n x n weights train with lambda / m, the
read-out starts at zero and computes out(h / m); input layer and biases are unchanged. Under
Adam this keeps the size of each layer's update independent of the width, so the best
learning rate stays put as n grows. Chapter 12.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from dlbook.data import TeacherTask
from dlbook.nets import cpu_generator, reset_linear_
from dlbook.runtime import DivergenceError, check_finite

MODES = ("standard", "mup")


class WidthMLP(nn.Module):
    """f(x) = out(relu(hidden(relu(inp(x)))) / m) with m = n / base (m = 1 when standard)."""

    def __init__(
        self, d_in: int, n: int, d_out: int, mode: str, generator: torch.Generator, base: int
    ) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {MODES}")
        if min(d_in, n, d_out, base) < 1:
            raise ValueError(f"widths must be positive, got {d_in}, {n}, {d_out}, base {base}")
        self.mode, self.m = mode, (n / base if mode == "mup" else 1.0)
        self.inp, self.hidden, self.out = nn.Linear(d_in, n), nn.Linear(n, n), nn.Linear(n, d_out)
        reset_linear_(self, generator)
        if mode == "mup":
            with torch.no_grad():
                self.out.weight.zero_()
                self.out.bias.zero_()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Shapes: X: (B, d_in) -> (B, d_out). Chapter 12."""
        h = torch.relu(self.hidden(torch.relu(self.inp(X))))  # (B, n)
        return self.out(h / self.m)

    def param_groups(self, lr: float) -> list[dict]:
        """Adam groups: lambda / m for the hidden weight matrix (muP), lambda for the rest.

        Shapes: scalar -> groups. Chapter 12.
        """
        rest = [p for name, p in self.named_parameters() if name != "hidden.weight"]
        return [{"params": [self.hidden.weight], "lr": lr / self.m}, {"params": rest, "lr": lr}]


def _train(model: WidthMLP, lr: float, steps: int, batches, loss_fn) -> None:
    opt = torch.optim.Adam(model.param_groups(lr))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    for step in range(steps):
        X, y = batches(step)
        loss = loss_fn(model(X), y)
        check_finite(loss.item(), step)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()


def lr_sweep(
    X: torch.Tensor,
    labels: torch.Tensor,
    n: int,
    mode: str,
    lrs: Sequence[float],
    seed: int,
    steps: int = 50,
    batch: int = 32,
    eval_size: int = 512,
    base: int = 64,
) -> np.ndarray:
    """Training cross-entropy on the first eval_size examples after Adam with each lambda.

    Same initialisation and mini-batches (drawn from `seed`) for every learning rate; cosine
    decay to 0. Diverged runs count as +inf. Shapes: X: (M, D), labels: (M,) -> (len(lrs),).
    Chapter 12.
    """
    if X.ndim != 2 or labels.shape != X.shape[:1]:
        raise ValueError(f"X {tuple(X.shape)} and labels {tuple(labels.shape)} do not match")
    order = torch.randint(len(X), (steps, batch), generator=cpu_generator(seed))
    k = int(labels.max()) + 1
    losses = []
    for lr in lrs:
        model = WidthMLP(X.shape[1], n, k, mode, cpu_generator(seed), base)
        try:
            _train(model, lr, steps, lambda s: (X[order[s]], labels[order[s]]), F.cross_entropy)
        except DivergenceError:
            losses.append(np.inf)
            continue
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X[:eval_size]), labels[:eval_size]).item())
    return np.asarray(losses)


def parabola_argmin(x: Sequence[float], y: Sequence[float], points: int = 3) -> float:
    """The vertex of the least-squares parabola through `points` values around argmin y.

    Raises ValueError when the minimum is at an end of the grid (not bracketed).
    Shapes: x, y: (M,) -> scalar. Chapter 12.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or points < 3 or len(x) < points:
        raise ValueError(f"need matching 1-D x {x.shape}, y {y.shape} of >= {points} points")
    i = int(np.argmin(y))
    if i == 0 or i == len(x) - 1:
        raise ValueError(f"the minimum is at the end of the grid (x = {x[i]}), not bracketed")
    lo = int(np.clip(i - points // 2, 0, len(x) - points))
    a, b, _ = np.polyfit(x[lo : lo + points], y[lo : lo + points], 2)
    if a <= 0:
        return float(x[i])
    return float(np.clip(-b / (2 * a), x[lo], x[lo + points - 1]))


def student_loss(
    width: int,
    task: TeacherTask,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    steps: int,
    generator: torch.Generator,
    batch: int = 256,
    lr: float = 2e-2,
    base: int = 32,
) -> float:
    """Test MSE of a muP-scaled ReLU student D -> w -> w -> 1 after `steps` fresh batches.

    Adam with cosine decay; compute C = N B S. Shapes: X_test: (T, D), y_test: (T, 1) ->
    scalar. Chapter 12.
    """
    if X_test.ndim != 2 or X_test.shape[1] != task.dim or y_test.shape != (len(X_test), 1):
        raise ValueError(f"X_test {tuple(X_test.shape)}, y_test {tuple(y_test.shape)}")
    model = WidthMLP(task.dim, width, 1, "mup", generator, base)
    _train(model, lr, steps, lambda s: task.sample(batch, generator), F.mse_loss)
    with torch.no_grad():
        return float(F.mse_loss(model(X_test), y_test))
