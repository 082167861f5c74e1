"""Tests of chapter 12's checkers: the shared contract, and each expected value derived
from the library (not copied from the checker)."""

from __future__ import annotations

import math

import numpy as np

from dlbook.check.theory import (
    finite_class_epsilon,
    finite_class_sample_size,
    kurtosis_at_width,
    lazy_ratio,
    log_norm_variance,
    relu_kernel_orthogonal,
    steps_for_budget,
    transfer_octaves,
)
from dlbook.generalization import hoeffding_epsilon
from dlbook.kernels import nngp_ntk
from tests.test_check import checker_contract_tests, failed, passed

CASES = [  # (checker, a right answer, a wrong answer)
    (kurtosis_at_width, (0.3,), (3 / 50,)),
    (relu_kernel_orthogonal, (1 / math.pi,), (0.5,)),
    (lazy_ratio, (4.0,), (16.0,)),
    (log_norm_variance, (1.0,), (0.2,)),
    (finite_class_epsilon, (math.sqrt(math.log(2000 / 0.05) / 4000),), (0.0429,)),
    (finite_class_sample_size, (2120,), (1000,)),
    (steps_for_budget, (61.02,), (7.5e7 / 4801,)),
    (transfer_octaves, (-4.0,), (4.0,)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_agree_with_the_library(rng):
    K, _ = nngp_ntk(np.eye(2), np.eye(2), 1, "relu", sigma_w2=2.0)
    assert passed(relu_kernel_orthogonal(K[0, 1]))
    # the union bound is Hoeffding at delta / |H|
    assert passed(finite_class_epsilon(hoeffding_epsilon(2000, 0.05 / 1000)))
    m = math.ceil(math.log(2000 / 0.05) / (2 * 0.05**2))
    assert hoeffding_epsilon(m, 0.05 / 1000) <= 0.05 < hoeffding_epsilon(m - 1, 0.05 / 1000)
    assert passed(finite_class_sample_size(m)) and failed(finite_class_sample_size(m + 1))
    g = rng.standard_normal(2_000_000)
    r4 = np.maximum(g, 0) ** 4
    kappa_one = 3 * r4.mean() / 0.25 - 3  # E[v^4] = 3, E[relu(g)^2] = 1/2
    assert passed(kurtosis_at_width(round(kappa_one) / 50))
    rel_var = (np.maximum(g, 0) ** 2).var() / 0.25
    assert passed(log_norm_variance(round(rel_var) * 30 / 150))


def test_budget_and_transfer_answers_follow_from_the_library():
    from dlbook.nets import mlp_param_count
    from dlbook.scaling import compute_proxy

    N = mlp_param_count([8, 64, 64, 1])
    assert N == 4801
    S = 7.5e7 / (N * 256)
    assert compute_proxy(N, 256, S) == 7.5e7
    assert passed(steps_for_budget(S)) and failed(steps_for_budget(round(S) + 1))
    assert passed(transfer_octaves(np.log2(64 / 1024)))
