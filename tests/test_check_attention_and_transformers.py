"""Tests of chapter 10's checkers: the shared contract, and what each accepts or rejects."""

from __future__ import annotations

import math

import torch

from dlbook.attention import scaled_dot_product_attention
from dlbook.check.attention_and_transformers import (
    attention_function,
    cache_size,
    causal_entries,
    score_variance,
    tying_savings,
    vit_tokens,
)
from tests.test_check import checker_contract_tests, failed, passed


def right_attention(q, k, v, mask):
    return scaled_dot_product_attention(q, k, v, mask)[0]


def unscaled_attention(q, k, v, mask):
    return scaled_dot_product_attention(q, k, v, mask, scaled=False)[0]


CASES = [  # (checker, a right answer, a wrong answer)
    (score_variance, (64,), (8,)),
    (causal_entries, (21,), (36,)),
    (attention_function, (right_attention,), (unscaled_attention,)),
    (tying_savings, (10240,), (10240 + 80,)),
    (cache_size, (204800,), (204800 // 2,)),
    (vit_tokens, (50, 1088), (49, 1088)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_attention_function_rejects_an_unmasked_or_failing_answer(capsys):
    def ignores_mask(q, k, v, mask):
        return right_attention(q, k, v, None)

    def no_softmax(q, k, v, mask):
        return (q @ k.T / math.sqrt(q.shape[-1])) @ v

    assert failed(attention_function(ignores_mask)) and "with the mask" in capsys.readouterr().out
    assert failed(attention_function(no_softmax))
    assert failed(attention_function(lambda q, k, v, m: 1 / 0))
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert failed(attention_function(lambda q, k, v, m: ...))
    assert failed(attention_function(3))


def test_vit_tokens_needs_both_numbers_right(capsys):
    assert passed(vit_tokens(50.0, 1088.0))
    assert failed(vit_tokens(50, 1024))
    assert failed(vit_tokens("fifty", 1088))
    assert torch.is_tensor(torch.tensor(0))  # torch is importable next to the checkers
