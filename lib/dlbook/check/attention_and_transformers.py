"""Checkers for chapter 10's exercises (chapters/10_attention_and_transformers)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch.nn import functional as F

from dlbook.check import Verdict, close, report, unanswered
from dlbook.nets import cpu_generator


def score_variance(answer: object) -> Verdict:
    """Exercise: Var(q . k) = d_k = 64 for independent unit-variance entries.

    Shapes: scalar -> Verdict. Chapter 10.
    """
    return close(
        answer,
        64.0,
        "the variance of q . k for d_k = 64",
        rtol=1e-6,
        hint="q . k is a sum of d_k independent products q_i k_i; what is the variance of one?",
    )


def causal_entries(answer: object) -> Verdict:
    """Exercise: a causal mask on T = 6 positions allows T(T + 1)/2 = 21 pairs (t, k <= t).

    Shapes: scalar -> Verdict. Chapter 10.
    """
    return close(
        answer,
        21.0,
        "allowed pairs in a causal mask with T = 6",
        rtol=0,
        atol=0.5,
        hint="query t may look at keys 1..t: add up t over t = 1..6",
    )


def attention_function(attention: object) -> Verdict:
    """Exercise: out = softmax(q k^T / sqrt(d_k)) v with a boolean mask, against torch's SDPA.

    `attention(q, k, v, mask)` takes torch tensors (mask may be None).
    Shapes: q: (T, d), k, v: (S, d), mask: (T, S) -> (T, d). Chapter 10.
    """
    name = "scaled dot-product attention equal to F.scaled_dot_product_attention"
    if (empty := unanswered(name, attention)) is not None:
        return empty
    if not callable(attention):
        return report(False, name, f"pass a function, got {type(attention).__name__}")
    g = cpu_generator(10)
    q, k, v = (torch.randn(5, 4, generator=g, dtype=torch.float64) for _ in range(3))
    mask = torch.tril(torch.ones(5, 5, dtype=torch.bool))
    fn: Callable[..., object] = attention
    try:
        for m in (None, mask):
            result = fn(q, k, v, m)
            if (empty := unanswered(name, result)) is not None:  # the body is still `...`
                return empty
            got = torch.as_tensor(result, dtype=torch.float64)
            want = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
            if got.shape != want.shape or not torch.allclose(got, want, atol=1e-8):
                return report(
                    False,
                    name,
                    f"wrong values{' with the mask' if m is not None else ''}: divide the "
                    "scores by sqrt(d_k), set disallowed scores to -inf, softmax over keys",
                )
    except Exception as error:  # the reader's code may fail in any way
        return report(False, name, f"your function raised {type(error).__name__}: {error}")
    return report(True, name)


def tying_savings(answer: object) -> Verdict:
    """Exercise: tying a (V, D) = (80, 128) embedding and read-out saves V D = 10,240 weights.

    Shapes: scalar -> Verdict. Chapter 10.
    """
    return close(
        answer,
        80 * 128,
        "parameters saved by weight tying",
        rtol=0,
        atol=0.5,
        hint="the read-out W_out has one D-vector per vocabulary entry, and no bias here",
    )


def cache_size(answer: object) -> Verdict:
    """Exercise: a KV cache holds 2 L t D numbers: 2 * 4 * 100 * 256 = 204,800.

    Shapes: scalar -> Verdict. Chapter 10.
    """
    return close(
        answer,
        2 * 4 * 100 * 256,
        "numbers in the key/value cache",
        rtol=0,
        atol=0.5,
        hint="per layer and per token one key and one value; the h heads split D between them",
    )


def vit_tokens(tokens: object, embed_params: object) -> Verdict:
    """Exercise: 28x28 images in 4x4 patches give 49 + 1 tokens; embedding 16 D + D weights.

    Shapes: two scalars -> Verdict. Chapter 10.
    """
    name = "tokens and patch-embedding parameters of a ViT on 28x28 images"
    if (empty := unanswered(name, tokens, embed_params)) is not None:
        return empty
    try:
        ok = np.isclose(float(tokens), 50) and np.isclose(float(embed_params), 16 * 64 + 64)
    except (TypeError, ValueError):
        return report(False, name, "give two numbers")
    return report(
        bool(ok),
        name,
        "count the patches on a 7 x 7 grid and remember [CLS]; the embedding maps p^2 pixels "
        "to D = 64 numbers, with a bias",
    )
