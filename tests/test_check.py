from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dlbook import check
from dlbook.check import (
    EMPTY,
    RIGHT,
    WRONG,
    Verdict,
    ch00_stable_step,
    ch01_compute,
    ch01_param_count,
    ch01_parity_certificate,
    ch01_xor_lift,
    ch01_xor_network,
    close,
    report,
)

XOR_W0 = 5.0 * np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5], [0.0, 0.0, 1.0]])
XOR_W1 = np.array([[1.0, -1.0, -0.5]])

# (checker, a right answer, a wrong answer), answers as argument tuples
CASES: list[tuple[Callable[..., Verdict], tuple[object, ...], tuple[object, ...]]] = [
    (ch00_stable_step, (0.2,), (0.1,)),
    (ch01_param_count, (4801,), (4800,)),
    (ch01_compute, (4801 * 256 * 1000,), (4801 * 256,)),
    (ch01_xor_lift, ([1.0, 1.0, -2.0], -0.5), ([1.0, 1.0, 0.0], -0.5)),
    (ch01_parity_certificate, (np.ones(8),), (np.eye(8)[1],)),
    (ch01_xor_network, (XOR_W0, XOR_W1), (XOR_W0, -XOR_W1)),
]
IDS = [checker.__name__ for checker, _, _ in CASES]


def passed(verdict: object) -> bool:
    return isinstance(verdict, Verdict) and verdict.ok is True and bool(verdict) is True


def failed(verdict: object) -> bool:
    return isinstance(verdict, Verdict) and verdict.ok is False and bool(verdict) is False


@pytest.mark.parametrize(("checker", "right", "wrong"), CASES, ids=IDS)
def test_right_answer_passes(
    capsys: pytest.CaptureFixture[str], checker: Callable[..., Verdict], right: tuple, wrong: tuple
) -> None:
    verdict = checker(*right)
    assert passed(verdict)
    out = capsys.readouterr().out
    assert out == verdict.message + "\n"
    assert out.startswith(RIGHT)
    assert WRONG not in out


@pytest.mark.parametrize(("checker", "right", "wrong"), CASES, ids=IDS)
def test_wrong_answer_fails_with_a_message(
    capsys: pytest.CaptureFixture[str], checker: Callable[..., Verdict], right: tuple, wrong: tuple
) -> None:
    verdict = checker(*wrong)
    assert failed(verdict)
    out = capsys.readouterr().out
    assert out == verdict.message + "\n"
    assert out.startswith(WRONG)
    assert "Hint:" in out
    assert RIGHT not in out


@pytest.mark.parametrize(("checker", "right", "wrong"), CASES, ids=IDS)
@pytest.mark.parametrize("empty", [..., None])
def test_unanswered_says_so(
    capsys: pytest.CaptureFixture[str],
    checker: Callable[..., Verdict],
    right: tuple,
    wrong: tuple,
    empty: object,
) -> None:
    for position in range(len(right)):
        answer = list(right)
        answer[position] = empty
        verdict = checker(*answer)
        assert failed(verdict)
        out = capsys.readouterr().out
        assert out == verdict.message + "\n"
        assert out.startswith(EMPTY)
        assert "replace the `...`" in out
        assert RIGHT not in out and WRONG not in out


def test_expected_values_are_the_exercise_answers() -> None:
    # 8 -> 64 -> 64 -> 1 with biases: 9*64 + 65*64 + 65*1 parameters
    assert 9 * 64 + 65 * 64 + 65 == 4801
    assert passed(ch01_param_count(4801.2))  # atol 0.5 on an integer count
    assert failed(ch01_param_count(4801.6))
    assert passed(ch01_compute(4801 * 256 * 1000 * (1 + 1e-8)))
    assert failed(ch01_compute(4801 * 256 * 1000 * (1 + 1e-4)))
    assert passed(ch00_stable_step(2 / 10))
    assert failed(ch00_stable_step(0.2 * (1 + 1e-4)))


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: ch01_xor_lift([1.0, 1.0], 0.0), "w must have 3 entries"),
        (lambda: ch01_xor_lift(np.ones((3, 1)), 0.0), "got shape (3, 1)"),
        (lambda: ch01_parity_certificate(np.ones(4)), "one weight per corner (8), got shape (4,)"),
        (lambda: ch01_xor_network(np.ones((2, 2)), np.ones((1, 2))), "got (2, 2) and (1, 2)"),
        (lambda: ch01_xor_network(XOR_W0, np.ones((1, 2))), "W0 must be (M, 3) and W1 (1, M)"),
        (lambda: ch00_stable_step([0.2, 0.2]), "shape (2,); expected shape ()"),
        (lambda: ch01_param_count("many"), "expected a number or array, got str"),
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
    assert failed(ch01_xor_lift([0.0, 0.0, 0.0], 0.0))  # every point on the plane
    assert "4 of the 4 points" in capsys.readouterr().out
    assert failed(ch01_xor_lift([1.0, 1.0, 0.0], -0.5))  # misses only (1, 1)
    assert "1 of the 4 points" in capsys.readouterr().out


def test_parity_certificate_rejects_non_certificates() -> None:
    assert failed(ch01_parity_certificate(np.zeros(8)))
    assert failed(ch01_parity_certificate(-np.ones(8)))
    assert passed(ch01_parity_certificate(3.0 * np.ones(8)))


def test_xor_network_accepts_other_widths() -> None:
    # two hidden units: h1 ~ OR, h2 ~ AND, f = h1 - h2 - 0.5
    W0 = 5.0 * np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5]])
    assert failed(ch01_xor_network(W0, [1.0, -1.0]))  # tanh outputs +-1: needs the bias unit
    W0 = np.vstack([W0, [0.0, 0.0, 5.0]])
    assert passed(ch01_xor_network(W0, [1.0, -1.0, -0.5]))  # W1 as a flat list is (1, M)


def test_close_and_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert passed(close([1.0, 2.0], np.array([1.0, 2.0005]), "pair"))
    assert capsys.readouterr().out == f"{RIGHT}: pair.\n"
    assert failed(close([1.0, 2.1], [1.0, 2.0], "pair", hint="look again"))
    assert capsys.readouterr().out == f"{WRONG}: pair.\n   Hint: look again\n"
    assert passed(close(0.0, 1e-9, "tiny", rtol=0.0, atol=1e-6))
    assert failed(close(0.0, 1e-3, "tiny", rtol=0.0, atol=1e-6))
    capsys.readouterr()
    assert failed(report(False, "bare"))
    assert capsys.readouterr().out == f"{WRONG}: bare.\n"
    assert passed(report(np.bool_(True), "numpy"))


def test_all_lists_the_checkers() -> None:
    for name in check.__all__:
        assert callable(getattr(check, name))
    assert {c.__name__ for c, _, _ in CASES} <= set(check.__all__)


def test_verdict_is_truthy_only_when_right(capsys: pytest.CaptureFixture[str]) -> None:
    right, wrong = Verdict(True, "yes"), Verdict(0, "no")
    assert right and not wrong
    assert (right.ok, wrong.ok) == (True, False)
    assert repr(right) == "Verdict(True, 'yes')"
    assert repr(wrong) == "Verdict(False, 'no')"
    # Jupyter displays nothing for a Verdict: the checker has printed its message already
    assert right._ipython_display_() is None
    assert capsys.readouterr().out == ""


def test_two_argument_checkers_report_missing_answers_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert failed(ch01_xor_lift(..., None))
    assert failed(ch01_xor_network(None, ...))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # one message (status line and instruction) per checker
    assert [line.startswith(EMPTY) for line in lines] == [True, False, True, False]
