import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.gradcheck import gradcheck, numerical_gradient, relative_error


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 2**16))
def test_numerical_gradient_matches_autograd(shape: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    A = rng.standard_normal(shape)

    def f_np(z: np.ndarray) -> float:
        return float(np.sum(np.sin(A * z) + z**3))

    xt = torch.tensor(x, requires_grad=True)
    torch.sum(torch.sin(torch.tensor(A) * xt) + xt**3).backward()
    numeric = numerical_gradient(f_np, x)
    assert numeric.shape == x.shape
    assert relative_error(numeric, xt.grad.numpy()) < 1e-7


def test_numerical_gradient_leaves_input_unchanged_and_is_second_order() -> None:
    x = np.array([0.3, -1.2])
    before = x.copy()
    errors = [
        abs(numerical_gradient(lambda z: np.exp(z).sum(), x, eps)[0] - np.exp(0.3))
        for eps in (1e-2, 1e-3)
    ]
    assert np.array_equal(x, before)
    assert errors[1] < errors[0] / 50  # central differences: error ~ eps^2


def test_relative_error() -> None:
    a = np.array([1.0, 2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == pytest.approx(2.0)
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        relative_error(a, np.ones(3))


def test_gradcheck_reports_right_and_wrong_gradients(rng: np.random.Generator) -> None:
    x = rng.standard_normal((3, 2))
    good = gradcheck(lambda z: float(np.sum(np.tanh(z))), lambda z: 1 - np.tanh(z) ** 2, x)
    assert good.passed and good.max_error < 1e-7 and "passed" in str(good)
    wrong = 1 - np.tanh(x) ** 2
    wrong[2, 1] *= 1.01  # one coordinate off by 1%
    bad = gradcheck(lambda z: float(np.sum(np.tanh(z))), wrong, x)
    assert not bad.passed and bad.worst == (2, 1) and abs(bad.max_error - 0.01 / 1.01) < 1e-6
    assert "FAILED" in str(bad) and "(2, 1)" in str(bad)
    zero = gradcheck(lambda z: 0.0, np.zeros(2), np.ones(2))  # the floor: no 0/0
    assert zero.passed and zero.max_error == 0.0
    assert gradcheck(lambda z: 0.0, np.zeros(0), np.zeros(0)).passed
    with pytest.raises(ValueError, match=r"gradient has shape \(2,\); x has shape \(3,\)"):
        gradcheck(lambda z: 0.0, np.zeros(2), np.zeros(3))


@settings(max_examples=15, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 2**16))
def test_gradcheck_passes_autograd_and_catches_a_perturbation(shape: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(shape), rng.standard_normal(shape)
    xt = torch.tensor(x, requires_grad=True)
    torch.sum(torch.tensor(w) * torch.sigmoid(xt)).backward()

    def f(z: np.ndarray) -> float:
        return float(np.sum(w / (1 + np.exp(-z))))

    assert gradcheck(f, xt.grad.numpy(), x).passed
    worse = xt.grad.numpy().copy()
    worse.flat[-1] += 1e-3 + 0.1 * abs(worse.flat[-1])
    report = gradcheck(f, worse, x)
    assert not report.passed and report.worst == np.unravel_index(worse.size - 1, worse.shape)
