"""Tests of dlbook.charlm: the model's forward pass by hand, perplexity against a direct
computation, temperature against its limits, sampling, and a short training run."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import charlm
from dlbook.nets import cpu_generator


@pytest.fixture
def model():
    return charlm.CharLM(6, cpu_generator(0), E=4, H=8).double()


def test_forward_is_embedding_lstm_readout(model, rng):
    ids = torch.as_tensor(rng.integers(0, 6, (2, 5)))
    logits, (h, c) = model(ids)
    assert logits.shape == (2, 5, 6) and h.shape == c.shape == (1, 2, 8)
    states = model.lstm(model.embedding.weight[ids])[0]
    torch.testing.assert_close(logits, model.readout(states))
    # continuing from the returned state equals one long run
    first, state = model(ids[:, :3])
    second = model(ids[:, 3:], state)[0]
    torch.testing.assert_close(torch.cat([first, second], dim=1), logits)
    assert torch.all(model.lstm.bias_ih_l0[8:16] > 0.5)  # the forget-gate bias
    with pytest.raises(ValueError, match=r"\(B, T\)"):
        model(ids[0])


def test_perplexity_is_exp_of_the_mean_cross_entropy(model, rng):
    ids = rng.integers(0, 6, 41)
    got = charlm.perplexity(model, ids, rows=4)
    with torch.no_grad():
        rows = torch.as_tensor(ids[:41]).reshape(-1)
        nll = []
        for r in range(4):
            seq = rows[r * 10 : r * 10 + 11]
            logp = torch.log_softmax(model(seq[None, :-1])[0][0], dim=-1)
            nll += [-logp[t, seq[t + 1]].item() for t in range(10)]
    assert got == pytest.approx(np.exp(np.mean(nll)), rel=1e-9)
    with pytest.raises(ValueError, match="rows"):
        charlm.perplexity(model, ids[:3], rows=4)


@settings(max_examples=10, deadline=None)
@given(st.floats(0.05, 20.0), st.integers(0, 999))
def test_temperature_is_a_scaled_softmax(tau, seed):
    z = np.random.default_rng(seed).standard_normal((3, 7))
    want = torch.softmax(torch.as_tensor(z) / tau, dim=-1).numpy()
    np.testing.assert_allclose(charlm.temperature_probs(z, tau), want, atol=1e-12)


def test_temperature_limits():
    z = np.array([1.0, 3.0, 2.0])
    np.testing.assert_allclose(charlm.temperature_probs(z, 1e-3), [0, 1, 0], atol=1e-12)
    np.testing.assert_allclose(charlm.temperature_probs(z, 1e6), np.ones(3) / 3, atol=1e-5)
    with pytest.raises(ValueError, match="positive"):
        charlm.temperature_probs(z, 0.0)


def test_sampling_is_reproducible_and_greedy_at_low_temperature(model, rng):
    a = charlm.sample(model, np.array([1, 2]), 12, 1.0, np.random.default_rng(3))
    b = charlm.sample(model, np.array([1, 2]), 12, 1.0, np.random.default_rng(3))
    assert a.shape == (12,) and np.array_equal(a, b) and a.max() < 6
    greedy = charlm.sample(model, np.array([1]), 1, 1e-4, rng)
    with torch.no_grad():
        assert greedy[0] == model(torch.tensor([[1]]))[0][0, -1].argmax().item()
    with pytest.raises(ValueError, match=r"\(P,\)"):
        charlm.sample(model, np.array([], dtype=int), 3, 1.0, rng)


def test_training_learns_a_cycle(rng):
    model = charlm.CharLM(5, cpu_generator(0), E=4, H=16)
    ids = np.tile(np.arange(5), 60)
    before = charlm.perplexity(model, ids, rows=2)
    losses = charlm.train_lm(model, ids, rng, steps=80, batch_size=8, length=10, lr=1e-2)
    assert losses.shape == (80,)
    assert charlm.perplexity(model, ids, rows=2) < 1.2 < 3.0 < before
