from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlbook.optim import (
    GD,
    Adam,
    Momentum,
    NormalizedGD,
    RMSProp,
    cosine_schedule,
    exponential_schedule,
    flat_loss,
    hvp,
    sharpness,
    step_schedule,
)

OURS_AND_TORCH: list[tuple[Callable, Callable]] = [
    (lambda: GD(0.05), lambda p: torch.optim.SGD(p, lr=0.05)),
    (lambda: Momentum(0.05, 0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    (
        lambda: Momentum(0.05, 0.8, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True),
    ),
    (lambda: RMSProp(0.003, 0.9), lambda p: torch.optim.RMSprop(p, lr=0.003, alpha=0.9)),
    (lambda: Adam(0.01, 0.8, 0.95), lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.95))),
]


def _net(seed: int, widths: tuple[int, int, int]) -> nn.Sequential:
    g = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.Linear(widths[0], widths[1]), nn.Tanh(), nn.Linear(widths[1], widths[2]))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    return net.double()


@pytest.mark.parametrize("pair", OURS_AND_TORCH, ids=["sgd", "momentum", "nesterov", "rms", "adam"])
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 1000), hidden=st.integers(2, 6))
def test_trajectory_equals_torch_optim_for_100_steps(pair: tuple, seed: int, hidden: int) -> None:
    make_ours, make_torch = pair
    g = torch.Generator().manual_seed(seed + 1)
    X = torch.randn(16, 3, generator=g, dtype=torch.float64)
    y = torch.randn(16, 2, generator=g, dtype=torch.float64)
    net = _net(seed, (3, hidden, 2))
    names = [n for n, _ in net.named_parameters()]
    params = [p.detach().clone() for p in net.parameters()]
    ours, theirs = make_ours(), make_torch(net.parameters())
    for _ in range(100):
        theirs.zero_grad()
        ((net(X) - y) ** 2).mean().backward()
        theirs.step()
        ps = [p.requires_grad_() for p in params]
        out = torch.func.functional_call(net, dict(zip(names, ps, strict=True)), (X,))
        grads = torch.autograd.grad(((out - y) ** 2).mean(), ps)
        params = [p.detach() for p in ours.step([p.detach() for p in ps], list(grads))]
    for mine, ref in zip(params, net.parameters(), strict=True):
        torch.testing.assert_close(mine, ref.detach(), rtol=1e-6, atol=1e-6)


def test_numpy_arrays_work_and_are_not_modified(rng: np.random.Generator) -> None:
    p, g = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    before = p.copy()
    (new,) = Adam(0.1).step([p], [g])
    np.testing.assert_array_equal(p, before)
    # Adam's first step is lr * sign(g) up to eps
    np.testing.assert_allclose(new, p - 0.1 * np.sign(g), atol=1e-6)


def test_ema_momentum_is_sum_momentum_with_scaled_lr(rng: np.random.Generator) -> None:
    ema, summed = Momentum(0.1, 0.9, convention="ema"), Momentum(0.01, 0.9)
    a = b = [rng.standard_normal(4)]
    for _ in range(20):
        g = [rng.standard_normal(4)]
        a, b = ema.step(a, g), summed.step(b, g)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 1000), lr=st.floats(1e-3, 1.0))
def test_normalized_gd_steps_have_length_lr(seed: int, lr: float) -> None:
    r = np.random.default_rng(seed)
    opt, params = NormalizedGD(lr), [r.standard_normal(3), r.standard_normal((2, 2))]
    for _ in range(5):
        grads = [r.standard_normal(3) * 100, r.standard_normal((2, 2))]
        new = opt.step(params, grads)
        length = math.sqrt(
            sum(float(((a - b) ** 2).sum()) for a, b in zip(new, params, strict=True))
        )
        assert abs(length - lr) < 1e-9 * max(1, lr)
        params = new


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: GD(0.0), "positive"),
        (lambda: Adam(-1.0), "got -1.0"),
        (lambda: Momentum(0.1, beta=1.0), "beta"),
        (lambda: Momentum(0.1, convention="x"), "convention"),
        (lambda: GD(0.1).step([np.ones(3)], [np.ones(4)]), "(3,) but its gradient (4,)"),
        (lambda: GD(0.1).step([np.ones(3)], []), "1 parameters but 0 gradients"),
        (lambda: hvp(lambda t: t.sum(), torch.ones(3), torch.ones(2)), "(3,) and v (2,)"),
    ],
)
def test_bad_input_raises_value_error(call: Callable, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_schedules() -> None:
    assert step_schedule(29, 1.0, 0.1, 30) == 1.0 and step_schedule(30, 1.0, 0.1, 30) == 0.1
    assert exponential_schedule(10, 2.0, 0.5) == pytest.approx(2.0 / 1024)
    assert cosine_schedule(0, 1.0, 100) == 1.0 and cosine_schedule(100, 1.0, 100) == 0.0
    assert cosine_schedule(50, 1.0, 100, 0.2) == pytest.approx(0.6)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 1000), n=st.integers(2, 6))
def test_hvp_and_sharpness_against_the_full_hessian(seed: int, n: int) -> None:
    g = torch.Generator().manual_seed(seed)
    A = torch.randn(n, n, generator=g, dtype=torch.float64)
    theta = torch.randn(n, generator=g, dtype=torch.float64)

    def loss(t: torch.Tensor) -> torch.Tensor:
        return (torch.tanh(A @ t) ** 2).sum() + 0.5 * (t**4).sum()

    H = torch.autograd.functional.hessian(loss, theta)
    v = torch.randn(n, generator=g, dtype=torch.float64)
    torch.testing.assert_close(hvp(loss, theta, v), H @ v)
    S = A.T @ A + torch.eye(n, dtype=torch.float64)  # SPD with a known top eigenvalue
    top = float(torch.linalg.eigvalsh(S)[-1])
    est = sharpness(lambda t: 0.5 * t @ S @ t, theta, g, iters=300)
    assert est == pytest.approx(top, rel=1e-3)


def test_flat_loss_evaluates_the_model_at_any_flat_theta() -> None:
    from dlbook.nets import cpu_generator, mlp

    net = mlp([3, 5, 2], generator=cpu_generator(0)).double()
    X = torch.randn(7, 3, generator=cpu_generator(1), dtype=torch.float64)
    Y = torch.randn(7, 2, generator=cpu_generator(2), dtype=torch.float64)
    loss, theta = flat_loss(net, X, Y, torch.nn.functional.mse_loss)
    assert theta.shape == (3 * 5 + 5 + 5 * 2 + 2,)
    torch.testing.assert_close(loss(theta), torch.nn.functional.mse_loss(net(X), Y))
    shifted = loss(theta + 0.1)  # a different theta, the model's own weights untouched
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.1)
    torch.testing.assert_close(shifted, torch.nn.functional.mse_loss(net(X), Y))
