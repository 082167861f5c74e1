from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from dlbook.meanfield import (
    chi1,
    correlation_map,
    correlation_through_depth,
    fixed_point,
    sampled_correlation,
    variance_map,
)


def _gauss(f: object) -> float:
    """E f(u), u ~ N(0, 1), by adaptive quadrature (the reference)."""
    density = lambda u: f(u) * np.exp(-u * u / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    return integrate.quad(density, -12, 12, limit=200)[0]


@settings(max_examples=10, deadline=None)
@given(q=st.floats(0.01, 10.0), sw2=st.floats(0.1, 5.0), sb2=st.floats(0.0, 2.0))
def test_variance_map_matches_adaptive_quadrature(q: float, sw2: float, sb2: float) -> None:
    expected = sw2 * _gauss(lambda u: np.tanh(np.sqrt(q) * u) ** 2) + sb2
    assert np.isclose(variance_map(q, sw2, sb2), expected, rtol=1e-6)


@settings(max_examples=6, deadline=None)
@given(c=st.floats(-0.9, 0.95), q=st.floats(0.1, 4.0), seed=st.integers(0, 99))
def test_correlation_map_matches_monte_carlo(c: float, q: float, seed: int) -> None:
    sw2, sb2 = 2.0, 0.1
    x, y = np.random.default_rng(seed).standard_normal((2, 400_000))
    u1, u2 = np.sqrt(q) * x, np.sqrt(q) * (c * x + np.sqrt(1 - c * c) * y)
    q_next = variance_map(q, sw2, sb2)
    expected = (sw2 * np.mean(np.tanh(u1) * np.tanh(u2)) + sb2) / q_next
    got, q_got = correlation_map(c, q, sw2, sb2)
    assert np.isclose(q_got, q_next)
    assert abs(got - expected) < 0.01  # Monte Carlo error ~ 1/sqrt(4e5) times O(1)


def test_fixed_point_and_c_equals_one_is_fixed() -> None:
    sw2, sb2 = np.array([0.8, 1.5, 3.0]), np.array([0.05, 0.3, 0.5])
    q = fixed_point(sw2, sb2)
    assert np.allclose(variance_map(q, sw2, sb2), q, rtol=1e-10)
    c, _ = correlation_map(np.ones(3), q, sw2, sb2)
    assert np.allclose(c, 1.0, atol=1e-10)


@pytest.mark.parametrize(("sw2", "sb2"), [(0.8, 0.05), (1.6, 0.1), (3.0, 0.2)])
def test_chi1_is_the_slope_of_the_correlation_map_at_one(sw2: float, sb2: float) -> None:
    q = fixed_point(sw2, sb2)
    h = 1e-4
    slope = (1.0 - correlation_map(1.0 - h, q, sw2, sb2)[0]) / h  # one-sided difference
    assert np.isclose(chi1(sw2, sb2), slope, rtol=2e-3)


def test_phases_ordered_and_chaotic() -> None:
    cs = correlation_through_depth(0.5, 40, np.array([1.0, 3.0]), 0.05)
    assert cs.shape == (41, 2)
    assert chi1(1.0, 0.05) < 1 < chi1(3.0, 0.05)
    assert cs[-1, 0] > 0.999 and cs[-1, 1] < 0.4  # ordered: alike; chaotic: c* < 1
    # on the critical line of sigma_b^2 = 0: sigma_w^2 = 1 (tanh'(0) = 1)
    assert abs(chi1(1.0, 0.0) - 1) < 0.01 and chi1(0.9, 0.0) < 0.95


def test_sampled_wide_networks_follow_the_recursion() -> None:
    rng = np.random.default_rng(0)
    for sw2 in [1.0, 3.0]:
        theory = correlation_through_depth(0.5, 10, sw2, 0.05)
        runs = [sampled_correlation(0.5, 10, 400, sw2, 0.05, rng) for _ in range(8)]
        assert np.max(np.abs(np.mean(runs, axis=0) - theory)) < 0.06


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="sigma_w"):
        variance_map(1.0, 0.0, 0.1)
    with pytest.raises(ValueError, match="sigma_w"):
        chi1(1.0, -0.1)
    with pytest.raises(ValueError, match="c0"):
        correlation_through_depth(1.5, 3, 1.0, 0.1)
    with pytest.raises(ValueError, match="width"):
        sampled_correlation(0.5, 3, 1, 1.0, 0.1, np.random.default_rng(0))
