from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dlbook.check import WRONG, Verdict
from dlbook.check.functions_and_networks import (
    BATCH,
    KINK_A,
    KINK_B,
    LAYERS,
    SINE_X,
    SINE_Y,
    batched_output,
    collapse,
    hat_network,
    kinks,
    param_count,
    sine_family,
    zaslavsky,
)
from tests.test_check import checker_contract_tests, failed, passed

THETA = np.linalg.lstsq(np.column_stack([np.ones(13), SINE_X, np.sin(SINE_X)]), SINE_Y)[0]
HAT = ([1.0, 1.0, 1.0], [1.0, 0.0, -1.0], [1.0, -2.0, 1.0], 0.0)
A3, b3 = LAYERS[2]
A2, b2 = LAYERS[1]
A1, b1 = LAYERS[0]
A_PRIME, B_PRIME = A3 @ A2 @ A1, A3 @ (A2 @ b1 + b2) + b3
Y_BATCH = np.column_stack(
    [
        BATCH["C"] @ np.maximum(BATCH["A"] @ x + BATCH["b"], 0) + BATCH["c0"]
        for x in BATCH["X"].T  # one sample (a column) at a time
    ]
)
CASES = [  # (checker, a right answer, a wrong answer)
    (sine_family, (THETA,), (THETA + [0.0, 0.01, 0.0],)),
    (param_count, (172,), (150,)),
    (kinks, ([-0.25, 0.3, 0.5],), ([0.25, -0.3, -0.5],)),
    (hat_network, HAT, (HAT[0], HAT[1], [1.0, -1.0, 1.0], 0.0)),
    (zaslavsky, (176,), (2**10,)),
    (collapse, (A_PRIME, B_PRIME), (A_PRIME, b3)),
    (batched_output, (Y_BATCH,), (Y_BATCH.T,)),
]


test_checker_contract = checker_contract_tests(CASES)


def test_expected_values_are_the_exercise_answers() -> None:
    assert (3 + 1) * 10 + (10 + 1) * 10 + (10 + 1) * 2 == 172
    assert 1 + 10 + 45 + 120 == 176
    assert np.allclose(THETA, [1.0, 0.5, 2.0], atol=0.1)  # the data's generating values
    assert np.allclose(A_PRIME, [[11.0, -10.0]]) and np.allclose(B_PRIME, [3.5])
    assert np.allclose(-KINK_B / KINK_A, [0.5, 0.3, -0.25])
    assert Y_BATCH.shape == (2, 4)


def test_answers_in_any_order_or_layout_that_means_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert passed(kinks(np.array([0.5, 0.3, -0.25])))  # kinks in any order
    assert passed(collapse(A_PRIME.ravel(), float(B_PRIME[0])))  # flat A' and scalar b'
    # another network for the hat: mirrored units, a_k < 0
    assert passed(hat_network([-1.0, -1.0, -1.0], [1.0, 0.0, -1.0], [1.0, -2.0, 1.0], 0.0))
    capsys.readouterr()


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: hat_network([1.0, 1.0], [1.0], [1.0], 0.0), "one entry per unit"),
        (lambda: hat_network("x", [1.0], [1.0], 0.0), "arrays of numbers"),
        (lambda: hat_network([1.0], [1.0], [1.0], 0.0), "largest error on [-3, 3] is"),
        (lambda: kinks("many"), "expected three numbers, got str"),
        (lambda: kinks([0.3, 0.5]), "shape (2,); expected shape (3,)"),
        (lambda: collapse(np.ones((2, 2)), np.ones(1)), "got 5 numbers"),
        (lambda: batched_output(np.ones((4, 2))), "expected shape (2, 4)"),
    ],
)
def test_wrong_shapes_fail_with_a_hint(
    capsys: pytest.CaptureFixture[str], call: Callable[[], Verdict], hint: str
) -> None:
    assert failed(call())
    out = capsys.readouterr().out
    assert out.startswith(WRONG) and hint in out
