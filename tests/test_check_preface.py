from __future__ import annotations

import pytest

from dlbook.check import WRONG
from dlbook.check.preface import stable_step
from tests.test_check import assert_checker_contract, failed, passed


def test_checker_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert_checker_contract(capsys, stable_step, (0.2,), (0.1,))


def test_stable_step_is_two_over_h() -> None:
    assert passed(stable_step(2 / 10))
    assert failed(stable_step(0.2 * (1 + 1e-4)))
    assert failed(stable_step(2 / 4))  # 2/h for the demo's h = 4, not the exercise's h = 10


def test_stable_step_rejects_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert failed(stable_step([0.2, 0.2]))
    out = capsys.readouterr().out
    assert out.startswith(WRONG) and "shape (2,); expected shape ()" in out
