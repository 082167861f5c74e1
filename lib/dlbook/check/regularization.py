"""Checkers for chapter 7's exercises (chapters/07_regularization)."""

from __future__ import annotations

import numpy as np

from dlbook.check import Verdict, close
from dlbook.nets import mlp_param_count

THETA = np.array([1.0, -2.0])
GRAD = np.array([0.5, 0.5])


def param_count(answer: object) -> Verdict:
    """Exercise 7.1: N = sum_l (n_{l-1} + 1) n_l for widths (2, 10, 10, 1).

    Shapes: scalar -> Verdict. Chapter 7.
    """
    return close(
        answer,
        mlp_param_count([2, 10, 10, 1]),
        "the parameter count of a (2, 10, 10, 1) MLP",
        rtol=0,
        atol=0.5,
        hint="each layer has n_{l-1} * n_l weights plus n_l biases",
    )


def fit_variance(answer: object) -> Verdict:
    """Exercise 7.2: the mean variance at the inputs of an M-feature fit is sigma^2 M / n.

    With M = 5, n = 25, sigma = 0.5. Shapes: scalar -> Verdict. Chapter 7.
    """
    return close(
        answer,
        0.5**2 * 5 / 25,
        "the variance of the least-squares fit",
        rtol=1e-6,
        hint="the fit projects the noise onto an M-dimensional subspace of R^n",
    )


def weight_decay_step(answer: object) -> Verdict:
    """Exercise 7.3: theta <- (1 - lambda gamma) theta - lambda grad L, lambda 0.1, gamma 0.5.

    From THETA with gradient GRAD. Shapes: answer: (2,) -> Verdict. Chapter 7.
    """
    return close(
        answer,
        (1 - 0.1 * 0.5) * THETA - 0.1 * GRAD,
        "one gradient step with L2 regularization",
        rtol=1e-9,
        atol=1e-12,
        hint="the penalty (gamma/2)||theta||^2 adds gamma * theta to the gradient",
    )


def dropout_scale(answer: object) -> Verdict:
    """Exercise 7.4: a kept unit of value 3 after inverted dropout with p = 0.2 is 3 / 0.8.

    Shapes: scalar -> Verdict. Chapter 7.
    """
    return close(
        answer,
        3 / (1 - 0.2),
        "the value of a kept unit under inverted dropout",
        rtol=1e-9,
        hint="the kept units are scaled so that the expected value stays 3",
    )


def modified_curvature(answer: object) -> Verdict:
    """Exercise 7.5: L~ = L + (lambda/4) L'^2, L = h theta^2 / 2, has curvature h (1 + lambda h/2).

    With h = 4 and lambda = 0.1. Shapes: scalar -> Verdict. Chapter 7.
    """
    return close(
        answer,
        4 * (1 + 0.1 * 4 / 2),
        "the curvature of the modified loss",
        rtol=1e-9,
        hint="write L' = h theta, so (lambda/4) L'^2 = (lambda h^2 / 4) theta^2",
    )


def min_norm(answer: object) -> Verdict:
    """Exercise 7.6: the minimum-norm solution of theta_1 + 2 theta_2 = 5 is (1, 2).

    Shapes: answer: (2,) -> Verdict. Chapter 7.
    """
    return close(
        answer,
        np.array([1.0, 2.0]),
        "the minimum-norm solution",
        rtol=1e-9,
        atol=1e-9,
        hint="the minimum-norm solution lies in the row space: theta = c (1, 2)",
    )


def kept_fraction(answer: object) -> Verdict:
    """Exercise 7.7: after 5 rounds that each prune 20% of the survivors, 0.8^5 remain.

    Shapes: scalar -> Verdict. Chapter 7.
    """
    return close(
        answer,
        0.8**5,
        "the fraction of weights kept",
        rtol=1e-3,
        hint="each round keeps 80% of the weights that survived the previous rounds",
    )
