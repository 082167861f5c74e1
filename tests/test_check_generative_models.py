"""Tests of chapter 11's checkers: the shared contract and the expected values."""

from __future__ import annotations

import numpy as np
import torch
from torch.distributions import Normal, kl_divergence

from dlbook.check.generative_models import (
    BETAS,
    LOG_W,
    alpha_bar,
    equilibrium_value,
    iwae_bound,
    kl_prior,
    noisy_sample,
    optimal_discriminator,
    unet_bottleneck,
)
from dlbook.diffusion import alpha_bars
from dlbook.nets import cpu_generator
from dlbook.unet import TinyUNet
from tests.test_check import checker_contract_tests, failed, passed

KL = 0.5 * (0.25 - np.log(0.25))
ELBO, IWAE = -2.0, float(np.log(np.exp(LOG_W).mean()))
CASES = [  # (checker, a right answer, a wrong answer)
    (kl_prior, (KL,), (0.5 * (0.5 - np.log(0.5)),)),
    (iwae_bound, (ELBO, IWAE), (IWAE, ELBO)),
    (optimal_discriminator, (0.75,), (0.25,)),
    (equilibrium_value, (-np.log(4),), (-np.log(2),)),
    (alpha_bar, (0.504,), (0.006,)),
    (noisy_sample, (1.9,), (1.28 + 0.18,)),
    (unet_bottleneck, (64, 4), (32, 8)),
]


test_checker_contract = checker_contract_tests(CASES)


def test_expected_values_come_from_the_library():
    kl = kl_divergence(Normal(1.0, 0.5), Normal(0.0, 1.0)).item()
    assert passed(kl_prior(kl))
    assert passed(alpha_bar(alpha_bars(torch.tensor(BETAS))[-1].item()))
    assert IWAE > ELBO  # the IWAE bound is the tighter one
    net = TinyUNet(width=8, levels=3, generator=cpu_generator(0))
    net(torch.zeros(1, 1, 32, 32), torch.tensor([0]))
    skip, up = net.skip_shapes[0]  # the deepest skip meets the upsampled bottleneck
    assert passed(unet_bottleneck(up[1], up[2] // 2))


def test_non_numbers_get_a_hint():
    assert failed(iwae_bound("a", 1.0))
    assert failed(unet_bottleneck([1, 2], 4))
