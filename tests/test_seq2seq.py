"""Tests of dlbook.seq2seq: the reversal data, the decoder block against torch's
MultiheadAttention, teacher forcing against greedy decoding, the [CLS] classifier."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from dlbook import attention as att
from dlbook import seq2seq as s2s


def test_reversal_batch(rng):
    src, dec_in, tgt = s2s.reversal_batch(4, 5, rng)
    np.testing.assert_array_equal(tgt, src[:, ::-1])
    assert np.all(dec_in[:, 0] == s2s.BOS)
    np.testing.assert_array_equal(dec_in[:, 1:], tgt[:, :-1])


def test_decoder_block_matches_torch_attention(generator):
    block = s2s.DecoderBlock(4, 2).double()
    x = torch.randn(2, 3, 4, generator=generator, dtype=torch.float64)
    mem = torch.randn(2, 5, 4, generator=generator, dtype=torch.float64)
    ref_self = att.copy_into_torch(block.self_attn, nn.MultiheadAttention(4, 2, batch_first=True))
    ref_cross = att.copy_into_torch(block.cross, nn.MultiheadAttention(4, 2, batch_first=True))
    ref_self, ref_cross = ref_self.double(), ref_cross.double()
    z = block.ln1(x)
    r = x + ref_self(z, z, z, attn_mask=~att.causal_mask(3), need_weights=False)[0]
    s = r + ref_cross(block.ln2(r), mem, mem, need_weights=False)[0]
    torch.testing.assert_close(block(x, mem), s + block.ffn(block.ln3(s)), rtol=0, atol=1e-10)
    assert block.cross.weights.shape == (2, 2, 3, 5)


def test_greedy_decoding_agrees_with_teacher_forcing(generator, rng):
    model = s2s.EncoderDecoder(generator, T=4).double()
    src = torch.as_tensor(rng.integers(0, 10, (3, 4)))
    out = model.decode(src)
    dec_in = torch.cat([torch.full((3, 1), s2s.BOS), out[:, :-1]], 1)
    assert torch.equal(model(src, dec_in).argmax(-1), out)


def test_training_reduces_the_loss(generator, rng):
    model = s2s.EncoderDecoder(generator, T=3)
    losses = s2s.train_reversal(model, rng, 3, steps=60, batch_size=32, lr=1e-2)
    assert losses[-10:].mean() < 0.8 * losses[:10].mean()


def test_cls_classifier_reads_the_cls_position(generator):
    model = s2s.ClsClassifier(generator, T=5).double()
    x = torch.randint(0, 10, (2, 5), generator=generator)
    assert model(x).shape == (2, 2)
    y = x.clone()
    y[:, 1:] = x[:, [2, 1, 4, 3]]  # without positional embeddings only the order differs
    with torch.no_grad():
        model.pos.weight.zero_()
    torch.testing.assert_close(model(x), model(y))
