"""Tests of dlbook.seqtasks: the tasks hold what they claim, the classifier's read-out
matches its torch module by hand, and a short training run learns an easy delay."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlbook import seqtasks
from dlbook.nets import cpu_generator


def test_recall_task_puts_the_answer_first(rng):
    X, y = seqtasks.recall_task(50, 7, 3, rng)
    assert X.shape == (50, 7, 4) and y.shape == (50,)
    assert np.all(X[..., :3].sum(axis=-1) == 1)  # one symbol per step
    np.testing.assert_array_equal(X[:, 0, :3].argmax(axis=1), y)
    assert np.all(X[:, 0, 3] == 1) and np.all(X[:, 1:, 3] == 0)  # the flag
    assert len(np.unique(X[:, 1:, :3].argmax(axis=-1))) == 3  # distractors use all symbols
    with pytest.raises(ValueError, match="T >= 2"):
        seqtasks.recall_task(5, 1, 3, rng)


def test_lookahead_targets_are_the_next_symbols(rng):
    X, Y = seqtasks.lookahead_task(20, 6, 4, rng)
    assert X.shape == (20, 6, 4) and Y.shape == (20, 5)
    np.testing.assert_array_equal(X[:, 1:].argmax(axis=-1), Y)
    with pytest.raises(ValueError, match="K >= 2"):
        seqtasks.lookahead_task(5, 4, 1, rng)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_classifier_reads_out_the_right_states(kind, rng):
    model = seqtasks.SequenceClassifier(kind, 3, 5, 4, cpu_generator(0), forget_bias=2.0).double()
    X = torch.as_tensor(rng.standard_normal((2, 6, 3)))
    states = model.cell(X)[0]
    torch.testing.assert_close(model(X), model.readout(states[:, -1]))
    if kind != "rnn":
        assert torch.all(model.cell.bias_ih_l0[5:10] > 2.0 - 0.5)  # the shifted gate block
    per_step = seqtasks.SequenceClassifier(
        kind, 3, 5, 4, cpu_generator(0), per_step=True, bidirectional=True
    ).double()
    assert per_step(X).shape == (2, 5, 4)
    with pytest.raises(ValueError, match=r"\(B, T, D\) with D = 3"):
        model(X[..., :2])
    with pytest.raises(ValueError, match="unknown cell"):
        seqtasks.SequenceClassifier("tcn", 3, 5, 4, cpu_generator(0))


def test_training_learns_a_short_recall(rng):
    X, y = seqtasks.recall_task(400, 4, 3, rng)
    model = seqtasks.SequenceClassifier("gru", 4, 16, 3, cpu_generator(0))
    before = seqtasks.sequence_accuracy(model, X, y)
    losses = seqtasks.train_sequence_model(model, X, y, cpu_generator(1), steps=150)
    assert losses.shape == (150,) and losses[-10:].mean() < 0.3 * losses[:10].mean()
    assert seqtasks.sequence_accuracy(model, X, y) > 0.95 > before
    with pytest.raises(ValueError, match="predicts"):
        seqtasks.sequence_accuracy(model, X, y[:, None])
