from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from dlbook.losses import (
    cross_entropy,
    gaussian_nll,
    log_softmax,
    logsumexp,
    mse,
    naive_logsumexp,
    naive_softmax,
    overflow_logit,
    softmax,
)

FAST = settings(max_examples=25, deadline=None, database=None)
TOL = {"rtol": 1e-10, "atol": 1e-10}


@st.composite
def logits_and_axis(draw: st.DrawFn, scale: float = 5.0) -> tuple[np.ndarray, int]:
    """Random float64 logits of 1-3 dimensions, and a class axis (negative or not)."""
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    seed = draw(st.integers(0, 2**31 - 1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return scale * np.random.default_rng(seed).standard_normal(shape), axis


def torch_of(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


@FAST
@given(logits_and_axis())
def test_softmax_family_matches_torch(case: tuple[np.ndarray, int]) -> None:
    y, axis = case
    t = torch_of(y)
    np.testing.assert_allclose(softmax(y, axis), F.softmax(t, dim=axis).numpy(), **TOL)
    np.testing.assert_allclose(log_softmax(y, axis), F.log_softmax(t, dim=axis).numpy(), **TOL)
    np.testing.assert_allclose(logsumexp(y, axis), torch.logsumexp(t, dim=axis).numpy(), **TOL)
    kept = logsumexp(y, axis, keepdims=True)
    np.testing.assert_allclose(kept, torch.logsumexp(t, dim=axis, keepdim=True).numpy(), **TOL)


@FAST
@given(logits_and_axis(), st.integers(0, 2**31 - 1), st.sampled_from(["mean", "sum", "none"]))
def test_cross_entropy_matches_torch(case: tuple[np.ndarray, int], seed: int, red: str) -> None:
    y, axis = case
    K = y.shape[axis]
    labels_shape = y.shape[: axis % y.ndim] + y.shape[axis % y.ndim + 1 :]
    labels = np.random.default_rng(seed).integers(0, K, size=labels_shape)
    # torch wants the classes on dim 1 of (N, K, ...), so move them there
    t = torch_of(np.moveaxis(y, axis, 0))[None]  # (1, K, ...)
    want = F.cross_entropy(t, torch.from_numpy(labels)[None], reduction=red).numpy()
    got = cross_entropy(y, labels, axis=axis, reduction=red)
    np.testing.assert_allclose(got, want.reshape(np.shape(got)), **TOL)


def test_cross_entropy_is_minus_log_z_of_the_label(rng: np.random.Generator) -> None:
    y = rng.standard_normal((7, 4))
    labels = rng.integers(0, 4, size=7)
    z = softmax(y)
    losses = cross_entropy(y, labels, reduction="none")
    np.testing.assert_allclose(losses, -np.log(z[np.arange(7), labels]), rtol=1e-12)
    np.testing.assert_allclose(losses, -(y[np.arange(7), labels] - logsumexp(y)), rtol=1e-12)
    assert cross_entropy(y, labels) == pytest.approx(losses.mean(), rel=1e-12)
    assert cross_entropy(y, labels, reduction="sum") == pytest.approx(losses.sum(), rel=1e-12)


@FAST
@given(logits_and_axis(scale=1e4))
def test_stable_versions_stay_finite_and_exact_up_to_1e4(case: tuple[np.ndarray, int]) -> None:
    y, axis = case
    t = torch_of(y)
    lse = logsumexp(y, axis)
    assert np.all(np.isfinite(lse)) and np.all(np.isfinite(log_softmax(y, axis)))
    np.testing.assert_allclose(lse, torch.logsumexp(t, dim=axis).numpy(), rtol=1e-14)
    np.testing.assert_allclose(
        log_softmax(y, axis), F.log_softmax(t, dim=axis).numpy(), rtol=1e-12, atol=1e-9
    )
    np.testing.assert_allclose(softmax(y, axis), F.softmax(t, dim=axis).numpy(), **TOL)
    np.testing.assert_allclose(softmax(y, axis).sum(axis=axis), 1.0, rtol=1e-14)


@pytest.mark.parametrize("s", [1e4, -1e4])
def test_extreme_logits_have_exact_known_values(s: float) -> None:
    # y = (s, s - 1, ..., s - 4): logsumexp = s + log sum_j e^-j exactly
    y = s - np.arange(5.0)
    exact = s + np.log(np.sum(np.exp(-np.arange(5.0))))
    assert logsumexp(y) == pytest.approx(exact, rel=1e-15)
    np.testing.assert_allclose(softmax(y), softmax(y - s), rtol=1e-13)
    labels = np.array(0)
    assert cross_entropy(y, labels) == pytest.approx(exact - s, rel=1e-12)


def test_naive_versions_agree_below_the_overflow_point_and_fail_above() -> None:
    for dtype in (np.float64, np.float32):
        limit = overflow_logit(dtype)
        below = np.array([limit - 1.0, 0.0], dtype=dtype)
        above = np.array([limit + 1.0, 0.0], dtype=dtype)
        np.testing.assert_allclose(naive_logsumexp(below), logsumexp(below), rtol=1e-6)
        np.testing.assert_allclose(naive_softmax(below), softmax(below), rtol=1e-6)
        assert np.isinf(naive_logsumexp(above)) and np.isfinite(logsumexp(above))
        assert np.all(np.isnan(naive_softmax(above))[:1])
        assert logsumexp(above).dtype == dtype  # float32 stays float32
    assert overflow_logit(np.float64) == pytest.approx(709.78, abs=0.01)
    assert overflow_logit(np.float32) == pytest.approx(88.72, abs=0.01)


def test_naive_logsumexp_underflows_to_minus_infinity() -> None:
    y = np.array([-800.0, -801.0])
    assert naive_logsumexp(y) == -np.inf
    assert logsumexp(y) == pytest.approx(-800.0 + np.log1p(np.exp(-1.0)), rel=1e-15)


def test_all_minus_infinity_and_integer_logits() -> None:
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf
    assert logsumexp(np.array([-np.inf, 0.0])) == 0.0
    np.testing.assert_allclose(softmax([1, 1]), [0.5, 0.5])
    assert softmax([1, 2]).dtype == np.float64


def test_softmax_properties(rng: np.random.Generator) -> None:
    y = 3 * rng.standard_normal((6, 5))
    z = softmax(y, axis=1)
    assert np.all((z >= 0) & (z <= 1))
    np.testing.assert_allclose(z.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(softmax(y + 123.4, axis=1), z, rtol=1e-12)
    shifts = rng.standard_normal((6, 1))  # a different constant per row
    np.testing.assert_allclose(softmax(y + shifts, axis=1), z, rtol=1e-12)


@FAST
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(0, 2**31 - 1))
def test_mse_matches_torch(shape: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shape), rng.standard_normal(shape)
    want = F.mse_loss(torch_of(a), torch_of(b)).item()
    assert mse(a, b) == pytest.approx(want, rel=1e-12)
    for axis in range(-len(shape), len(shape)):
        expected = torch.mean((torch_of(a) - torch_of(b)) ** 2, dim=axis).numpy()
        np.testing.assert_allclose(mse(a, b, axis=axis), expected, **TOL)


def test_gaussian_nll_matches_torch_and_is_scaled_squared_error(
    rng: np.random.Generator,
) -> None:
    y, y_hat, sigma = rng.standard_normal(20), rng.standard_normal(20), 0.7
    var = torch.full((20,), sigma**2, dtype=torch.float64)
    want = F.gaussian_nll_loss(torch_of(y_hat), torch_of(y), var, full=True, reduction="sum")
    assert gaussian_nll(y, y_hat, sigma) == pytest.approx(want.item(), rel=1e-12)
    sse = np.sum((y - y_hat) ** 2)
    constant = 20 * 0.5 * np.log(2 * np.pi * sigma**2)
    assert gaussian_nll(y, y_hat, sigma) == pytest.approx(constant + sse / (2 * sigma**2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cross_entropy(np.zeros((3, 4)), np.array([0, 1, 4])), "label 4 is out of range"),
        (lambda: cross_entropy(np.zeros((3, 4)), np.array([0, -1, 2])), "label -1 is out of"),
        (
            lambda: cross_entropy(np.zeros((3, 4)), np.array([0, 1])),
            r"logits of shape \(3, 4\) .* need labels of shape \(3,\), got labels of shape \(2,\)",
        ),
        (
            lambda: cross_entropy(np.zeros((3, 4)), np.zeros(3, int), axis=0),
            r"need labels of shape \(4,\)",
        ),
        (lambda: cross_entropy(np.zeros((3, 4)), np.zeros(3)), "integer class indices"),
        (lambda: cross_entropy(np.zeros((3, 4)), np.zeros(3, int), reduction="max"), "reduction"),
        (lambda: softmax(np.zeros((2, 3)), axis=2), r"axis 2 is out of range .* \(2, 3\)"),
        (lambda: logsumexp(np.zeros((2, 0))), r"logits of shape \(2, 0\) have no classes"),
        (lambda: log_softmax(np.float64(1.0)), "got a scalar"),
        (lambda: mse(np.zeros(3), np.zeros((3, 1))), r"\(3,\) and predictions of shape \(3, 1\)"),
        (lambda: mse(np.zeros(3), np.zeros(3), axis=1), r"axis 1 is out of range"),
        (lambda: gaussian_nll(np.zeros(2), np.zeros(3), 1.0), r"\(2,\) and predictions"),
        (lambda: gaussian_nll(np.zeros(2), np.zeros(2), 0.0), "sigma must be positive"),
    ],
)
def test_bad_input_raises_a_clear_value_error(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
