"""Tests of dlbook.diffusion: schedules against the product formula and their validation,
the closed form against the iterated chain, the loss, and DDPM sampling with the exact
noise predictor of Gaussian data."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import diffusion as dif
from dlbook.nets import cpu_generator


@settings(max_examples=10, deadline=None)
@given(T=st.integers(1, 60), seed=st.integers(0, 99))
def test_alpha_bars_are_the_product_formula(T, seed):
    betas = torch.as_tensor(np.random.default_rng(seed).uniform(1e-3, 0.5, T))
    abar = dif.alpha_bars(betas)
    expected = [np.prod([1 - betas[i].item() for i in range(t + 1)]) for t in range(T)]
    np.testing.assert_allclose(abar.numpy(), expected, rtol=1e-12)


def test_schedules_are_valid_and_decreasing():
    for betas in (dif.linear_betas(50), dif.cosine_betas(50)):
        abar = dif.alpha_bars(betas)
        assert ((betas > 0) & (betas < 1)).all() and (abar.diff() < 0).all()
    lin = dif.linear_betas(5, 0.1, 0.5)
    torch.testing.assert_close(lin, torch.tensor([0.1, 0.2, 0.3, 0.4, 0.5], dtype=torch.float64))


@pytest.mark.parametrize("bad", [[0.1, 0.0], [0.5, 1.0], [-0.1], [0.2, float("nan")], []])
def test_invalid_schedules_raise(bad):
    with pytest.raises(ValueError, match="beta|non-empty"):
        dif.alpha_bars(torch.tensor(bad, dtype=torch.float64))


def test_linear_betas_rejects_bad_endpoints():
    with pytest.raises(ValueError, match="beta_1"):
        dif.linear_betas(10, 0.0, 0.02)
    with pytest.raises(ValueError, match="T >= 1"):
        dif.cosine_betas(0)


def test_closed_form_matches_the_iterated_chain(generator):
    betas = dif.linear_betas(20, 0.01, 0.3)
    abar = dif.alpha_bars(betas)
    x0 = torch.tensor([[2.0, -1.0]], dtype=torch.float64).repeat(40000, 1)
    chain = dif.forward_chain(x0, betas, generator)  # (21, B, 2)
    for t in (1, 5, 20):
        mean, var = abar[t - 1].sqrt() * x0[0], 1 - abar[t - 1]
        torch.testing.assert_close(chain[t].mean(0), mean, atol=0.02, rtol=0)
        torch.testing.assert_close(chain[t].var(0), var.repeat(2), atol=0.02, rtol=0)
        eps = torch.randn(x0.shape, generator=generator, dtype=torch.float64)
        closed = dif.q_sample(x0, torch.full((len(x0),), t - 1), abar, eps)
        torch.testing.assert_close(closed.mean(0), chain[t].mean(0), atol=0.03, rtol=0)


def test_q_sample_formula_and_shape_check():
    abar = torch.tensor([0.64, 0.25], dtype=torch.float64)
    x0, eps = torch.tensor([[2.0], [2.0]]).double(), torch.tensor([[0.5], [0.5]]).double()
    got = dif.q_sample(x0, torch.tensor([0, 1]), abar, eps)
    torch.testing.assert_close(got, torch.tensor([[1.9], [1.0 + 0.5 * 0.75**0.5]]).double())
    with pytest.raises(ValueError, match="clash"):
        dif.q_sample(x0, torch.tensor([0]), abar, eps)


def test_time_embedding_is_sinusoidal():
    e = dif.time_embedding(torch.tensor([0, 9]), 4, 10)
    assert e.shape == (2, 4)
    torch.testing.assert_close(e[:, :2] ** 2 + e[:, 2:] ** 2, torch.ones(2, 2).double())
    with pytest.raises(ValueError, match="even"):
        dif.time_embedding(torch.tensor([0]), 3, 10)


def _oracle(m: float, s: float, abar: torch.Tensor):
    """E[eps | x_t] for data x_0 ~ N(m, s^2 I): exact optimal noise predictor."""

    def predict(x, t):
        a = abar[t][:, None]
        return (1 - a).sqrt() * (x - a.sqrt() * m) / (a * s**2 + 1 - a)

    return predict


def test_ddpm_with_the_exact_predictor_samples_the_data(generator):
    betas = dif.linear_betas(200, 1e-4, 0.1)
    m, s = 1.5, 0.3
    traj = dif.ddpm_sample(_oracle(m, s, dif.alpha_bars(betas)), betas, 20000, 2, generator)
    assert traj.shape == (201, 20000, 2)
    x0 = traj[-1]
    torch.testing.assert_close(x0.mean(0), torch.full((2,), m).double(), atol=0.02, rtol=0)
    torch.testing.assert_close(x0.std(0), torch.full((2,), s).double(), atol=0.02, rtol=0)


def test_loss_of_the_exact_predictor_is_lower_and_training_lowers_it(generator):
    betas = dif.linear_betas(50, 1e-3, 0.2)
    abar = dif.alpha_bars(betas)
    x0 = 1.5 + 0.3 * torch.randn((4000, 2), generator=generator, dtype=torch.float64)
    exact = dif.diffusion_loss(_oracle(1.5, 0.3, abar), x0, abar, generator)
    zero = dif.diffusion_loss(lambda x, t: torch.zeros_like(x), x0, abar, generator)
    assert exact < 0.8 * zero and zero.item() == pytest.approx(2.0, abs=0.1)
    model = dif.NoiseMLP(2, 50, cpu_generator(0), hidden=32)
    losses = dif.train_ddpm(model, x0.numpy(), betas, 200, generator, progress=False)
    assert losses[-20:].mean() < losses[:20].mean()
