"""Tests of dlbook.kernels: analytic NNGP/NTK kernels against quadrature, Monte-Carlo wide
networks and autograd; kernel regression and the linearised dynamics against direct solves."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import erf

from dlbook.kernels import (
    empirical_ntk,
    gaussian_expectations,
    init_ntk_params,
    kernel_regression,
    linearised_prediction,
    nngp_ntk,
    nngp_step,
    ntk_forward,
    random_one_layer_outputs,
)


def _dual_cov(k11, k12, k22, act):
    X = np.array([[np.sqrt(k11), 0.0], [k12 / np.sqrt(k11), np.sqrt(k22 - k12**2 / k11)]])
    # rows x with x.x' = K when sigma_w2 = d = 2, sigma_b2 = 0: depth-1 kernel = sw2 * E
    K, _ = nngp_ntk(X, X, 1, act, sigma_w2=2.0, sigma_b2=0.0)
    return K[0, 1] / 2.0


@settings(max_examples=10, deadline=None)
@given(st.floats(0.3, 2.0), st.floats(-0.9, 0.9), st.floats(0.3, 2.0))
def test_closed_forms_match_quadrature(k11, c, k22):
    k12 = c * np.sqrt(k11 * k22)
    # inputs with x.x'/d = K / 2 so that the first-layer pre-activations have covariance K
    Kq, _ = gaussian_expectations(
        k11, k12, k22, erf, lambda u: 2 / np.sqrt(np.pi) * np.exp(-(u**2))
    )
    assert _dual_cov(k11, k12, k22, "erf") == pytest.approx(float(Kq), rel=1e-6)
    relu = lambda u: np.maximum(u, 0.0)  # noqa: E731
    Kr, _ = gaussian_expectations(k11, k12, k22, relu, lambda u: (u > 0) * 1.0, points=150)
    assert _dual_cov(k11, k12, k22, "relu") == pytest.approx(float(Kr), abs=3e-3)


@pytest.mark.parametrize("activation", ["relu", "erf", "tanh"])
def test_nngp_matches_monte_carlo_wide_networks(activation, rng, generator):
    X = rng.standard_normal((3, 4))
    K, _ = nngp_ntk(X, X, 2, activation, sigma_w2=1.5, sigma_b2=0.1)
    Xt = torch.tensor(X)
    F = torch.stack(
        [
            ntk_forward(init_ntk_params([4, 256, 256, 1], generator), Xt, activation, 1.5, 0.1)[
                :, 0
            ]
            for _ in range(1500)
        ]
    ).numpy()  # (draws, 3)
    # Monte-Carlo error ~ 1/sqrt(1500) * K, finite-width bias ~ 1/256: a 10% band
    assert np.allclose(F.T @ F / len(F), K, atol=0.1 * np.abs(K).max())
    assert not np.allclose(F.T @ F / len(F), 1.3 * K, atol=0.1 * np.abs(K).max())


@pytest.mark.parametrize("activation", ["relu", "erf"])
def test_empirical_ntk_converges_to_the_analytic_one(activation, rng, generator):
    X = rng.standard_normal((4, 3))
    _, Theta = nngp_ntk(X, X, 2, activation, sigma_w2=1.5, sigma_b2=0.1)
    errors = []
    for n in (64, 2048):
        p = init_ntk_params([3, n, n, 1], generator)
        emp = empirical_ntk(
            p, torch.tensor(X), torch.tensor(X), activation, sigma_w2=1.5, sigma_b2=0.1
        ).numpy()
        errors.append(np.abs(emp - Theta).max() / np.abs(Theta).max())
    assert errors[1] < 0.12 and errors[1] < errors[0]


def test_empirical_ntk_equals_autograd_gradient_products(rng, generator):
    p = [
        (W.requires_grad_(), b.requires_grad_())
        for W, b in init_ntk_params([3, 7, 5, 1], generator)
    ]
    X = torch.tensor(rng.standard_normal((4, 3)))
    grads = []
    for i in range(4):
        out = ntk_forward(p, X[i : i + 1], "tanh", 1.3, 0.2)[0, 0]
        flat = [t for pair in p for t in pair]
        grads.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(out, flat)]))
    G = torch.stack(grads)  # (4, P)
    emp = empirical_ntk(p, X, X, "tanh", sigma_w2=1.3, sigma_b2=0.2)
    assert torch.allclose(emp, G @ G.T, rtol=1e-10, atol=1e-12)


def test_one_hidden_layer_relu_kernel_closed_form():
    X = np.eye(2)  # orthogonal inputs, unit-variance pre-activations (sw2 |x|^2 / d = 1)
    K, Theta = nngp_ntk(X, X, 1, "relu", sigma_w2=2.0)
    assert K[0, 1] == pytest.approx(1 / np.pi)  # 2 * (sin + (pi - theta) cos) / 2 pi at pi/2
    assert K[0, 0] == pytest.approx(1.0)
    assert Theta[0, 1] == pytest.approx(1 / np.pi)  # + 2 * (1/4) * 0
    assert Theta[0, 0] == pytest.approx(2.0)  # 1 + 2 * (1/2) * 1


@settings(max_examples=8, deadline=None)
@given(st.integers(2, 12), st.integers(1, 6), st.integers(0, 10_000))
def test_kernel_regression_matches_direct_solve(N, T, seed):
    rng = np.random.default_rng(seed)
    X, Xs = rng.standard_normal((N, 2)), rng.standard_normal((T, 2))
    A = np.vstack([X, Xs])
    K, _ = nngp_ntk(A, A, 2, "relu", sigma_b2=0.1)
    y = rng.standard_normal(N)
    m, v = kernel_regression(K[:N, :N], K[N:, :N], np.diag(K)[N:], y, 0.3)
    S = K[:N, :N] + 0.09 * np.eye(N)
    assert np.allclose(m, K[N:, :N] @ np.linalg.solve(S, y))
    full = K[N:, N:] - K[N:, :N] @ np.linalg.solve(S, K[:N, N:])
    assert np.allclose(v, np.maximum(np.diag(full), 0), atol=1e-10)


def test_linearised_prediction_converges_to_kernel_interpolation(rng):
    X = rng.standard_normal((5, 2))
    Xs = rng.standard_normal((3, 2))
    A = np.vstack([X, Xs])
    _, Th = nngp_ntk(A, A, 1, "relu", sigma_b2=0.1)
    r0, f0 = rng.standard_normal(5), rng.standard_normal(3)
    f = linearised_prediction(Th[:5, :5], Th[5:, :5], r0, f0, lr=1.0, steps=20_000)
    assert np.allclose(f, f0 - Th[5:, :5] @ np.linalg.solve(Th[:5, :5], r0), atol=1e-6)
    assert np.allclose(linearised_prediction(Th[:5, :5], Th[5:, :5], r0, f0, 1.0, 0), f0)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 4\)"):
        nngp_ntk(np.ones((2, 3)), np.ones((2, 4)), 1)
    with pytest.raises(ValueError, match="activation"):
        nngp_ntk(np.ones((2, 3)), np.ones((2, 3)), 1, "sigmoid")
    with pytest.raises(ValueError, match="do not match"):
        kernel_regression(np.eye(3), np.ones((2, 4)), np.ones(2), np.ones(3), 0.1)
    with pytest.raises(ValueError, match="one output"):
        p = init_ntk_params([2, 3, 2], torch.Generator().manual_seed(0))
        empirical_ntk(p, torch.ones(1, 2), torch.ones(1, 2))
    with pytest.raises(ValueError, match=r"\(B, 2\)"):
        ntk_forward(init_ntk_params([2, 3, 1], torch.Generator()), torch.ones(1, 5))


def test_random_one_layer_outputs_match_ntk_forward_and_nngp(rng):
    X = rng.standard_normal((3, 2))
    F = random_one_layer_outputs(5, X, 20_000, rng)
    K, _ = nngp_ntk(X, X, 1, "relu")
    se = np.sqrt((F[:, :, None] * F[:, None, :]).var(0) / len(F))
    assert np.all(np.abs(F.T @ F / len(F) - K) < 4.5 * se)  # exact at every width
    g = np.random.default_rng(1)
    one = random_one_layer_outputs(4, X, 1, g)
    g = np.random.default_rng(1)
    W, v = g.standard_normal((1, 4, 2))[0], g.standard_normal((1, 1, 4))[0]
    p = [(torch.tensor(W), torch.zeros(4)), (torch.tensor(v), torch.zeros(1))]
    ref = ntk_forward(p, torch.tensor(X)).numpy()[:, 0]
    assert np.allclose(one[0], ref)
    with pytest.raises(ValueError, match="n >= 1"):
        random_one_layer_outputs(0, X, 3, rng)


def test_nngp_step_is_one_layer_of_the_recursion(rng):
    X = rng.standard_normal((2, 3))
    K1, _ = nngp_ntk(X, X, 1, "erf", 1.7, 0.3)
    K2, _ = nngp_ntk(X, X, 2, "erf", 1.7, 0.3)
    step = nngp_step(K1[0, 0], K1[0, 1], K1[1, 1], "erf", 1.7, 0.3)
    assert step == pytest.approx(K2[0, 1], rel=1e-12)
    batch = nngp_step(np.ones(4), np.zeros(4), np.ones(4))  # relu, orthogonal: 2 / 2 pi
    assert np.allclose(batch, 1 / np.pi)
    with pytest.raises(ValueError, match=r"k11 \(2,\), k12 \(3,\)"):
        nngp_step(np.ones(2), np.ones(3), np.ones(2))
