"""Compute and scaling: C ∝ N·B·S, and fitting a power law L(N) = a N^(-alpha) + c.

Chapter 1 runs a toy scaling-law experiment; Chapter 12 returns to compute-optimal sizes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from dlbook.data import TeacherTask
from dlbook.nets import mlp, mlp_param_count
from dlbook.runtime import check_finite


def compute_proxy(n_params: float, batch: float, steps: float) -> float:
    """C = N · B · S: parameters times examples per step times steps.

    Shapes: scalars -> scalar. Chapter 1. Multiply by ~6 for training FLOPs (one
    multiply-add forward is 2 FLOPs per parameter per example, the backward pass twice that).
    """
    for name, value in (("n_params", n_params), ("batch", batch), ("steps", steps)):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value}")
    return float(n_params) * float(batch) * float(steps)


def training_flops(n_params: float, tokens: float) -> float:
    """C ≈ 6 N D floating-point operations to train N parameters on D examples (tokens).

    Shapes: scalars -> scalar. Chapter 1.
    """
    return 6.0 * compute_proxy(n_params, tokens, 1)


def count_flops(fn: Callable[[], object]) -> int:
    """C = the floating-point operations torch executes in fn() (2 per multiply-add).

    Counted by torch's FlopCounterMode, which sees matrix products (mm, bmm, addmm,
    convolutions), not matrix-vector products or elementwise operations; the same on every
    machine. Shapes: none -> scalar. Chapters 1 and 5.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function of no arguments, got {type(fn).__name__}")
    with FlopCounterMode(display=False) as counter:
        fn()
    return int(counter.get_total_flops())


def counted_flops(model: nn.Module, X: torch.Tensor) -> tuple[int, int]:
    """(C_forward, C_forward + C_backward): the FLOPs torch executes for one training step.

    Counted by torch's FlopCounterMode (2 per multiply-add of every matrix product), for
    the loss mean(f(X)^2) and its backward pass; the input X takes no gradient, so the
    first layer's input gradient is skipped, as in training. Checks the 2ND / 6ND rule.
    Shapes: X: (B, D) -> two scalars. Chapter 1.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(X, torch.Tensor) or X.ndim != 2 or len(X) == 0:
        shape = tuple(X.shape) if isinstance(X, torch.Tensor) else type(X).__name__
        raise ValueError(f"X must be a non-empty (B, D) tensor, got {shape}")
    model.zero_grad(set_to_none=True)
    out: list[torch.Tensor] = []
    fwd = count_flops(lambda: out.append(model(X)))
    bwd = count_flops(lambda: out[0].pow(2).mean().backward())
    model.zero_grad(set_to_none=True)
    return fwd, fwd + bwd


@dataclass(frozen=True)
class PowerLawFit:
    """L(N) = a N^(-alpha) + c, with the RMS residual of log L."""

    a: float
    alpha: float
    c: float
    log_rms: float

    def __call__(self, N: np.ndarray) -> np.ndarray:
        """L(N). Shapes: (M,) -> (M,). Chapter 1."""
        return self.a * np.asarray(N, dtype=float) ** (-self.alpha) + self.c


def _fit_for_offset(logN: np.ndarray, L: np.ndarray, c: float) -> tuple[float, float, float]:
    slope, intercept = np.polyfit(logN, np.log(L - c), 1)
    pred = np.exp(intercept) * np.exp(logN * slope) + c
    return math.exp(intercept), -slope, float(np.sqrt(np.mean((np.log(pred) - np.log(L)) ** 2)))


def fit_power_law(N: Sequence[float], L: Sequence[float], offsets: int = 400) -> PowerLawFit:
    """Least squares in log L over (a, alpha, c), c >= 0: a line in log-log for each c on a grid.

    For a fixed c the best (log a, alpha) is a straight-line fit of log(L - c) on log N; the
    c with the smallest RMS error in log L wins. Shapes: N, L: (M,) with M >= 3 -> fit.
    Chapter 1.
    """
    N, L = np.asarray(N, dtype=float), np.asarray(L, dtype=float)
    if N.shape != L.shape or N.ndim != 1 or len(N) < 3:
        raise ValueError(
            f"need matching 1-D arrays of at least 3 points, got {N.shape} and {L.shape}"
        )
    if np.any(N <= 0) or np.any(L <= 0):
        raise ValueError("a power law needs positive N and L")
    logN = np.log(N)
    best = None
    lo, hi = 0.0, L.min() * (1 - 1e-9)
    for _ in range(4):  # a grid over c, then finer grids around the best c so far
        grid = np.linspace(lo, hi, offsets)
        for c in grid:
            a, alpha, rms = _fit_for_offset(logN, L, c)
            if best is None or rms < best.log_rms:
                best = PowerLawFit(a, float(alpha), float(c), rms)
        step = grid[1] - grid[0]
        lo, hi = max(0.0, best.c - step), min(L.min() * (1 - 1e-9), best.c + step)
    return best


def train_student(
    width: int,
    task: TeacherTask,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    generator: torch.Generator,
    steps: int = 1000,
    batch: int = 256,
    lr: float = 3e-3,
) -> float:
    """Train a ReLU MLP D -> width -> width -> 1 on fresh teacher samples; return test MSE.

    Adam with cosine decay to 0; every step draws a new batch, so the student never sees
    an example twice and its test loss reflects its size, not over-fitting.
    Shapes: X_test: (T, D), y_test: (T, 1) -> scalar. Chapter 1.
    """
    model = mlp([task.dim, width, width, 1], "relu", generator=generator)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    for step in range(steps):
        X, y = task.sample(batch, generator)
        loss = torch.mean((model(X) - y) ** 2)
        check_finite(loss.item(), step)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        return float(torch.mean((model(X_test) - y_test) ** 2))


def width_sweep(
    widths: Sequence[int],
    task: TeacherTask,
    generator: torch.Generator,
    n_test: int = 4096,
    progress: bool = False,
    restarts: int = 1,
    **train_kwargs: float,
) -> tuple[np.ndarray, np.ndarray]:
    """L(N) = min over `restarts` trained students of each width of the test loss, with N.

    A small ReLU student sometimes lands in a poor minimum (dead units); the best of a few
    restarts measures what its size can represent. Shapes: widths: (W,) -> N: (W,),
    L: (W,). Chapter 1.
    """
    if restarts < 1:
        raise ValueError(f"restarts must be >= 1, got {restarts}")
    X_test, y_test = task.sample(n_test, generator)
    iterator = widths
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(widths, desc="widths")
    N, L = [], []
    for width in iterator:
        N.append(mlp_param_count([task.dim, width, width, 1]))
        runs = [
            train_student(width, task, X_test, y_test, generator, **train_kwargs)
            for _ in range(restarts)
        ]
        L.append(min(runs))
    return np.asarray(N, dtype=float), np.asarray(L)
