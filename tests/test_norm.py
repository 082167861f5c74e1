from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlbook.norm import (
    BatchNorm,
    LayerNorm,
    batch_statistics,
    normalize_backward,
    normalize_forward,
    normalize_torch,
    normalized_mlp,
)


def _with_params(layer: BatchNorm | LayerNorm, ref: nn.Module, rng: np.random.Generator) -> None:
    D = layer.gamma.shape[0]
    layer.gamma, layer.beta = rng.normal(size=D), rng.normal(size=D)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.gamma))
        ref.bias.copy_(torch.tensor(layer.beta))


def _torch_grads(ref: nn.Module, X: np.ndarray, dY: np.ndarray) -> tuple[np.ndarray, ...]:
    x = torch.tensor(X, requires_grad=True)
    y = ref(x)
    y.backward(torch.tensor(dY))
    grads = (x.grad, ref.weight.grad, ref.bias.grad)
    return (y.detach().numpy(), *(g.numpy() for g in grads))


@settings(max_examples=15)
@given(B=st.integers(2, 9), D=st.integers(1, 7), seed=st.integers(0, 999))
def test_batch_norm_matches_torch_in_training_and_eval(B: int, D: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ours, ref = BatchNorm(D, eps=1e-3), nn.BatchNorm1d(D, eps=1e-3).double()
    _with_params(ours, ref, rng)
    for _ in range(3):  # the running statistics follow torch's over several batches
        X, dY = rng.normal(size=(B, D)) * 3 + 1, rng.normal(size=(B, D))
        ref.zero_grad()
        Y_ref, dX_ref, dg_ref, db_ref = _torch_grads(ref, X, dY)
        Y = ours.forward(X)
        dX, dg, db = ours.backward(dY)
        for a, b in [(Y, Y_ref), (dX, dX_ref), (dg, dg_ref), (db, db_ref)]:
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.running_mean, ref.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.running_var, ref.running_var.numpy(), atol=1e-12)
    ours.training = False
    ref.eval()
    X = rng.normal(size=(B, D))
    with torch.no_grad():
        np.testing.assert_allclose(ours.forward(X), ref(torch.tensor(X)).numpy(), atol=1e-12)


@settings(max_examples=15)
@given(B=st.integers(1, 6), D=st.integers(2, 9), seed=st.integers(0, 999))
def test_layer_norm_matches_torch(B: int, D: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ours, ref = LayerNorm(D), nn.LayerNorm(D).double()
    _with_params(ours, ref, rng)
    X, dY = rng.normal(size=(B, D)) * 2 - 1, rng.normal(size=(B, D))
    Y_ref, dX_ref, dg_ref, db_ref = _torch_grads(ref, X, dY)
    Y = ours.forward(X)
    for a, b in zip((Y, *ours.backward(dY)), (Y_ref, dX_ref, dg_ref, db_ref), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_normalize_backward_matches_finite_differences(rng: np.random.Generator) -> None:
    X, g, b, dY = (
        rng.normal(size=(4, 3)),
        rng.normal(size=3),
        rng.normal(size=3),
        rng.normal(size=(4, 3)),
    )
    for axis in (0, 1):
        _, cache = normalize_forward(X, g, b, axis)
        dX, _, _ = normalize_backward(dY, cache)
        h, fd = 1e-6, np.zeros_like(X)
        for idx in np.ndindex(X.shape):
            E = np.zeros_like(X)
            E[idx] = h
            up = np.sum(normalize_forward(X + E, g, b, axis)[0] * dY)
            down = np.sum(normalize_forward(X - E, g, b, axis)[0] * dY)
            fd[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(dX, fd, atol=1e-7)


def test_layer_norm_is_per_sample_and_batch_norm_is_not(rng: np.random.Generator) -> None:
    X = rng.normal(size=(8, 5))
    ln, bn = LayerNorm(5), BatchNorm(5)
    np.testing.assert_allclose(ln.forward(X)[:2], ln.forward(X[:2]), atol=1e-14)
    assert np.abs(bn.forward(X)[:2] - bn.forward(X[:2])).max() > 0.1


def test_errors(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match=r"\(3, 4\)"):
        normalize_forward(np.zeros((3, 4)), np.ones(3), np.zeros(3), 0)
    with pytest.raises(ValueError, match="axis"):
        normalize_forward(np.zeros((3, 4)), np.ones(4), np.zeros(4), 2)
    with pytest.raises(ValueError, match="B >= 2"):
        BatchNorm(4).forward(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="forward pass"):
        BatchNorm(4).backward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="forward pass"):
        LayerNorm(4).backward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="B = 9"):
        batch_statistics(np.zeros((5, 2)), 9, rng, 3)
    with pytest.raises(ValueError, match="unknown norm"):
        normalized_mlp([2, 3, 2], "group")


def test_batch_statistics_noise_shrinks_like_one_over_sqrt_b(rng: np.random.Generator) -> None:
    X = rng.normal(size=(4000, 2))
    small = batch_statistics(X, 4, rng, 400)[:, 0].std()
    large = batch_statistics(X, 64, rng, 400)[:, 0].std()
    assert 2.5 < small / large < 5.5  # sqrt(64 / 4) = 4


def test_normalized_mlp_layers(generator: torch.Generator) -> None:
    net = normalized_mlp([4, 8, 8, 3], "batch", generator=generator)
    assert sum(isinstance(m, nn.BatchNorm1d) for m in net) == 2
    assert sum(isinstance(m, nn.LayerNorm) for m in normalized_mlp([4, 8, 3], "layer")) == 1
    assert len(normalized_mlp([4, 8, 3], None)) == 3
    assert net(torch.zeros(5, 4)).shape == (5, 3)


def test_normalize_torch_matches_functional_and_autograd(rng: np.random.Generator) -> None:
    x = torch.tensor(rng.normal(size=(5, 4)), requires_grad=True)
    g, b = torch.tensor(rng.normal(size=4)), torch.tensor(rng.normal(size=4))
    bn = torch.nn.functional.batch_norm(x, None, None, g, b, training=True, eps=1e-5)
    ln = torch.nn.functional.layer_norm(x, (4,), g, b, eps=1e-5)
    assert torch.allclose(normalize_torch(x, g, b, 0), bn, atol=1e-12)
    assert torch.allclose(normalize_torch(x, g, b, 1), ln, atol=1e-12)
    dY = rng.normal(size=(5, 4))
    normalize_torch(x, g, b, 0).backward(torch.tensor(dY))
    _, cache = normalize_forward(x.detach().numpy(), g.numpy(), b.numpy(), 0)
    np.testing.assert_allclose(x.grad.numpy(), normalize_backward(dY, cache)[0], atol=1e-10)
    with pytest.raises(ValueError, match=r"got \(4,\), 0"):
        normalize_torch(x[0], g, b, 0)
