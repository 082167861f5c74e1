"""Tests of dlbook.transformer: the pre-LN block against a torch.nn.MultiheadAttention
version, weight tying, the KV cache against recomputation, attention maps, perplexity."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from dlbook import attention as att
from dlbook import transformer as tf
from dlbook.nets import param_count


def tiny(generator, **kw) -> tf.TinyGPT:
    return tf.TinyGPT(tf.GPTConfig(V=7, D=8, heads=2, layers=2, T_max=12, **kw), generator)


def test_block_is_the_pre_ln_block_of_the_notes(generator):
    block = tf.Block(6, 3).double()
    tf.init_weights_(block, generator, std=0.3)
    ref = att.copy_into_torch(block.attn, nn.MultiheadAttention(6, 3, batch_first=True).double())
    x = torch.randn(2, 5, 6, generator=generator, dtype=torch.float64)
    mask = att.causal_mask(5)
    z = block.ln1(x)
    r = x + ref(z, z, z, attn_mask=~mask, need_weights=False)[0]
    h = block.ffn[0](block.ln2(r))
    want = r + block.ffn[2](0.5 * h * (1 + torch.erf(h / 2**0.5)))
    torch.testing.assert_close(block(x, mask), want, rtol=0, atol=1e-10)


def test_weight_tying_shares_storage_and_saves_V_times_D(generator):
    tied, untied = tiny(generator), tiny(generator, tied=False)
    assert tied.head.weight.data_ptr() == tied.tok.weight.data_ptr()
    assert untied.head.weight.data_ptr() != untied.tok.weight.data_ptr()
    assert param_count(untied) - param_count(tied) == 7 * 8


@pytest.mark.parametrize("positions", ["learned", "sinusoidal"])
def test_the_cache_gives_the_logits_of_recomputation(generator, positions):
    model = tiny(generator, positions=positions).double().eval()
    ids = torch.randint(0, 7, (3, 10), generator=generator)
    full = model(ids)[0]
    cache = model.new_cache()
    parts = [model(ids[:, :4], cache)[0]] + [
        model(ids[:, t : t + 1], cache)[0] for t in range(4, 10)
    ]
    torch.testing.assert_close(torch.cat(parts, 1), full, rtol=0, atol=1e-10)
    assert cache[0]["k"].shape == (3, 2, 10, 4)


def test_logits_are_causal(generator):
    model = tiny(generator).double().eval()
    ids = torch.randint(0, 7, (1, 8), generator=generator)
    other = ids.clone()
    other[0, 5:] = (other[0, 5:] + 1) % 7
    torch.testing.assert_close(model(ids)[0][:, :5], model(other)[0][:, :5])
    assert not torch.allclose(model(ids)[0][:, 5:], model(other)[0][:, 5:])


def test_attention_maps_are_causal_distributions(generator):
    model = tiny(generator)
    A = tf.attention_maps(model, torch.tensor([1, 2, 3, 4]))
    assert A.shape == (2, 2, 4, 4)
    torch.testing.assert_close(A.sum(-1), torch.ones(2, 2, 4))
    assert A[..., 0, 1:].abs().max() == 0


def test_perplexity_equals_the_exponentiated_cross_entropy(generator, rng):
    model = tiny(generator)
    ids = rng.integers(0, 7, 12 * 3 + 1)
    x = torch.as_tensor(ids[:-1]).reshape(3, 12)
    y = torch.as_tensor(ids[1:]).reshape(3, 12)
    with torch.no_grad():
        loss = nn.functional.cross_entropy(model(x)[0].reshape(-1, 7), y.reshape(-1))
    assert np.isclose(tf.perplexity(model, ids), float(torch.exp(loss)), rtol=1e-5)
    assert tf.perplexity(model, ids) < 7 * 1.2  # near-uniform at initialisation


def test_bad_inputs_raise(generator):
    model = tiny(generator)
    with pytest.raises(ValueError, match=r"\(5,\); expected shape \(B, T\)"):
        model(torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="T_max = 12"):
        model(torch.zeros(1, 13, dtype=torch.long))
    with pytest.raises(ValueError, match="'rope'"):
        tiny(generator, positions="rope")
    with pytest.raises(ValueError, match="T_max = 12"):
        tf.perplexity(model, np.zeros(10, dtype=int))


def test_dropout_acts_in_training_only(generator):
    model = tiny(generator, dropout=0.5)
    ids = torch.randint(0, 7, (2, 6), generator=generator)
    model.train()
    assert not torch.equal(model(ids)[0], model(ids)[0])
    model.eval()
    assert torch.equal(model(ids)[0], model(ids)[0])
