"""Tests of dlbook.rmt: the Marchenko-Pastur law against quadrature and sampled matrices,
the KS helper against scipy, and the deep linear Jacobian spectra."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import kstest

from dlbook import rmt


@pytest.mark.parametrize("gamma", [0.1, 0.5, 1.0])
def test_mp_density_is_a_probability_density_with_mean_one(gamma):
    a, b = rmt.mp_edges(gamma)
    mass = quad(lambda x: rmt.mp_density(np.array(x), gamma), a, b, limit=200)[0]
    mean = quad(lambda x: x * rmt.mp_density(np.array(x), gamma), a, b, limit=200)[0]
    assert mass == pytest.approx(1.0, abs=1e-6)
    assert mean == pytest.approx(1.0, abs=1e-6)  # E[lambda] = tr(W^T W / n) / d = 1
    assert rmt.mp_cdf(a, gamma) == pytest.approx(0.0) and rmt.mp_cdf(b, gamma) == pytest.approx(1.0)
    assert rmt.mp_density(np.array([a - 0.01, b + 0.01]), gamma).tolist() == [0.0, 0.0]


def test_sampled_eigenvalues_follow_the_law_and_its_edges(rng):
    n, d = 2000, 500
    eig = np.sort(rmt.wishart_eigenvalues(n, d, rng))
    a, b = rmt.mp_edges(d / n)
    assert rmt.ks_distance(eig, rmt.mp_cdf(eig, d / n)) < 0.02
    assert abs(eig[0] - a) < 0.03 and abs(eig[-1] - b) < 0.05
    with pytest.raises(ValueError, match="d <= n"):
        rmt.wishart_eigenvalues(3, 4, rng)


def test_ks_distance_matches_scipy(rng):
    x = np.sort(rng.standard_normal(300))
    from scipy.stats import norm

    assert rmt.ks_distance(x, norm.cdf(x)) == pytest.approx(kstest(x, "norm").statistic)
    with pytest.raises(ValueError, match="1-D"):
        rmt.ks_distance(x, norm.cdf(x)[:-1])


def test_bad_aspect_ratios_raise():
    for gamma in (0.0, -1.0, 1.5):
        with pytest.raises(ValueError, match="gamma"):
            rmt.mp_edges(gamma)


def test_orthogonal_layers_are_isometric_and_gaussian_ones_spread(rng):
    s_orth = rmt.deep_linear_jacobian_singular_values(64, 30, "orthogonal", rng)
    np.testing.assert_allclose(s_orth, 1.0, atol=1e-10)
    spread = [
        np.log(s).std()
        for s in (
            rmt.deep_linear_jacobian_singular_values(64, L, "gaussian", rng) for L in (1, 8, 32)
        )
    ]
    assert spread[0] < spread[1] < spread[2]
    with pytest.raises(ValueError, match="unknown init"):
        rmt.deep_linear_jacobian_singular_values(4, 2, "he", rng)
