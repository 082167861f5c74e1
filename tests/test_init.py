from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.init import (
    fan,
    he_normal,
    he_uniform,
    init_variance,
    propagate,
    relu_variance_recursion,
    signal_propagation,
    xavier_normal,
    xavier_uniform,
)

INITS = {
    "xavier_normal": (xavier_normal, "xavier", False),
    "xavier_uniform": (xavier_uniform, "xavier", True),
    "he_normal": (he_normal, "he", False),
    "he_uniform": (he_uniform, "he", True),
}


def _torch_init(name: str, fan_in: int, fan_out: int, generator: torch.Generator) -> np.ndarray:
    w = torch.empty(fan_out, fan_in, dtype=torch.float64)
    init = {
        "xavier_normal": lambda: torch.nn.init.xavier_normal_(w, generator=generator),
        "xavier_uniform": lambda: torch.nn.init.xavier_uniform_(w, generator=generator),
        "he_normal": lambda: torch.nn.init.kaiming_normal_(
            w, nonlinearity="relu", generator=generator
        ),
        "he_uniform": lambda: torch.nn.init.kaiming_uniform_(
            w, nonlinearity="relu", generator=generator
        ),
    }[name]
    return init().numpy()


@pytest.mark.parametrize("name", INITS)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "avg"])
def test_sample_variance_is_the_stated_one(name: str, mode: str, rng: np.random.Generator) -> None:
    make, scheme, uniform = INITS[name]
    fan_in, fan_out = 300, 500
    A = make(fan_in, fan_out, rng, mode=mode)
    assert A.shape == (fan_out, fan_in)
    var = init_variance(scheme, fan_in, fan_out, mode)
    # the sample variance of n = 150000 draws has relative standard error sqrt(2/n) < 0.4%
    assert abs(A.var() / var - 1) < 0.02
    assert abs(A.mean()) < 4 * np.sqrt(var / A.size)
    if uniform:  # U(-a, a) with a = sqrt(3 var): every draw inside, some close to the edge
        bound = np.sqrt(3 * var)
        assert np.abs(A).max() <= bound and np.abs(A).max() > 0.99 * bound


@pytest.mark.parametrize("name", INITS)
@settings(max_examples=4, deadline=None)
@given(fan_in=st.integers(50, 400), fan_out=st.integers(50, 400), seed=st.integers(0, 99))
def test_matches_torch_nn_init_in_distribution(
    name: str, fan_in: int, fan_out: int, seed: int
) -> None:
    make, scheme, uniform = INITS[name]
    mode = "avg" if scheme == "xavier" else "fan_in"  # torch's conventions
    ours = make(fan_in, fan_out, np.random.default_rng(seed), mode=mode)
    theirs = _torch_init(name, fan_in, fan_out, torch.Generator().manual_seed(seed))
    n = ours.size
    assert abs(ours.var() / theirs.var() - 1) < 8 * np.sqrt(2 / n) * (1 + uniform)
    # same shape of distribution: the quantiles agree within sampling error
    qs = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    scale = np.sqrt(theirs.var())
    assert np.allclose(np.quantile(ours, qs), np.quantile(theirs, qs), atol=0.1 * scale)


def test_fans_and_bad_arguments(rng: np.random.Generator) -> None:
    assert fan(10, 30, "fan_in") == 10 and fan(10, 30, "fan_out") == 30
    assert fan(10, 30, "avg") == 20
    assert init_variance("he", 8, 100) == 0.25
    for bad in [(0, 5), (5, -1), (2.5, 3)]:
        with pytest.raises(ValueError, match="positive integer"):
            xavier_normal(*bad, rng)
    with pytest.raises(ValueError, match="mode"):
        he_uniform(3, 4, rng, mode="fan")
    with pytest.raises(ValueError, match="scheme"):
        init_variance("lecun", 3, 4)


@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
@settings(max_examples=5, deadline=None)
@given(
    widths=st.lists(st.integers(1, 7), min_size=2, max_size=5),
    batch=st.integers(1, 4),
    seed=st.integers(0, 99),
)
def test_propagate_matches_autograd(
    activation: str, widths: list[int], batch: int, seed: int
) -> None:
    r = np.random.default_rng(seed)
    weights = [r.standard_normal((o, i)) for i, o in zip(widths[:-1], widths[1:], strict=True)]
    X, G = r.standard_normal((batch, widths[0])), r.standard_normal((batch, widths[-1]))
    zs, gs = propagate(weights, X, G, activation)
    phi = {"relu": torch.relu, "tanh": torch.tanh, "linear": lambda t: t}[activation]
    tz = [torch.tensor(X, requires_grad=True)]
    for l, A in enumerate(weights):
        h = tz[-1] if l == 0 else phi(tz[-1])
        tz.append(h @ torch.tensor(A).T)
        tz[-1].retain_grad()
    (tz[-1] * torch.tensor(G)).sum().backward()
    for z, g, t in zip(zs, gs, tz, strict=True):
        assert np.allclose(z, t.detach().numpy(), atol=1e-12)
        assert np.allclose(g, t.grad.numpy(), atol=1e-10)


def test_propagate_names_bad_shapes(rng: np.random.Generator) -> None:
    weights = [rng.standard_normal((4, 3)), rng.standard_normal((2, 5))]
    with pytest.raises(ValueError, match=r"weight 2 has shape \(2, 5\)"):
        propagate(weights, np.zeros((1, 3)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"X has shape \(1, 4\)"):
        propagate(weights[:1], np.zeros((1, 4)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"G has shape"):
        propagate(weights[:1], np.zeros((1, 3)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="activation"):
        propagate(weights[:1], np.zeros((1, 3)), np.zeros((1, 4)), "sigmoid")


@pytest.mark.parametrize("scale", [1.0, 2.0, 3.0])
def test_relu_second_moments_follow_the_recursion(scale: float, rng: np.random.Generator) -> None:
    depth = 12
    stats = signal_propagation(depth, 256, scale, "relu", rng, batch=16, networks=8)
    theory = relu_variance_recursion(depth, scale)
    assert stats.q.shape == stats.grad.shape == (depth + 1,)
    assert np.allclose(stats.q, theory, rtol=0.25)
    # gradients: each ReLU layer multiplies ||g||^2 by scale/2, the first layer by scale
    ratio = (stats.grad[1] / stats.grad[-1]) ** 2
    assert abs(np.log(ratio) - (depth - 1) * np.log(scale / 2)) < 0.5


def test_he_is_stable_and_xavier_halves_per_relu_layer(rng: np.random.Generator) -> None:
    he = signal_propagation(30, 200, 2.0, "relu", rng, batch=8, networks=8)
    xavier = signal_propagation(30, 200, 1.0, "relu", rng, batch=8, networks=8)
    assert he.q_each.shape == (8, 31) and he.samples.shape == (31, 1600)
    assert 0.5 < he.q[-1] / he.q[1] < 2
    assert abs(np.log2(xavier.q[-1] / xavier.q[1]) + 29) < 1
    # gradients: He keeps their norm, Xavier halves their square per layer going down
    assert 0.5 < he.grad[1] / he.grad[-1] < 2
    assert abs(2 * np.log2(xavier.grad[1] / xavier.grad[-1]) + 29) < 1


def test_the_mean_over_networks_is_unbiased(rng: np.random.Generator) -> None:
    # single networks fluctuate (log-normally, variance ~ depth / width); their mean does not
    stats = signal_propagation(10, 64, 2.0, "relu", rng, batch=4, networks=64)
    assert abs(stats.q[-1] / stats.q[1] - 1) < 0.25
    assert stats.q_each[:, -1].std() > 0.1 * stats.q[-1]


def test_signal_propagation_rejects_bad_arguments(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match="activation"):
        signal_propagation(3, 10, 2.0, "swish", rng)
    with pytest.raises(ValueError, match="depth"):
        signal_propagation(0, 10, 2.0, "relu", rng)
    with pytest.raises(ValueError, match="width"):
        signal_propagation(3, -2, 2.0, "relu", rng)
    with pytest.raises(ValueError, match="scale"):
        signal_propagation(3, 10, 0.0, "relu", rng)
    with pytest.raises(ValueError, match="networks"):
        signal_propagation(3, 10, 1.0, "relu", rng, networks=0)
    with pytest.raises(ValueError, match="depth"):
        relu_variance_recursion(0, 2.0)
