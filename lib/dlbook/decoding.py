"""Decoding a language model: next-token log-probabilities with and without a key/value
cache, greedy decoding, temperature and top-k sampling, beam search, and the brute-force
search beam search approximates. Chapter 10.

A model is seen through `logp(prefixes) -> log P(w | prefix)` for a batch of equally long
prefixes, so the searches work for any autoregressive model.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import torch

from dlbook.transformer import TinyGPT

LogProbs = Callable[[np.ndarray], np.ndarray]  # (N, t) ids -> (N, V) log-probabilities


def next_logprobs(model: TinyGPT) -> LogProbs:
    """logp(prefixes) = log softmax(logits of the last position), recomputing each prefix.

    Prefixes longer than the context T_max are cut to their last T_max tokens.
    Shapes: prefixes: (N, t) -> (N, V). Chapter 10.
    """

    def logp(prefixes: np.ndarray) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            window = np.asarray(prefixes)[:, -model.config.T_max :]
            logits = model(torch.as_tensor(window))[0][:, -1]  # (N, V)
        return torch.log_softmax(logits.double(), dim=-1).numpy()

    return logp


def generate(model: TinyGPT, prompt: np.ndarray, n: int, cached: bool = True) -> np.ndarray:
    """Greedy w_{t+1} = argmax logits_t for n steps, with a KV cache or recomputing it all.

    Returns the logits of every generated step, to compare the two ways.
    Shapes: prompt: (P,) -> logits: (n, V). Chapter 10.
    """
    prompt = np.asarray(prompt)
    if prompt.ndim != 1 or len(prompt) == 0:
        raise ValueError(f"prompt must have shape (P,) with P >= 1, got shape {prompt.shape}")
    model.eval()
    ids, out = torch.as_tensor(prompt)[None], []
    with torch.no_grad():
        cache = model.new_cache() if cached else None
        logits = model(ids, cache)[0][:, -1]  # (1, V)
        for _ in range(n):
            out.append(logits[0])
            w = logits.argmax(dim=-1, keepdim=True)  # (1, 1)
            ids = torch.cat([ids, w], dim=1)
            logits = model(w if cached else ids, cache)[0][:, -1]
    return torch.stack(out).double().numpy()


def top_k_probs(logits: np.ndarray, temperature: float = 1.0, k: int | None = None) -> np.ndarray:
    """p = softmax(z / tau) restricted to the k largest z and renormalised (k=None: all).

    Shapes: logits: (V,) -> (V,). Chapter 10.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    z = np.asarray(logits, dtype=float) / temperature
    if k is not None:
        if not 1 <= k <= z.shape[-1]:
            raise ValueError(f"k must lie in [1, V = {z.shape[-1]}], got {k}")
        z = np.where(z >= np.sort(z)[..., -k, None], z, -np.inf)
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def sample(
    logp: LogProbs,
    prompt: np.ndarray,
    n: int,
    rng: np.random.Generator,
    temperature: float = 1.0,
    k: int | None = None,
) -> np.ndarray:
    """w_{t+1} ~ top_k(softmax(log P / tau)); temperature -> 0 or k = 1 is greedy.

    Shapes: prompt: (P,) -> (n,) sampled ids. Chapter 10.
    """
    seq = list(np.asarray(prompt))
    for _ in range(n):
        p = top_k_probs(logp(np.array([seq]))[0], temperature, k)
        seq.append(int(rng.choice(len(p), p=p)))
    return np.array(seq[len(prompt) :])


def greedy(logp: LogProbs, prompt: np.ndarray, n: int) -> tuple[np.ndarray, float]:
    """w_{t+1} = argmax_w P(w | w_1..w_t), and log P of the continuation.

    Shapes: prompt: (P,) -> ((n,), scalar). Chapter 10.
    """
    return beam_search(logp, prompt, n, beam=1)


def beam_search(logp: LogProbs, prompt: np.ndarray, n: int, beam: int) -> tuple[np.ndarray, float]:
    """Keep the `beam` most probable partial sequences, extend each by every token, repeat.

    Returns the most probable continuation found and its log-probability.
    Shapes: prompt: (P,) -> ((n,), scalar). Chapter 10.
    """
    if beam < 1 or n < 1:
        raise ValueError(f"need beam >= 1 and n >= 1, got beam = {beam}, n = {n}")
    prompt = np.asarray(prompt)
    seqs, scores = prompt[None], np.zeros(1)  # (N, t), (N,)
    for _ in range(n):
        lp = logp(seqs)  # (N, V)
        total = (scores[:, None] + lp).ravel()  # (N * V,)
        best = np.argsort(-total, kind="stable")[:beam]
        rows, words = np.divmod(best, lp.shape[1])
        seqs = np.concatenate([seqs[rows], words[:, None]], axis=1)
        scores = total[best]
    return seqs[0, len(prompt) :], float(scores[0])


def brute_force(logp: LogProbs, prompt: np.ndarray, n: int, V: int) -> tuple[np.ndarray, float]:
    """argmax over all V^n continuations of log P(w_1..w_n | prompt), by enumeration.

    Shapes: prompt: (P,) -> ((n,), scalar). Chapter 10.
    """
    if V**n > 200_000:
        raise ValueError(f"V^n = {V}^{n} continuations is too many to enumerate")
    conts = np.array(list(itertools.product(range(V), repeat=n)))  # (V^n, n)
    seqs = np.concatenate([np.tile(np.asarray(prompt), (len(conts), 1)), conts], axis=1)
    P = len(prompt)
    score = np.zeros(len(conts))
    for i in range(n):
        score += logp(seqs[:, : P + i])[np.arange(len(conts)), conts[:, i]]
    best = int(np.argmax(score))
    return conts[best], float(score[best])
