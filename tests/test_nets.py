from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn

from dlbook.nets import (
    ACTIVATIONS,
    check_params,
    collapse_linear,
    cpu_generator,
    fit_mse,
    forward,
    forward_trace,
    from_torch,
    init_params,
    interpolant_network,
    mlp,
    mlp_param_count,
    numerical_kinks,
    param_count,
    reset_linear_,
    shallow_kinks,
    to_torch,
)
from dlbook.runtime import DivergenceError

FAST = settings(max_examples=25, deadline=None, database=None)

widths_strategy = st.lists(st.integers(1, 12), min_size=2, max_size=5)


def linear_layers(net: nn.Sequential) -> list[nn.Linear]:
    return [layer for layer in net if isinstance(layer, nn.Linear)]


@FAST
@given(widths=widths_strategy, activation=st.sampled_from(sorted(ACTIVATIONS)))
def test_structure_and_output_shape(widths: list[int], activation: str) -> None:
    net = mlp(widths, activation)
    layers = list(net)
    assert len(layers) == 2 * (len(widths) - 1) - 1
    linears = layers[::2]
    assert all(isinstance(layer, nn.Linear) for layer in linears)
    assert [(lin.in_features, lin.out_features) for lin in linears] == list(
        zip(widths[:-1], widths[1:], strict=True)
    )
    assert all(isinstance(layer, ACTIVATIONS[activation]) for layer in layers[1::2])
    assert net(torch.zeros(3, widths[0])).shape == (3, widths[-1])


@FAST
@given(
    widths=widths_strategy,
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    seed=st.integers(0, 2**31 - 1),
)
def test_forward_matches_the_layer_formula(widths: list[int], activation: str, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    net = mlp(widths, activation, generator=generator).double()
    phi = {"relu": torch.relu, "tanh": torch.tanh, "gelu": nn.functional.gelu}[activation]
    x = torch.randn(4, widths[0], generator=generator, dtype=torch.float64)
    h = x
    linears = linear_layers(net)
    for i, layer in enumerate(linears):
        h = h @ layer.weight.T + layer.bias
        if i < len(linears) - 1:
            h = phi(h)
    torch.testing.assert_close(net(x), h, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seeded", [False, True])
def test_weights_within_default_init_bounds(seeded: bool) -> None:
    generator = torch.Generator().manual_seed(1) if seeded else None
    net = mlp([300, 200, 50, 1], generator=generator)
    for layer in linear_layers(net):
        bound = 1.0 / layer.in_features**0.5
        for p in (layer.weight, layer.bias):
            assert p.abs().max().item() <= bound
        # uniform on [-bound, bound]: reaches close to the bound, std bound / sqrt(3)
        if layer.weight.numel() >= 1000:
            assert layer.weight.abs().max().item() > 0.95 * bound
            assert layer.weight.std().item() == pytest.approx(bound / 3**0.5, rel=0.05)
            assert abs(layer.weight.mean().item()) < 0.05 * bound


def test_seeded_mlp_is_deterministic() -> None:
    a = mlp([5, 7, 3], generator=torch.Generator().manual_seed(9))
    b = mlp([5, 7, 3], generator=torch.Generator().manual_seed(9))
    c = mlp([5, 7, 3], generator=torch.Generator().manual_seed(10))
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(pa, pb)
        assert not torch.equal(pa, pc)


def test_mlp_dropout_follows_each_activation_and_keeps_the_parameters() -> None:
    net = mlp([4, 6, 5, 2], dropout=0.3, generator=cpu_generator(0))
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
    plain = mlp([4, 6, 5, 2], generator=cpu_generator(0))
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), plain.parameters(), strict=True))
    x = torch.randn(3, 4, generator=cpu_generator(1))
    net.eval()
    torch.testing.assert_close(net(x), plain(x))  # in evaluation mode dropout is the identity
    with pytest.raises(ValueError, match="dropout probability"):
        mlp([2, 2], dropout=1.0)


def test_seeded_mlp_ignores_the_global_torch_seed() -> None:
    torch.manual_seed(0)
    a = mlp([4, 6, 2], generator=cpu_generator(3))
    torch.manual_seed(1)
    b = mlp([4, 6, 2], generator=cpu_generator(3))
    assert all(torch.equal(pa, pb) for pa, pb in zip(a.parameters(), b.parameters(), strict=True))


@FAST
@given(widths=widths_strategy)
def test_param_count_formula_matches_torch(widths: list[int]) -> None:
    expected = sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=True))
    assert mlp_param_count(widths) == expected
    assert param_count(mlp(widths)) == expected


def test_param_count_known_value_and_frozen_parameters() -> None:
    assert mlp_param_count([8, 64, 64, 1]) == 4801
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    assert param_count(model) == 16 + 10
    model[0].weight.requires_grad_(False)
    assert param_count(model) == 4 + 10


@pytest.mark.parametrize("widths", [[5], [], [3, 0, 1], [4, -2]])
def test_rejects_bad_widths(widths: list[int]) -> None:
    with pytest.raises(ValueError, match=re.escape(f"at least two positive widths, got {widths}")):
        mlp(widths)


def test_rejects_unknown_activation() -> None:
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'"):
        mlp([2, 3, 1], "sigmoid")


def test_cpu_generator_is_seeded() -> None:
    g = cpu_generator(42)
    assert isinstance(g, torch.Generator)
    assert g.device == torch.device("cpu")
    reference = torch.Generator().manual_seed(42)
    assert torch.equal(torch.rand(5, generator=g), torch.rand(5, generator=reference))


# ---- the numpy layout [(A_l, b_l)] shared with torch ----


@FAST
@given(
    widths=widths_strategy,
    activation=st.sampled_from(["relu", "tanh"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_numpy_forward_matches_torch_nn_with_copied_weights(
    widths: list[int], activation: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    params = init_params(widths, rng)
    X = rng.normal(size=(5, widths[0]))
    net = to_torch(params, activation)
    expected = net(torch.tensor(X)).detach().numpy()
    assert np.allclose(forward(params, X, activation), expected, rtol=1e-12, atol=1e-12)
    back = from_torch(net)  # and the copy back is exact
    assert all(
        np.array_equal(A, A2) and np.array_equal(b, b2)
        for (A, b), (A2, b2) in zip(params, back, strict=True)
    )
    assert param_count(net) == mlp_param_count(widths) == sum(A.size + b.size for A, b in params)


@FAST
@given(widths=widths_strategy, seed=st.integers(0, 2**31 - 1))
def test_trace_records_pre_activations_and_activations(widths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    params = init_params(widths, rng)
    X = rng.normal(size=(3, widths[0]))
    zs, hs = forward_trace(params, X)
    assert len(zs) == len(params) and len(hs) == len(params) + 1
    assert [h.shape[1] for h in hs] == check_params(params) == widths
    for z, h in zip(zs[:-1], hs[1:-1], strict=True):
        assert np.array_equal(h, np.maximum(z, 0))
    assert np.array_equal(hs[-1], zs[-1])


@FAST
@given(widths=widths_strategy, seed=st.integers(0, 2**31 - 1))
def test_linear_network_collapses_to_one_affine_map(widths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    params = init_params(widths, rng)
    A, b = collapse_linear(params)
    X = rng.normal(size=(4, widths[0]))
    assert A.shape == (widths[-1], widths[0])
    assert np.allclose(forward(params, X, "linear"), X @ A.T + b, atol=1e-10)
    net = nn.Sequential(*[m for m in to_torch(params) if isinstance(m, nn.Linear)])
    assert np.allclose(net(torch.tensor(X)).detach().numpy(), X @ A.T + b, atol=1e-10)


@FAST
@given(M=st.integers(1, 8), seed=st.integers(0, 2**31 - 1))
def test_kinks_are_at_minus_b_over_a(M: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    params = init_params([1, M, 1], rng)
    (A, b), (C, _) = params
    kinks = shallow_kinks(A[:, 0], b)
    assert np.allclose(np.sort(-b / A[:, 0]), kinks)
    inside = kinks[np.abs(kinks) < 4.5]
    assume(np.all(np.diff(inside) > 1e-2) and np.all(np.abs(C * A[:, 0]) > 1e-3))
    assume(np.all(np.abs(np.abs(kinks) - 4.5) > 1e-2))
    found = numerical_kinks(lambda x: forward(params, x[:, None])[:, 0], -4.5, 4.5)
    assert np.allclose(found, inside, atol=1e-6)
    # torch autograd: the slope jumps by c_k a_k across kink k (a_k > 0) or -c_k a_k (a_k < 0)
    net, delta = to_torch(params), 1e-7
    x = torch.tensor(np.concatenate([inside - delta, inside + delta]), requires_grad=True)
    (slope,) = torch.autograd.grad(net(x[:, None]).sum(), x)
    jump = (slope[len(inside) :] - slope[: len(inside)]).numpy()
    order = np.argsort(-b / A[:, 0])
    expected = (np.abs(A[:, 0]) * C[0])[order][np.abs(kinks) < 4.5]
    assert np.allclose(jump, expected, atol=1e-9)


def test_numerical_kinks_on_a_hand_made_function() -> None:
    def f(x: np.ndarray) -> np.ndarray:
        return np.abs(x - 0.3) + 2 * np.maximum(x - 1.0, 0)  # kinks at 0.3 and 1.0

    assert np.allclose(numerical_kinks(f, 0, 2, n=1001), [0.3, 1.0], atol=1e-9)
    assert numerical_kinks(lambda x: 3 * x + 1, 0, 1).size == 0
    assert np.array_equal(shallow_kinks([2.0, 0.0, -1.0], [1.0, 5.0, 0.5]), [-0.5, 0.5])


@pytest.mark.parametrize("M", [1, 4, 16])
def test_interpolant_hits_the_knots_and_obeys_the_error_bound(M: int) -> None:
    params = interpolant_network(np.sin, M, 0.0, 3.0)
    assert check_params(params) == [1, M, 1]
    knots = np.linspace(0, 3, M + 1)
    assert np.allclose(forward(params, knots[:, None])[:, 0], np.sin(knots), atol=1e-12)
    x = np.linspace(0, 3, 2001)
    error = np.abs(forward(params, x[:, None])[:, 0] - np.sin(x)).max()
    assert error <= (3.0 / M) ** 2 / 8 * 1.0 + 1e-12  # max |sin''| = 1
    assert error > (3.0 / M) ** 2 / 8 * 0.3  # and the bound is not loose by much


def test_bad_layers_raise_naming_the_shapes(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match=r"layer 2: A_2 has shape \(1, 4\) and b_2 has shape"):
        check_params([(np.ones((3, 2)), np.ones(3)), (np.ones((1, 4)), np.ones(1))])
    with pytest.raises(ValueError, match=r"b_1 has shape \(2,\)"):
        check_params([(np.ones((3, 2)), np.ones(2))])
    with pytest.raises(ValueError, match=r"X has shape \(5, 3\); expected \(B, 2\)"):
        forward(init_params([2, 4, 1], rng), np.ones((5, 3)))
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'"):
        forward(init_params([2, 1], rng), np.ones((1, 2)), "sigmoid")
    with pytest.raises(ValueError, match="at least two positive widths"):
        init_params([3], rng)
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        shallow_kinks(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="M >= 1"):
        interpolant_network(np.sin, 0)


def test_fit_mse_matches_a_hand_written_adam_loop(generator: torch.Generator) -> None:
    x = torch.randn(20, 2, generator=generator, dtype=torch.float64)
    y = x @ torch.tensor([[1.0], [-2.0]], dtype=torch.float64) + 0.5
    a = mlp([2, 1], generator=cpu_generator(1)).double()
    b = mlp([2, 1], generator=cpu_generator(1)).double()
    losses = fit_mse(a, x, y, steps=30, lr=0.05)
    opt = torch.optim.Adam(b.parameters(), lr=0.05)
    for _ in range(30):
        opt.zero_grad()
        loss = nn.functional.mse_loss(b(x), y)
        loss.backward()
        opt.step()
    assert all(torch.allclose(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert losses[-1] < losses[0]
    with pytest.raises(DivergenceError):
        fit_mse(mlp([2, 1]).double(), x, y * 1e9, steps=5, lr=1.0)
    with pytest.raises(ValueError, match=r"x has shape \(20, 2\) but y has shape \(3, 1\)"):
        fit_mse(a, x, y[:3], steps=1)


def test_reset_linear_draws_the_same_weights_as_a_seeded_mlp() -> None:
    a = mlp([3, 5, 2], generator=cpu_generator(4))
    b = reset_linear_(mlp([3, 5, 2]), cpu_generator(4))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
