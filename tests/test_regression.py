from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.regression import (
    design_matrix,
    gradient_descent,
    loss_surface,
    normal_equations,
    smoothness,
    squared_loss,
    squared_loss_grad,
)
from dlbook.runtime import DivergenceError

FAST = settings(max_examples=20, deadline=None, database=None)


def problem(seed: int, n: int = 12, P: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, P)), rng.standard_normal(n), rng.standard_normal(P)


def test_design_matrix_is_ones_and_x() -> None:
    X = design_matrix(np.array([2.0, -1.0, 0.5]))
    np.testing.assert_array_equal(X, [[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]])
    np.testing.assert_allclose(X @ np.array([0.5, 2.0]), 0.5 + 2.0 * np.array([2.0, -1.0, 0.5]))


@FAST
@given(st.integers(0, 2**31 - 1), st.integers(2, 20), st.integers(1, 4))
def test_loss_and_gradient_match_torch_autograd(seed: int, n: int, P: int) -> None:
    X, y, theta = problem(seed, n, P)
    t = torch.tensor(theta, requires_grad=True)
    loss = torch.sum((torch.from_numpy(X) @ t - torch.from_numpy(y)) ** 2)
    loss.backward()
    assert squared_loss(theta, X, y) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(squared_loss_grad(theta, X, y), t.grad.numpy(), rtol=1e-10)


@FAST
@given(st.integers(0, 2**31 - 1), st.integers(4, 30), st.integers(1, 4))
def test_normal_equations_match_lstsq(seed: int, n: int, P: int) -> None:
    X, y, _ = problem(seed, n, P)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(normal_equations(X, y), expected, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(squared_loss_grad(normal_equations(X, y), X, y), 0.0, atol=1e-9)


def test_gradient_descent_converges_to_lstsq_and_loss_decreases() -> None:
    X, y, _ = problem(1, n=30, P=3)
    run = gradient_descent(X, y, lr=1.0 / smoothness(X), steps=3000)
    np.testing.assert_allclose(run.theta, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-10)
    assert run.thetas.shape == (3001, 3) and run.losses.shape == (3001,)
    np.testing.assert_array_equal(run.thetas[0], 0.0)
    assert np.all(np.diff(run.losses) <= 1e-12)  # eta = 1/L_max: monotone decrease
    assert run.losses[-1] == pytest.approx(squared_loss(run.theta, X, y))


def test_gradient_descent_is_the_update_rule() -> None:
    X, y, theta0 = problem(2)
    run = gradient_descent(X, y, lr=0.01, steps=2, theta0=theta0)
    step1 = theta0 - 0.01 * 2 * X.T @ (X @ theta0 - y)
    np.testing.assert_allclose(run.thetas[1], step1, rtol=1e-12)
    np.testing.assert_array_equal(run.thetas[0], theta0)  # theta0 itself is not modified


def test_smoothness_is_the_largest_hessian_eigenvalue_and_the_step_limit() -> None:
    X, y, _ = problem(3, n=20, P=2)
    hessian = torch.autograd.functional.hessian(
        lambda t: torch.sum((torch.from_numpy(X) @ t) ** 2), torch.zeros(2, dtype=torch.float64)
    )
    assert smoothness(X) == pytest.approx(torch.linalg.eigvalsh(hessian)[-1].item())
    gradient_descent(X, y, lr=1.9 / smoothness(X), steps=200)  # below 2/L: converges
    with pytest.raises(DivergenceError, match="diverged"):
        gradient_descent(X, y, lr=2.1 / smoothness(X), steps=2000)


def test_loss_surface_matches_pointwise_losses() -> None:
    x = np.linspace(-1.0, 2.0, 9)
    X, y = design_matrix(x), 1.0 + 0.5 * x
    t0, t1 = np.linspace(-1, 3, 5), np.linspace(-2, 2, 4)
    surface = loss_surface(X, y, t0, t1)
    assert surface.shape == (4, 5)
    for i, b in enumerate(t1):
        for j, a in enumerate(t0):
            assert surface[i, j] == pytest.approx(squared_loss(np.array([a, b]), X, y))
    assert loss_surface(X, y, [1.0], [0.5])[0, 0] == pytest.approx(0.0, abs=1e-20)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: design_matrix(np.zeros((3, 1))), r"got shape \(3, 1\)"),
        (
            lambda: squared_loss(np.zeros(3), np.zeros((4, 2)), np.zeros(4)),
            r"theta of shape \(3,\)",
        ),
        (lambda: normal_equations(np.zeros((4, 2)), np.zeros(3)), r"got X \(4, 2\) and y \(3,\)"),
        (lambda: loss_surface(np.zeros((4, 3)), np.zeros(4), [0], [0]), "two parameters"),
    ],
)
def test_bad_shapes_raise(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
