from __future__ import annotations

import numpy as np
import torch

from dlbook.check.initialization import (
    LOGITS,
    float16_epsilon,
    he_std,
    relu_decay,
    stable_log_sigmoid,
    xavier_bound,
)
from dlbook.init import relu_variance_recursion
from tests.test_check import checker_contract_tests, failed, passed


def _naive(x: np.ndarray) -> np.ndarray:
    return np.log(1 / (1 + np.exp(-x)))


def _stable(x: np.ndarray) -> np.ndarray:
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


CASES = [  # (checker, a right answer, a wrong answer)
    (he_std, (0.0625,), (2 / 512,)),
    (xavier_bound, (0.1,), (np.sqrt(1 / 300),)),
    (relu_decay, (2.0**-9,), (2.0**-10,)),
    (float16_epsilon, (2.0**-10,), (2.0**-11,)),
    (stable_log_sigmoid, (_stable,), (_naive,)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_agree_with_torch_and_the_recursion() -> None:
    w = torch.nn.init.kaiming_normal_(torch.empty(2000, 512, dtype=torch.float64))
    assert abs(w.std().item() / 0.0625 - 1) < 0.01  # torch's He std is the answer
    assert passed(he_std(0.0625)) and failed(he_std(w.std().item() * 1.1))
    q = relu_variance_recursion(10, 1.0)
    assert passed(relu_decay(q[10] / q[1]))
    assert passed(float16_epsilon(float(np.finfo(np.float16).eps)))
    assert np.allclose(
        _stable(LOGITS), torch.nn.functional.logsigmoid(torch.tensor(LOGITS)).numpy()
    )


def test_log_sigmoid_checker_rejects_non_functions_and_crashes() -> None:
    assert failed(stable_log_sigmoid(3.0))
    assert failed(stable_log_sigmoid(lambda x: 1 / 0))
    assert failed(stable_log_sigmoid(lambda x: x[:2]))
    assert passed(stable_log_sigmoid(lambda x: -np.logaddexp(0, -x)))
