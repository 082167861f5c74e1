"""Checkers for chapter 5's exercises (chapters/05_backprop).

Most answers are functions (a VJP the reader derives); the checker calls them on fixed
random inputs and compares with central differences through `dlbook.gradcheck.gradcheck`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlbook.autodiff import Tensor
from dlbook.check import Verdict, close, report, unanswered
from dlbook.gradcheck import gradcheck
from dlbook.losses import logsumexp
from dlbook.runtime import numpy_rng

_rng = numpy_rng(5)
Z, H_BAR = _rng.standard_normal((3, 4)), _rng.standard_normal((3, 4))
A, B, P_BAR = (
    _rng.standard_normal((2, 3)),
    _rng.standard_normal((3, 4)),
    _rng.standard_normal((2, 4)),
)
Y, G = 3 * _rng.standard_normal((3, 5)), _rng.standard_normal(3)
W, BIAS, H_PREV, H_BAR2 = (_rng.standard_normal(s) for s in ((4, 3), (4,), (2, 3), (2, 4)))

Check = tuple[Callable[[np.ndarray], float], np.ndarray, Callable[[], object]]


def _grade(name: str, hint: str, answer: object, checks: list[Check]) -> Verdict:
    """Each (f, x, call): call() is the reader's gradient of f at x; gradcheck each one."""
    if (empty := unanswered(name, answer)) is not None:
        return empty
    if not callable(answer):
        return report(False, name, f"expected a function, got {type(answer).__name__}")
    try:
        first = checks[0][2]()
    except Exception:  # noqa: BLE001 - the loop below reports it with a hint
        first = 0
    if (empty := unanswered(name, first)) is not None:  # a function body left as `...`
        return empty
    for f, x, call in checks:
        try:
            got = np.asarray(call(), dtype=float)
        except Exception as err:  # noqa: BLE001 - any error in the reader's code is a hint
            return report(False, name, f"calling your function raised {type(err).__name__}: {err}")
        if got.shape != x.shape:
            return report(
                False, name, f"your gradient has shape {got.shape}; the input has shape {x.shape}"
            )
        # floor 1e-3: entries below it are compared in absolute terms (1e-8), where central
        # differences of an O(10) loss carry ~1e-9 of rounding noise; a relative test there
        # rejected correct answers on some draws
        if not gradcheck(f, got, x, floor=1e-3).passed:
            return report(False, name, hint)
    return report(True, name)


def sigmoid_vjp(answer: object) -> Verdict:
    """Exercise 5.1: z_bar = h_bar * sigma(z) (1 - sigma(z)) for h = sigma(z).

    Shapes: answer(z: (3, 4), h_bar: (3, 4)) -> (3, 4). Chapter 5.
    """

    def f(z: np.ndarray) -> float:
        return float(np.sum(H_BAR / (1 + np.exp(-z))))

    return _grade(
        "the VJP of the sigmoid",
        "J is diagonal: multiply h_bar by sigma'(z), written with sigma(z) itself",
        answer,
        [(f, Z, lambda: answer(Z.copy(), H_BAR.copy()))],
    )


def matmul_vjp_b(answer: object) -> Verdict:
    """Exercise 5.2: B_bar = A^T P_bar for P = A B.

    Shapes: answer(A: (2, 3), B: (3, 4), P_bar: (2, 4)) -> (3, 4). Chapter 5.
    """
    return _grade(
        "the VJP of A @ B with respect to B",
        "B_bar must have B's shape (3, 4); which product of A and P_bar has it?",
        answer,
        [(lambda B_: float(np.sum(P_BAR * (A @ B_))), B, lambda: answer(A, B.copy(), P_BAR))],
    )


def jacobian_shape(answer: object) -> Verdict:
    """Exercise 5.3: the Jacobian of f: R^{2x3} -> R^{4x5} has shape (4, 5, 2, 3).

    Shapes: answer: a tuple of 4 ints -> Verdict. Chapter 5.
    """
    return close(
        answer,
        np.array([4, 5, 2, 3]),
        "the shape of the Jacobian",
        rtol=0,
        hint="one entry per (output index, input index); torch.func puts the output axes first",
    )


def logsumexp_vjp(answer: object) -> Verdict:
    """Exercise 5.4: y_bar = g[:, None] * softmax(y) for s_i = logsumexp_k y_ik.

    Shapes: answer(y: (3, 5), g: (3,)) -> (3, 5). Chapter 5.
    """
    return _grade(
        "the VJP of log-sum-exp",
        "the derivative of log sum_k exp(y_k) with respect to y_j is a softmax; "
        "each row is scaled by its own g_i",
        answer,
        [(lambda y: float(np.sum(G * logsumexp(y, axis=1))), Y, lambda: answer(Y.copy(), G))],
    )


def tanh_layer_grads(answer: object) -> Verdict:
    """Exercise 5.5: for h = tanh(h_prev A^T + b), the gradients (A_bar, b_bar, h_prev_bar).

    Shapes: answer(A: (4, 3), b: (4,), h_prev: (2, 3), h_bar: (2, 4)) -> (4, 3), (4,),
    (2, 3). Chapter 5.
    """

    def loss(A_: np.ndarray, b_: np.ndarray, h_: np.ndarray) -> float:
        return float(np.sum(H_BAR2 * np.tanh(h_ @ A_.T + b_)))

    def part(i: int) -> Callable[[], object]:
        def call() -> object:
            grads = answer(W.copy(), BIAS.copy(), H_PREV.copy(), H_BAR2.copy())
            return None if grads is None else grads[i]

        return call

    return _grade(
        "the gradients of a tanh layer",
        "first z_bar = h_bar * (1 - h^2); then A_bar = z_bar^T h_prev, b_bar sums z_bar "
        "over the batch, h_prev_bar = z_bar A",
        answer,
        [
            (lambda A_: loss(A_, BIAS, H_PREV), W, part(0)),
            (lambda b_: loss(W, b_, H_PREV), BIAS, part(1)),
            (lambda h_: loss(W, BIAS, h_), H_PREV, part(2)),
        ],
    )


def softplus_op(answer: object) -> Verdict:
    """Exercise 5.6: an engine op h = log(1 + e^z) whose VJP is z_bar = h_bar * sigmoid(z).

    Shapes: answer(z: Tensor (3, 4)) -> Tensor (3, 4). Chapter 5.
    """

    def call() -> object:
        z = Tensor(Z.copy())
        out = answer(z)
        if out is None:
            return None
        if not isinstance(out, Tensor):
            raise TypeError(f"return an ad.Tensor, not {type(out).__name__}")
        if not np.allclose(out.data, np.logaddexp(0.0, Z)):
            raise ValueError("the forward value is not log(1 + e^z)")
        (out * H_BAR).sum().backward()
        if z.grad is None:
            raise ValueError("the output is not connected to z: give it the parents (z,)")
        return z.grad

    return _grade(
        "softplus as an engine op",
        "d/dz log(1 + e^z) = e^z / (1 + e^z): which function is that?",
        answer,
        [(lambda z: float(np.sum(H_BAR * np.logaddexp(0.0, z))), Z, call)],
    )
