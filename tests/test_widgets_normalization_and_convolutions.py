from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.widgets import SCRUBBER_CLASS
from dlbook.widgets.normalization_and_convolutions import (
    batch_size_scrubber,
    convolution_explorer,
    convolution_small_multiples,
    dilation_scrubber,
    draw_batch_statistics,
    draw_convolution,
)


def test_draw_convolution_titles_the_output_size() -> None:
    fig = draw_convolution(3, 2, 1, 1, n=7)
    assert isinstance(fig, Figure)
    assert "7x7 -> 4x4" in fig.axes[0].get_title()
    # input grid (9 x 9 padded), 2 footprints of 9 taps, output grid 16 (collections), 2 marks
    cells = [len(c.get_paths()) for c in fig.axes[0].collections]
    assert cells == [81, 9, 9, 16] and len(fig.axes[0].patches) == 2
    bad = draw_convolution(7, 1, 2, 0, n=7)
    assert "impossible" in bad.axes[0].get_title()


def test_small_multiples_and_widgets() -> None:
    fig = convolution_small_multiples([(3, 1, 1, 0), (3, 2, 1, 1), (3, 1, 2, 0), (5, 1, 1, 2)])
    titles = [ax.get_title() for ax in fig.axes]
    assert "7x7 -> 5x5" in titles[0] and "7x7 -> 3x3" in titles[2] and "7x7 -> 7x7" in titles[3]
    box = convolution_explorer()
    assert isinstance(box, W.VBox) and len(box.children) == 5
    scrub = dilation_scrubber(dilations=(1, 2))
    assert SCRUBBER_CLASS in scrub._dom_classes and len(scrub.children[1].children) == 2


def test_batch_statistics_drawing_and_scrubber(rng: np.random.Generator) -> None:
    stats = np.column_stack([rng.normal(0, 0.5, 100), rng.uniform(0.5, 1.5, 100)])
    fig = draw_batch_statistics(stats, 4, 0.0, 1.0)
    assert "B = 4" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match=r"\(100,\)"):
        draw_batch_statistics(stats[:, 0], 4, 0.0, 1.0)
    box = batch_size_scrubber(rng.normal(size=(300, 2)), rng, sizes=(2, 64))
    assert len(box.children[1].children) == 2
