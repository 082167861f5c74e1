from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from dlbook.logistic import accuracy, logits, train_softmax_regression
from dlbook.losses import cross_entropy


def blobs(rng: np.random.Generator, n: int = 90) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    labels = np.arange(n) % 3
    return centres[labels] + rng.standard_normal((n, 2)), labels


def test_training_reduces_the_cross_entropy_and_separates_blobs(
    rng: np.random.Generator, generator: torch.Generator
) -> None:
    X, labels = blobs(rng)
    run = train_softmax_regression(X, labels, 3, generator, lr=0.5, steps=200)
    assert run.losses.shape == (201,)
    assert np.all(np.diff(run.losses) < 0)  # small steps on a convex loss: monotone
    assert run.losses[-1] < 0.25 * run.losses[0]
    assert accuracy(run.model, X, labels) >= 0.95
    # the recorded loss is our numpy cross-entropy of the model's logits
    assert cross_entropy(logits(run.model, X), labels) == pytest.approx(run.losses[-1], rel=1e-12)


def test_one_step_is_gradient_descent(rng: np.random.Generator) -> None:
    X, labels = blobs(rng, n=12)
    first = train_softmax_regression(X, labels, 3, torch.Generator().manual_seed(5), steps=0)
    W = first.model.weight.detach().clone().requires_grad_(True)
    b = first.model.bias.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(torch.from_numpy(X) @ W.T + b, torch.from_numpy(labels))
    loss.backward()
    second = train_softmax_regression(
        X, labels, 3, torch.Generator().manual_seed(5), lr=0.3, steps=1
    )
    expected = (W - 0.3 * W.grad).detach()
    torch.testing.assert_close(second.model.weight.detach(), expected, rtol=1e-12, atol=1e-14)
    assert second.losses[0] == pytest.approx(loss.item(), rel=1e-12)


def test_same_generator_seed_same_model(rng: np.random.Generator) -> None:
    X, labels = blobs(rng, n=30)
    a = train_softmax_regression(X, labels, 3, torch.Generator().manual_seed(1), steps=5)
    b = train_softmax_regression(X, labels, 3, torch.Generator().manual_seed(1), steps=5)
    np.testing.assert_array_equal(logits(a.model, X), logits(b.model, X))
    assert a.model.weight.dtype == torch.float64


def test_accuracy_counts_argmax_matches(rng: np.random.Generator) -> None:
    X, labels = blobs(rng, n=6)
    run = train_softmax_regression(X, labels, 3, torch.Generator().manual_seed(0), steps=0)
    predicted = logits(run.model, X).argmax(axis=1)
    assert accuracy(run.model, X, predicted) == 1.0
    assert accuracy(run.model, X, (predicted + 1) % 3) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda X, y, g: train_softmax_regression(X, y[:-1], 3, g), r"got \(6, 2\) and \(5,\)"),
        (lambda X, y, g: train_softmax_regression(X, y + 1, 3, g), "label 3 is out of range"),
        (lambda X, y, g: train_softmax_regression(X, y * 1.0, 3, g), "integer classes"),
        (
            lambda X, y, g: accuracy(
                train_softmax_regression(X, y, 3, g, steps=0).model, X[:, :1], y
            ),
            r"X of shape \(6, 1\) does not fit",
        ),
    ],
)
def test_bad_input_raises(
    call: object, message: str, rng: np.random.Generator, generator: torch.Generator
) -> None:
    X, labels = blobs(rng, n=6)
    with pytest.raises(ValueError, match=message):
        call(X, labels, generator)
