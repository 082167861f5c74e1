"""Tests of the appendix demos: drawing functions run without a browser, scrubbers hold
one frame per value."""

from __future__ import annotations

import numpy as np

from dlbook import rmt
from dlbook.widgets import appendix_background as demos


def test_draw_mp_overlays_the_density_on_the_histogram():
    fig = demos.draw_mp(0.25, n=400)
    ax = fig.axes[0]
    curve = ax.get_lines()[0]
    np.testing.assert_allclose(curve.get_ydata(), rmt.mp_density(curve.get_xdata(), 0.25))
    assert "0.25" in ax.get_title() and len(ax.patches) == 40


def test_draw_langevin_and_the_scrubbers():
    fig = demos.draw_langevin(0.5, chains=50, steps=50)
    assert fig.axes[0].get_title() == "T = 0.5"
    box = demos.mp_scrubber([0.1, 0.5])
    assert len(box.children[1].children) == 2
    box = demos.langevin_scrubber([0.2, 1.0])
    assert [label for label, _ in box.children[0].options] == ["0.2", "1.0"]
