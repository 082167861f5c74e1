import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.gradcheck import numerical_gradient, relative_error


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
