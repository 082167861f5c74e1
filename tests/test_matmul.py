from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import matmul
from dlbook.matmul import benchmark_matmul, matmul_naive, time_call

FAST = settings(max_examples=30, deadline=None, database=None)


@FAST
@given(
    n=st.integers(1, 7), m=st.integers(1, 7), p=st.integers(1, 7), seed=st.integers(0, 2**32 - 1)
)
def test_matches_numpy_and_torch(n: int, m: int, p: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, m)), rng.normal(size=(m, p))
    C = matmul_naive(A.tolist(), B.tolist())
    assert isinstance(C, list) and all(isinstance(row, list) for row in C)
    assert np.shape(C) == (n, p)
    np.testing.assert_allclose(C, A @ B, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(C, (torch.from_numpy(A) @ torch.from_numpy(B)).numpy(), atol=1e-12)


def test_integer_products_are_exact() -> None:
    A = [[1, 2, 3], [4, 5, 6]]
    B = [[7, 8], [9, 10], [11, 12]]
    assert matmul_naive(A, B) == [[58.0, 64.0], [139.0, 154.0]]
    assert matmul_naive([[2.0]], [[3.0]]) == [[6.0]]


def test_inputs_are_not_modified() -> None:
    A, B = [[1.0, 2.0]], [[3.0], [4.0]]
    matmul_naive(A, B)
    assert A == [[1.0, 2.0]] and B == [[3.0], [4.0]]


@pytest.mark.parametrize(
    ("a_shape", "b_shape"), [((2, 3), (4, 2)), ((1, 1), (2, 1)), ((3, 2), (3, 2))]
)
def test_rejects_mismatched_shapes(a_shape: tuple[int, int], b_shape: tuple[int, int]) -> None:
    message = re.escape(f"cannot multiply a {a_shape} matrix by a {b_shape} matrix")
    with pytest.raises(ValueError, match=message):
        matmul_naive(np.ones(a_shape).tolist(), np.ones(b_shape).tolist())


class FakeClock:
    """perf_counter that only advances when the timed function runs."""

    def __init__(self, durations: list[float]) -> None:
        self.now, self.durations, self.calls = 0.0, list(durations), 0

    def __call__(self) -> float:
        return self.now

    def work(self) -> None:
        self.now += self.durations[self.calls]
        self.calls += 1


def test_time_call_is_the_median_after_a_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock([100.0, 5.0, 1.0, 2.0])
    monkeypatch.setattr(matmul.time, "perf_counter", clock)
    assert time_call(clock.work, repeat=3, min_time=0.0) == 2.0  # not the mean, 8/3
    assert clock.calls == 4  # the slow warm-up call is not timed


def test_time_call_loops_until_min_time(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock([9.0] + [1.0] * 20)
    monkeypatch.setattr(matmul.time, "perf_counter", clock)
    assert time_call(clock.work, repeat=2, min_time=3.5) == 1.0
    assert clock.calls == 1 + 2 * 4  # each timing runs until 4 s >= 3.5 s have passed


def test_time_call_real_clock() -> None:
    calls = []
    seconds = time_call(lambda: calls.append(1), repeat=2, min_time=0.001)
    assert 0 < seconds < 0.01
    assert len(calls) >= 3


def test_benchmark_matmul_shapes() -> None:
    result = benchmark_matmul([2, 3], np.random.default_rng(0), repeat=1)
    assert set(result) == {"n", "python", "numpy", "torch"}
    np.testing.assert_array_equal(result["n"], [2, 3])
    for key in ("python", "numpy", "torch"):
        assert result[key].shape == (2,)
        assert np.all(result[key] > 0) and np.all(np.isfinite(result[key]))


@pytest.mark.parametrize(("A", "B"), [([], [[1.0]]), ([[]], [[1.0]]), ([[1.0]], [])])
def test_matmul_naive_rejects_empty_matrices(A: list, B: list) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        matmul_naive(A, B)
