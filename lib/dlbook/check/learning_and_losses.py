"""Checkers for chapter 2's exercises (chapters/02_learning_and_losses)."""

from __future__ import annotations

import math

import numpy as np

from dlbook.check import Verdict, close, report, unanswered
from dlbook.generalization import hoeffding_sample_size
from dlbook.losses import logsumexp

SIGNED_Y = np.array([1.0, 2.0, 3.0, 4.0])
ORIGIN_X = np.array([1.0, 2.0, 3.0, 4.0])
ORIGIN_Y = np.array([2.0, 3.5, 7.0, 8.0])


def signed_error_trap(y_hat: object) -> Verdict:
    """Exercise 2.1: sum_i (y_i - y_hat_i) = 0 yet sum_i (y_i - y_hat_i)^2 >= 10, y = (1,2,3,4).

    Shapes: y_hat: (4,) -> Verdict. Chapter 2.
    """
    name = "zero signed error, large squared loss"
    if (empty := unanswered(name, y_hat)) is not None:
        return empty
    y_hat = np.asarray(y_hat, dtype=float)
    if y_hat.shape != SIGNED_Y.shape:
        return report(False, name, f"give one prediction per target (4), got shape {y_hat.shape}")
    signed, squared = np.sum(SIGNED_Y - y_hat), np.sum((SIGNED_Y - y_hat) ** 2)
    if abs(signed) > 1e-9:
        return report(False, name, f"the signed errors add up to {signed:.3g}, not 0")
    return report(
        bool(squared >= 10), name, f"the squared loss is only {squared:.3g}; make it >= 10"
    )


def slope_through_origin(theta1: object) -> Verdict:
    """Exercise 2.2: theta_1* = sum x_i y_i / sum x_i^2 minimises sum_i (theta_1 x_i - y_i)^2.

    Shapes: scalar -> Verdict. Chapter 2.
    """
    return close(
        theta1,
        float(ORIGIN_X @ ORIGIN_Y / (ORIGIN_X @ ORIGIN_X)),
        "the slope of a line through the origin",
        rtol=1e-6,
        hint="set dL/dtheta_1 = sum_i 2 (theta_1 x_i - y_i) x_i to zero and solve",
    )


def uniform_cross_entropy(answer: object) -> Verdict:
    """Exercise 2.3: -log z_l = log K when all K = 10 logits are equal.

    Shapes: scalar -> Verdict. Chapter 2.
    """
    return close(
        answer,
        math.log(10),
        "cross-entropy of 10 equal logits",
        rtol=1e-6,
        hint="with equal logits every z_k is the same; what must it be?",
    )


def stable_logsumexp(fn: object) -> Verdict:
    """Exercise 2.4: fn(y) = log sum_k exp(y_k) for 1-D y, exact for logits of size 1e3.

    A function that still returns `...` (or None) counts as no answer yet.

    Shapes: fn: (K,) -> scalar; -> Verdict. Chapter 2.
    """
    name = "a stable log-sum-exp"
    if (empty := unanswered(name, fn)) is not None:
        return empty
    if not callable(fn):
        return report(False, name, f"expected a function of y, got {type(fn).__name__}")
    cases = {
        "y = (1, 2, 3)": np.array([1.0, 2.0, 3.0]),
        "y = (1000, 1000)": np.array([1000.0, 1000.0]),
        "y = (-1000, -1001)": np.array([-1000.0, -1001.0]),
        "y = (0, -inf)": np.array([0.0, -np.inf]),
    }
    for label, y in cases.items():
        try:
            with np.errstate(all="ignore"):
                result = fn(y.copy())
            if (empty := unanswered(name, result)) is not None:  # the body still says `...`
                return empty
            got = float(result)
        except Exception as error:  # the reader's code: report any failure as a hint
            return report(False, name, f"at {label} it raised {type(error).__name__}: {error}")
        want = float(logsumexp(y))
        if not np.isclose(got, want, rtol=1e-12, atol=1e-12):
            return report(False, name, f"at {label} it gives {got!r}; subtract max(y) before exp")
    return report(True, name)


def hoeffding_samples(m: object) -> Verdict:
    """Exercise 2.5: the smallest m with sqrt(log(2/delta) / 2m) <= 0.02 for delta = 0.01.

    Shapes: scalar -> Verdict. Chapter 2.
    """
    return close(
        m,
        hoeffding_sample_size(0.02, 0.01),
        "Hoeffding's sample size",
        rtol=0,
        atol=0.5,
        hint="solve 2 exp(-2 m epsilon^2) <= delta for m and round up",
    )
