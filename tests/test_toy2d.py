"""Tests of dlbook.toy2d: the toy distributions have the stated moments; MMD^2 matches a
naive double loop, vanishes on identical samples and separates different distributions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import toy2d


def test_ring_centers_lie_on_the_circle():
    c = toy2d.ring_centers(8, 2.0)
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 2.0)
    np.testing.assert_allclose(c.mean(0), 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="radius"):
        toy2d.ring_centers(8, 0.0)


def test_ring_samples_cluster_at_the_centres(rng):
    X = toy2d.ring_of_gaussians(4000, rng, std=0.1)
    counts = toy2d.mode_counts(X, toy2d.ring_centers(), within=0.5)
    assert counts.sum() == 4000 and counts.min() > 400  # every mode has about 1/8
    assert toy2d.modes_captured(X, toy2d.ring_centers()) == 8
    assert (
        toy2d.modes_captured(X[np.linalg.norm(X - [2, 0], axis=1) < 0.5], toy2d.ring_centers()) == 1
    )


def test_two_moons_is_centred(rng):
    X = toy2d.two_moons(2000, rng)
    assert X.shape == (2000, 2) and np.abs(X.mean(0)).max() < 0.1


def _naive_mmd2(X, Y, hs):
    def k(a, b):
        return sum(np.exp(-np.sum((a - b) ** 2) / (2 * h**2)) for h in hs)

    kxx = np.mean([[k(a, b) for b in X] for a in X])
    kyy = np.mean([[k(a, b) for b in Y] for a in Y])
    kxy = np.mean([[k(a, b) for b in Y] for a in X])
    return kxx + kyy - 2 * kxy


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 8), m=st.integers(1, 8), D=st.integers(1, 4), seed=st.integers(0, 99))
def test_mmd2_matches_the_naive_double_loop(n, m, D, seed):
    r = np.random.default_rng(seed)
    X, Y = r.standard_normal((n, D)), r.standard_normal((m, D)) + 0.5
    hs = (0.5, 2.0)
    assert toy2d.mmd2(X, Y, hs) == pytest.approx(_naive_mmd2(X, Y, hs), abs=1e-10)


def test_mmd2_of_identical_samples_is_zero_and_separates(rng):
    X = toy2d.ring_of_gaussians(500, rng)
    assert toy2d.mmd2(X, X) == pytest.approx(0.0, abs=1e-10)
    same = toy2d.mmd2(X, toy2d.ring_of_gaussians(500, rng))
    other = toy2d.mmd2(X, rng.standard_normal((500, 2)))
    assert other > 20 * same
    with pytest.raises(ValueError, match="dimensions differ"):
        toy2d.mmd2(X, rng.standard_normal((5, 3)))
    with pytest.raises(ValueError, match="positive"):
        toy2d.mmd2(X, X, (0.0,))
