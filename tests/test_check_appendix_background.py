"""Tests of the appendix's checkers, and that their answers agree with simulation."""

from __future__ import annotations

import numpy as np

from dlbook import sde
from dlbook.check.appendix_background import (
    hoeffding_m,
    lag_correlation,
    mp_support,
    stationary_variance,
)
from tests.test_check import checker_contract_tests, failed, passed

CASES = [  # (checker, a right answer, a wrong answer)
    (stationary_variance, (0.4 / (4 * 1.6),), (0.4 / 8,)),
    (lag_correlation, (0.9**10,), (0.9,)),
    (hoeffding_m, (1060,), (1000,)),
    (mp_support, ([0.25, 2.25],), ([0.0, 2.0],)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_the_stationary_variance_answer_matches_a_simulation(rng):
    path = sde.sgd_chain(np.array([4.0]), 0.1, 2.0, np.zeros(1), 1500, rng, chains=500)
    simulated = path[300:].var()
    assert abs(simulated - 0.4 / 6.4) < 0.04 * 0.4 / 6.4
    assert passed(stationary_variance(0.4 / 6.4))
    assert failed(hoeffding_m(1059))
