"""Tests of dlbook.sde: simulators against their closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from dlbook import sde


def test_sgd_chain_reaches_its_stationary_variance_and_decorrelates_like_ar1(rng):
    h, eta, sigma = 2.0, 0.1, 1.0
    path = sde.sgd_chain(np.array([h]), eta, sigma, np.zeros(1), 3000, rng, chains=400)
    tail = path[500:, :, 0]  # after burn-in, (T, chains)
    expected = sde.sgd_stationary_variance(h, eta, sigma)
    assert tail.var() == pytest.approx(expected, rel=0.03)
    lags = np.arange(0, 20, 5)
    np.testing.assert_allclose(sde.autocorrelation(tail, lags), (1 - eta * h) ** lags, atol=0.02)


def test_the_ou_variance_is_the_small_step_limit_of_the_chain():
    gaps = [
        sde.sgd_stationary_variance(1.0, eta, 1.0) / sde.ou_stationary_variance(1.0, eta, 1.0) - 1
        for eta in (0.1, 0.05, 0.025)
    ]
    np.testing.assert_allclose(gaps[0] / gaps[1], 2.0, rtol=0.06)  # the gap is ~ eta h / 2
    assert gaps[2] == pytest.approx(0.025 / (2 - 0.025))


def test_euler_maruyama_reproduces_the_ou_stationary_variance(rng):
    h, eta, sigma = 1.0, 0.5, 1.0
    path = sde.euler_maruyama(lambda th: -h * th, np.sqrt(eta) * sigma, np.zeros((2000, 1)),
                              0.01, 800, rng)  # fmt: skip
    assert path[-1].var() == pytest.approx(sde.ou_stationary_variance(h, eta, sigma), rel=0.08)


def test_double_well_gradient_and_gibbs_cdf(rng):
    x = np.linspace(-2, 2, 9)
    eps = 1e-6
    numeric = (sde.double_well(x + eps) - sde.double_well(x - eps)) / (2 * eps)
    np.testing.assert_allclose(sde.double_well_grad(x), numeric, atol=1e-6)
    F = sde.gibbs_cdf(sde.double_well, 0.5)
    assert F(np.array([-3.0]))[0] == pytest.approx(0.0) and F(np.array([3.0]))[0] == pytest.approx(
        1.0
    )
    assert F(np.array([0.0]))[0] == pytest.approx(0.5, abs=1e-6)  # symmetric density
    Z = quad(lambda t: np.exp(-sde.double_well(np.array(t)) / 0.5), -3, 3)[0]
    left = quad(lambda t: np.exp(-sde.double_well(np.array(t)) / 0.5), -3, -1)[0] / Z
    assert F(np.array([-1.0]))[0] == pytest.approx(left, abs=1e-5)


def test_langevin_samples_the_gibbs_density(rng):
    from dlbook.rmt import ks_distance

    T = 0.5
    path = sde.langevin(sde.double_well_grad, T, rng.choice([-1.0, 1.0], (1000, 1)), 0.005,
                        2000, rng)  # fmt: skip
    samples = np.sort(path[-1, :, 0])
    assert ks_distance(samples, sde.gibbs_cdf(sde.double_well, T)(samples)) < 0.06


def test_escape_times_and_bad_arguments(rng):
    path = np.zeros((5, 2, 1))
    path[3:, 1, 0] = 1.0
    times = sde.escape_times(path, 0.1)
    assert np.isnan(times[0]) and times[1] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="eta"):
        sde.sgd_chain(np.array([1.0]), -0.1, 1.0, np.zeros(1), 3, rng)
    with pytest.raises(ValueError, match="eta h"):
        sde.sgd_stationary_variance(1.0, 2.5, 1.0)
    with pytest.raises(ValueError, match="temperature"):
        sde.langevin(sde.double_well_grad, 0.0, np.zeros((1, 1)), 0.1, 2, rng)
