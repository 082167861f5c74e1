"""Checkers for the closing chapter's exercises (chapters/13_summary)."""

from __future__ import annotations

from dlbook.check import Verdict, close, report, unanswered
from dlbook.nets import mlp_param_count
from dlbook.regularization import early_stopping

LOSSES = [1.0, 0.8, 0.7, 0.72, 0.69, 0.75, 0.8, 0.9]


def recap_params(answer: object) -> Verdict:
    """Exercise 13.1: N = sum_l (n_{l-1} + 1) n_l for widths (64, 128, 128, 10).

    Shapes: scalar -> Verdict. Chapter 13.
    """
    return close(
        answer,
        mlp_param_count([64, 128, 128, 10]),
        "the parameter count of the recap network",
        rtol=0,
        atol=0.5,
        hint="each Linear layer has n_in * n_out weights and n_out biases",
    )


def early_stop(answer: object) -> Verdict:
    """Exercise 13.2: (stop, best) epochs, counted from 1, for LOSSES with patience 2.

    Shapes: answer: a pair of ints -> Verdict. Chapter 13.
    """
    name = "the early-stopping epochs"
    if (empty := unanswered(name, answer)) is not None:
        return empty
    stop = early_stopping(LOSSES, patience=2)
    try:
        got = tuple(int(a) for a in answer)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return report(False, name, "answer with a pair (stop_epoch, best_epoch)")
    return report(
        got == (stop.stop + 1, stop.best + 1),
        name,
        "count the epochs since the last improvement; stop when it reaches the patience",
    )
