from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.data import (
    TeacherTask,
    digits,
    linearly_separable,
    noisy_xor,
    sine_quadratic,
    xor,
)

FAST = settings(max_examples=25, deadline=None, database=None)


def test_xor_points_and_labels() -> None:
    X, y = xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert X.dtype == np.float64
    np.testing.assert_array_equal(y, [-1, 1, 1, -1])
    np.testing.assert_array_equal(y, np.where(X[:, 0] != X[:, 1], 1, -1))
    _, y01 = xor(signed=False)
    np.testing.assert_array_equal(y01, [0, 1, 1, 0])


@FAST
@given(n=st.integers(4, 60), seed=st.integers(0, 2**32 - 1))
def test_noisy_xor_shapes_and_labels(n: int, seed: int) -> None:
    X, y = noisy_xor(n, np.random.default_rng(seed), noise=0.0)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert set(np.unique(y)) <= {-1, 1}
    # without noise every point is a corner of [-1, 1]^2, labelled by XOR of the signs
    np.testing.assert_array_equal(np.abs(X), 1.0)
    np.testing.assert_array_equal(y, -np.sign(X[:, 0] * X[:, 1]))
    counts = np.bincount(np.arange(n) % 4)
    assert sorted(np.unique(X, axis=0, return_counts=True)[1]) == sorted(counts)


def test_noisy_xor_noise_and_determinism() -> None:
    X, y = noisy_xor(4000, np.random.default_rng(1), noise=0.15)
    corners = np.sign(X)
    np.testing.assert_allclose(np.std(X - corners, axis=0), 0.15, rtol=0.05)
    assert np.mean(y == -np.sign(X[:, 0] * X[:, 1])) > 0.99
    assert np.sum(y == 1) == np.sum(y == -1) == 2000
    X2, y2 = noisy_xor(4000, np.random.default_rng(1), noise=0.15)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.parametrize("n", [0, 3, -1])
def test_noisy_xor_rejects_small_n(rng: np.random.Generator, n: int) -> None:
    with pytest.raises(ValueError, match=f"n >= 4, got {n}"):
        noisy_xor(n, rng)


@FAST
@given(
    n=st.integers(1, 80),
    dim=st.integers(1, 6),
    margin=st.floats(0.0, 0.45),
    seed=st.integers(0, 2**32 - 1),
)
def test_linearly_separable_has_the_promised_margin(
    n: int, dim: int, margin: float, seed: int
) -> None:
    X, y, w_star = linearly_separable(n, np.random.default_rng(seed), dim=dim, margin=margin)
    assert X.shape == (n, dim) and y.shape == (n,) and w_star.shape == (dim,)
    assert np.linalg.norm(w_star) == pytest.approx(1.0)
    assert np.all(np.abs(X) <= 1.0)
    scores = X @ w_star
    assert np.all(np.abs(scores) >= margin)
    np.testing.assert_array_equal(y, np.where(scores > 0, 1, -1))
    assert np.all(y * scores >= margin)


def test_linearly_separable_is_deterministic() -> None:
    a = linearly_separable(30, np.random.default_rng(3), dim=3)
    b = linearly_separable(30, np.random.default_rng(3), dim=3)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("margin", [-0.1, 0.5, 0.7])
def test_linearly_separable_rejects_bad_margin(rng: np.random.Generator, margin: float) -> None:
    with pytest.raises(ValueError, match=re.escape(f"margin must be in [0, 0.5), got {margin}")):
        linearly_separable(10, rng, margin=margin)


def test_teacher_shapes_and_unit_variance(generator: torch.Generator) -> None:
    task = TeacherTask.random(generator, dim=5, hidden=16)
    assert task.dim == 5
    assert task.W0.shape == (16, 5) and task.W1.shape == (16, 16) and task.w2.shape == (16,)
    X, y = task.sample(20000, generator)
    assert X.shape == (20000, 5) and y.shape == (20000, 1)
    assert float(y.std()) == pytest.approx(1.0, rel=0.05)
    assert float(y.std()) > 0.5  # not a constant function


def test_teacher_target_matches_its_formula(generator: torch.Generator) -> None:
    task = TeacherTask.random(generator, dim=3, hidden=4)
    X = torch.randn(7, 3, generator=generator)
    expected = torch.stack(
        [task.w2 @ torch.tanh(task.W1 @ torch.tanh(task.W0 @ x)) / task.scale for x in X]
    )
    torch.testing.assert_close(task.target(X), expected[:, None], rtol=1e-5, atol=1e-6)
    X2, y2 = task.sample(9, generator)
    torch.testing.assert_close(y2, task.target(X2))


def test_teacher_is_deterministic_and_frozen() -> None:
    a = TeacherTask.random(torch.Generator().manual_seed(4))
    b = TeacherTask.random(torch.Generator().manual_seed(4))
    c = TeacherTask.random(torch.Generator().manual_seed(5))
    assert torch.equal(a.W0, b.W0) and torch.equal(a.W1, b.W1) and torch.equal(a.w2, b.w2)
    assert a.scale == b.scale
    assert not torch.equal(a.W0, c.W0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.scale = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("shape", [(4, 3), (4, 9), (8,), (2, 8, 1)])
def test_teacher_rejects_wrong_input_dimension(
    generator: torch.Generator, shape: tuple[int, ...]
) -> None:
    task = TeacherTask.random(generator, dim=8, hidden=4)
    message = re.escape(f"teacher expects inputs of shape (B, 8), got {shape}")
    with pytest.raises(ValueError, match=message):
        task.target(torch.zeros(shape))


def test_digits_split_shapes_and_stratification() -> None:
    X_train, X_test, y_train, y_test = digits()
    assert X_train.shape[1] == X_test.shape[1] == 64
    assert len(X_train) + len(X_test) == 1797
    assert len(X_train) == len(y_train) and len(X_test) == len(y_test)
    assert len(X_test) / 1797 == pytest.approx(0.3, abs=0.01)
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(10))
    train_share = np.bincount(y_train) / len(y_train)
    test_share = np.bincount(y_test) / len(y_test)
    np.testing.assert_allclose(train_share, test_share, atol=0.01)


def test_digits_standardised_with_training_statistics() -> None:
    X_train, X_test, _, _ = digits()
    raw_train, raw_test, _, _ = digits(standardize=False)
    varying = raw_train.std(axis=0) > 0
    assert 0 < np.sum(~varying) < 64  # a few border pixels are always blank
    np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(X_train[:, varying].std(axis=0), 1.0, rtol=1e-10)
    np.testing.assert_array_equal(X_train[:, ~varying], 0.0)
    mean, std = raw_train.mean(axis=0), np.where(varying, raw_train.std(axis=0), 1.0)
    np.testing.assert_allclose(X_test, (raw_test - mean) / std)
    assert np.all(np.isfinite(X_test))


def test_digits_raw_pixels_and_seeds() -> None:
    X_train, X_test, y_train, _ = digits(standardize=False, test_size=0.5, seed=1)
    assert X_train.dtype == np.float64
    assert X_train.min() == 0.0 and X_train.max() == 16.0
    np.testing.assert_array_equal(X_train, np.round(X_train))
    assert abs(len(X_train) - len(X_test)) <= 1
    again = digits(standardize=False, test_size=0.5, seed=1)
    np.testing.assert_array_equal(again[0], X_train)
    other = digits(standardize=False, test_size=0.5, seed=2)
    assert not np.array_equal(other[2], y_train)


def test_teacher_accepts_float64_inputs(generator: torch.Generator) -> None:
    task = TeacherTask.random(generator, dim=3, hidden=5)
    X = torch.randn(6, 3, generator=generator)
    assert torch.allclose(task.target(X.double()), task.target(X))


@FAST
@given(m=st.integers(1, 40), d=st.integers(2, 9), seed=st.integers(0, 2**32 - 1))
def test_sine_quadratic_is_its_formula(m: int, d: int, seed: int) -> None:
    X, y = sine_quadratic(m, np.random.default_rng(seed), d=d, noise=0.0)
    assert X.shape == (m, d) and y.shape == (m,)
    z = np.sqrt(d) * X
    np.testing.assert_allclose(y, np.sin(z[:, 0]) + z[:, 1] ** 2 / 2, rtol=1e-12)
    X2, y2 = sine_quadratic(m, np.random.default_rng(seed), d=d, noise=0.0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_sine_quadratic_moments() -> None:
    # z ~ N(0, I): E||x||^2 = 1, E y = E z_2^2 / 2 = 1/2, and the noise adds noise^2 to Var y
    X, y = sine_quadratic(200_000, np.random.default_rng(0), d=5, noise=0.0)
    _, y_noisy = sine_quadratic(200_000, np.random.default_rng(0), d=5, noise=0.3)
    assert abs(np.mean(np.sum(X**2, axis=1)) - 1) < 0.01
    assert abs(y.mean() - 0.5) < 0.01
    # Var(sin z) = (1 - e^-2) / 2, Var(z^2 / 2) = 1/2, independent
    assert abs(y.var() - ((1 - np.exp(-2)) / 2 + 0.5)) < 0.02
    assert abs(np.var(y_noisy - y) - 0.09) < 0.002


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"m": 0}, "m"),
        ({"m": 2.5}, "m"),
        ({"m": 3, "d": 1}, "d"),
        ({"m": 3, "noise": -1.0}, "noise"),
        ({"m": 3, "noise": float("nan")}, "noise"),
    ],
)
def test_sine_quadratic_rejects_bad_input(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        sine_quadratic(rng=np.random.default_rng(0), **kwargs)
