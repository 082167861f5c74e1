from __future__ import annotations

import math

import numpy as np
import pytest

from dlbook import generalization
from dlbook.generalization import (
    NoisyThreshold,
    empirical_risk,
    fixed_hypothesis_gaps,
    hoeffding_epsilon,
    hoeffding_sample_size,
    least_squares_excess_risks,
    loglog_slope,
    ols_expected_excess_risk,
)


@pytest.mark.parametrize("t", [0.0, 0.3, 0.5, 0.9])
def test_threshold_risk_matches_a_large_sample(t: float, rng: np.random.Generator) -> None:
    task = NoisyThreshold(boundary=0.4, eta=0.15)
    x, y = task.sample(400_000, rng)
    assert y.dtype == bool and x.min() >= 0.0 and x.max() <= 1.0
    # 400k samples: standard error below 0.001
    assert empirical_risk(t, x, y) == pytest.approx(task.risk(t), abs=0.004)


def test_empirical_risk_is_the_mean_zero_one_loss() -> None:
    x = np.array([[0.1, 0.6, 0.8, 0.3]])
    y = np.array([[False, True, False, True]])  # h_0.5 = (0, 1, 1, 0): two mistakes
    np.testing.assert_allclose(empirical_risk(0.5, x, y), [0.5])
    with pytest.raises(ValueError, match=r"x of shape \(1, 4\) and y of shape \(4,\)"):
        empirical_risk(0.5, x, y[0])
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        NoisyThreshold().risk(1.5)


def test_gaps_are_centred_and_shrink_like_one_over_root_m(rng: np.random.Generator) -> None:
    task, t = NoisyThreshold(), 0.7
    ms = [30, 300, 3000]
    gaps = fixed_hypothesis_gaps(task, t, ms, draws=1500, rng=rng)
    assert gaps.shape == (3, 1500)
    R = task.risk(t)
    # each row: mean ~ 0 and standard deviation ~ sqrt(R(1-R)/m) (a binomial mean)
    sd = np.sqrt(R * (1 - R) / np.array(ms))
    np.testing.assert_allclose(gaps.std(axis=1), sd, rtol=0.08)
    assert np.all(np.abs(gaps.mean(axis=1)) < 4 * sd / np.sqrt(1500))
    assert loglog_slope(ms, np.abs(gaps).mean(axis=1)) == pytest.approx(-0.5, abs=0.05)


def test_gaps_do_not_depend_on_the_chunk_size(
    rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = NoisyThreshold()
    whole = fixed_hypothesis_gaps(task, 0.6, [50], 40, np.random.default_rng(3))
    monkeypatch.setattr(generalization, "CHUNK", 120)  # 2 data sets of 50 per chunk
    chunked = fixed_hypothesis_gaps(task, 0.6, [50], 40, np.random.default_rng(3))
    assert chunked.shape == whole.shape == (1, 40)
    # different draws (chunks consume the generator differently), the same law
    assert abs(chunked.std() - whole.std()) < 0.5 * whole.std()


def test_hoeffding_epsilon_and_sample_size_are_inverse() -> None:
    eps = hoeffding_epsilon(1000, 0.05)
    assert eps == pytest.approx(math.sqrt(math.log(40) / 2000))
    m = hoeffding_sample_size(0.05, 0.01)
    assert m == math.ceil(math.log(200) / (2 * 0.05**2)) == 1060
    assert hoeffding_epsilon(m, 0.01) <= 0.05 < hoeffding_epsilon(m - 1, 0.01)
    eps_1 = math.sqrt(math.log(4) / 2)  # m = 1, delta = 0.5; m = 4 halves it
    np.testing.assert_allclose(hoeffding_epsilon(np.array([1, 4]), 0.5), [eps_1, eps_1 / 2])
    for bad in (lambda: hoeffding_epsilon(10, 1.0), lambda: hoeffding_sample_size(0.0, 0.1)):
        with pytest.raises(ValueError):
            bad()


def test_hoeffding_bounds_the_gap_quantile(rng: np.random.Generator) -> None:
    ms = [20, 200, 2000]
    gaps = fixed_hypothesis_gaps(NoisyThreshold(), 0.2, ms, draws=2000, rng=rng)
    quantile = np.quantile(np.abs(gaps), 0.95, axis=1)
    assert np.all(quantile <= hoeffding_epsilon(np.array(ms), 0.05))


def test_least_squares_excess_risk_matches_the_exact_mean(rng: np.random.Generator) -> None:
    theta_star, sigma = np.array([1.0, -2.0, 0.5]), 0.8
    ms = [10, 40, 160]
    risks = least_squares_excess_risks(ms, theta_star, sigma, draws=3000, rng=rng)
    assert risks.shape == (3, 3000) and np.all(risks > 0)
    exact = ols_expected_excess_risk(np.array(ms), d=3, sigma=sigma)
    np.testing.assert_allclose(risks.mean(axis=1), exact, rtol=0.08)
    assert ols_expected_excess_risk(10, 3, 0.8) == pytest.approx(0.64 * 3 / 6)


def test_least_squares_estimate_is_the_normal_equations_solution(
    rng: np.random.Generator,
) -> None:
    # with sigma = 0 the estimate is exact
    risks = least_squares_excess_risks([8], np.array([0.3, -1.0]), 0.0, 5, rng)
    np.testing.assert_allclose(risks, 0.0, atol=1e-25)
    with pytest.raises(ValueError, match="need every m > d"):
        least_squares_excess_risks([3], np.zeros(2), 1.0, 5, rng)
    with pytest.raises(ValueError, match="needs m > d"):
        ols_expected_excess_risk(4, 3, 1.0)


def test_loglog_slope_recovers_a_power() -> None:
    m = np.array([10.0, 100.0, 1000.0])
    assert loglog_slope(m, 3.0 * m**-0.5) == pytest.approx(-0.5)
    assert loglog_slope(m, 2.0 / m) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="positive"):
        loglog_slope(m, np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match=r"\(3,\), \(2,\)"):
        loglog_slope(m, np.ones(2))
