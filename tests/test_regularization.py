"""Tests of dlbook.regularization against torch and numpy references."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn.utils import prune

from dlbook import regularization as reg

SHAPES = st.tuples(st.integers(1, 6), st.integers(1, 6))


@settings(max_examples=15, deadline=None)
@given(shape=SHAPES, gamma=st.floats(0.0, 3.0), seed=st.integers(0, 2**16))
def test_l2_penalty_and_gradient_match_autograd(shape, gamma, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(shape), rng.standard_normal(shape[::-1])]
    ts = [torch.tensor(w, requires_grad=True) for w in weights]
    penalty = 0.5 * gamma * sum((t**2).sum() for t in ts)
    penalty.backward()
    assert reg.l2_penalty(weights, gamma) == pytest.approx(penalty.item(), rel=1e-12, abs=1e-14)
    for g, t in zip(reg.l2_penalty_grad(weights, gamma), ts, strict=True):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_l2_rejects_negative_gamma():
    with pytest.raises(ValueError, match="gamma"):
        reg.l2_penalty([np.ones(2)], -1.0)
    with pytest.raises(ValueError, match="gamma"):
        reg.l2_penalty_grad([np.ones(2)], -1.0)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 12), P=st.integers(1, 12), gamma=st.floats(1e-3, 10.0))
def test_ridge_is_a_stationary_point_of_the_penalised_loss(n, P, gamma):
    rng = np.random.default_rng(n * 100 + P)
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    theta = torch.tensor(reg.ridge(X, y, gamma), requires_grad=True)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    loss = 0.5 * ((Xt @ theta - yt) ** 2).sum() + 0.5 * gamma * (theta**2).sum()
    loss.backward()
    assert theta.grad.abs().max().item() < 1e-9 * (1 + np.abs(X).max() ** 2)


def test_ridge_equals_gradient_descent_with_the_l2_gradient(rng):
    X, y, gamma = rng.standard_normal((20, 5)), rng.standard_normal(20), 0.7
    theta, lr = np.zeros(5), 1.0 / (np.linalg.norm(X, 2) ** 2 + gamma)
    for _ in range(3000):
        theta = theta - lr * (X.T @ (X @ theta - y) + reg.l2_penalty_grad([theta], gamma)[0])
    np.testing.assert_allclose(theta, reg.ridge(X, y, gamma), atol=1e-10)


def test_gaussian_map_is_ridge_with_gamma_sigma2_over_tau2(rng):
    X, y = rng.standard_normal((15, 4)), rng.standard_normal(15)
    sigma, tau = 0.5, 2.0
    np.testing.assert_allclose(
        reg.gaussian_map(X, y, sigma, tau), reg.ridge(X, y, sigma**2 / tau**2), rtol=1e-12
    )
    with pytest.raises(ValueError, match="sigma"):
        reg.gaussian_map(X, y, 0.0, 1.0)


def test_ridge_shape_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(4,\)"):
        reg.ridge(np.ones((3, 2)), np.ones(4), 1.0)
    with pytest.raises(ValueError, match="gamma"):
        reg.ridge(np.ones((3, 2)), np.ones(3), 0.0)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_scaling_matches_torch_dropout(rng, p):
    h = rng.uniform(1.0, 2.0, size=(400, 50))
    ours = reg.dropout(h, p, rng) / h
    layer = torch.nn.Dropout(p)
    theirs = (layer(torch.tensor(h)) / torch.tensor(h)).numpy()
    for ratio in (ours, theirs):  # the same two values, 0 and 1/(1-p), in the same proportions
        np.testing.assert_allclose(np.unique(np.round(ratio, 12)), [0.0, 1.0 / (1.0 - p)])
        assert abs(np.mean(ratio == 0) - p) < 0.02
        assert abs(ratio.mean() - 1.0) < 0.05  # inverted dropout keeps the expectation
    layer.eval()
    np.testing.assert_array_equal(layer(torch.tensor(h)).numpy(), h)
    np.testing.assert_array_equal(reg.dropout(h, p, rng, training=False), h)


def test_dropout_rejects_p_outside_unit_interval(rng):
    for p in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="dropout probability"):
            reg.dropout(np.ones(3), p, rng)


@pytest.mark.parametrize(
    ("losses", "patience", "best", "stop"),
    [
        ([3, 2, 1, 2, 3, 4, 5], 2, 2, 4),
        ([3, 2, 1, 2, 0.5, 4, 5], 3, 4, 7 - 1),
        ([5, 4, 3, 2, 1], 1, 4, 4),
        ([1, 2, 3], 1, 0, 1),
    ],
)
def test_early_stopping_cases(losses, patience, best, stop):
    assert reg.early_stopping(losses, patience) == reg.EarlyStop(best, stop)


def test_early_stopping_rejects_bad_arguments():
    with pytest.raises(ValueError, match="patience"):
        reg.early_stopping([1.0, 2.0], 0)
    with pytest.raises(ValueError, match="non-empty"):
        reg.early_stopping([], 2)


@settings(max_examples=15, deadline=None)
@given(shape=SHAPES, fraction=st.floats(0.0, 0.95), seed=st.integers(0, 2**16))
def test_first_prune_round_matches_torch_l1_unstructured(shape, fraction, seed):
    w = np.random.default_rng(seed).standard_normal(shape)
    mask = reg.prune_mask(w, np.ones(shape, dtype=bool), fraction)
    layer = torch.nn.Linear(shape[1], shape[0], bias=False)
    layer.weight.data = torch.tensor(w)
    n_prune = int(round(fraction * w.size))
    prune.l1_unstructured(layer, "weight", amount=n_prune)
    np.testing.assert_array_equal(mask, layer.weight_mask.numpy().astype(bool))


def test_iterative_pruning_keeps_pruned_weights_pruned(rng):
    w, mask = rng.standard_normal((30, 20)), np.ones((30, 20), dtype=bool)
    for _ in range(4):
        w = w + 0.3 * rng.standard_normal(w.shape)  # training moves the weights between rounds
        new = reg.prune_mask(w, mask, 0.5)
        assert not np.any(new & ~mask)
        assert new.sum() == mask.sum() - round(0.5 * mask.sum())
        assert np.abs(w[new]).min() >= np.abs(w[mask & ~new]).max()
        mask = new
    assert mask.sum() == 37  # 600 -> 300 -> 150 -> 75 -> 37 (round(37.5) = 38 pruned)


def test_prune_mask_rejects_bad_arguments():
    with pytest.raises(ValueError, match="prune fraction"):
        reg.prune_mask(np.ones(3), np.ones(3, dtype=bool), 1.0)
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        reg.prune_mask(np.ones(3), np.ones(4, dtype=bool), 0.5)


def test_relu_features_match_torch(rng):
    X, W, b = rng.standard_normal((7, 3)), rng.standard_normal((3, 11)), rng.standard_normal(11)
    expected = torch.relu(torch.tensor(X) @ torch.tensor(W) + torch.tensor(b)) / np.sqrt(11)
    np.testing.assert_allclose(reg.relu_features(X, W, b), expected.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"\(7, 3\).*\(4, 11\)"):
        reg.relu_features(X, rng.standard_normal((4, 11)), b)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 10), p=st.integers(1, 20), seed=st.integers(0, 2**16))
def test_min_norm_least_squares(n, p, seed):
    rng = np.random.default_rng(seed)
    Phi, y = rng.standard_normal((n, p)), rng.standard_normal(n)
    theta = reg.min_norm_least_squares(Phi, y)
    np.testing.assert_allclose(theta, np.linalg.lstsq(Phi, y, rcond=None)[0], atol=1e-9)
    if p >= n:  # interpolates, and any other interpolant is at least as long
        np.testing.assert_allclose(Phi @ theta, y, atol=1e-8)
        null = np.linalg.svd(Phi)[2][n:].T  # (p, p - n) basis of the null space
        other = theta + null @ rng.standard_normal(p - n)
        assert np.linalg.norm(theta) <= np.linalg.norm(other) + 1e-12


def test_bias_variance_adds_up_to_the_monte_carlo_test_error(rng):
    T, R, sigma = 40, 4000, 0.3
    f = np.sin(np.linspace(0, 3, T))
    shift = 0.2 * np.cos(np.linspace(0, 3, T))  # a systematic error: the bias
    predictions = f + shift + 0.5 * rng.standard_normal((R, T))
    parts = reg.bias_variance(predictions, f, sigma)
    assert parts.bias2 == pytest.approx(np.mean(shift**2), rel=0.05)
    assert parts.variance == pytest.approx(0.25, rel=0.05)
    y = f + sigma * rng.standard_normal((R, T))  # a fresh test label for each fit
    assert parts.total == pytest.approx(np.mean((predictions - y) ** 2), rel=0.02)
    with pytest.raises(ValueError, match=r"\(4000, 40\).*\(39,\)"):
        reg.bias_variance(predictions, f[:-1], sigma)


def test_ensemble_spread_falls_like_one_over_the_size(rng):
    members = 1.0 + rng.standard_normal((4096, 30))  # independent members, variance 1
    for size in (1, 4, 16):
        assert reg.ensemble_spread(members, size) == pytest.approx(1 / size, rel=0.1)
    by_hand = members[:8].reshape(2, 4, 30).mean(axis=1).var(axis=0).mean()
    assert reg.ensemble_spread(members[:8], 4) == pytest.approx(by_hand)
    with pytest.raises(ValueError, match="fewer than 2 ensembles"):
        reg.ensemble_spread(members[:7], 4)
