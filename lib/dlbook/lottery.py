"""Lottery tickets by iterative magnitude pruning with rewinding (Frankle & Carbin, 2019).

Train the dense network from theta_0; prune the smallest surviving weights of each layer;
rewind the survivors to their values in theta_0 and retrain with the mask m held fixed,
theta = m * theta after every step; repeat. The control keeps the mask but draws a fresh
initialisation. Chapter 7.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from dlbook.regularization import prune_mask

Masks = list[torch.Tensor]
Trainer = Callable[[nn.Module, Callable[[nn.Module], None]], None]


def weight_layers(model: nn.Module) -> list[nn.Linear]:
    """The model's nn.Linear layers in order; only their weights are pruned (not biases).

    Shapes: none. Chapter 7.
    """
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not layers:
        raise ValueError("the model has no nn.Linear layer to prune")
    return layers


def dense_masks(model: nn.Module) -> Masks:
    """m_l = 1 for every weight of every linear layer. Shapes: -> like each W_l. Chapter 7."""
    return [torch.ones_like(layer.weight, dtype=torch.bool) for layer in weight_layers(model)]


def apply_masks(model: nn.Module, masks: Masks) -> None:
    """W_l <- m_l * W_l for every linear layer, in place.

    Shapes: masks: one per linear layer, shaped like its weight. Chapter 7.
    """
    layers = weight_layers(model)
    if len(masks) != len(layers):
        raise ValueError(f"got {len(masks)} masks for {len(layers)} linear layers")
    with torch.no_grad():
        for layer, mask in zip(layers, masks, strict=True):
            if mask.shape != layer.weight.shape:
                raise ValueError(
                    f"mask of shape {tuple(mask.shape)} for weight {tuple(layer.weight.shape)}"
                )
            layer.weight.mul_(mask)


def prune_layers(model: nn.Module, masks: Masks, rate: float, output_rate: float) -> Masks:
    """m_l' = m_l minus the fraction `rate` of its survivors smallest in |W_l| (layer-wise).

    The output layer is pruned at `output_rate` (Frankle & Carbin prune it more gently).
    Shapes: masks like the weights -> new masks. Chapter 7.
    """
    layers, new = weight_layers(model), []
    for i, (layer, mask) in enumerate(zip(layers, masks, strict=True)):
        fraction = output_rate if i == len(layers) - 1 else rate
        kept = prune_mask(layer.weight.detach().numpy(), mask.numpy(), fraction)
        new.append(torch.as_tensor(kept))
    return new


def kept_fraction(masks: Masks) -> float:
    """rho = sum_l |m_l|_0 / sum_l |m_l|, the share of weights still alive.

    Shapes: masks -> scalar. Chapter 7.
    """
    return float(sum(m.sum().item() for m in masks) / sum(m.numel() for m in masks))


def find_ticket(
    model: nn.Module, train: Trainer, rounds: int, rate: float, output_rate: float
) -> tuple[Masks, list[float]]:
    """Iterative magnitude pruning with rewinding to theta_0, `rounds` times.

    `model` holds theta_0 on entry and the trained ticket on return; `train(model, hook)`
    trains in place, calling `hook(model)` after each step (it re-applies the mask).
    Returns the final masks and the kept fraction after each round.
    Shapes: none (weights keep their shapes). Chapter 7.
    """
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    theta0 = copy.deepcopy(model.state_dict())
    masks, kept = dense_masks(model), []
    train(model, lambda m: None)  # the dense network
    for _ in range(rounds):
        masks = prune_layers(model, masks, rate, output_rate)
        kept.append(kept_fraction(masks))
        model.load_state_dict(theta0)  # rewind the survivors to their initial values
        apply_masks(model, masks)
        train(model, lambda m, current=masks: apply_masks(m, current))
    return masks, kept


def random_ticket(fresh: nn.Module, masks: Masks, train: Trainer) -> nn.Module:
    """The control: the ticket's mask on a freshly initialised network, trained the same way.

    Shapes: none. Chapter 7.
    """
    apply_masks(fresh, masks)
    train(fresh, lambda m: apply_masks(m, masks))
    return fresh


def layer_kept_fractions(masks: Masks) -> np.ndarray:
    """rho_l = |m_l|_0 / |m_l| for each layer. Shapes: masks -> (L,). Chapter 7."""
    return np.array([m.float().mean().item() for m in masks])
