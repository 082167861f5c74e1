from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.data import linearly_separable, noisy_xor, xor
from dlbook.perceptron import (
    PerceptronRun,
    best_line_accuracy,
    inseparability_certificate,
    novikoff_bound,
    train_perceptron,
)

FAST = settings(max_examples=25, deadline=None, database=None)


def reference_perceptron(
    X: np.ndarray, y: np.ndarray, epochs: int
) -> tuple[list[float], float, int, list[int], bool]:
    """Rosenblatt's rule written out with plain Python floats, one coordinate at a time."""
    D = len(X[0])
    w, b, updates, per_epoch = [0.0] * D, 0.0, 0, []
    for _ in range(epochs):
        errors = 0
        for x, label in zip(X.tolist(), y.tolist(), strict=True):
            activation = sum(w[d] * x[d] for d in range(D)) + b
            if label * activation <= 0:
                w = [w[d] + label * x[d] for d in range(D)]
                b += label
                errors += 1
                updates += 1
        per_epoch.append(errors)
        if errors == 0:
            return w, b, updates, per_epoch, True
    return w, b, updates, per_epoch, False


@FAST
@given(
    n=st.integers(1, 30),
    dim=st.integers(1, 4),
    epochs=st.integers(1, 15),
    separable=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_matches_a_reference_implementation(
    n: int, dim: int, epochs: int, separable: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    if separable:
        X, y, _ = linearly_separable(n, rng, dim=dim, margin=0.05)
    else:
        # integer features: sums are exact, so ties (activation exactly 0) agree too
        X = rng.integers(-3, 4, size=(n, dim)).astype(float)
        y = rng.choice([-1, 1], size=n)
    run = train_perceptron(X, y, epochs=epochs)
    w, b, updates, per_epoch, converged = reference_perceptron(X, y, epochs)
    np.testing.assert_allclose(run.w, w, rtol=1e-12, atol=1e-12)
    assert run.b == pytest.approx(b)
    assert isinstance(run.b, float)
    assert run.mistakes == updates == sum(run.errors_per_epoch)
    assert run.errors_per_epoch == per_epoch
    assert run.converged is converged
    np.testing.assert_allclose(run.score(X), X @ np.asarray(w) + b, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("dim", [2, 5])
def test_converges_within_the_novikoff_bound(seed: int, dim: int) -> None:
    X, y, w_star = linearly_separable(60, np.random.default_rng(seed), dim=dim, margin=0.1)
    bound = novikoff_bound(X, y, w_star)
    run = train_perceptron(X, y, epochs=int(bound) + 2)
    assert run.converged
    assert run.errors_per_epoch[-1] == 0
    assert all(e > 0 for e in run.errors_per_epoch[:-1])
    assert 0 < run.mistakes <= bound
    assert np.all(y * run.score(X) > 0)


def test_novikoff_bound_value() -> None:
    # two points (+-1, 0), x~ = (+-1, 0, 1): R = sqrt(2); u = (1, 0, 0) gives gamma = 1
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, -1])
    assert novikoff_bound(X, y, np.array([3.0, 0.0])) == pytest.approx(2.0)
    # with a bias, u = (1, 0, 1)/sqrt(2): margins 2/sqrt(2) and 0 -> not separating
    with pytest.raises(ValueError, match="does not separate"):
        novikoff_bound(X, y, np.array([1.0, 0.0]), b_star=1.0)
    # u = (2, 0, 1)/sqrt(5): gamma = 1/sqrt(5), R^2 = 2 -> bound 10
    assert novikoff_bound(X, y, np.array([2.0, 0.0]), b_star=1.0) == pytest.approx(10.0)


def test_novikoff_bound_rejects_bad_inputs() -> None:
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, -1])
    with pytest.raises(ValueError, match=re.escape("w_star has shape (3,); expected (2,)")):
        novikoff_bound(X, y, np.ones(3))
    with pytest.raises(ValueError, match="does not separate"):
        novikoff_bound(X, y, np.array([-1.0, 0.0]))


@pytest.mark.parametrize("epochs", [1, 10, 50])
def test_never_converges_on_xor(epochs: int) -> None:
    X, y = xor()
    run = train_perceptron(X, y, epochs=epochs)
    assert not run.converged
    assert len(run.errors_per_epoch) == epochs
    assert all(e > 0 for e in run.errors_per_epoch)
    assert np.any(y * run.score(X) <= 0)


def test_never_converges_on_noisy_xor(rng: np.random.Generator) -> None:
    X, y = noisy_xor(40, rng)
    run = train_perceptron(X, y, epochs=30)
    assert not run.converged
    assert min(run.errors_per_epoch) > 0


def test_snapshots_record_every_update() -> None:
    X, y = xor()
    run = train_perceptron(X, y, epochs=5, snapshot_every=1)
    assert len(run.snapshots) == run.mistakes + 1
    assert [step for step, _, _ in run.snapshots] == list(range(run.mistakes + 1))
    step0, w0, b0 = run.snapshots[0]
    assert step0 == 0 and b0 == 0.0
    np.testing.assert_array_equal(w0, np.zeros(2))
    _, w_last, b_last = run.snapshots[-1]
    np.testing.assert_array_equal(w_last, run.w)
    assert b_last == run.b
    # consecutive snapshots differ by one update (y_i x_i, y_i): they are copies, not aliases
    steps = {(tuple(yi * xi), yi) for xi, yi in zip(X, y, strict=True)}
    for (_, w_a, b_a), (_, w_b, b_b) in zip(run.snapshots, run.snapshots[1:], strict=False):
        assert (tuple(w_b - w_a), b_b - b_a) in steps


def test_snapshot_every_k_updates() -> None:
    X, y = xor()
    run = train_perceptron(X, y, epochs=10, snapshot_every=3)
    assert [s for s, _, _ in run.snapshots] == list(range(0, run.mistakes + 1, 3))
    plain = train_perceptron(X, y, epochs=10)
    assert [s for s, _, _ in plain.snapshots] == [0]


def test_run_score_shape() -> None:
    run = PerceptronRun(w=np.array([1.0, -2.0]), b=0.5, mistakes=0)
    np.testing.assert_allclose(run.score([[1.0, 1.0], [0.0, 0.0]]), [-0.5, 0.5])
    assert run.errors_per_epoch == [] and run.snapshots == [] and run.converged is False


@pytest.mark.parametrize(
    ("X", "y", "shapes"),
    [
        (np.zeros((4, 2)), np.ones(3), "X: (4, 2) and y: (3,)"),
        (np.zeros(4), np.ones(4), "X: (4,) and y: (4,)"),
        (np.zeros((4, 2)), np.ones((4, 1)), "X: (4, 2) and y: (4, 1)"),
    ],
)
def test_rejects_mismatched_shapes(X: np.ndarray, y: np.ndarray, shapes: str) -> None:
    with pytest.raises(ValueError, match=re.escape(shapes)):
        train_perceptron(X, y)
    with pytest.raises(ValueError, match=re.escape(shapes)):
        inseparability_certificate(X, y, np.ones(len(y)))


def test_rejects_labels_other_than_plus_minus_one() -> None:
    X, y01 = xor(signed=False)
    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        train_perceptron(X, y01)


def test_certificate_for_xor() -> None:
    X, y = xor()
    assert inseparability_certificate(X, y, np.ones(4)) is True
    assert inseparability_certificate(X, y, 2.5 * np.ones(4)) is True
    assert inseparability_certificate(X, y, -np.ones(4)) is False  # negative lambda
    assert inseparability_certificate(X, y, np.zeros(4)) is False  # all zero
    assert inseparability_certificate(X, y, np.array([1.0, 1.0, 1.0, 0.0])) is False
    with pytest.raises(ValueError, match=re.escape("lam has shape (3,); expected (4,)")):
        inseparability_certificate(X, y, np.ones(3))


def test_certificate_needs_every_weight_non_negative() -> None:
    # separable 1-D data; lam = (1, 2, -1) has a positive sum and sum_i lam_i y_i (x_i, 1) = 0
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([-1, 1, 1])
    lam = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose((lam * y) @ np.column_stack([X, np.ones(3)]), 0.0)
    assert inseparability_certificate(X, y, lam) is False


@pytest.mark.parametrize("seed", range(5))
def test_no_certificate_for_separable_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, y, _ = linearly_separable(12, rng, dim=2)
    for _ in range(20):
        lam = rng.exponential(size=12) * (rng.random(12) < 0.7)
        assert inseparability_certificate(X, y, lam) is False
    # negative weights never certify
    assert inseparability_certificate(X, y, -np.ones(12)) is False


@settings(max_examples=12)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 8))
def test_best_line_accuracy_equals_brute_force_over_all_labelings(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = rng.choice([-1, 1], n)
    # exact enumeration: every combinatorially distinct line is found next to a direction
    # in which two points project equally; try those directions turned by +-1e-6 and
    # every threshold between consecutive projections, in both orientations
    best = max(np.mean(y == 1), np.mean(y == -1))
    for i in range(n):
        for j in range(i + 1, n):
            base = np.arctan2(X[j, 1] - X[i, 1], X[j, 0] - X[i, 0]) + np.pi / 2
            for theta in (base - 1e-6, base + 1e-6):
                s = np.sort(X @ np.array([np.cos(theta), np.sin(theta)]))
                for t in np.concatenate([[s[0] - 1], (s[1:] + s[:-1]) / 2, [s[-1] + 1]]):
                    proj = X @ np.array([np.cos(theta), np.sin(theta)])
                    for flip in (1, -1):
                        best = max(best, np.mean(flip * np.sign(proj - t) == y))
    assert best_line_accuracy(X, y, angles=6000) == pytest.approx(best)


def test_best_line_accuracy_is_one_on_separable_data_and_three_quarters_on_xor() -> None:
    rng = np.random.default_rng(0)
    X, y, _ = linearly_separable(50, rng, margin=0.1, dim=2)
    assert best_line_accuracy(X, y) == 1.0
    assert best_line_accuracy(*xor()) == 0.75


def test_best_line_accuracy_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="2 columns"):
        best_line_accuracy(np.zeros((4, 3)), np.ones(4))
    with pytest.raises(ValueError, match="angles must be >= 1"):
        best_line_accuracy(np.zeros((4, 2)), np.ones(4), angles=0)
