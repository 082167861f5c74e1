"""Checkers for chapter 12's exercises (chapters/12_theory)."""

from __future__ import annotations

import math

from dlbook.check import Verdict, close


def kurtosis_at_width(answer: object) -> Verdict:
    """Exercise 12.1: excess kurtosis 3 E[relu(g)^4] / E[relu(g)^2]^2 - 3 = 15, over n = 50.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        15.0 / 50,
        "excess kurtosis of a width-50 one-hidden-layer ReLU output",
        rtol=1e-3,
        hint="cumulants of i.i.d. terms add: the kurtosis of one term v·relu(g), divided by n",
    )


def relu_kernel_orthogonal(answer: object) -> Verdict:
    """Exercise 12.2: K^1(x, x') = 2 E[relu(u) relu(v)] = 1/pi for independent unit u, v.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        1 / math.pi,
        "the ReLU NNGP kernel of two orthogonal inputs",
        rtol=1e-4,
        hint="the arc-cosine formula at angle pi/2: only the sin term survives",
    )


def lazy_ratio(answer: object) -> Verdict:
    """Exercise 12.3: ||Theta_T - Theta_0|| / ||Theta_0|| ~ n^(-1/2): width x16 divides it by 4.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        4.0,
        "the factor by which the relative NTK change shrinks when the width grows 16-fold",
        rtol=1e-3,
        hint="the change falls like width to the power -1/2",
    )


def log_norm_variance(answer: object) -> Verdict:
    """Exercise 12.4: Var log ||h_d||^2 ~ 5 d / n for a He ReLU net, d = 30, n = 150.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        5.0 * 30 / 150,
        "Var log||h_d||² at d = 30, n = 150",
        rtol=1e-3,
        hint="each layer adds the relative variance of relu(g)^2, divided by the width",
    )


def finite_class_epsilon(answer: object) -> Verdict:
    """Exercise 12.5: eps = sqrt((log |H| + log(2 / delta)) / (2 m)), |H| = 1000, m = 2000, 5%.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        math.sqrt((math.log(1000) + math.log(2 / 0.05)) / (2 * 2000)),
        "the finite-class uniform-convergence epsilon",
        rtol=1e-4,
        hint="Hoeffding for one hypothesis at delta / |H|, then a union bound",
    )


def finite_class_sample_size(answer: object) -> Verdict:
    """Exercise 12.6: m* = ceil((log |H| + log(2 / delta)) / (2 eps^2)), |H| = 1000, eps = 0.05.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    expected = math.ceil((math.log(1000) + math.log(2 / 0.05)) / (2 * 0.05**2))
    return close(
        answer,
        expected,
        "the sample size for eps = 0.05 with |H| = 1000, delta = 0.05",
        rtol=0,
        atol=0.5,
        hint="solve the epsilon formula for m and round up",
    )


def steps_for_budget(answer: object) -> Verdict:
    """Exercise 12.7: S = C / (N B) for C = 7.5e7, N = 4801 (width 64), B = 256.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        7.5e7 / (4801 * 256),
        "the number of steps S a budget allows",
        rtol=1e-3,
        hint="C = N · B · S: divide the budget by parameters times batch size",
    )


def transfer_octaves(answer: object) -> Verdict:
    """Exercise 12.8: log2(lambda*_1024 / lambda*_64) = log2(64 / 1024) = -4 if lambda* ~ 1/n.

    Shapes: scalar -> Verdict. Chapter 12.
    """
    return close(
        answer,
        -4.0,
        "the shift of the best learning rate in octaves",
        rtol=0,
        atol=1e-6,
        hint="an octave is a factor of 2; the width grows by 1024 / 64",
    )
