"""Tests of chapter 12's width slider: the drawing function runs without a browser and shows
the right things; the scrubber holds one frame per width."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.kernels import random_one_layer_outputs
from dlbook.widgets import theory as demos


def test_circle_is_unit_norm():
    X = demos.circle(np.linspace(0, 3, 5))
    assert X.shape == (5, 2) and np.allclose((X**2).sum(1), 1.0)


def test_draw_width_plots_histogram_gaussian_and_kernels(rng):
    angles = np.linspace(0, np.pi, 7)
    out = random_one_layer_outputs(8, demos.circle(angles), 3000, rng)
    fig = demos.draw_width(8, out, angles)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert "n = 8" in left.get_title()
    analytic, mc = right.get_lines()
    assert analytic.get_ydata()[0] == pytest.approx(1.0)  # K(x, x) = 1 on the unit circle
    assert np.allclose(mc.get_ydata(), analytic.get_ydata(), atol=0.1)
    with pytest.raises(ValueError, match=r"\(draws, 7\)"):
        demos.draw_width(8, out[:, :3], angles)


def test_width_scrubber_has_one_frame_per_width(rng):
    box = demos.width_scrubber([1, 4], 200, rng, np.linspace(0, np.pi, 5))
    slider, stack = box.children
    assert len(stack.children) == 2 and len(slider.options) == 2
