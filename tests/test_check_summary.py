"""Tests of the closing chapter's checkers."""

from __future__ import annotations

from dlbook.check.summary import LOSSES, early_stop, recap_params
from dlbook.nets import mlp, param_count
from dlbook.regularization import early_stopping
from tests.test_check import checker_contract_tests, failed, passed

CASES = [  # (checker, a right answer, a wrong answer)
    (recap_params, (26122,), (25856,)),
    (early_stop, ((7, 5),), ((6, 5),)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_agree_with_the_library_and_bad_shapes_fail() -> None:
    assert passed(recap_params(param_count(mlp([64, 128, 128, 10], dropout=0.2))))
    stop = early_stopping(LOSSES, patience=2)
    assert (stop.stop + 1, stop.best + 1) == (7, 5)
    assert failed(early_stop("seven"))
    assert failed(early_stop(7))
