"""Tests of dlbook.vae: the KL against torch.distributions, the reparameterisation and the
log-density against torch, ELBO <= IWAE_K increasing in K, both gradient estimators unbiased."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.distributions import Independent, Normal, kl_divergence

from dlbook import vae
from dlbook.nets import cpu_generator


def _normal(mu, logvar):
    return Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)


@settings(max_examples=15, deadline=None)
@given(B=st.integers(1, 6), J=st.integers(1, 5), seed=st.integers(0, 999))
def test_gaussian_kl_matches_torch_distributions(B, J, seed):
    g = cpu_generator(seed)
    mu_q, lv_q, mu_p, lv_p = (
        torch.randn((B, J), generator=g, dtype=torch.float64) for _ in range(4)
    )
    expected = kl_divergence(_normal(mu_q, lv_q), _normal(mu_p, lv_p))
    torch.testing.assert_close(vae.gaussian_kl(mu_q, lv_q, mu_p, lv_p), expected)
    prior = kl_divergence(_normal(mu_q, lv_q), _normal(0 * mu_q, 0 * lv_q))
    torch.testing.assert_close(vae.gaussian_kl(mu_q, lv_q), prior)


def test_gaussian_kl_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="one shape"):
        vae.gaussian_kl(torch.zeros(2, 3), torch.zeros(2, 4))


@settings(max_examples=10, deadline=None)
@given(B=st.integers(1, 6), J=st.integers(1, 5), seed=st.integers(0, 999))
def test_reparameterize_and_log_prob_match_torch(B, J, seed):
    g = cpu_generator(seed)
    mu, lv, eps = (torch.randn((B, J), generator=g, dtype=torch.float64) for _ in range(3))
    z = vae.reparameterize(mu, lv, eps)
    torch.testing.assert_close(z, mu + torch.exp(lv / 2) * eps)
    torch.testing.assert_close(vae.gaussian_log_prob(z, mu, lv), _normal(mu, lv).log_prob(z))
    with pytest.raises(ValueError, match="clash"):
        vae.reparameterize(mu, lv, torch.zeros(B, J + 1))


def test_reparameterized_samples_have_the_right_moments(generator):
    mu, lv = torch.tensor([[1.0, -2.0]], dtype=torch.float64), torch.tensor([[0.0, 1.0]])
    eps = torch.randn((200000, 1, 2), generator=generator, dtype=torch.float64)
    z = vae.reparameterize(mu, lv.double(), eps)[:, 0]
    torch.testing.assert_close(z.mean(0), mu[0], atol=0.02, rtol=0)
    torch.testing.assert_close(z.var(0), torch.exp(lv[0]).double(), atol=0.03, rtol=0)


def test_elbo_below_iwae_which_grows_with_K():
    g = cpu_generator(0)
    model = vae.VAE(3, 2, 16, g).double()
    x = torch.randn((50, 3), generator=g, dtype=torch.float64)
    with torch.no_grad():
        elbo = model.elbo(x, g, K=2000).mean().item()
        iwae = [model.iwae(x, K, g).mean().item() for K in (1, 10, 1000)]
        log_w = model.log_weights(x, 1000, g)
    assert iwae[0] == pytest.approx(elbo, abs=0.1)  # K = 1 is the ELBO (one sample)
    assert elbo < iwae[1] < iwae[2]
    assert log_w.mean(0).mean().item() == pytest.approx(elbo, abs=0.05)  # E log w = ELBO
    assert log_w.shape == (1000, 50) and model.sample(7, g).shape == (7, 3)


def test_train_vae_raises_the_elbo(rng):
    g = cpu_generator(0)
    model = vae.VAE(2, 1, 16, g)
    X = rng.standard_normal((400, 2)) @ np.array([[1.0, 0.9], [0.0, 0.3]])
    losses = vae.train_vae(model, X, 300, g, batch=64, progress=False)
    assert losses.shape == (300,) and losses[-30:].mean() < losses[:30].mean() - 0.3


def test_gradient_estimators_are_unbiased_and_reparam_has_lower_variance(generator):
    mu, sigma = 1.0, 0.5  # d/dmu E[z^2] = 2 mu
    eps = torch.randn(100000, generator=generator, dtype=torch.float64)
    r = vae.reparam_gradients(lambda z: z**2, mu, sigma, eps)
    s = vae.score_gradients(lambda z: z**2, mu, sigma, eps)
    assert r.mean().item() == pytest.approx(2 * mu, abs=0.02)
    assert s.mean().item() == pytest.approx(2 * mu, abs=0.1)
    torch.testing.assert_close(r, 2 * (mu + sigma * eps))
    assert s.var() > 10 * r.var()
    assert math.isclose(r.var().item(), 4 * sigma**2, rel_tol=0.05)
