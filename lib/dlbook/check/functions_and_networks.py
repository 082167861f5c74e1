"""Checkers for chapter 3's exercises (chapters/03_functions_and_networks)."""

from __future__ import annotations

import numpy as np

from dlbook.basis import least_squares, simple_features
from dlbook.check import Verdict, close, report, unanswered
from dlbook.nets import collapse_linear, mlp_param_count, shallow_kinks
from dlbook.regions import zaslavsky_bound

SINE_X = np.linspace(0.0, 6.0, 13)
SINE_Y = 1.0 + 0.5 * SINE_X + 2.0 * np.sin(SINE_X) + 0.1 * np.cos(3.0 * SINE_X)
KINK_A, KINK_B = np.array([2.0, -1.0, 4.0]), np.array([-1.0, 0.3, 1.0])
LAYERS = [  # three affine layers 2 -> 3 -> 2 -> 1, no activation
    (np.array([[1.0, 0.0], [2.0, -1.0], [0.0, 3.0]]), np.array([1.0, 0.0, -1.0])),
    (np.array([[1.0, 1.0, 0.0], [0.0, -1.0, 2.0]]), np.array([0.0, 2.0])),
    (np.array([[3.0, -1.0]]), np.array([0.5])),
]
BATCH = {  # D = 2 inputs, M = 3 hidden ReLUs, K = 2 outputs, B = 4 samples as columns
    "A": np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0]]),
    "b": np.array([0.0, -1.0, 0.5]),
    "C": np.array([[1.0, 2.0, -1.0], [0.0, 1.0, 1.0]]),
    "c0": np.array([0.5, -0.5]),
    "X": np.array([[1.0, 0.0, -1.0, 2.0], [0.0, 1.0, 1.0, 0.5]]),
}


def sine_family(theta: object) -> Verdict:
    """Exercise 3.1: least-squares theta for f(x) = theta_0 + theta_1 x + theta_2 sin x.

    Shapes: theta: (3,) -> Verdict. Chapter 3.
    """
    expected = least_squares(simple_features(SINE_X, "sine"), SINE_Y)
    return close(
        theta,
        expected,
        "least-squares fit of θ₀ + θ₁x + θ₂ sin x",
        rtol=1e-4,
        atol=1e-6,
        hint="build the (13, 3) matrix with columns 1, x, sin x and solve with np.linalg.lstsq",
    )


def param_count(answer: object) -> Verdict:
    """Exercise 3.2: N = sum_l (n_l + 1) n_{l+1} for the network 3 -> 10 -> 10 -> 2.

    Shapes: scalar -> Verdict. Chapter 3.
    """
    return close(
        answer,
        mlp_param_count([3, 10, 10, 2]),
        "parameter count of 3→10→10→2",
        rtol=0,
        atol=0.5,
        hint="count the entries of each A_l and b_l; A_l is (n_l, n_{l-1})",
    )


def kinks(answer: object) -> Verdict:
    """Exercise 3.3: the sorted kinks x_k = -b_k / a_k of relu(a_k x + b_k) for KINK_A, KINK_B.

    Shapes: answer: (3,) -> Verdict. Chapter 3.
    """
    name = "kink locations of the three units"
    if (empty := unanswered(name, answer)) is not None:
        return empty
    try:
        got = np.sort(np.asarray(answer, dtype=float).ravel())
    except (TypeError, ValueError):
        return report(False, name, f"expected three numbers, got {type(answer).__name__}")
    return close(
        got,
        shallow_kinks(KINK_A, KINK_B),
        name,
        atol=1e-6,
        hint="unit k bends where its pre-activation a_k x + b_k is zero",
    )


def hat_network(a: object, b: object, c: object, c0: object) -> Verdict:
    """Exercise 3.4: sum_k c_k relu(a_k x + b_k) + c_0 = max(0, 1 - |x|) on [-3, 3].

    Shapes: a, b, c: (M,), c0: scalar -> Verdict. Chapter 3.
    """
    name = "a shallow ReLU network for the hat max(0, 1 − |x|)"
    if (empty := unanswered(name, a, b, c, c0)) is not None:
        return empty
    try:
        a, b, c = (np.asarray(v, dtype=float).ravel() for v in (a, b, c))
        c0 = float(np.asarray(c0, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return report(False, name, "a, b, c must be arrays of numbers and c0 one number")
    if not a.shape == b.shape == c.shape:
        return report(
            False, name, f"a, b, c need one entry per unit; got {a.shape}, {b.shape}, {c.shape}"
        )
    x = np.linspace(-3.0, 3.0, 601)
    f = np.maximum(np.outer(x, a) + b, 0.0) @ c + c0  # (G, M) @ (M,) -> (G,)
    error = float(np.abs(f - np.maximum(0.0, 1.0 - np.abs(x))).max())
    return report(
        error < 1e-6,
        name,
        f"largest error on [-3, 3] is {error:.3g}; the hat has "
        "kinks at -1, 0 and 1, and is flat (zero) outside [-1, 1]",
    )


def zaslavsky(answer: object) -> Verdict:
    """Exercise 3.5: the most regions a layer of M = 10 ReLUs can cut R^3 into.

    Shapes: scalar -> Verdict. Chapter 3.
    """
    return close(
        answer,
        zaslavsky_bound(10, 3),
        "regions of 10 hyperplanes in general position in ℝ³",
        rtol=0,
        atol=0.5,
        hint="sum the binomial coefficients C(M, i) for i = 0, ..., D",
    )


def collapse(A_prime: object, b_prime: object) -> Verdict:
    """Exercise 3.6: A' = A_3 A_2 A_1 and b' for the three affine LAYERS composed.

    Shapes: A_prime: (1, 2), b_prime: (1,) -> Verdict. Chapter 3.
    """
    name = "the one affine map A′x + b′ of three linear layers"
    if (empty := unanswered(name, A_prime, b_prime)) is not None:
        return empty
    A_ref, b_ref = collapse_linear(LAYERS)
    got = np.concatenate([np.ravel(np.asarray(A_prime, dtype=float)), np.ravel(b_prime)])
    want = np.concatenate([A_ref.ravel(), b_ref])
    if got.shape != want.shape:
        return report(False, name, f"A′ must be (1, 2) and b′ (1,); got {got.size} numbers")
    return report(
        bool(np.allclose(got, want, atol=1e-9)),
        name,
        "multiply the matrices right to left; push each bias through the later layers",
    )


def batched_output(Y: object) -> Verdict:
    """Exercise 3.7: Y = C relu(A X + b 1^T) + c_0 1^T for the samples in BATCH's columns.

    Shapes: Y: (K, B) = (2, 4) -> Verdict. Chapter 3.
    """
    p = BATCH
    H = np.maximum(p["A"] @ p["X"] + p["b"][:, None], 0.0)  # (M, B)
    expected = p["C"] @ H + p["c0"][:, None]  # (K, B)
    return close(
        Y,
        expected,
        "the batched forward pass Y = C φ(AX + b1ᵀ) + c₀1ᵀ",
        atol=1e-9,
        hint="reshape the biases to columns, b[:, None], so they add to every sample",
    )
