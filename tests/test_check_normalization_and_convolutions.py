from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from dlbook.check.normalization_and_convolutions import (
    PAIR,
    binned_information,
    dilated_receptive_field,
    eval_batch_norm,
    output_size,
    pooled_first_pixel,
    transposed_size,
    two_sample_batch_norm,
)
from dlbook.infobottleneck import mutual_information
from tests.test_check import checker_contract_tests, failed, passed

PAIR_NORM = F.batch_norm(torch.tensor(PAIR), None, None, training=True, eps=1e-5).numpy()
CASES = [  # (checker, a right answer, a wrong answer)
    (two_sample_batch_norm, (PAIR_NORM,), (PAIR - 5,)),
    (eval_batch_norm, (2 * 3 / np.sqrt(3) + 1,), (2 * 3 / 3 + 1,)),
    (output_size, (16,), (14,)),
    (dilated_receptive_field, (15,), (7,)),
    (pooled_first_pixel, (3.0, 6.0), (0.0, 6.0)),
    (transposed_size, (8,), (7,)),
    (binned_information, (2.0,), (1.0,)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_match_torch() -> None:
    x = torch.zeros(1, 1, 32, 32)
    assert passed(output_size(F.conv2d(x, torch.zeros(1, 1, 5, 5), stride=2, padding=2).shape[-1]))
    y = F.conv_transpose2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 4, 4), stride=2, padding=1)
    assert passed(transposed_size(y.shape[-1]))
    assert passed(two_sample_batch_norm(np.array([[-1.0], [1.0]])))  # eps barely moves it
    assert failed(two_sample_batch_norm(np.array([-1.0, 1.0])))  # wrong shape
    t = np.repeat(np.arange(4), 8)
    assert passed(binned_information(mutual_information(np.arange(32), t)))
