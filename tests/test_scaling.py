from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.data import TeacherTask
from dlbook.nets import mlp, mlp_param_count
from dlbook.runtime import DivergenceError
from dlbook.scaling import (
    PowerLawFit,
    compute_proxy,
    count_flops,
    counted_flops,
    fit_power_law,
    train_student,
    training_flops,
    width_sweep,
)

FAST = settings(max_examples=25, deadline=None, database=None)
SIZES = np.geomspace(10.0, 1e5, 9)


def test_compute_proxy_is_n_b_s() -> None:
    assert compute_proxy(4801, 256, 1000) == 4801 * 256 * 1000
    assert isinstance(compute_proxy(2, 3, 4), float)
    assert compute_proxy(0.5, 2, 3) == 3.0


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((0, 1, 1), "n_params"),
        ((1, -2, 1), "batch"),
        ((1, 1, 0), "steps"),
        ((-1, 0, 0), "n_params"),
    ],
)
def test_compute_proxy_rejects_non_positive(args: tuple[float, float, float], name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be positive"):
        compute_proxy(*args)


def test_training_flops_is_six_n_d() -> None:
    assert training_flops(1e9, 2e10) == pytest.approx(6 * 1e9 * 2e10)
    assert training_flops(3, 5) == 90.0
    with pytest.raises(ValueError, match="n_params must be positive"):
        training_flops(0, 10)
    with pytest.raises(ValueError, match="must be positive"):
        training_flops(10, -1)


@settings(max_examples=15)
@given(
    widths=st.lists(st.integers(1, 40), min_size=2, max_size=5),
    batch=st.integers(1, 16),
)
def test_counted_flops_are_two_per_multiply_add(widths: list[int], batch: int) -> None:
    net = mlp(widths, generator=torch.Generator().manual_seed(0))
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:], strict=True))
    first = widths[0] * widths[1]
    fwd, total = counted_flops(net, torch.randn(batch, widths[0]))
    assert fwd == 2 * batch * weights  # one multiply-add per weight per example
    # backward: weight gradients (2 B per weight) + input gradients of all but the 1st layer
    assert total - fwd == 2 * batch * weights + 2 * batch * (weights - first)


def test_counted_flops_approach_six_n_d_for_wide_layers() -> None:
    net = mlp([4, 512, 512, 1], generator=torch.Generator().manual_seed(0))
    n = mlp_param_count([4, 512, 512, 1])
    fwd, total = counted_flops(net, torch.randn(8, 4))
    assert abs(fwd / (2 * n * 8) - 1) < 0.01 and abs(total / (6 * n * 8) - 1) < 0.01


def test_count_flops_counts_matrix_products_of_any_function() -> None:
    A, B = torch.randn(3, 4), torch.randn(4, 5)
    assert count_flops(lambda: A @ B) == 2 * 3 * 4 * 5
    assert count_flops(lambda: (A @ B, A @ B)) == 2 * 2 * 3 * 4 * 5
    assert count_flops(lambda: A + 1) == 0  # elementwise work is not counted
    with pytest.raises(TypeError, match="fn must be a function"):
        count_flops(3)  # type: ignore[arg-type]


def test_counted_flops_rejects_bad_input() -> None:
    net = mlp([2, 3, 1], generator=torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match=r"X must be a non-empty \(B, D\) tensor"):
        counted_flops(net, torch.zeros(3))
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        counted_flops(lambda x: x, torch.zeros(3, 2))  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "alpha"), [(3.0, 0.5), (0.2, 1.3), (40.0, 0.07)])
def test_fit_recovers_a_pure_power_law(a: float, alpha: float) -> None:
    fit = fit_power_law(SIZES, a * SIZES**-alpha)
    assert isinstance(fit, PowerLawFit)
    assert fit.a == pytest.approx(a, rel=1e-9)
    assert fit.alpha == pytest.approx(alpha, rel=1e-9)
    assert fit.c == 0.0
    assert fit.log_rms < 1e-10


@settings(max_examples=15, deadline=None, database=None)
@given(
    a=st.floats(0.1, 10.0),
    alpha=st.floats(0.1, 1.5),
    fraction=st.one_of(st.just(0.0), st.just(1e-6), st.floats(0.0, 0.9)),
    offsets=st.sampled_from([50, 400]),
)
def test_fit_recovers_a_power_law_with_offset(
    a: float, alpha: float, fraction: float, offsets: int
) -> None:
    # c is a fraction of the smallest loss, anywhere between grid points: the refining
    # grids must still find it closely.
    c = fraction / (1 - fraction) * a * SIZES[-1] ** -alpha
    L = a * SIZES**-alpha + c
    fit = fit_power_law(SIZES, L, offsets=offsets)
    # an offset far below the smallest loss barely changes L: judge it on L's scale
    assert fit.c == pytest.approx(c, rel=1e-4, abs=1e-6 * L.min())
    assert fit.a == pytest.approx(a, rel=1e-3)
    assert fit.alpha == pytest.approx(alpha, rel=1e-3)
    assert fit.log_rms < 1e-4
    np.testing.assert_allclose(fit(SIZES), L, rtol=1e-4)


def test_fit_reaches_an_offset_close_to_the_smallest_loss() -> None:
    # The power-law term at the largest N is 0.1% of c: a grid that stops at 0.999 min L
    # cannot reach c = 0.2 and fits a much smaller exponent.
    L = SIZES**-1.0 + 0.2
    fit = fit_power_law(np.asarray(SIZES, dtype=float), L)
    assert fit.alpha == pytest.approx(1.0, rel=0.02)
    assert fit.c == pytest.approx(0.2, rel=1e-3)


def test_fit_close_to_an_off_grid_offset() -> None:
    L = 2.0 * SIZES**-0.3 + 0.1
    fit = fit_power_law(SIZES, L)
    assert fit.alpha == pytest.approx(0.3, rel=0.01)
    assert fit.c == pytest.approx(0.1, rel=0.01)
    assert fit.log_rms < 1e-3
    np.testing.assert_allclose(fit(SIZES), L, rtol=2e-3)


def test_fit_on_flat_data_has_no_exponent() -> None:
    fit = fit_power_law(SIZES, np.full(len(SIZES), 0.7))
    assert abs(fit.alpha) < 1e-10
    assert fit.log_rms < 1e-12
    np.testing.assert_allclose(fit(SIZES), 0.7, rtol=1e-10)
    assert 0.0 <= fit.c < 0.7


def test_power_law_fit_evaluates_its_formula() -> None:
    fit = PowerLawFit(a=2.0, alpha=0.5, c=0.25, log_rms=0.0)
    np.testing.assert_allclose(fit(np.array([1.0, 4.0, 100.0])), [2.25, 1.25, 0.45])
    assert fit([16]).shape == (1,)


@pytest.mark.parametrize(
    ("N", "L"),
    [([1, 2, 3], [1, 2]), ([1, 2], [1, 2]), ([[1, 2, 3]], [[1, 2, 3]]), ([], [])],
)
def test_fit_rejects_bad_shapes(N: list, L: list) -> None:
    shapes = re.escape(f"got {np.shape(N)} and {np.shape(L)}")
    with pytest.raises(ValueError, match=f"at least 3 points, {shapes}"):
        fit_power_law(N, L)


@pytest.mark.parametrize(("N", "L"), [([1, 0, 3], [1, 2, 3]), ([1, 2, 3], [1, -2, 3])])
def test_fit_rejects_non_positive_values(N: list, L: list) -> None:
    with pytest.raises(ValueError, match="positive N and L"):
        fit_power_law(N, L)


@pytest.fixture
def task() -> TeacherTask:
    return TeacherTask.random(torch.Generator().manual_seed(0), dim=4, hidden=8)


def reference_student(
    width: int,
    task: TeacherTask,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    generator: torch.Generator,
    steps: int,
    batch: int,
    lr: float,
) -> float:
    """Adam with a hand-written cosine schedule lr_k = lr (1 + cos(pi k / S)) / 2."""
    model = mlp([task.dim, width, width, 1], "relu", generator=generator)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr * (1 + math.cos(math.pi * step / steps)) / 2
        X, y = task.sample(batch, generator)
        loss = ((model(X) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return ((model(X_test) - y_test) ** 2).mean().item()


def test_train_student_matches_adam_with_cosine_decay(task: TeacherTask) -> None:
    X_test, y_test = task.sample(256, torch.Generator().manual_seed(1))
    kwargs = {"steps": 20, "batch": 32, "lr": 1e-2}
    got = train_student(4, task, X_test, y_test, torch.Generator().manual_seed(2), **kwargs)
    want = reference_student(4, task, X_test, y_test, torch.Generator().manual_seed(2), **kwargs)
    assert isinstance(got, float) and math.isfinite(got)
    assert got == pytest.approx(want, rel=1e-4)


def test_train_student_is_deterministic_and_learns(task: TeacherTask) -> None:
    X_test, y_test = task.sample(256, torch.Generator().manual_seed(1))

    def run(seed: int, steps: int) -> float:
        return train_student(
            8,
            task,
            X_test,
            y_test,
            torch.Generator().manual_seed(seed),
            steps=steps,
            batch=64,
            lr=1e-2,
        )

    first = run(3, 60)
    assert first == run(3, 60)
    assert first != run(4, 60)
    untrained = run(3, 1)
    assert first < untrained


def test_train_student_raises_on_divergence(task: TeacherTask) -> None:
    X_test, y_test = task.sample(16, torch.Generator().manual_seed(1))
    with pytest.raises(DivergenceError, match="diverged"):
        train_student(
            8, task, X_test, y_test, torch.Generator().manual_seed(0), steps=20, batch=16, lr=1e6
        )


def test_width_sweep_tiny_run_is_deterministic(task: TeacherTask) -> None:
    def sweep(seed: int, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return width_sweep(
            [2, 4],
            task,
            torch.Generator().manual_seed(seed),
            n_test=256,
            progress=progress,
            steps=20,
            batch=32,
        )

    N, L = sweep(0)
    assert N.shape == L.shape == (2,)
    np.testing.assert_array_equal(N, [mlp_param_count([4, w, w, 1]) for w in (2, 4)])
    assert np.all(np.isfinite(L)) and np.all(L > 0)
    N2, L2 = sweep(0, progress=True)
    np.testing.assert_array_equal(N, N2)
    np.testing.assert_array_equal(L, L2)
    assert not np.array_equal(L, sweep(1)[1])


def test_width_sweep_restarts_keep_the_best_student(task: TeacherTask) -> None:
    g = torch.Generator().manual_seed(3)
    _, L = width_sweep([2, 3], task, g, n_test=128, restarts=3, steps=10, batch=16)
    g = torch.Generator().manual_seed(3)
    X_test, y_test = task.sample(128, g)
    by_hand = [
        min(train_student(w, task, X_test, y_test, g, steps=10, batch=16) for _ in range(3))
        for w in (2, 3)
    ]
    np.testing.assert_allclose(L, by_hand, rtol=0, atol=0)
    with pytest.raises(ValueError, match="restarts must be >= 1"):
        width_sweep([2], task, g, restarts=0)
