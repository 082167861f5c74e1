"""Tests of dlbook.lottery against torch.nn.utils.prune and by construction."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.utils import prune

from dlbook import lottery
from dlbook.nets import cpu_generator, mlp
from dlbook.training import train_classifier


def _model(seed: int = 0) -> nn.Sequential:
    return mlp([6, 20, 12, 3], generator=cpu_generator(seed)).double()


def test_first_round_matches_torch_l1_unstructured_layer_by_layer():
    model = _model()
    masks = lottery.prune_layers(model, lottery.dense_masks(model), 0.4, 0.2)
    for i, layer in enumerate(lottery.weight_layers(model)):
        reference = nn.Linear(layer.in_features, layer.out_features).double()
        reference.weight.data = layer.weight.detach().clone()
        prune.l1_unstructured(reference, "weight", amount=0.2 if i == 2 else 0.4)
        torch.testing.assert_close(masks[i], reference.weight_mask.bool())


def test_find_ticket_rewinds_to_theta0_and_keeps_the_expected_fractions():
    model, theta0 = _model(), _model()  # same seed: theta0 is a copy of the start
    masks, kept = lottery.find_ticket(model, lambda m, hook: hook(m), 3, 0.5, 0.25)
    sizes = np.array([20 * 6, 12 * 20, 3 * 12])
    expected = []
    alive = sizes.astype(float)
    for _ in range(3):
        alive = alive - np.round(alive * np.array([0.5, 0.5, 0.25]))
        expected.append(alive.sum() / sizes.sum())
    np.testing.assert_allclose(kept, expected)
    for layer, start, mask in zip(
        lottery.weight_layers(model), lottery.weight_layers(theta0), masks, strict=True
    ):
        torch.testing.assert_close(layer.weight.detach(), start.weight.detach() * mask)
    with pytest.raises(ValueError, match="rounds"):
        lottery.find_ticket(model, lambda m, hook: None, 0, 0.5, 0.25)


def test_masks_stay_applied_through_adam_training(rng):
    X, labels = rng.standard_normal((64, 6)), rng.integers(0, 3, size=64)

    def train(m: nn.Module, hook) -> None:
        train_classifier(m, X, labels, cpu_generator(1), epochs=3, batch_size=16, after_step=hook)

    model = _model()
    masks, kept = lottery.find_ticket(model, train, 2, 0.6, 0.3)
    control = lottery.random_ticket(_model(seed=5), masks, train)
    for net in (model, control):
        for layer, mask in zip(lottery.weight_layers(net), masks, strict=True):
            assert torch.all(layer.weight[~mask] == 0)
            assert torch.all(layer.weight[mask] != 0)  # the survivors did train
    np.testing.assert_allclose(lottery.layer_kept_fractions(masks)[:2], 0.16, atol=0.01)
    assert kept[-1] == pytest.approx(lottery.kept_fraction(masks))


def test_bad_masks_raise_clear_errors():
    model = _model()
    with pytest.raises(ValueError, match="2 masks for 3 linear layers"):
        lottery.apply_masks(model, lottery.dense_masks(model)[:2])
    wrong = lottery.dense_masks(model)
    wrong[0] = torch.ones(3, 3, dtype=torch.bool)
    with pytest.raises(ValueError, match=r"\(3, 3\) for weight \(20, 6\)"):
        lottery.apply_masks(model, wrong)
    with pytest.raises(ValueError, match="no nn.Linear"):
        lottery.weight_layers(nn.ReLU())
