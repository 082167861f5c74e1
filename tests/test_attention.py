"""Tests of dlbook.attention against torch: scaled dot-product attention against
F.scaled_dot_product_attention, multi-head attention against torch.nn.MultiheadAttention
(float64, with and without a causal mask), positional encodings and their shift maps."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from dlbook import attention as att


def randn(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def test_dot_product_attention_is_a_softmax_of_inner_products():
    h = randn(2, 5, 3, seed=0)
    y, a = att.dot_product_attention(h)
    e = torch.einsum("btd,bkd->btk", h, h)
    torch.testing.assert_close(a, torch.softmax(e, -1))
    torch.testing.assert_close(y, torch.einsum("btk,bkd->btd", a, h))
    torch.testing.assert_close(a.sum(-1), torch.ones(2, 5, dtype=torch.float64))


def test_causal_mask_with_and_without_an_offset():
    assert torch.equal(att.causal_mask(3), torch.tril(torch.ones(3, 3, dtype=torch.bool)))
    m = att.causal_mask(2, 4)  # the last two of four positions
    assert m.tolist() == [[True, True, True, False], [True, True, True, True]]
    with pytest.raises(ValueError, match="T = 3, S = 2"):
        att.causal_mask(3, 2)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.integers(1, 4), st.booleans(), st.integers(0, 99))
def test_sdpa_matches_torch(T, S, d, causal, seed):
    S = max(S, T) if causal else S
    q, k, v = (
        randn(2, 3, T, d, seed=seed),
        randn(2, 3, S, d, seed=seed + 1),
        randn(2, 3, S, d + 1, seed=seed + 2),
    )
    mask = att.causal_mask(T, S) if causal else None
    out, A = att.scaled_dot_product_attention(q, k, v, mask)
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(out, ref, rtol=0, atol=1e-10)
    torch.testing.assert_close(A.sum(-1), torch.ones(2, 3, T, dtype=torch.float64))


def test_sdpa_rejects_bad_shapes_and_masks():
    q, k, v = randn(4, 3, seed=0), randn(5, 3, seed=1), randn(5, 2, seed=2)
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(5, 2\)|q \(4, 3\)"):
        att.scaled_dot_product_attention(q, randn(5, 2, seed=3), v)
    with pytest.raises(ValueError, match=r"\(\.\.\., 4, 5\).*\(4, 4\)"):
        att.scaled_dot_product_attention(q, k, v, att.causal_mask(4))


def test_unscaled_scores_grow_like_d_and_saturate():
    ent = {}
    for d in (4, 256):
        q, k = randn(2000, d, seed=d), randn(2000, d, seed=d + 1)
        var = (q * k).sum(-1).var().item()
        assert 0.8 * d < var < 1.2 * d
        scores = randn(200, 16, d, seed=3) @ randn(200, d, seed=4)[:, :, None]  # (200, 16, 1)
        ent[d] = att.softmax_entropy(scores[..., 0]).mean().item()
    assert ent[256] < 0.5 * ent[4]


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 3), st.integers(1, 6), st.booleans(), st.integers(0, 99))
def test_multihead_matches_torch(h, T, causal, seed):
    D = 2 * h
    torch.manual_seed(seed)
    mine = att.MultiHeadAttention(D, h).double()
    ref = att.copy_into_torch(mine, torch.nn.MultiheadAttention(D, h, batch_first=True).double())
    x = randn(3, T, D, seed=seed)
    mask = att.causal_mask(T) if causal else None
    want = ref(x, x, x, attn_mask=None if mask is None else ~mask, need_weights=False)[0]
    torch.testing.assert_close(mine(x, mask=mask), want, rtol=0, atol=1e-10)


def test_multihead_cross_attention_and_cache():
    torch.manual_seed(0)
    mha = att.MultiHeadAttention(4, 2).double()
    x, ctx = randn(2, 3, 4, seed=0), randn(2, 5, 4, seed=1)
    assert mha(x, context=ctx).shape == (2, 3, 4) and mha.weights.shape == (2, 2, 3, 5)
    full = mha(x, mask=att.causal_mask(3))
    cache: dict[str, torch.Tensor] = {}
    steps = [mha(x[:, t : t + 1], mask=att.causal_mask(1, t + 1), cache=cache) for t in range(3)]
    torch.testing.assert_close(torch.cat(steps, 1), full)


def test_multihead_rejects_bad_sizes():
    with pytest.raises(ValueError, match="D = 10 .* h = 3"):
        att.MultiHeadAttention(10, 3)
    with pytest.raises(ValueError, match=r"D = 4\), got \(2, 3, 5\)"):
        att.MultiHeadAttention(4, 2)(torch.zeros(2, 3, 5))
    with pytest.raises(ValueError, match="h = 4"):
        att.copy_into_torch(att.MultiHeadAttention(4, 2), torch.nn.MultiheadAttention(4, 4))


def test_self_attention_is_permutation_equivariant():
    torch.manual_seed(0)
    mha = att.MultiHeadAttention(6, 3).double()
    x, perm = randn(1, 7, 6, seed=0), torch.randperm(7)
    torch.testing.assert_close(mha(x)[:, perm], mha(x[:, perm]))


def test_sinusoidal_encoding_and_its_relative_shifts():
    P = att.sinusoidal_encoding(50, 8)
    assert P[0, 0::2].abs().max() == 0 and torch.all(P[0, 1::2] == 1)
    torch.testing.assert_close(P[3, 2], torch.sin(torch.tensor(3 / 10000 ** (2 / 8))).double())
    for k in (1, 5, -2):
        M = att.relative_shift(k, 8)
        lo, hi = max(0, -k), min(50, 50 - k)
        torch.testing.assert_close(P[lo + k : hi + k], P[lo:hi] @ M.T)
    with pytest.raises(ValueError, match="D = 7"):
        att.sinusoidal_encoding(4, 7)
    with pytest.raises(ValueError, match="D = 3"):
        att.relative_shift(1, 3)
