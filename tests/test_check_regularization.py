"""Tests of chapter 7's checkers: right answers pass, wrong ones fail, and the expected
values agree with the library that the chapter uses."""

from __future__ import annotations

import numpy as np
import torch

from dlbook import lottery, regularization
from dlbook.check.regularization import (
    GRAD,
    THETA,
    dropout_scale,
    fit_variance,
    kept_fraction,
    min_norm,
    modified_curvature,
    param_count,
    weight_decay_step,
)
from dlbook.nets import mlp
from dlbook.nets import param_count as torch_param_count
from tests.test_check import checker_contract_tests, failed, passed

CASES = [  # (checker, a right answer, a wrong answer)
    (param_count, (151,), (141,)),
    (fit_variance, (0.05,), (0.25,)),
    (weight_decay_step, (np.array([0.9, -1.95]),), (np.array([0.95, -2.05]),)),
    (dropout_scale, (3.75,), (2.4,)),
    (modified_curvature, (4.8,), (4.4,)),
    (min_norm, (np.array([1.0, 2.0]),), (np.array([5.0, 0.0]),)),
    (kept_fraction, (0.32768,), (0.0,)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_agree_with_the_library() -> None:
    assert passed(param_count(torch_param_count(mlp([2, 10, 10, 1]))))
    step = THETA - 0.1 * (GRAD + regularization.l2_penalty_grad([THETA], 0.5)[0])
    assert passed(weight_decay_step(step))
    theta = regularization.min_norm_least_squares(np.array([[1.0, 2.0]]), np.array([5.0]))
    assert passed(min_norm(theta))
    model = mlp([50, 50, 2])  # five rounds at 20% on a 50 x 50 layer
    masks = lottery.dense_masks(model)
    for _ in range(5):
        masks = lottery.prune_layers(model, masks, 0.2, 0.2)
    assert passed(kept_fraction(lottery.layer_kept_fractions(masks)[0]))
    assert failed(kept_fraction(0.2 * 5))


def test_modified_curvature_is_the_second_derivative_of_the_modified_loss() -> None:
    theta = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)

    def modified(t: torch.Tensor) -> torch.Tensor:
        return 0.5 * 4 * t**2 + 0.1 / 4 * (4 * t) ** 2

    (g,) = torch.autograd.grad(modified(theta), theta, create_graph=True)
    (h,) = torch.autograd.grad(g, theta)
    assert passed(modified_curvature(h.item()))
