"""Exercise checkers: each prints a right/wrong message and returns a Verdict, truthy if right.

A reader leaves an answer as `...` (or None) until they have one; the checker then says
what to do rather than failing. Wrong answers get a hint, never the solution.
This module holds the pieces every checker uses; each chapter's checkers live in a module
named after the chapter's folder (`dlbook.check.history` for `chapters/01_history`), which
its notebook imports as `from dlbook.check import history as check`. A presentation
package: it may import the math modules.
"""

from __future__ import annotations

import numpy as np

RIGHT, WRONG, EMPTY = "✅ Correct", "❌ Not yet", "✏️ No answer yet"


class Verdict:
    """A checker's result: true when the answer is right. The message is printed once, by
    the checker, so a notebook shows no extra `True`/`False` under the cell."""

    def __init__(self, ok: bool, message: str) -> None:
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Verdict({self.ok}, {self.message!r})"

    def _ipython_display_(self) -> None:
        """Jupyter shows nothing for a Verdict: its message has already been printed."""


def report(ok: bool, name: str, detail: str = "") -> Verdict:
    """Print '✅ Correct: name.' or '❌ Not yet: name. Hint: detail' and return the Verdict.

    Shapes: none. Chapter 0.
    """
    if ok:
        message = f"{RIGHT}: {name}."
    else:
        message = f"{WRONG}: {name}." + (f"\n   Hint: {detail}" if detail else "")
    print(message)
    return Verdict(ok, message)


def unanswered(name: str, *answers: object) -> Verdict | None:
    """A 'no answer yet' Verdict (printed) if any answer is still `...` or None, else None.

    Shapes: any -> Verdict or None. Chapter 0.
    """
    if any(answer is None or answer is Ellipsis for answer in answers):
        message = f"{EMPTY}: {name}.\n   To check one, replace the `...` and run the cell again."
        print(message)
        return Verdict(False, message)
    return None


def close(
    answer: object,
    expected: float | np.ndarray,
    name: str,
    rtol: float = 1e-3,
    atol: float = 0.0,
    hint: str = "",
) -> Verdict:
    """Is |answer - expected| <= atol + rtol |expected| elementwise (same shape)?

    Shapes: answer, expected: any matching shape -> Verdict. Chapter 0.
    """
    if (empty := unanswered(name, answer)) is not None:
        return empty
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return report(False, name, f"expected a number or array, got {type(answer).__name__}")
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        return report(
            False, name, f"your answer has shape {got.shape}; expected shape {want.shape}"
        )
    return report(bool(np.allclose(got, want, rtol=rtol, atol=atol)), name, hint)


__all__ = ["EMPTY", "RIGHT", "WRONG", "Verdict", "close", "report", "unanswered"]
