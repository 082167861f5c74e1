"""Tests of dlbook.training: its steps equal hand-computed gradient steps (torch.func)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score
from torch import nn
from torch.func import functional_call, grad
from torch.nn import functional as F

from dlbook import training
from dlbook.nets import cpu_generator, mlp
from dlbook.runtime import DivergenceError


def _problem(rng: np.random.Generator, n: int = 40, D: int = 3, K: int = 4):
    X = rng.standard_normal((n, D))
    labels = rng.integers(0, K, size=n)
    model = mlp([D, 8, K], generator=cpu_generator(1)).double()
    return X, labels, model


@pytest.mark.parametrize("weight_decay", [0.0, 0.3])
def test_full_batch_sgd_epoch_is_one_gradient_step_on_the_penalised_loss(rng, weight_decay):
    X, labels, model = _problem(rng)
    params = {k: v.detach().clone() for k, v in model.named_parameters()}
    Xt, yt = torch.tensor(X), torch.tensor(labels)

    def loss(p: dict[str, torch.Tensor]) -> torch.Tensor:
        penalty = sum((v**2).sum() for v in p.values())
        return F.cross_entropy(functional_call(model, p, (Xt,)), yt) + weight_decay / 2 * penalty

    g = grad(loss)(params)
    run = training.train_classifier(
        model, X, labels, cpu_generator(0), epochs=1, lr=0.1, batch_size=len(X),
        optimizer="sgd", weight_decay=weight_decay,
    )  # fmt: skip
    for name, value in model.named_parameters():
        torch.testing.assert_close(value.detach(), params[name] - 0.1 * g[name])
    unpenalised = F.cross_entropy(functional_call(model, params, (Xt,)), yt).item()
    assert run.losses[0] == pytest.approx(unpenalised)


def test_adam_with_l2_and_adamw_give_different_weights(rng):
    X, labels, _ = _problem(rng)
    finals = {}
    for opt in ("adam", "adamw"):
        model = mlp([3, 8, 4], generator=cpu_generator(1)).double()
        training.train_classifier(
            model, X, labels, cpu_generator(0), epochs=5, lr=0.05, batch_size=10,
            optimizer=opt, weight_decay=0.5,
        )  # fmt: skip
        finals[opt] = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert (finals["adam"] - finals["adamw"]).abs().max() > 1e-3


def test_after_step_runs_once_per_batch_and_training_is_deterministic(rng):
    X, labels, _ = _problem(rng, n=45)
    calls, runs = [], []
    for _ in range(2):
        model = mlp([3, 8, 4], generator=cpu_generator(1)).double()
        run = training.train_classifier(
            model, X, labels, cpu_generator(0), epochs=3, batch_size=10,
            after_step=lambda m: calls.append(1), val=(X, labels),
        )  # fmt: skip
        runs.append(run)
    assert len(calls) == 2 * 3 * 5  # ceil(45 / 10) = 5 steps per epoch
    np.testing.assert_array_equal(runs[0].losses, runs[1].losses)
    assert runs[0].val_losses.shape == (3,)


def test_it_learns_a_separable_problem_and_accuracy_agrees_with_sklearn(rng):
    X = rng.standard_normal((200, 2))
    labels = (X[:, 0] + X[:, 1] > 0).astype(int)
    model = mlp([2, 16, 2], generator=cpu_generator(0))
    run = training.train_classifier(model, X, labels, cpu_generator(0), epochs=30, lr=1e-2)
    assert run.losses[-1] < 0.25 * run.losses[0]
    acc = training.accuracy(model, X, labels)
    predicted = training.predict_logits(model, X).argmax(axis=1)
    assert acc == pytest.approx(accuracy_score(labels, predicted)) and acc > 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mean_cross_entropy_matches_a_direct_log_softmax(seed):
    rng = np.random.default_rng(seed)
    n, D, K = rng.integers(2, 30), rng.integers(1, 6), rng.integers(2, 6)
    X, labels, _ = _problem(rng, n=n, D=D, K=K)
    model = mlp([D, 8, K], generator=cpu_generator(seed)).double()
    logits = model(torch.tensor(X)).detach().numpy()
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    expected = -np.mean(log_p[np.arange(n), labels])
    assert training.mean_cross_entropy(model, X, labels) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match=r"\(n,\) integers"):
        training.mean_cross_entropy(model, X, labels[:-1])


def test_predictions_use_evaluation_mode():
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.9))
    X = np.ones((5, 3))
    first = training.predict_logits(model, X)
    np.testing.assert_array_equal(first, training.predict_logits(model, X))
    assert model.training  # the mode is restored


def test_bad_input_raises_clear_errors(rng):
    X, labels, model = _problem(rng)
    with pytest.raises(ValueError, match=r"\(40, 3\).*\(39,\)"):
        training.train_classifier(model, X, labels[:-1], cpu_generator(0))
    with pytest.raises(ValueError, match="integer"):
        training.train_classifier(model, X, labels.astype(float), cpu_generator(0))
    with pytest.raises(ValueError, match="unknown optimizer"):
        training.train_classifier(model, X, labels, cpu_generator(0), optimizer="lbfgs")
    with pytest.raises(DivergenceError, match="diverged"):
        training.train_classifier(
            model, 1e6 * X, labels, cpu_generator(0), lr=1e6, optimizer="sgd", epochs=20
        )
