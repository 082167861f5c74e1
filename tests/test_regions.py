from __future__ import annotations

from math import comb

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.nets import forward, init_params, numerical_kinks, to_torch
from dlbook.regions import (
    activation_patterns,
    breakpoints_1d,
    count_patterns,
    count_regions_1d,
    count_regions_2d,
    count_regions_lines_formula,
    layer_patterns,
    sawtooth_params,
    zaslavsky_bound,
)

FAST = settings(max_examples=15, deadline=None, database=None)


def brute_force_2d(A: np.ndarray, b: np.ndarray, half: float, n: int) -> int:
    xs = np.linspace(-half, half, n)
    grid = np.array(np.meshgrid(xs, xs)).reshape(2, -1).T  # (n*n, 2)
    return count_patterns(layer_patterns(A, b, grid))


def test_zaslavsky_bound_values() -> None:
    assert [zaslavsky_bound(M, 1) for M in range(5)] == [1, 2, 3, 4, 5]
    assert [zaslavsky_bound(M, 2) for M in range(5)] == [1, 2, 4, 7, 11]
    assert zaslavsky_bound(3, 3) == 8 == 2**3  # at most D hyperplanes: every orthant
    assert zaslavsky_bound(10, 3) == 1 + 10 + 45 + 120
    assert zaslavsky_bound(7, 20) == 2**7
    with pytest.raises(ValueError, match="M=-1"):
        zaslavsky_bound(-1, 2)


@FAST
@given(widths=st.lists(st.integers(1, 6), min_size=3, max_size=4), seed=st.integers(0, 10**6))
def test_patterns_match_torch_hidden_signs(widths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    params = init_params(widths, rng)
    X = rng.normal(size=(9, widths[0]))
    net, h, signs = to_torch(params), torch.tensor(X), []
    for layer in list(net)[:-1]:
        h = layer(h)
        if isinstance(layer, torch.nn.Linear):
            signs.append((h > 0).numpy())
    assert np.array_equal(activation_patterns(params, X), np.concatenate(signs, axis=1))


@FAST
@given(M=st.integers(1, 10), seed=st.integers(0, 10**6))
def test_shallow_1d_count_is_the_bound(M: int, seed: int) -> None:
    params = init_params([1, M, 1], np.random.default_rng(seed))
    kinks = -params[0][1] / params[0][0][:, 0]
    lo, hi = kinks.min() - 1, kinks.max() + 1
    assert np.allclose(breakpoints_1d(params, lo, hi), np.sort(kinks))
    assert count_regions_1d(params, lo, hi) == zaslavsky_bound(M, 1) == M + 1


@FAST
@given(widths=st.lists(st.integers(1, 5), min_size=3, max_size=5), seed=st.integers(0, 10**6))
def test_deep_1d_count_matches_a_fine_grid(widths: list[int], seed: int) -> None:
    widths = [1, *widths[1:]]
    params = init_params(widths, np.random.default_rng(seed))
    points = breakpoints_1d(params, -3, 3)
    grid = np.linspace(-3, 3, 200_001)
    patterns = activation_patterns(params, grid[:, None])
    changes = grid[1:][np.any(patterns[1:] != patterns[:-1], axis=1)]
    brute = 1 + len(changes)
    exact = count_regions_1d(params, -3, 3)
    assert exact >= brute  # a grid can only miss tiny regions
    if len(points) == 0 or np.diff(np.concatenate([[-3], points, [3]])).min() > 1e-3:
        assert exact == brute
        # every grid change lies within one grid step of an exact breakpoint
        assert all(np.abs(points - c).min() <= 6 / 200_000 for c in changes)


@FAST
@given(M=st.integers(0, 9), seed=st.integers(0, 10**6))
def test_2d_general_position_reaches_the_bound(M: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(M, 2)), rng.normal(size=M)
    assert count_regions_2d(A, b) == count_regions_lines_formula(A, b)
    assert count_regions_2d(A, b) == zaslavsky_bound(M, 2) == 1 + M + comb(M, 2)


def test_2d_exact_count_matches_brute_force_on_special_arrangements() -> None:
    cases = {  # lines through shared points and parallel lines: fewer regions than the bound
        "three through the origin": (np.array([[1, 0], [0, 1], [1, 1.0]]), np.zeros(3), 6),
        "two parallel and a cross": (
            np.array([[1, 0], [1, 0], [0, 1.0]]),
            np.array([0, -1, 0.0]),
            6,
        ),
        "a grid of four": (
            np.array([[1, 0], [1, 0], [0, 1], [0, 1.0]]),
            np.array([0, -1, 0, -1.0]),
            9,
        ),
        "general position": (np.array([[1, 0], [0, 1], [1, 1.0]]), np.array([0, 0, -1.0]), 7),
    }
    for name, (A, b, expected) in cases.items():
        assert count_regions_2d(A, b) == expected, name
        assert count_regions_lines_formula(A, b) == expected, name
        assert brute_force_2d(A, b, 4.0, 401) == expected, name


def test_grid_count_never_exceeds_the_exact_count(rng: np.random.Generator) -> None:
    A, b = rng.normal(size=(12, 2)), rng.normal(size=12)
    exact = count_regions_2d(A, b)
    coarse, fine = brute_force_2d(A, b, 30, 60), brute_force_2d(A, b, 30, 1200)
    assert coarse <= fine <= exact == zaslavsky_bound(12, 2)


@pytest.mark.parametrize("L", [1, 2, 3, 5, 7])
def test_sawtooth_has_2_to_the_L_pieces(L: int) -> None:
    params = sawtooth_params(L)
    assert count_regions_1d(params, 0.0, 1.0) == 2**L
    f = lambda x: forward(params, x[:, None])[:, 0]  # noqa: E731
    expected = np.arange(1, 2**L) / 2**L  # kinks at the multiples of 2^-L
    assert np.allclose(numerical_kinks(f, 0.0, 1.0, n=2**L * 40 + 3), expected, atol=1e-9)
    x = np.linspace(0, 1, 2**L + 1)
    assert np.allclose(f(x), np.arange(2**L + 1) % 2)  # 0, 1, 0, 1, ... at the knots


def test_bad_inputs_raise_naming_the_shapes(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match=r"A has shape \(3, 2\), b \(2,\)"):
        layer_patterns(np.ones((3, 2)), np.ones(2), np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"expected \(M, 2\) and \(M,\)"):
        count_regions_2d(np.ones((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"expected \(M, 2\) and \(M,\)"):
        count_regions_lines_formula(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="1-D input"):
        breakpoints_1d(init_params([2, 3, 1], rng), 0, 1)
    with pytest.raises(ValueError, match="no hidden units"):
        activation_patterns(init_params([2, 1], rng), np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"\(B, M\), got shape \(3,\)"):
        count_patterns(np.ones(3))
    with pytest.raises(ValueError, match="L >= 1"):
        sawtooth_params(0)


@pytest.mark.parametrize("M", [1, 5, 62, 63, 80])
def test_count_patterns_agrees_with_numpy_unique_rows(M: int, rng: np.random.Generator) -> None:
    patterns = rng.random((300, M)) < 0.5
    patterns[100:200] = patterns[:100]  # repeated rows count once
    patterns[:, 0] = False
    assert count_patterns(patterns) == len(np.unique(patterns, axis=0))
