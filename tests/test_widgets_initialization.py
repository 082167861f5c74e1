from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.widgets import SCRUBBER_CLASS
from dlbook.widgets.initialization import (
    draw_explorer,
    draw_propagation,
    draw_small_multiples,
    explorer,
    scale_scrubber,
)


def test_draw_propagation_plots_what_he_and_xavier_do() -> None:
    fig = draw_propagation(20, 2.0, "relu", 5)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    forward = fig.axes[0].lines[0].get_ydata()
    # He: flat up to the finite-width spread of 4 networks of width 128
    assert forward.shape == (21,) and 0.25 < forward[-1] / forward[1] < 4
    fig = draw_propagation(20, 1.0, "relu", 20)
    forward = fig.axes[0].lines[0].get_ydata()
    assert abs(np.log2(forward[-1] / forward[1]) + 19) < 2  # Xavier with ReLU: halves
    assert "relu" in fig.axes[0].get_title()
    (stairs,) = fig.axes[1].patches
    assert stairs.get_data().values.sum() == 8 * 128  # layer 20 of the first network
    with pytest.raises(ValueError, match="layer"):
        draw_propagation(5, 2.0, "relu", 6)
    with pytest.raises(ValueError, match="activation"):
        draw_propagation(5, 2.0, "sigmoid", 1)


def test_explorer_and_small_multiples() -> None:
    box = explorer()
    assert isinstance(box, W.VBox) and len(box.children) == 5
    depth_slider, layer_slider = box.children[0], box.children[3]
    depth_slider.value = 5  # the layer slider (10) is now past the depth: clamped, no error
    assert layer_slider.value == 10
    fig = draw_explorer(5, 2.0, "tanh", 10)
    assert fig.axes[1].get_xlabel() == "$z_{5}$"
    fig = draw_small_multiples([0.5, 2.0], depth=10)
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes][1] == "relu, scale 2"
    small = fig.axes[0].lines[0].get_ydata()
    assert small[-1] < 1e-3 * small[1]  # scale 0.5 with ReLU: a factor 1/4 per layer


def test_scale_scrubber_has_a_frame_per_scale() -> None:
    box = scale_scrubber("tanh", depth=4)
    slider, stack = box.children
    assert SCRUBBER_CLASS in box._dom_classes and len(stack.children) == 13
    assert slider.options[0][0] == "0.50" and slider.options[-1][0] == "4.00"
    assert stack.children[0].value != stack.children[-1].value  # the frames differ
