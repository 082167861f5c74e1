"""Tests of dlbook.augmentation: shifts against numpy.roll away from the border, stochastic
depth's expectation and evaluation mode."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import augmentation as aug
from dlbook.nets import cpu_generator


@settings(max_examples=20, deadline=None)
@given(dy=st.integers(-3, 3), dx=st.integers(-3, 3), seed=st.integers(0, 2**16))
def test_shift_matches_roll_with_zero_fill(dy, dx, seed):
    X = np.random.default_rng(seed).uniform(1, 2, size=(3, 64))
    shifted = aug.shift_images(X, np.full(3, dy), np.full(3, dx)).reshape(3, 8, 8)
    rolled = np.roll(X.reshape(3, 8, 8), (dy, dx), axis=(1, 2))
    inside = np.zeros((8, 8), dtype=bool)
    inside[max(0, dy) : 8 + min(0, dy), max(0, dx) : 8 + min(0, dx)] = True
    np.testing.assert_array_equal(shifted[:, inside], rolled[:, inside])
    assert np.all(shifted[:, ~inside] == 0.0)
    assert (~inside).sum() == 64 - (8 - abs(dy)) * (8 - abs(dx))


def test_each_image_gets_its_own_shift_and_random_shifts_stay_in_range(rng):
    X = rng.uniform(size=(2, 64))
    out = aug.shift_images(X, np.array([0, 8]), np.array([0, 0]))
    np.testing.assert_array_equal(out[0], X[0])
    assert np.all(out[1] == 0)  # shifted out of the frame
    many = aug.random_shifts(np.tile(X[:1], (500, 1)), 1, rng)
    distinct = {tuple(row.round(12)) for row in many}
    assert len(distinct) == 9  # the 3 x 3 shifts in {-1, 0, 1}^2
    with pytest.raises(ValueError, match=r"\(2, 63\)"):
        aug.shift_images(X[:, :63], 0, 0)
    with pytest.raises(ValueError, match="max_shift"):
        aug.random_shifts(X, -1, rng)


def test_stochastic_depth_keeps_the_expectation_and_is_exact_at_evaluation():
    gen = cpu_generator(0)
    block = aug.StochasticDepthBlock(6, survival=0.7, generator=gen).double()
    h = torch.randn(1, 6, generator=gen, dtype=torch.float64).expand(20000, 6)
    with torch.no_grad():
        train_mean = block(h).mean(dim=0)
        block.eval()
        evaluation = block(h[:1])[0]
        expected = h[0] + block.branch(h[:1])[0]
    torch.testing.assert_close(evaluation, expected)
    spread = block.branch(h[:1]).abs().max().item()
    assert (train_mean - evaluation).abs().max().item() < 0.05 * spread + 1e-12


def test_blocks_are_dropped_per_example_in_training():
    gen = cpu_generator(1)
    block = aug.StochasticDepthBlock(4, survival=0.5, generator=gen)
    h = torch.ones(1000, 4)
    with torch.no_grad():
        out = block(h)
    dropped = torch.all(out == h, dim=1).float().mean().item()
    assert abs(dropped - 0.5) < 0.05
    with pytest.raises(ValueError, match="survival"):
        aug.StochasticDepthBlock(4, survival=0.0)


def test_residual_mlp_is_seeded_by_its_generator():
    a = aug.residual_mlp((64, 16, 10), 3, 0.8, cpu_generator(2))
    b = aug.residual_mlp((64, 16, 10), 3, 0.8, cpu_generator(2))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert a(torch.zeros(5, 64)).shape == (5, 10)
