from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.basis import (
    KINDS,
    TranslatedBasis,
    features,
    fit_basis,
    least_squares,
    mse,
    simple_features,
)
from dlbook.nets import fit_mse

FAST = settings(max_examples=15, deadline=None, database=None)


@FAST
@given(M=st.integers(1, 9), B=st.integers(1, 20), seed=st.integers(0, 2**31 - 1))
def test_features_match_explicit_formulas(M: int, B: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    lo, hi = -2.0, 3.0
    x = rng.uniform(lo, hi, B)
    t = (x - lo) / 5.0
    assert np.allclose(features(x, "polynomial", M, lo, hi), np.vander(2 * t - 1, M, True))
    cols = [np.ones(B)]
    for k in range(1, M):
        f = 2 * np.pi * ((k + 1) // 2) * t
        cols.append(np.sin(f) if k % 2 else np.cos(f))
    assert np.allclose(features(x, "fourier", M, lo, hi), np.column_stack(cols))
    centres = torch.linspace(0, 1, M) if M > 1 else torch.tensor([0.5])
    ref = torch.exp(
        -(torch.cdist(torch.tensor(t)[:, None], centres.double()[:, None]) ** 2)
        / (2 * (1.0 / M) ** 2)
    )
    assert np.allclose(features(x, "rbf", M, lo, hi), ref.numpy())


def test_simple_families() -> None:
    x = np.array([0.0, 1.0, 2.0])
    assert np.allclose(simple_features(x, "linear"), [[1, 0], [1, 1], [1, 2]])
    assert np.allclose(simple_features(x, "quadratic")[:, 2], x**2)
    assert np.allclose(simple_features(x[:, None], "sine")[:, 2], np.sin(x))
    with pytest.raises(ValueError, match="unknown family 'cubic'"):
        simple_features(x, "cubic")


@FAST
@given(B=st.integers(5, 30), M=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_least_squares_matches_torch(B: int, M: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    Phi, y = rng.normal(size=(B, M)), rng.normal(size=B)
    ref = torch.linalg.lstsq(torch.tensor(Phi), torch.tensor(y)[:, None]).solution[:, 0]
    assert np.allclose(least_squares(Phi, y), ref.numpy(), atol=1e-9)
    lam = 0.7  # ridge: (Phi^T Phi + lam I)^-1 Phi^T y
    P = torch.tensor(Phi)
    ridge = torch.linalg.solve(P.T @ P + lam * torch.eye(M, dtype=P.dtype), P.T @ torch.tensor(y))
    assert np.allclose(least_squares(Phi, y, ridge=lam), ridge.numpy(), atol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
def test_fit_recovers_a_function_in_the_span(kind: str, rng: np.random.Generator) -> None:
    x = rng.uniform(0, 1, 40)
    theta = rng.normal(size=6)
    y = features(x, kind, 6) @ theta
    fit = fit_basis(x, y, kind, 6)
    assert np.allclose(fit.theta, theta, atol=1e-6)
    x_new = rng.uniform(0, 1, 10)
    assert mse(fit.predict(x_new), features(x_new, kind, 6) @ theta) < 1e-12


def test_bad_inputs_raise_naming_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(4,\) and y \(3,\)"):
        least_squares(np.ones((4, 2))[:, 0], np.ones(3))
    with pytest.raises(ValueError, match=r"Phi has shape \(4, 2\) and y \(3,\)"):
        least_squares(np.ones((4, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        features(np.ones((3, 2)), "rbf", 4)
    with pytest.raises(ValueError, match="unknown basis 'wavelet'"):
        features(np.ones(3), "wavelet", 4)
    with pytest.raises(ValueError, match=r"shape \(3,\) and predictions of shape \(2,\)"):
        mse(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="ridge"):
        least_squares(np.ones((3, 1)), np.ones(3), ridge=-1.0)


def test_translated_basis_forward_matches_the_fixed_rbf(rng: np.random.Generator) -> None:
    M = 5
    model = TranslatedBasis(torch.linspace(0, 1, M), width=1.0 / M)
    x = rng.uniform(0, 1, 12)
    got = model.basis(torch.tensor(x)[:, None]).detach().numpy()
    assert np.allclose(got, features(x, "rbf", M))
    with torch.no_grad():
        model.theta.copy_(torch.arange(M, dtype=torch.float64))
        model.theta0.fill_(0.5)
    assert np.allclose(
        model(torch.tensor(x)[:, None]).detach().numpy()[:, 0],
        0.5 + features(x, "rbf", M) @ np.arange(M),
    )
    with pytest.raises(ValueError, match=r"\(B, 1\), got \(12,\)"):
        model(torch.tensor(x))


def test_learnable_centres_move_to_a_bump(generator: torch.Generator) -> None:
    x = torch.linspace(0, 1, 80, dtype=torch.float64)[:, None]
    y = torch.exp(-((x - 0.73) ** 2) / (2 * 0.05**2))  # one bump at 0.73
    model = TranslatedBasis(torch.tensor([0.6]), width=0.1)
    losses = fit_mse(model, x, y, steps=400, lr=0.02)
    assert losses[-1] < 1e-3 * losses[0]
    assert abs(model.centres.item() - 0.73) < 0.01
