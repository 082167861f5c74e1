"""Checkers for chapter 6's exercises (chapters/06_initialization)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlbook.check import Verdict, close, report, unanswered
from dlbook.numerics import log_sigmoid as _log_sigmoid

LOGITS = np.array([-1e4, -800.0, -40.0, -1.0, 0.0, 0.5, 40.0, 800.0, 1e4])


def he_std(answer: object) -> Verdict:
    """Exercise: the standard deviation sqrt(2/N) of He-normal weights with fan-in N = 512.

    Shapes: scalar -> Verdict. Chapter 6.
    """
    return close(
        answer,
        np.sqrt(2 / 512),
        "the He standard deviation for fan-in 512",
        rtol=1e-6,
        hint="He sets the variance, not the standard deviation, to 2 over the fan-in",
    )


def xavier_bound(answer: object) -> Verdict:
    """Exercise: the bound a of U(-a, a) with variance 1/N for N = 300 (Xavier, fan-in).

    Shapes: scalar -> Verdict. Chapter 6.
    """
    return close(
        answer,
        np.sqrt(3 / 300),
        "the Xavier-uniform bound for fan-in 300",
        rtol=1e-6,
        hint="U(-a, a) has variance a^2 / 3; set it equal to 1/N",
    )


def relu_decay(answer: object) -> Verdict:
    """Exercise: q_10 / q_1 in a ReLU network with sigma_A^2 = 1/N (Xavier): (1/2)^9.

    Shapes: scalar -> Verdict. Chapter 6.
    """
    return close(
        answer,
        0.5**9,
        "the ratio q_10 / q_1 under Xavier initialization with ReLU",
        rtol=1e-6,
        hint="each ReLU layer keeps N sigma_A^2 / 2 of the second moment; count the layers",
    )


def float16_epsilon(answer: object) -> Verdict:
    """Exercise: the machine epsilon of float16 (10 stored fraction bits): 2^-10.

    Shapes: scalar -> Verdict. Chapter 6.
    """
    return close(
        answer,
        2.0**-10,
        "the machine epsilon of float16",
        rtol=1e-9,
        hint="find the smallest power of two eps with np.float16(1) + eps != 1",
    )


def stable_log_sigmoid(answer: object) -> Verdict:
    """Exercise: a function computing log sigma(x) that is right and finite for |x| up to 1e4.

    Shapes: answer: a function (K,) -> (K,) -> Verdict. Chapter 6.
    """
    name = "a stable log-sigmoid"
    if (empty := unanswered(name, answer)) is not None:
        return empty
    if not isinstance(answer, Callable):
        return report(False, name, f"expected a function, got {type(answer).__name__}")
    try:
        with np.errstate(all="ignore"):
            got = np.asarray(answer(LOGITS.copy()), dtype=float)
    except Exception as error:  # noqa: BLE001 - any failure of the reader's code is a hint
        return report(False, name, f"your function raised {type(error).__name__}: {error}")
    want = _log_sigmoid(LOGITS)
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return report(False, name, "it must return a finite value for every x, even x = -1e4")
    return report(
        bool(np.allclose(got, want, rtol=1e-9, atol=1e-300)),
        name,
        "for x << 0, log sigma(x) is about x; use log1p(exp(-|x|)) and never exp of a big x",
    )
