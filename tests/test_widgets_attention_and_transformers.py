"""Tests of chapter 10's demos: the drawing functions show the right numbers without a
browser; the explorer holds one frame per query position."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.widgets import attention_and_transformers as demos


@pytest.fixture
def maps(rng):
    A = np.tril(rng.random((2, 2, 4, 4)))
    return A / A.sum(-1, keepdims=True)


def test_draw_attention_shows_the_query_row_and_masks_the_future(maps):
    fig = demos.draw_attention(maps, "ab c", 1)
    assert isinstance(fig, Figure)
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(shown[2, :2], maps[1, 0, 1, :2])
    assert np.all(np.ma.getmaskarray(shown)[:, 2:]) or np.all(np.isnan(shown[:, 2:]))
    assert "query 1 ('b')" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="T = 4"):
        demos.draw_attention(maps, "abc", 0)


def test_attention_explorer_has_one_frame_per_position(maps):
    slider, stack = demos.attention_explorer(maps, "a\nb ").children
    assert len(stack.children) == 4 and [s for s, _ in slider.options][1] == "1: ↵"


def test_draw_decoding_applies_temperature_and_top_k():
    logits, vocab = np.log([0.1, 0.2, 0.3, 0.4]), ["a", "b", "c", "d"]
    fig = demos.draw_decoding(logits, vocab, 1.0, 2)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    np.testing.assert_allclose(heights, [4 / 7, 3 / 7, 0, 0])
    with pytest.raises(ValueError, match="vocabulary of 3"):
        demos.draw_decoding(logits, vocab[:3], 1.0, 2)
    grid = demos.draw_decoding_grid(logits, vocab, [0.5, 1.0, 2.0], [1, 4])
    assert len(grid.axes) == 6
    assert [b.get_height() for b in grid.axes[0].patches] == [1.0, 0, 0, 0]


def test_decoding_slider_redraws(capsys):
    box = demos.decoding_slider(np.log([0.1, 0.2, 0.7]), ["a", "b", "c"])
    tau, k, out = box.children
    assert k.max == 3 and tau.value == 1.0
    k.value = 1  # moving a slider redraws without error
    assert len(out.outputs) <= 1
