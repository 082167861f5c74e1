"""Checkers for the appendix's exercises (chapters/appendix_background)."""

from __future__ import annotations

from dlbook.check import Verdict, close
from dlbook.generalization import hoeffding_sample_size
from dlbook.rmt import mp_edges
from dlbook.sde import sgd_stationary_variance


def stationary_variance(answer: object) -> Verdict:
    """Exercise A.1: eta sigma^2 / (h (2 - eta h)) for h = 4, eta = 0.1, sigma = 2.

    Shapes: scalar -> Verdict. Appendix.
    """
    return close(
        answer,
        sgd_stationary_variance(4.0, 0.1, 2.0),
        "the stationary variance of the SGD chain",
        rtol=1e-6,
        hint="at stationarity v = (1 - eta h)^2 v + eta^2 sigma^2; solve for v",
    )


def lag_correlation(answer: object) -> Verdict:
    """Exercise A.2: the AR(1) chain's autocorrelation at lag 10 is (1 - eta h)^10, eta h = 0.1.

    Shapes: scalar -> Verdict. Appendix.
    """
    return close(
        answer,
        0.9**10,
        "the autocorrelation at lag 10",
        rtol=1e-6,
        hint="each step multiplies the deviation from 0 by 1 - eta h and adds independent noise",
    )


def hoeffding_m(answer: object) -> Verdict:
    """Exercise A.3: the smallest m with sqrt(log(2/delta) / (2m)) <= 0.05 for delta = 0.01.

    Shapes: scalar -> Verdict. Appendix.
    """
    return close(
        answer,
        hoeffding_sample_size(0.05, 0.01),
        "the Hoeffding sample size",
        rtol=0,
        atol=0.5,
        hint="solve log(2/delta) / (2 m) <= epsilon^2 for m and round up",
    )


def mp_support(answer: object) -> Verdict:
    """Exercise A.4: the Marchenko-Pastur support for gamma = 1/4 is [(1 - 1/2)^2, (1 + 1/2)^2].

    Shapes: answer: (2,) -> Verdict. Appendix.
    """
    return close(
        answer,
        list(mp_edges(0.25)),
        "the edges of the Marchenko-Pastur law",
        rtol=1e-9,
        hint="the edges are (1 -+ sqrt(gamma))^2",
    )
