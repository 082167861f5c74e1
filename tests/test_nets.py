from __future__ import annotations

import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlbook.nets import ACTIVATIONS, cpu_generator, mlp, mlp_param_count, param_count

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
