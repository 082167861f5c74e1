"""Tests of chapter 9's demos: the drawing functions run without a browser and show the
right things; the scrubbers hold one frame per slider value."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook import gated, rnn
from dlbook.widgets import recurrent_networks as demos


@pytest.fixture
def trace(rng):
    params = rnn.init_params("lstm", 3, 5, rng, forget_bias=2.0)
    return {k: v[0] for k, v in gated.lstm_trace(params, rng.standard_normal((1, 4, 3))).items()}


def test_draw_gates_marks_the_step(trace):
    fig = demos.draw_gates(trace, "ab c", 2)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    top, bottom = fig.axes
    labels = [label.get_text() for label in top.get_yticklabels()]
    assert labels == ["input gate $i_t$", "forget gate $f_t$", "output gate $o_t$"]
    assert top.get_lines()[-1].get_xdata()[0] == 2 == bottom.get_lines()[0].get_xdata()[0]
    H = trace["f"].shape[1]  # the trace has fewer units than the 12 shown by default
    stacked = np.vstack([trace[k].T for k in "ifo"])
    np.testing.assert_allclose(top.images[0].get_array(), stacked)
    np.testing.assert_allclose(top.images[0].get_array()[H : 2 * H], trace["f"].T)
    np.testing.assert_allclose(bottom.images[0].get_array(), trace["c"].T)
    assert "reading '␣'" in top.get_title()
    with pytest.raises(ValueError, match="T = 3"):
        demos.draw_gates(trace, "abc", 0)


def test_gate_inspector_has_one_frame_per_character(trace):
    box = demos.gate_inspector(trace, "ab\nc")
    slider, stack = box.children
    assert len(stack.children) == 4 and [s for s, _ in slider.options][2] == "2: ↵"


def test_temperature_drawing_and_scrubber():
    logits, vocab = np.array([0.0, 2.0, 1.0]), ["a", " ", "b"]
    samples = {0.5: "aab", 2.0: "b a"}
    fig = demos.draw_temperature(logits, vocab, samples, 0.5)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    np.testing.assert_allclose(
        heights, np.sort(np.exp(2 * logits) / np.exp(2 * logits).sum())[::-1]
    )
    assert "0.5" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="vocabulary of 2"):
        demos.draw_temperature(logits, vocab[:2], samples, 0.5)
    box = demos.temperature_scrubber(logits, vocab, samples)
    assert len(box.children[1].children) == 2
