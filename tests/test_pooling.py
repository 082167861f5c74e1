from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from dlbook.pooling import (
    all_shifts,
    avg_pool2d,
    bilinear_matrix,
    bilinear_upsample,
    cyclic_shift,
    group_pool,
    max_pool2d,
)


@settings(max_examples=15)
@given(
    H=st.integers(2, 9), W=st.integers(2, 9), k=st.integers(1, 3), s=st.integers(1, 3),
    seed=st.integers(0, 99),
)  # fmt: skip
def test_pooling_matches_torch(H: int, W: int, k: int, s: int, seed: int) -> None:
    k = min(k, H, W)
    X = np.random.default_rng(seed).normal(size=(2, 3, H, W))
    x = torch.tensor(X)
    np.testing.assert_allclose(max_pool2d(X, k, s), F.max_pool2d(x, k, s).numpy(), atol=1e-14)
    np.testing.assert_allclose(avg_pool2d(X, k, s), F.avg_pool2d(x, k, s).numpy(), atol=1e-14)
    assert max_pool2d(X, k).shape == (2, 3, H // k, W // k)


@settings(max_examples=10)
@given(H=st.integers(1, 6), W=st.integers(1, 6), scale=st.integers(1, 4), seed=st.integers(0, 99))
def test_bilinear_matches_interpolate(H: int, W: int, scale: int, seed: int) -> None:
    X = np.random.default_rng(seed).normal(size=(2, 2, H, W))
    ref = F.interpolate(torch.tensor(X), scale_factor=scale, mode="bilinear", align_corners=False)
    np.testing.assert_allclose(bilinear_upsample(X, scale), ref.numpy(), atol=1e-12)
    np.testing.assert_allclose(bilinear_matrix(H, scale).sum(axis=1), 1.0)


def test_group_pool_is_invariant_and_g_is_not(rng: np.random.Generator) -> None:
    A = rng.normal(size=(16, 3))

    def g(X: np.ndarray) -> np.ndarray:
        return np.tanh(X.reshape(len(X), -1) @ A)

    X = rng.normal(size=(3, 4, 4))
    for reduce in ("max", "sum"):
        f = group_pool(g, X, reduce)
        for dy in range(4):
            for dx in range(4):
                shifted = group_pool(g, cyclic_shift(X, dy, dx), reduce)
                np.testing.assert_allclose(shifted, f, atol=1e-12)
    assert np.abs(g(cyclic_shift(X, 1, 2)) - g(X)).max() > 0.1
    orbit = all_shifts(X)
    np.testing.assert_array_equal(orbit[:, 1 * 4 + 2], cyclic_shift(X, 1, 2))


def test_errors() -> None:
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        max_pool2d(np.zeros((2, 3)), 2)
    with pytest.raises(ValueError, match="larger than"):
        avg_pool2d(np.zeros((1, 1, 2, 2)), 3)
    with pytest.raises(ValueError, match="scale=0"):
        bilinear_upsample(np.zeros((1, 1, 2, 2)), 0)
    with pytest.raises(ValueError, match="'mean'"):
        group_pool(lambda X: X, np.zeros((1, 2, 2)), "mean")
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        all_shifts(np.zeros((2, 2)))
