from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dlbook.check import EMPTY, WRONG, Verdict
from dlbook.check.history import compute, param_count, parity_certificate, xor_lift, xor_network
from tests.test_check import checker_contract_tests, failed, passed

XOR_W0 = 5.0 * np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5], [0.0, 0.0, 1.0]])
XOR_W1 = np.array([[1.0, -1.0, -0.5]])
CASES = [  # (checker, a right answer, a wrong answer)
    (param_count, (4801,), (4800,)),
    (compute, (4801 * 256 * 1000,), (4801 * 256,)),
    (xor_lift, ([1.0, 1.0, -2.0], -0.5), ([1.0, 1.0, 0.0], -0.5)),
    (parity_certificate, (np.ones(8),), (np.eye(8)[1],)),
    (xor_network, (XOR_W0, XOR_W1), (XOR_W0, -XOR_W1)),
]


test_checker_contract = checker_contract_tests(CASES)


def test_expected_values_are_the_exercise_answers() -> None:
    # 8 -> 64 -> 64 -> 1 with biases: 9*64 + 65*64 + 65*1 parameters
    assert 9 * 64 + 65 * 64 + 65 == 4801
    assert passed(param_count(4801.2))  # atol 0.5 on an integer count
    assert failed(param_count(4801.6))
    assert passed(compute(4801 * 256 * 1000 * (1 + 1e-8)))
    assert failed(compute(4801 * 256 * 1000 * (1 + 1e-4)))


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: xor_lift([1.0, 1.0], 0.0), "w must have 3 entries"),
        (lambda: xor_lift(np.ones((3, 1)), 0.0), "got shape (3, 1)"),
        (lambda: parity_certificate(np.ones(4)), "one weight per corner (8), got shape (4,)"),
        (lambda: xor_network(np.ones((2, 2)), np.ones((1, 2))), "got (2, 2) and (1, 2)"),
        (lambda: xor_network(XOR_W0, np.ones((1, 2))), "W0 must be (M, 3) and W1 (1, M)"),
        (lambda: param_count("many"), "expected a number or array, got str"),
    ],
)
def test_wrong_shapes_fail_with_a_hint(
    capsys: pytest.CaptureFixture[str], call: Callable[[], Verdict], hint: str
) -> None:
    assert failed(call())
    out = capsys.readouterr().out
    assert out.startswith(WRONG)
    assert hint in out


def test_xor_lift_counts_misplaced_points(capsys: pytest.CaptureFixture[str]) -> None:
    assert failed(xor_lift([0.0, 0.0, 0.0], 0.0))  # every point on the plane
    assert "4 of the 4 points" in capsys.readouterr().out
    assert failed(xor_lift([1.0, 1.0, 0.0], -0.5))  # misses only (1, 1)
    assert "1 of the 4 points" in capsys.readouterr().out


def test_parity_certificate_rejects_non_certificates() -> None:
    assert failed(parity_certificate(np.zeros(8)))
    assert failed(parity_certificate(-np.ones(8)))
    assert passed(parity_certificate(3.0 * np.ones(8)))


def test_xor_network_accepts_other_widths() -> None:
    # two hidden units: h1 ~ OR, h2 ~ AND, f = h1 - h2 - 0.5
    W0 = 5.0 * np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5]])
    assert failed(xor_network(W0, [1.0, -1.0]))  # tanh outputs +-1: needs the bias unit
    W0 = np.vstack([W0, [0.0, 0.0, 5.0]])
    assert passed(xor_network(W0, [1.0, -1.0, -0.5]))  # W1 as a flat list is (1, M)


def test_two_argument_checkers_report_missing_answers_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert failed(xor_lift(..., None))
    assert failed(xor_network(None, ...))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # one message (status line and instruction) per checker
    assert [line.startswith(EMPTY) for line in lines] == [True, False, True, False]
