from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dlbook import check
from dlbook.check import EMPTY, RIGHT, WRONG, Verdict, close, history, preface, report, unanswered

XOR_W0 = 5.0 * np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5], [0.0, 0.0, 1.0]])
XOR_W1 = np.array([[1.0, -1.0, -0.5]])

# The contract every chapter's checker keeps (right passes, wrong fails with a hint, `...`
# says "no answer yet"): add each new checker here with a right and a wrong answer.
# (checker, a right answer, a wrong answer), answers as argument tuples
CASES: list[tuple[Callable[..., Verdict], tuple[object, ...], tuple[object, ...]]] = [
    (preface.stable_step, (0.2,), (0.1,)),
    (history.param_count, (4801,), (4800,)),
    (history.compute, (4801 * 256 * 1000,), (4801 * 256,)),
    (history.xor_lift, ([1.0, 1.0, -2.0], -0.5), ([1.0, 1.0, 0.0], -0.5)),
    (history.parity_certificate, (np.ones(8),), (np.eye(8)[1],)),
    (history.xor_network, (XOR_W0, XOR_W1), (XOR_W0, -XOR_W1)),
]
IDS = [f"{checker.__module__.rsplit('.', 1)[-1]}.{checker.__name__}" for checker, _, _ in CASES]


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


def test_all_lists_the_shared_pieces() -> None:
    for name in check.__all__:
        assert hasattr(check, name)
    assert {"Verdict", "close", "report", "unanswered"} <= set(check.__all__)


def test_verdict_is_truthy_only_when_right(capsys: pytest.CaptureFixture[str]) -> None:
    right, wrong = Verdict(True, "yes"), Verdict(0, "no")
    assert right and not wrong
    assert (right.ok, wrong.ok) == (True, False)
    assert repr(right) == "Verdict(True, 'yes')"
    assert repr(wrong) == "Verdict(False, 'no')"
    # Jupyter displays nothing for a Verdict: the checker has printed its message already
    assert right._ipython_display_() is None
    assert capsys.readouterr().out == ""


def test_unanswered_is_none_once_every_answer_is_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert unanswered("pair", 1.0, np.zeros(2)) is None
    assert capsys.readouterr().out == ""
    verdict = unanswered("pair", 1.0, ...)
    assert failed(verdict) and capsys.readouterr().out == verdict.message + "\n"
