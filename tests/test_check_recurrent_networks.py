"""Tests of chapter 9's checkers: the shared contract, and what each accepts or rejects."""

from __future__ import annotations

import numpy as np

from dlbook import gated
from dlbook.check import EMPTY, WRONG
from dlbook.check.recurrent_networks import (
    clipped,
    gru_step,
    lstm_param_count,
    temperature,
    uniform_perplexity,
    vanishing_norm,
)
from tests.test_check import checker_contract_tests, failed, passed


def right_gru(x, h, W_ih, W_hh, b_ih, b_hh):
    params = {"W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
    return gated.gru_step(params, h, x)


def cho_gru(x, h, W_ih, W_hh, b_ih, b_hh):
    params = {"W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
    return gated.gru_step(params, h, x, variant="cho")


CASES = [  # (checker, a right answer, a wrong answer)
    (gru_step, (right_gru,), (cho_gru,)),
    (lstm_param_count, (2560,), (2400,)),
    (vanishing_norm, (0.9**50,), (0.9**49,)),
    (clipped, (np.array([0.6, 0.8]),), (np.array([3.0, 4.0]),)),
    (uniform_perplexity, (50,), (np.log(50),)),
    (temperature, (np.array([0.2, 0.8]),), (np.array([1 / 3, 2 / 3]),)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_gru_checker_reports_errors_and_shapes(capsys):
    assert failed(gru_step(lambda *args: ...))  # a body left as `...`
    assert capsys.readouterr().out.startswith(EMPTY)
    assert failed(gru_step("not a function"))
    assert "pass a function" in capsys.readouterr().out
    assert failed(gru_step(lambda *args: 1 / 0))
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert failed(gru_step(lambda x, h, *rest: h[:, :2]))
    out = capsys.readouterr().out
    assert out.startswith(WRONG) and "shape (5, 2)" in out

    # the z convention matters: h' = (1 - z) h + z n is wrong for torch
    def flipped(x, h, W_ih, W_hh, b_ih, b_hh):
        sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
        r, z, n_x = np.split(x @ W_ih.T + b_ih, 3, axis=1)
        hr, hz, hn = np.split(h @ W_hh.T + b_hh, 3, axis=1)
        r, z = sig(r + hr), sig(z + hz)
        n = np.tanh(n_x + r * hn)
        return (1 - z) * h + z * n

    assert failed(gru_step(flipped))


def test_numeric_answers_have_tolerances():
    assert passed(lstm_param_count(2560.3)) and failed(lstm_param_count(2561))
    assert passed(vanishing_norm(0.9**50 * (1 + 1e-8)))
    assert failed(clipped([0.8, 0.6]))
    assert failed(temperature([0.2, 0.8, 0.0]))
