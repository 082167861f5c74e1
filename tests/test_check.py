from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dlbook import check
from dlbook.check import EMPTY, RIGHT, WRONG, Verdict, close, report, unanswered

Answers = tuple[object, ...]


def passed(verdict: object) -> bool:
    return isinstance(verdict, Verdict) and verdict.ok is True and bool(verdict) is True


def failed(verdict: object) -> bool:
    return isinstance(verdict, Verdict) and verdict.ok is False and bool(verdict) is False


def assert_checker_contract(
    capsys: pytest.CaptureFixture[str],
    checker: Callable[..., Verdict],
    right: Answers,
    wrong: Answers,
) -> None:
    """The contract every exercise checker keeps; each tests/test_check_<topic>.py runs it on
    each of its checkers with a right and a wrong answer (as argument tuples)."""
    capsys.readouterr()
    verdict = checker(*right)  # a right answer passes, with a ✅ message and nothing else
    out = capsys.readouterr().out
    assert passed(verdict) and out == verdict.message + "\n"
    assert out.startswith(RIGHT) and WRONG not in out
    verdict = checker(*wrong)  # a wrong one fails with a hint
    out = capsys.readouterr().out
    assert failed(verdict) and out == verdict.message + "\n"
    assert out.startswith(WRONG) and "Hint:" in out and RIGHT not in out
    for empty in (..., None):  # an answer left as `...` (or None) says so
        for position in range(len(right)):
            answer = list(right)
            answer[position] = empty
            verdict = checker(*answer)
            out = capsys.readouterr().out
            assert failed(verdict) and out == verdict.message + "\n"
            assert out.startswith(EMPTY) and "replace the `...`" in out
            assert RIGHT not in out and WRONG not in out


def checker_contract_tests(
    cases: list[tuple[Callable[..., Verdict], Answers, Answers]],
) -> Callable[..., None]:
    """A test running `assert_checker_contract` on each (checker, right, wrong) case; a
    chapter's test module binds it: `test_checker_contract = checker_contract_tests(CASES)`."""

    @pytest.mark.parametrize(
        ("checker", "right", "wrong"), cases, ids=[c.__name__ for c, _, _ in cases]
    )
    def test_checker_contract(
        capsys: pytest.CaptureFixture[str],
        checker: Callable[..., Verdict],
        right: Answers,
        wrong: Answers,
    ) -> None:
        assert_checker_contract(capsys, checker, right, wrong)

    return test_checker_contract


def _square_root(answer: object) -> Verdict:
    return close(answer, 3.0, "the square root of 9", hint="what times itself is 9?")


def test_the_contract_holds_for_a_minimal_checker(capsys: pytest.CaptureFixture[str]) -> None:
    assert_checker_contract(capsys, _square_root, (3.0,), (9.0,))


def test_the_contract_catches_a_checker_without_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(AssertionError):
        assert_checker_contract(capsys, lambda a: close(a, 3.0, "no hint"), (3.0,), (9.0,))


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
