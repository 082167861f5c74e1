"""Text as integers: the book's own prose as a corpus, a character tokenizer, one-hot
vectors, embeddings and batches of sequences.

The corpus is a fixed snapshot of the book's prose (the markdown cells of the chapter
notebooks and the chapters' `index.md`, taken on 2026-12-07), shipped inside the package as
`dlbook/resources/corpus.txt`: it needs no download, works from an installed wheel, and does
not change when a chapter's text is edited, so the language models' numbers stay put. Chapter 9.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from importlib import resources

import numpy as np

UNK = "~"  # the one symbol every rare character maps to


def book_corpus() -> str:
    """corpus = the snapshot of the book's prose shipped in `dlbook/resources/corpus.txt`.

    Shapes: none -> a string (317,839 characters). Chapter 9.
    """
    return (resources.files("dlbook") / "resources" / "corpus.txt").read_text(encoding="utf-8")


class CharTokenizer:
    """Characters <-> integer ids over a vocabulary V; rare characters become UNK."""

    def __init__(self, text: str, min_count: int = 20, lower: bool = True) -> None:
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        self.lower = lower
        counts = Counter(text.lower() if lower else text)
        kept = sorted(ch for ch, n in counts.items() if n >= min_count and ch != UNK)
        self.vocab: list[str] = [UNK, *kept]
        self.index = {ch: i for i, ch in enumerate(self.vocab)}

    def __len__(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> np.ndarray:
        """w_i = index of character i in V (UNK = 0 for the rest), lower-cased if asked.

        Shapes: a string of length n -> (n,) integers. Chapter 9.
        """
        text = text.lower() if self.lower else text
        return np.array([self.index.get(ch, 0) for ch in text], dtype=np.int64)

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """The characters V[w_1] V[w_2] ... of a sequence of ids.

        Shapes: (n,) integers -> a string of length n. Chapter 9.
        """
        ids = np.asarray(ids)
        if ids.ndim != 1:
            raise ValueError(f"ids must be one sequence of shape (n,), got shape {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.vocab)):
            raise ValueError(
                f"ids must lie in [0, {len(self.vocab)}), got {ids.min()}..{ids.max()}"
            )
        return "".join(self.vocab[i] for i in ids)


def one_hot(ids: np.ndarray, V: int) -> np.ndarray:
    """e_w in R^|V|: 1 at index w, 0 elsewhere, for every id.

    Shapes: ids: any shape S -> S + (V,). Chapter 9.
    """
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"ids must lie in [0, {V}), got {ids.min()}..{ids.max()}")
    return np.eye(V)[ids]


def embed(A0: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """x = A_0 e_w: the column w of the embedding matrix A_0 (a lookup, no product).

    Shapes: A0: (D, V), ids: any shape S -> S + (D,). Chapter 9.
    """
    A0, ids = np.asarray(A0), np.asarray(ids)
    if A0.ndim != 2:
        raise ValueError(f"A0 must be an embedding matrix of shape (D, V), got shape {A0.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= A0.shape[1]):
        raise ValueError(f"ids must lie in [0, {A0.shape[1]}) for A0 of shape {A0.shape}")
    return A0.T[ids]


def split_ids(ids: np.ndarray, val_fraction: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """(train, validation) = (the first 1 - f of the ids, the last f), in order.

    Shapes: (n,) -> ((n - m,), (m,)) with m = round(f n). Chapter 9.
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must lie in (0, 1), got {val_fraction}")
    ids = np.asarray(ids)
    cut = len(ids) - int(round(val_fraction * len(ids)))
    return ids[:cut], ids[cut:]


def sequence_batch(
    ids: np.ndarray, batch_size: int, length: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs w_{s..s+T-1} and targets w_{s+1..s+T} at B random starts s.

    Shapes: ids: (n,) -> inputs, targets: (B, T) integers. Chapter 9.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or len(ids) < length + 1:
        raise ValueError(f"need ids of shape (n,) with n > T = {length}, got shape {ids.shape}")
    starts = rng.integers(0, len(ids) - length, size=batch_size)
    window = starts[:, None] + np.arange(length + 1)  # (B, T + 1)
    chunk = ids[window]
    return chunk[:, :-1], chunk[:, 1:]


def ngram_perplexity(train: np.ndarray, val: np.ndarray, V: int, order: int) -> float:
    """PPL = exp(-(1/n) sum_i log P(w_i | w_{i-1})) for an add-one unigram (1) or bigram (2).

    Shapes: train: (n,), val: (m,) integers in [0, V) -> scalar. Chapter 9.
    """
    train, val = np.asarray(train), np.asarray(val)
    if order == 1:
        p = (np.bincount(train, minlength=V) + 1.0) / (len(train) + V)
        return float(np.exp(-np.mean(np.log(p[val]))))
    if order == 2:
        counts = np.ones((V, V))  # add-one smoothing: counts[prev, next]
        np.add.at(counts, (train[:-1], train[1:]), 1.0)
        P = counts / counts.sum(axis=1, keepdims=True)
        return float(np.exp(-np.mean(np.log(P[val[:-1], val[1:]]))))
    raise ValueError(f"order must be 1 (unigram) or 2 (bigram), got {order}")
