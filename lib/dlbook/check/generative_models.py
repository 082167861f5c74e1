"""Checkers for chapter 11's exercises (chapters/11_generative_models)."""

from __future__ import annotations

import numpy as np

from dlbook.check import Verdict, close, report, unanswered

LOG_W = np.array([-1.0, -2.0, -3.0])  # three importance log-weights of one x
BETAS = np.array([0.1, 0.2, 0.3])


def kl_prior(answer: object) -> Verdict:
    """Exercise 11.1: KL(N(1, 0.5^2) || N(0, 1)) = 1/2 (s + mu^2 - 1 - log s), s = 0.25.

    Shapes: scalar -> Verdict. Chapter 11.
    """
    return close(
        answer,
        0.5 * (0.25 + 1.0 - 1.0 - np.log(0.25)),
        "KL(N(1, 0.5²) ‖ N(0, 1))",
        rtol=1e-4,
        hint="use 1/2 (σ² + μ² − 1 − log σ²) with the variance σ², not the standard deviation",
    )


def iwae_bound(elbo: object, iwae: object) -> Verdict:
    """Exercise 11.2: from log w = LOG_W, the ELBO estimate mean log w and IWAE log mean w.

    Shapes: two scalars -> Verdict. Chapter 11.
    """
    name = "the ELBO and IWAE estimates from three log-weights"
    if (empty := unanswered(name, elbo, iwae)) is not None:
        return empty
    try:
        got = np.array([float(elbo), float(iwae)])  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return report(False, name, "give two numbers")
    want = np.array([LOG_W.mean(), np.log(np.exp(LOG_W).mean())])
    return report(
        bool(np.allclose(got, want, rtol=1e-4)),
        name,
        "the ELBO averages the log-weights; IWAE takes the log of the averaged weights",
    )


def optimal_discriminator(answer: object) -> Verdict:
    """Exercise 11.3: D*(x) = p_data / (p_data + p_g) with p_data(x) = 0.3, p_g(x) = 0.1.

    Shapes: scalar -> Verdict. Chapter 11.
    """
    return close(
        answer,
        0.75,
        "the optimal discriminator at x",
        rtol=1e-6,
        hint="D* is the share of the real density in the total density at x",
    )


def equilibrium_value(answer: object) -> Verdict:
    """Exercise 11.4: V(D*, G) = -log 4 + 2 JSD = -log 4 when p_g = p_data.

    Shapes: scalar -> Verdict. Chapter 11.
    """
    return close(
        answer,
        -np.log(4.0),
        "the value of the game at p_g = p_data",
        rtol=1e-4,
        hint="what is D* when both densities agree, and what is V for that D?",
    )


def alpha_bar(answer: object) -> Verdict:
    """Exercise 11.5: abar_3 = prod_{i<=3} (1 - beta_i) for beta = (0.1, 0.2, 0.3).

    Shapes: scalar -> Verdict. Chapter 11.
    """
    return close(
        answer,
        float(np.prod(1 - BETAS)),
        "ᾱ₃ for β = (0.1, 0.2, 0.3)",
        rtol=1e-6,
        hint="multiply the α_t = 1 − β_t, not the β_t",
    )


def noisy_sample(answer: object) -> Verdict:
    """Exercise 11.6: x_t = sqrt(abar) x_0 + sqrt(1 - abar) eps, x_0 = 2, abar = 0.64, eps = 0.5.

    Shapes: scalar -> Verdict. Chapter 11.
    """
    return close(
        answer,
        0.8 * 2.0 + 0.6 * 0.5,
        "x_t in closed form",
        rtol=1e-6,
        hint="the coefficients are square roots of ᾱ_t and 1 − ᾱ_t",
    )


def unet_bottleneck(channels: object, size: object) -> Verdict:
    """Exercise 11.7: TinyUNet(width=8, levels=3) on 32x32 images: bottleneck 64 channels, 4x4.

    Shapes: two scalars -> Verdict. Chapter 11.
    """
    name = "the bottleneck of a 3-level U-Net on 32×32 images"
    if (empty := unanswered(name, channels, size)) is not None:
        return empty
    try:
        got = (float(channels), float(size))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return report(False, name, "give two numbers: channels and side length")
    return report(
        got == (64.0, 4.0),
        name,
        "each level halves the side length and doubles the channels, starting from 8",
    )
