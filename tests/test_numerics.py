from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.numerics import (
    bce_with_logits,
    log_sigmoid,
    machine_epsilon,
    naive_bce,
    naive_sigmoid,
    naive_softplus,
    naive_variance,
    sigmoid,
    softplus,
    two_pass_variance,
)

EXTREME = np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1e-3, 2.0, 50.0, 800.0, 1e4])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_machine_epsilon_is_numpys(dtype: type) -> None:
    eps = machine_epsilon(dtype)
    assert eps == float(np.finfo(dtype).eps)
    one = dtype(1)
    assert one + dtype(eps) != one and one + dtype(eps) / dtype(2) == one


def test_machine_epsilon_values_and_bad_dtype() -> None:
    assert machine_epsilon(np.float16) == 2.0**-10
    assert machine_epsilon(np.float32) == 2.0**-23
    assert machine_epsilon() == 2.0**-52
    with pytest.raises(ValueError, match="floating"):
        machine_epsilon(np.int32)


def test_one_pass_variance_cancels_and_two_pass_does_not(rng: np.random.Generator) -> None:
    x = 1e8 + rng.standard_normal(1000)  # mean 1e8, variance about 1
    exact = float(torch.tensor(x).var(unbiased=False))
    assert abs(two_pass_variance(x) / exact - 1) < 1e-6
    assert abs(naive_variance(x) / exact - 1) > 0.1  # E[x^2] ~ 1e16 has no digits left
    small = rng.standard_normal(50)
    assert np.isclose(naive_variance(small), two_pass_variance(small), rtol=1e-10)


@settings(max_examples=10, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=0, max_size=3),
    scale=st.sampled_from([1.0, 30.0, 1e3, 1e4]),
    seed=st.integers(0, 999),
)
def test_stable_functions_match_torch(shape: list[int], scale: float, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(shape) * scale
    t = torch.tensor(x, dtype=torch.float64)
    assert np.allclose(sigmoid(x), torch.sigmoid(t).numpy(), rtol=1e-12, atol=1e-300)
    # softplus(x) = log(e^0 + e^x); F.softplus returns x itself past its threshold (20)
    assert np.allclose(softplus(x), torch.logaddexp(t, torch.zeros_like(t)).numpy(), rtol=1e-12)
    assert np.allclose(softplus(x), F.softplus(t).numpy(), rtol=1e-9)
    assert np.allclose(log_sigmoid(x), F.logsigmoid(t).numpy(), rtol=1e-12)
    assert np.shape(sigmoid(x)) == tuple(shape)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 30), scale=st.sampled_from([1.0, 100.0, 1e4]), seed=st.integers(0, 999))
def test_bce_with_logits_matches_torch(n: int, scale: float, seed: int) -> None:
    r = np.random.default_rng(seed)
    y, t = r.standard_normal(n) * scale, r.uniform(0, 1, n)
    ty, tt = torch.tensor(y), torch.tensor(t)
    for reduction in ["mean", "sum", "none"]:
        ours = bce_with_logits(y, t, reduction=reduction)
        theirs = F.binary_cross_entropy_with_logits(ty, tt, reduction=reduction).numpy()
        assert np.allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_stable_versions_stay_finite_where_naive_ones_fail() -> None:
    for f in (sigmoid, softplus, log_sigmoid):
        assert np.all(np.isfinite(f(EXTREME)))
    assert np.all(np.isfinite(bce_with_logits(EXTREME, np.ones_like(EXTREME), "none")))
    assert bce_with_logits(np.array([-1e4]), np.array([1.0])) == 1e4
    assert sigmoid(np.array([-1e4]))[0] == 0.0 and sigmoid(np.array([1e4]))[0] == 1.0
    assert np.isinf(naive_softplus(np.array([1e4]))[0])
    assert np.isinf(naive_bce(np.array([-1e4]), np.array([1.0]))[0])
    assert np.isnan(naive_bce(np.array([1e4]), np.array([1.0]))[0])  # 0 * log 0
    assert np.allclose(naive_sigmoid(EXTREME), sigmoid(EXTREME), atol=1e-300)
    # float32 keeps its type and stays finite too
    x32 = EXTREME.astype(np.float32)
    assert softplus(x32).dtype == np.float32 and np.all(np.isfinite(softplus(x32)))


def test_bce_rejects_bad_inputs() -> None:
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2,\)"):
        bce_with_logits(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        bce_with_logits(np.zeros(2), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="reduction"):
        bce_with_logits(np.zeros(2), np.zeros(2), reduction="max")
