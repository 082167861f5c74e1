"""Multilayer perceptrons in torch: h_{l+1} = phi(W_l h_l + b_l), with a linear read-out.

Chapter 3 builds these from the notes' notation; Chapter 1 uses them for the toy
scaling-law experiment.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}


def mlp(
    widths: Sequence[int], activation: str = "relu", generator: torch.Generator | None = None
) -> nn.Sequential:
    """f(x) = W_L phi(... phi(W_1 x + b_1) ...) + b_L with layer widths (D, n_1, ..., K).

    PyTorch's default initialisation, W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in)), drawn from
    `generator` when one is given; no activation after the last layer.
    Shapes: x: (B, widths[0]) -> (B, widths[-1]). Chapter 3.
    """
    widths = [int(w) for w in widths]
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"an MLP needs at least two positive widths, got {widths}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(widths) - 2:
            layers.append(ACTIVATIONS[activation]())
    net = nn.Sequential(*layers)
    if generator is not None:
        with torch.no_grad():
            for layer in net:
                if isinstance(layer, nn.Linear):
                    bound = 1.0 / layer.in_features**0.5
                    layer.weight.uniform_(-bound, bound, generator=generator)
                    layer.bias.uniform_(-bound, bound, generator=generator)
    return net


def mlp_param_count(widths: Sequence[int]) -> int:
    """N = sum_l (n_l + 1) n_{l+1}: weights and biases of an MLP with these widths.

    Shapes: widths: (L+1,) -> scalar. Chapter 1.
    """
    widths = [int(w) for w in widths]
    return sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=True))


def param_count(model: nn.Module) -> int:
    """N = number of trainable scalars in a torch module. Shapes: -> scalar. Chapter 1."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def cpu_generator(seed: int) -> torch.Generator:
    """A seeded torch.Generator on the CPU (for notebooks and test fixtures only).

    Shapes: none. Chapter 0.
    """
    return torch.Generator().manual_seed(int(seed))
