"""Tests of dlbook.limits: KS and kurtosis against scipy, the log-log fitter on synthetic
power laws with known exponents, and the exact depth-to-width shortcut against explicit nets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dlbook.limits import (
    excess_kurtosis,
    fit_loglog,
    ks_to_normal,
    relu_log_norm_explicit,
    relu_log_norm_increments,
    standardised_sums,
)


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 300), st.integers(0, 10_000))
def test_ks_and_kurtosis_match_scipy(m, seed):
    x = np.random.default_rng(seed).standard_normal(m) ** 3
    assert ks_to_normal(x) == pytest.approx(stats.kstest(x, "norm").statistic, abs=1e-12)
    if m >= 4:
        assert excess_kurtosis(x) == pytest.approx(stats.kurtosis(x, fisher=True), rel=1e-9)


def test_standardised_sums_are_centred_and_skewed(rng):
    z = standardised_sums(4, 200_000, rng)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    assert stats.skew(z) == pytest.approx(2 / np.sqrt(4), abs=0.05)  # skew of Exp is 2


@settings(max_examples=10, deadline=None)
@given(st.floats(-2.0, 2.0), st.floats(0.1, 10.0), st.integers(0, 10_000))
def test_fit_loglog_recovers_known_exponents(slope, a, seed):
    rng = np.random.default_rng(seed)
    x = np.geomspace(1, 1000, 12)
    y = a * x**slope * np.exp(0.05 * rng.standard_normal(12))
    fit = fit_loglog(x, y)
    assert fit.ci[0] < fit.slope < fit.ci[1]
    assert abs(fit.slope - slope) < 0.05 and fit.ci[1] - fit.ci[0] < 0.1
    assert fit.log_a == pytest.approx(np.log(a), abs=0.3)


def test_fit_loglog_interval_covers_the_truth_about_95_percent(rng):
    x = np.geomspace(1, 100, 6)
    hits = [
        (f := fit_loglog(x, 2 * x**-0.5 * np.exp(0.2 * rng.standard_normal(6)))).ci[0]
        < -0.5
        < f.ci[1]
        for _ in range(2000)
    ]
    assert 0.93 < np.mean(hits) < 0.97
    exact = fit_loglog(x, 3 * x**1.5)
    assert exact.r2 == pytest.approx(1.0) and exact.slope == pytest.approx(1.5)


def test_log_norm_shortcut_matches_explicit_networks(rng):
    n, depth, draws = 16, 8, 4000
    explicit = relu_log_norm_explicit(n, depth, draws, rng)
    shortcut = np.cumsum(relu_log_norm_increments(n, depth, draws, rng), axis=1)
    se = explicit[:, -1].var() * np.sqrt(2 / draws)
    assert abs(explicit[:, -1].var() - shortcut[:, -1].var()) < 4 * se
    assert abs(explicit[:, -1].mean() - shortcut[:, -1].mean()) < 0.1
    # the per-layer variance times n tends to Hanin's constant 5 (relative variance of relu(g)^2)
    v = relu_log_norm_increments(512, 1, 200_000, rng).var()
    assert 512 * v == pytest.approx(5.0, rel=0.05)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="shape"):
        ks_to_normal(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"\(3,\), \(4,\)"):
        fit_loglog(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="positive"):
        fit_loglog(np.arange(3.0), np.ones(3))
    with pytest.raises(ValueError, match="n >= 1"):
        standardised_sums(0, 10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="depth"):
        relu_log_norm_increments(4, 0, 10, np.random.default_rng(0))
