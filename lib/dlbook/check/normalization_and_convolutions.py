"""Checkers for chapter 8's exercises (chapters/08_normalization_and_convolutions)."""

from __future__ import annotations

import numpy as np

from dlbook.check import Verdict, close, unanswered
from dlbook.conv import conv_output_size, receptive_field

EPS = 1e-5
PAIR = np.array([[3.0], [7.0]])  # a batch of two samples, one feature
SIGNAL = np.array([0.0, 1.0, 3.0, 0.0, 2.0])


def two_sample_batch_norm(answer: object) -> Verdict:
    """Exercise 8.1: batch norm (gamma = 1, beta = 0, eps = 1e-5, training) of the pair 3, 7.

    Shapes: answer: (2, 1) -> Verdict. Chapter 8.
    """
    mu, var = PAIR.mean(axis=0), PAIR.var(axis=0)
    return close(
        answer,
        (PAIR - mu) / np.sqrt(var + EPS),
        "batch norm of a batch of two",
        rtol=1e-4,
        atol=1e-6,
        hint="the batch mean is 5 and the biased variance is 4; keep the shape (2, 1)",
    )


def eval_batch_norm(answer: object) -> Verdict:
    """Exercise 8.2: y = gamma (x - m) / sqrt(v + eps) + beta, x=5, m=2, v=3, gamma=2, beta=1.

    Shapes: scalar -> Verdict. Chapter 8.
    """
    return close(
        answer,
        2 * (5 - 2) / np.sqrt(3 + EPS) + 1,
        "batch norm in evaluation mode",
        rtol=1e-4,
        hint="in evaluation the running mean and variance replace the batch's",
    )


def output_size(answer: object) -> Verdict:
    """Exercise 8.3: the output side of a 5x5 convolution, stride 2, padding 2, on 32x32.

    Shapes: scalar -> Verdict. Chapter 8.
    """
    return close(
        answer,
        conv_output_size(32, 5, 2, 2, 1),
        "the output size",
        rtol=0,
        hint="floor((n + 2p - d(k - 1) - 1) / s) + 1",
    )


def dilated_receptive_field(answer: object) -> Verdict:
    """Exercise 8.4: the receptive field of three 3-tap layers with dilations 1, 2, 4.

    Shapes: scalar -> Verdict. Chapter 8.
    """
    return close(
        answer,
        receptive_field([3, 3, 3], [1, 1, 1], [1, 2, 4]),
        "the receptive field",
        rtol=0,
        hint="each layer adds d (k - 1) times the product of the earlier strides",
    )


def pooled_first_pixel(max_answer: object, sum_answer: object) -> Verdict:
    """Exercise 8.5: max and sum over cyclic shifts phi of g(x * phi) = (x * phi)[0].

    Shapes: two scalars -> Verdict. Chapter 8.
    """
    if (empty := unanswered("pooling the first pixel", max_answer, sum_answer)) is not None:
        return empty
    return close(
        [max_answer, sum_answer],
        [SIGNAL.max(), SIGNAL.sum()],
        "pooling the first pixel over all shifts",
        rtol=1e-9,
        hint="every entry of x lands on position 0 for exactly one shift",
    )


def transposed_size(answer: object) -> Verdict:
    """Exercise 8.6: the output side of a transposed conv, k = 4, s = 2, p = 1, on 4x4.

    Shapes: scalar -> Verdict. Chapter 8.
    """
    return close(
        answer,
        (4 - 1) * 2 - 2 * 1 + (4 - 1) + 1,
        "the output size of the transposed convolution",
        rtol=0,
        hint="(n - 1) s - 2p + d (k - 1) + 1: the input size that a convolution maps to n",
    )


def binned_information(answer: object) -> Verdict:
    """Exercise 8.7: I(X;T) in bits when T = h(X) falls in 4 bins, equally often.

    Shapes: scalar -> Verdict. Chapter 8.
    """
    return close(
        answer,
        2.0,
        "I(X;T) of a deterministic, binned layer",
        rtol=1e-6,
        hint="T is a function of X, so I(X;T) = H(T)",
    )
