from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from dlbook.check import EMPTY, WRONG, Verdict
from dlbook.check.learning_and_losses import (
    hoeffding_samples,
    signed_error_trap,
    slope_through_origin,
    stable_logsumexp,
    uniform_cross_entropy,
)
from tests.test_check import checker_contract_tests, failed, passed


def stable(y: np.ndarray) -> float:
    return float(y.max() + np.log(np.sum(np.exp(y - y.max()))))


def naive(y: np.ndarray) -> float:
    return float(np.log(np.sum(np.exp(y))))


CASES = [  # (checker, a right answer, a wrong answer)
    (signed_error_trap, ([4.0, 3.0, 2.0, 1.0],), ([1.0, 2.0, 3.0, 4.0],)),
    (slope_through_origin, (62.0 / 30.0,), (2.0,)),
    (uniform_cross_entropy, (math.log(10),), (1 / 10,)),
    (stable_logsumexp, (stable,), (naive,)),
    (hoeffding_samples, (6623,), (6622,)),
]


test_checker_contract = checker_contract_tests(CASES)


def test_expected_values_are_the_exercise_answers() -> None:
    # x = (1, 2, 3, 4), y = (2, 3.5, 7, 8): sum x y = 62, sum x^2 = 30
    assert passed(slope_through_origin(62 / 30))
    # log(2 / 0.01) / (2 * 0.02^2) = 6622.9 -> 6623
    assert math.log(200) / (2 * 0.02**2) == pytest.approx(6622.9, abs=0.05)
    assert passed(hoeffding_samples(6623.0))
    assert passed(uniform_cross_entropy(2.302585))


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: signed_error_trap([2.5, 2.5, 2.5, 2.5]), "the squared loss is only 5"),
        (lambda: signed_error_trap([0.0, 0.0, 0.0, 0.0]), "add up to 10, not 0"),
        (lambda: signed_error_trap([1.0, 2.0]), "one prediction per target (4), got shape (2,)"),
        (lambda: stable_logsumexp(3.0), "expected a function of y, got float"),
        (lambda: stable_logsumexp(naive), "at y = (1000, 1000) it gives inf"),
        (lambda: stable_logsumexp(lambda y: 1 / 0), "raised ZeroDivisionError"),
        (lambda: stable_logsumexp(lambda y: np.max(y)), "at y = (1, 2, 3)"),
    ],
)
def test_wrong_answers_fail_with_a_useful_hint(
    capsys: pytest.CaptureFixture[str], call: Callable[[], Verdict], hint: str
) -> None:
    assert failed(call())
    out = capsys.readouterr().out
    assert out.startswith(WRONG) and hint in out


def test_stable_logsumexp_handles_minus_infinity_and_does_not_mutate() -> None:
    def shift_in_place(y: np.ndarray) -> float:  # mutates its argument: still fine
        m = y.max()
        y -= m
        return float(m + np.log(np.sum(np.exp(y))))

    assert passed(stable_logsumexp(shift_in_place))
    assert failed(stable_logsumexp(lambda y: stable(y[np.isfinite(y)]) + 1e-6))


def test_a_function_that_still_returns_ellipsis_is_no_answer_yet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def my_logsumexp(y: np.ndarray) -> object:
        return ...

    assert failed(stable_logsumexp(my_logsumexp))
    assert failed(stable_logsumexp(lambda y: None))
    out = capsys.readouterr().out
    assert out.count(EMPTY) == 2 and WRONG not in out
