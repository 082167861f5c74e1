"""Tests of dlbook.text: the corpus, the tokenizer round trip, one-hot and embeddings,
batching, and the n-gram baselines against direct counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import text


def test_book_corpus_is_the_fixed_snapshot_shipped_in_the_package():
    corpus = text.book_corpus()
    assert len(corpus) == 317_839 and "gradient" in corpus
    digest = hashlib.sha256(corpus.encode("utf-8")).hexdigest()
    assert digest.startswith("3a0ef0545ab4755a")  # editing a chapter does not change it
    assert '"cell_type"' not in corpus  # markdown only, not the JSON around it
    shipped = Path(text.__file__).parent / "resources" / "corpus.txt"
    assert shipped.read_text(encoding="utf-8") == corpus


def test_tokenizer_round_trip_and_unknowns():
    tok = text.CharTokenizer("aaab bb c", min_count=2)
    assert tok.vocab == [text.UNK, " ", "a", "b"]
    ids = tok.encode("Ab c")
    assert ids.tolist() == [2, 3, 1, 0]  # lower-cased; c is rare
    assert tok.decode(ids) == "ab " + text.UNK
    corpus = text.book_corpus()[:5000]
    tok = text.CharTokenizer(corpus, min_count=1)
    assert tok.decode(tok.encode(corpus)) == corpus.lower()
    with pytest.raises(ValueError, match="ids must lie in"):
        tok.decode([len(tok)])
    with pytest.raises(ValueError, match=r"shape \(n,\)"):
        tok.decode(np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="min_count"):
        text.CharTokenizer("abc", min_count=0)


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 9), st.integers(1, 6), st.integers(0, 2**16))
def test_embedding_lookup_is_the_one_hot_product(V, D, seed):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((D, V))
    ids = rng.integers(0, V, (3, 4))
    E = text.one_hot(ids, V)
    assert E.shape == (3, 4, V) and np.all(E.sum(axis=-1) == 1)
    np.testing.assert_allclose(text.embed(A0, ids), E @ A0.T, atol=1e-12)
    emb = torch.nn.Embedding.from_pretrained(torch.as_tensor(A0.T))
    np.testing.assert_allclose(text.embed(A0, ids), emb(torch.as_tensor(ids)).numpy())


def test_one_hot_and_embed_reject_bad_ids():
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        text.one_hot(np.array([3]), 3)
    with pytest.raises(ValueError, match=r"shape \(D, V\)"):
        text.embed(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match="ids must lie"):
        text.embed(np.zeros((2, 3)), np.array([5]))


def test_split_and_batches(rng):
    ids = np.arange(100)
    train, val = text.split_ids(ids, 0.2)
    assert train.tolist() == list(range(80)) and val.tolist() == list(range(80, 100))
    inputs, targets = text.sequence_batch(ids, 5, 7, rng)
    assert inputs.shape == targets.shape == (5, 7)
    np.testing.assert_array_equal(targets, inputs + 1)  # the next symbol
    with pytest.raises(ValueError, match="n > T"):
        text.sequence_batch(ids[:5], 2, 7, rng)
    with pytest.raises(ValueError, match="val_fraction"):
        text.split_ids(ids, 1.5)


def test_ngram_perplexities_match_direct_counts(rng):
    train, val = rng.integers(0, 4, 500), rng.integers(0, 4, 100)
    counts = np.bincount(train, minlength=4)
    p = (counts + 1) / (500 + 4)
    assert text.ngram_perplexity(train, val, 4, 1) == pytest.approx(np.exp(-np.log(p[val]).mean()))
    logp = []
    for a, b in zip(val[:-1], val[1:], strict=True):
        n_ab = np.sum((train[:-1] == a) & (train[1:] == b))
        logp.append(np.log((n_ab + 1) / (np.sum(train[:-1] == a) + 4)))
    assert text.ngram_perplexity(train, val, 4, 2) == pytest.approx(np.exp(-np.mean(logp)))
    # a deterministic cycle: the bigram model is nearly certain, the unigram one is not
    cycle = np.tile(np.arange(4), 200)
    assert (
        text.ngram_perplexity(cycle, cycle, 4, 2)
        < 1.1
        < 3.9
        < text.ngram_perplexity(cycle, cycle, 4, 1)
    )
    with pytest.raises(ValueError, match="order"):
        text.ngram_perplexity(train, val, 4, 3)
