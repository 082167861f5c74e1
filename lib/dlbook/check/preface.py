"""Checkers for the preface's exercise (chapters/00_preface)."""

from __future__ import annotations

from dlbook.check import Verdict, close


def stable_step(answer: object) -> Verdict:
    """Preface exercise: the largest stable step eta on L = (h/2) theta^2, h = 10.

    Shapes: scalar -> Verdict. Chapter 0.
    """
    return close(
        answer,
        2 / 10,
        "the largest stable step size",
        rtol=1e-6,
        hint="each step multiplies θ by (1 - ηh): when is |1 - ηh| < 1?",
    )
