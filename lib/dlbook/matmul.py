"""Why vectorised hardware mattered: the same matrix product in pure Python, numpy and torch.

Chapter 1 measures the speed-up on the reader's own machine, as Raina, Madhavan and Ng
(2009) measured GPUs against CPUs for their day.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np
import torch


def matmul_naive(A: Sequence[Sequence[float]], B: Sequence[Sequence[float]]) -> list[list[float]]:
    """C_ij = sum_k A_ik B_kj with three Python loops, one multiply-add at a time.

    Shapes: A: (n, m), B: (m, p) -> C: (n, p) as nested lists. Chapter 1.
    """
    if len(A) == 0 or len(A[0]) == 0 or len(B) == 0 or len(B[0]) == 0:
        raise ValueError("matmul_naive needs non-empty matrices")
    n, m = len(A), len(A[0])
    if len(B) != m:
        raise ValueError(f"cannot multiply a ({n}, {m}) matrix by a ({len(B)}, {len(B[0])}) matrix")
    p = len(B[0])
    C = [[0.0] * p for _ in range(n)]
    for i in range(n):
        row, out = A[i], C[i]
        for k in range(m):
            a, b_row = row[k], B[k]
            for j in range(p):
                out[j] += a * b_row[j]
    return C


def time_call(fn: Callable[[], object], repeat: int = 5, min_time: float = 0.02) -> float:
    """Median seconds per call of fn(), each timing looping until at least `min_time` passed.

    Shapes: none. Chapter 1.
    """
    fn()  # warm-up (allocations, lazy initialisation)
    times = []
    for _ in range(repeat):
        calls, start = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        times.append(elapsed / calls)
    return statistics.median(times)


def benchmark_matmul(
    sizes: Sequence[int], rng: np.random.Generator, repeat: int = 3
) -> dict[str, np.ndarray]:
    """Seconds per n x n product for each n, in pure Python, numpy (BLAS) and torch.

    Shapes: sizes: (S,) -> {"n", "python", "numpy", "torch"}: each (S,). Chapter 1.
    """
    result: dict[str, list[float]] = {"n": [], "python": [], "numpy": [], "torch": []}
    for n in sizes:
        A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        A_list, B_list = A.tolist(), B.tolist()
        At, Bt = torch.from_numpy(A), torch.from_numpy(B)
        result["n"].append(n)
        result["python"].append(
            time_call(lambda a=A_list, b=B_list: matmul_naive(a, b), repeat, 0.0)
        )
        result["numpy"].append(time_call(lambda a=A, b=B: a @ b, repeat))
        result["torch"].append(time_call(lambda a=At, b=Bt: a @ b, repeat))
    return {key: np.asarray(values) for key, values in result.items()}
