"""Tests of dlbook.implicit against torch.func, closed-form flows and Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from torch.func import grad, hessian

from dlbook import implicit
from dlbook.runtime import DivergenceError


def _torch_product_loss(theta: torch.Tensor) -> torch.Tensor:
    return 0.5 * (theta[0] * theta[1] - 1.0) ** 2


@settings(max_examples=20, deadline=None)
@given(x=st.floats(-3, 3), y=st.floats(-3, 3), lr=st.floats(0.0, 0.5))
def test_product_loss_derivatives_and_modified_gradient_match_torch(x, y, lr):
    theta = np.array([x, y])
    t = torch.tensor(theta)
    assert implicit.product_loss(theta) == pytest.approx(_torch_product_loss(t).item(), abs=1e-12)
    np.testing.assert_allclose(
        implicit.product_grad(theta), grad(_torch_product_loss)(t), atol=1e-10
    )
    np.testing.assert_allclose(
        implicit.product_hessian(theta), hessian(_torch_product_loss)(t), atol=1e-10
    )

    def modified(v: torch.Tensor) -> torch.Tensor:  # L + (lambda / 4) ||grad L||^2
        return _torch_product_loss(v) + lr / 4 * (grad(_torch_product_loss)(v) ** 2).sum()

    g = implicit.product_grad(theta)
    ours = g + 0.5 * lr * implicit.product_hessian(theta) @ g  # the modified flow's -rhs
    np.testing.assert_allclose(ours, grad(modified)(t).numpy(), atol=1e-9)


def test_gd_path_takes_the_steps_and_stops_on_divergence():
    A = np.diag([1.0, 3.0])
    path = implicit.gd_path(lambda v: A @ v, np.array([1.0, 1.0]), 0.1, 5)
    np.testing.assert_allclose(path[-1], [0.9**5, 0.7**5])
    assert path.shape == (6, 2)
    with pytest.raises(DivergenceError):
        implicit.gd_path(lambda v: A @ v, np.array([1.0, 1.0]), 1.0, 10_000)
    with pytest.raises(ValueError, match="lr"):
        implicit.gd_path(lambda v: v, np.ones(2), 0.0, 3)


@pytest.mark.parametrize("lr", [0.0, 0.2])
def test_flows_of_a_quadratic_match_the_matrix_exponential(rng, lr):
    M = rng.standard_normal((3, 3))
    A = M @ M.T + np.eye(3)  # L = 1/2 theta^T A theta: grad A theta, Hessian A
    theta0, times = rng.standard_normal(3), np.linspace(0.0, 1.0, 6)
    path = implicit.flow_path(lambda v: A @ v, theta0, times, lambda v: A, lr)
    rate = A + 0.5 * lr * A @ A
    expected = np.array([expm(-rate * t) @ theta0 for t in times])
    np.testing.assert_allclose(path, expected, atol=1e-10)


def test_flow_path_rejects_bad_arguments():
    with pytest.raises(ValueError, match="increase from 0"):
        implicit.flow_path(lambda v: v, np.ones(2), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="Hessian"):
        implicit.flow_path(lambda v: v, np.ones(2), np.array([0.0, 1.0]), lr=0.1)
    with pytest.raises(ValueError, match="whole number"):
        implicit.backward_error(lambda v: v, lambda v: np.eye(2), np.ones(2), 0.3, 1.0)


def test_gd_is_first_order_close_to_the_flow_and_second_order_to_the_modified_flow(rng):
    theta0 = np.array([2.0, 0.2]) + 0.2 * rng.standard_normal(2)
    lrs = 0.1 / 2.0 ** np.arange(4)
    errors = np.array(
        [
            implicit.backward_error(
                implicit.product_grad, implicit.product_hessian, theta0, lr, 1.0
            )
            for lr in lrs
        ]
    )
    slopes = np.polyfit(np.log(lrs), np.log(errors), 1)[0]
    assert 0.8 < slopes[0] < 1.3  # distance to the flow of L shrinks like lambda
    assert 1.75 < slopes[1] < 2.3  # distance to the flow of L_GD shrinks like lambda^2
    ratios = errors[:, 0] / errors[:, 1]
    assert np.all(ratios > 1) and np.all(np.diff(ratios) > 0)


def test_batch_gradient_variance_averages_to_its_expectation(rng):
    grads = rng.standard_normal((48, 5)) + np.arange(5)
    for batch_size in (1, 4, 12, 48):
        expected = implicit.expected_batch_gradient_variance(grads, batch_size)
        draws = [implicit.batch_gradient_variance(grads, batch_size, rng) for _ in range(3000)]
        assert np.mean(draws) == pytest.approx(expected, rel=0.05, abs=1e-12)
    assert implicit.expected_batch_gradient_variance(grads, 48) == 0.0
    with pytest.raises(ValueError, match=r"\(48, 5\).*B=49"):
        implicit.batch_gradient_variance(grads, 49, rng)


def test_flat_loss_and_model_sharpness_match_the_explicit_hessian(generator):
    from dlbook.nets import mlp

    net = mlp([3, 4, 2], activation="tanh", generator=generator).double()
    X = torch.randn(12, 3, generator=generator, dtype=torch.float64)
    labels = torch.randint(0, 2, (12,), generator=generator)
    loss, theta = implicit.flat_loss(net, X, labels)
    assert theta.shape == (sum(p.numel() for p in net.parameters()),)
    expected = torch.nn.functional.cross_entropy(net(X), labels)
    assert loss(theta).item() == pytest.approx(expected.item(), rel=1e-12)
    H = torch.autograd.functional.hessian(loss, theta)  # (P, P)
    top = torch.linalg.eigvalsh(H).abs().max().item()
    assert implicit.model_sharpness(net, X, labels, generator, iters=300) == pytest.approx(
        top, rel=1e-4
    )
