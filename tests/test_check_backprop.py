from __future__ import annotations

import numpy as np
import torch

from dlbook.autodiff import Tensor
from dlbook.check.backprop import (
    jacobian_shape,
    logsumexp_vjp,
    matmul_vjp_b,
    sigmoid_vjp,
    softplus_op,
    tanh_layer_grads,
)
from dlbook.losses import softmax
from tests.test_check import checker_contract_tests, failed, passed


def sigmoid_right(z: np.ndarray, h_bar: np.ndarray) -> np.ndarray:
    s = 1 / (1 + np.exp(-z))
    return h_bar * s * (1 - s)


def layer_right(A, b, h_prev, h_bar):  # noqa: ANN001, ANN201
    h = np.tanh(h_prev @ A.T + b)
    z_bar = h_bar * (1 - h**2)
    return z_bar.T @ h_prev, z_bar.sum(0), z_bar @ A


def layer_wrong(A, b, h_prev, h_bar):  # noqa: ANN001, ANN201 - forgets tanh'
    return h_bar.T @ h_prev, h_bar.sum(0), h_bar @ A


def softplus(z: Tensor, slope: object = None) -> Tensor:
    s = 1 / (1 + np.exp(-z.data)) if slope is None else slope(z.data)
    return Tensor(np.logaddexp(0, z.data), (z,), lambda g: (g * s,), "softplus")


CASES = [  # (checker, a right answer, a wrong answer)
    (sigmoid_vjp, (sigmoid_right,), (lambda z, h_bar: h_bar * z * (1 - z),)),
    (matmul_vjp_b, (lambda A, B, P: A.T @ P,), (lambda A, B, P: A.T @ P + 1e-3,)),
    (jacobian_shape, ((4, 5, 2, 3),), ((2, 3, 4, 5),)),
    (logsumexp_vjp, (lambda y, g: g[:, None] * softmax(y),), (lambda y, g: softmax(y),)),
    (tanh_layer_grads, (layer_right,), (layer_wrong,)),
    (softplus_op, (softplus,), (lambda z: softplus(z, np.exp),)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_layer_answer_matches_torch() -> None:
    from dlbook.check.backprop import BIAS, H_BAR2, H_PREV, W

    A, b, h = (torch.tensor(a, requires_grad=True) for a in (W, BIAS, H_PREV))
    (torch.tensor(H_BAR2) * torch.tanh(h @ A.T + b)).sum().backward()
    ours = layer_right(W, BIAS, H_PREV, H_BAR2)
    for got, t in zip(ours, (A, b, h), strict=True):
        assert np.allclose(got, t.grad.numpy(), atol=1e-12)


def test_bad_functions_get_a_hint_not_a_crash(capsys) -> None:  # noqa: ANN001
    assert failed(sigmoid_vjp(lambda z, h_bar: 1 / 0))
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert failed(sigmoid_vjp(lambda z, h_bar: h_bar.sum()))
    assert "shape ()" in capsys.readouterr().out
    assert failed(matmul_vjp_b(np.zeros((3, 4))))
    assert "expected a function" in capsys.readouterr().out
    assert passed(jacobian_shape([4, 5, 2, 3]))


def test_a_function_body_left_as_dots_has_no_answer_yet(capsys) -> None:  # noqa: ANN001
    def unfinished(*args):  # noqa: ANN002, ANN202
        ...

    for checker in (sigmoid_vjp, matmul_vjp_b, logsumexp_vjp, tanh_layer_grads, softplus_op):
        assert failed(checker(unfinished))
        assert "No answer yet" in capsys.readouterr().out


def test_softplus_op_explains_what_is_wrong(capsys) -> None:  # noqa: ANN001
    assert failed(softplus_op(lambda z: np.logaddexp(0, z.data)))
    assert "return an ad.Tensor, not ndarray" in capsys.readouterr().out
    assert failed(softplus_op(lambda z: z.tanh()))
    assert "not log(1 + e^z)" in capsys.readouterr().out
    assert failed(softplus_op(lambda z: Tensor(np.logaddexp(0, z.data))))
    assert "not connected to z" in capsys.readouterr().out
    assert passed(softplus_op(lambda z: (z.exp() + 1.0).log()))  # built from engine ops
