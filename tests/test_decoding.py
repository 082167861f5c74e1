"""Tests of dlbook.decoding: greedy and cached generation, top-k, sampling, beam search
against brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlbook import decoding as dec
from dlbook import transformer as tf


@pytest.fixture
def model(generator) -> tf.TinyGPT:
    m = tf.TinyGPT(tf.GPTConfig(V=4, D=8, heads=2, layers=1, T_max=10), generator).double()
    tf.init_weights_(m, generator, std=0.8)  # peaked distributions, so greedy can miss
    return m.eval()


def test_cached_generation_equals_recomputation(model):
    a = dec.generate(model, np.array([1, 2]), 6, cached=True)
    b = dec.generate(model, np.array([1, 2]), 6, cached=False)
    assert a.shape == (6, 4)
    np.testing.assert_allclose(a, b, atol=1e-10)


def test_next_logprobs_are_normalised_last_position_logits(model):
    lp = dec.next_logprobs(model)(np.array([[0, 1, 2], [3, 3, 3]]))
    np.testing.assert_allclose(np.exp(lp).sum(1), 1.0)
    logits = model(torch.tensor([[0, 1, 2]]))[0][0, -1]
    np.testing.assert_allclose(lp[0], torch.log_softmax(logits, -1).detach().numpy())


def test_top_k_probs():
    p = dec.top_k_probs(np.log([0.1, 0.2, 0.3, 0.4]), 1.0, k=2)
    np.testing.assert_allclose(p, [0, 0, 3 / 7, 4 / 7])
    np.testing.assert_allclose(dec.top_k_probs(np.log([0.25, 0.75]), 0.5), [0.1, 0.9])
    with pytest.raises(ValueError, match="V = 2"):
        dec.top_k_probs(np.zeros(2), 1.0, k=3)
    with pytest.raises(ValueError, match="positive"):
        dec.top_k_probs(np.zeros(2), 0.0)


def test_sampling_with_k_1_is_greedy(model, rng):
    logp = dec.next_logprobs(model)
    ids, _ = dec.greedy(logp, np.array([0]), 5)
    np.testing.assert_array_equal(dec.sample(logp, np.array([0]), 5, rng, 1.0, k=1), ids)
    s = dec.sample(logp, np.array([0]), 200, rng, 1.0)
    assert len(set(s.tolist())) > 1


def test_beam_search_finds_the_brute_force_optimum(model):
    logp = dec.next_logprobs(model)
    best, best_lp = dec.brute_force(logp, np.array([1]), 4, 4)
    g_ids, g_lp = dec.greedy(logp, np.array([1]), 4)
    b_ids, b_lp = dec.beam_search(logp, np.array([1]), 4, beam=4**3)
    np.testing.assert_array_equal(b_ids, best)
    assert np.isclose(b_lp, best_lp) and b_lp >= g_lp - 1e-12
    # the score is the sum of the chosen tokens' log-probabilities
    seq, total = [1], 0.0
    for w in g_ids:
        total += logp(np.array([seq]))[0, w]
        seq.append(int(w))
    assert np.isclose(total, g_lp)


def test_bad_arguments_raise(model):
    logp = dec.next_logprobs(model)
    with pytest.raises(ValueError, match="beam = 0"):
        dec.beam_search(logp, np.array([1]), 3, 0)
    with pytest.raises(ValueError, match="10\\^6"):
        dec.brute_force(logp, np.array([1]), 6, 10)
    with pytest.raises(ValueError, match=r"\(0,\)"):
        dec.generate(model, np.array([], dtype=int), 3)
