"""Tests of dlbook.gan: losses against binary cross-entropy, D* and V = -log 4 + 2 JSD on a
grid, the non-saturating loss's larger gradient, and a short training run."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from torch.nn import functional as F

from dlbook import gan
from dlbook.nets import cpu_generator, mlp


@settings(max_examples=10, deadline=None)
@given(B=st.integers(1, 20), seed=st.integers(0, 99))
def test_losses_match_binary_cross_entropy(B, seed):
    g = cpu_generator(seed)
    real, fake = (4 * torch.randn(B, generator=g, dtype=torch.float64) for _ in range(2))
    bce = F.binary_cross_entropy_with_logits
    expected = bce(real, torch.ones(B, dtype=torch.float64)) + bce(
        fake, torch.zeros(B, dtype=torch.float64)
    )
    torch.testing.assert_close(gan.discriminator_loss(real, fake), expected)
    D = torch.sigmoid(fake)
    torch.testing.assert_close(gan.generator_loss_minimax(fake), torch.log(1 - D).mean())
    torch.testing.assert_close(gan.generator_loss_nonsaturating(fake), -torch.log(D).mean())


def test_nonsaturating_gradient_is_larger_when_d_is_confident():
    logits = torch.tensor([-6.0, -4.0], dtype=torch.float64, requires_grad=True)  # D ~ 0
    (g_mm,) = torch.autograd.grad(gan.generator_loss_minimax(logits), logits)
    (g_ns,) = torch.autograd.grad(gan.generator_loss_nonsaturating(logits), logits)
    assert (g_ns.abs() > 30 * g_mm.abs()).all()


@pytest.mark.parametrize(("m", "s"), [(0.0, 1.0), (1.5, 0.7), (-2.0, 2.0)])
def test_optimal_value_is_minus_log4_plus_2_jsd(m, s):
    x = np.linspace(-15, 15, 20001)
    p, q = norm.pdf(x), norm.pdf(x, m, s)
    D = gan.optimal_discriminator(p, q)
    value = gan.gan_value(D, p, q, x)
    assert value == pytest.approx(-np.log(4) + 2 * gan.jsd(p, q, x), abs=1e-6)
    for other in (np.full_like(x, 0.5), np.clip(D + 0.05, 0, 1)):  # D* is the maximiser
        assert gan.gan_value(other, p, q, x) < value + 1e-9
    assert gan.jsd(p, p, x) == pytest.approx(0.0, abs=1e-12)
    assert 0 <= gan.jsd(p, q, x) <= np.log(2) + 1e-9
    with pytest.raises(ValueError, match="shape"):
        gan.optimal_discriminator(p, q[:-1])


def test_jsd_of_disjoint_densities_is_log2():
    x = np.linspace(-10, 10, 40001)
    p, q = norm.pdf(x, -5, 0.3), norm.pdf(x, 5, 0.3)
    assert gan.jsd(p, q, x) == pytest.approx(np.log(2), abs=1e-6)


def test_train_gan_moves_samples_towards_the_data():
    g = cpu_generator(0)
    G, D = mlp([2, 32, 2], generator=g), mlp([2, 32, 1], generator=g)

    def data(n):
        return torch.randn((n, 2), generator=g) * 0.1 + torch.tensor([3.0, 0.0])

    with torch.no_grad():
        before = np.linalg.norm(
            G(torch.randn((500, 2), generator=g)).mean(0) - torch.tensor([3, 0])
        )
    losses, snaps = gan.train_gan(G, D, data, 300, g, batch=64, every=100, progress=False)
    assert losses.shape == (300, 2) and np.isfinite(losses).all()
    assert [s for s, _ in snaps] == [100, 200, 300]
    after = np.linalg.norm(snaps[-1][1].mean(0) - [3, 0])
    assert before > 2 and after < 0.5 * before


def test_r1_penalty_is_the_squared_input_gradient():
    g = cpu_generator(0)
    D = mlp([2, 8, 1], generator=g).double()
    x = torch.randn((5, 2), generator=g, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(D(x).sum(), x)
    jac = torch.func.vmap(torch.func.jacrev(lambda v: D(v[None])[0, 0]))(x.detach())
    torch.testing.assert_close(grad, jac)  # what train_gan penalises, per example


def test_train_gan_with_r1_runs_and_differs():
    losses = {}
    for r1 in (0.0, 1.0):
        g = cpu_generator(0)
        G, D = mlp([2, 16, 2], generator=g), mlp([2, 16, 1], generator=g)

        def data(n, g=g):
            return torch.randn((n, 2), generator=g)

        losses[r1] = gan.train_gan(G, D, data, 20, g, batch=32, r1=r1, progress=False)[0]
    assert losses[1.0][0, 0] > losses[0.0][0, 0]  # same first step, plus a penalty >= 0
    assert not np.allclose(losses[0.0][1:], losses[1.0][1:])
