"""Checkers for chapter 4's exercises (chapters/04_optimization)."""

from __future__ import annotations

import numpy as np

from dlbook.check import Verdict, close
from dlbook.optim import GD, Adam, Momentum

THETA0 = np.array([1.0, -2.0])
GRADS = [np.array([0.5, -1.0]), np.array([0.2, 0.4]), np.array([-0.3, 0.1])]


def gd_step(answer: object) -> Verdict:
    """Exercise 4.1: theta_1 = theta_0 - lr g_0 with lr = 0.1.

    Shapes: answer: (2,) -> Verdict. Chapter 4.
    """
    (expected,) = GD(0.1).step([THETA0], [GRADS[0]])
    return close(
        answer,
        expected,
        "one gradient-descent step",
        rtol=1e-9,
        atol=1e-12,
        hint="subtract lr times the gradient from theta_0",
    )


def stable_lr(answer: object) -> Verdict:
    """Exercise 4.2: the largest stable lr of GD on L = (theta_1^2 + 10 theta_2^2) / 2 is 2/L.

    Shapes: scalar -> Verdict. Chapter 4.
    """
    return close(
        answer,
        2 / 10,
        "the stability threshold of the learning rate",
        rtol=1e-6,
        hint="GD is stable while |1 - lr h| < 1 for every curvature h of the Hessian",
    )


def _after_steps(opt: Momentum | Adam) -> np.ndarray:
    """theta after one step of `opt` per gradient in GRADS, from THETA0."""
    params = [THETA0]
    for g in GRADS:
        params = opt.step(params, [g])
    return params[0]


def momentum_steps(answer: object) -> Verdict:
    """Exercise 4.3: three heavy-ball steps b <- 0.9 b + g, theta <- theta - 0.1 b.

    Shapes: answer: (2,) -> Verdict. Chapter 4.
    """
    return close(
        answer,
        _after_steps(Momentum(0.1, 0.9)),
        "theta after three momentum steps",
        rtol=1e-9,
        atol=1e-12,
        hint="start with b = 0, so after step 1 b equals g_0; update b before theta",
    )


def adam_steps(answer: object) -> Verdict:
    """Exercise 4.4: three Adam steps (lr 0.1, betas 0.9, 0.999, eps 1e-8, bias-corrected).

    Shapes: answer: (2,) -> Verdict. Chapter 4.
    """
    return close(
        answer,
        _after_steps(Adam(0.1)),
        "theta after three Adam steps",
        rtol=1e-7,
        atol=1e-9,
        hint="divide m by 1 - beta1^t and v by 1 - beta2^t, with t counted from 1",
    )


def contraction_rate(answer: object) -> Verdict:
    """Exercise 4.5: the rate (kappa - 1)/(kappa + 1) of GD with lr = 2/(mu + L), kappa = 10.

    Shapes: scalar -> Verdict. Chapter 4.
    """
    return close(
        answer,
        9 / 11,
        "the per-step contraction of the error",
        rtol=1e-6,
        hint="the error along curvature h is multiplied by 1 - lr h; take the worst h",
    )
