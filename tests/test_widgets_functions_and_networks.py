from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.regions import zaslavsky_bound
from dlbook.widgets import SCRUBBER_CLASS
from dlbook.widgets.functions_and_networks import (
    basis_explorer,
    draw_basis_fit,
    draw_hinges,
    draw_regions,
    hinge_builder,
    regions_scrubber,
)


def hat(x: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - np.abs(x))


def test_draw_hinges_plots_each_unit_and_their_sum() -> None:
    a, b, c = [1.0, 1.0, 1.0], [1.0, 0.0, -1.0], [1.0, -2.0, 1.0]
    fig = draw_hinges(a, b, c, 0.0, hat)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert {"unit 1", "unit 2", "unit 3", "target", "network y(x)"} <= set(lines)
    x, y = lines["network y(x)"].get_data()
    assert np.allclose(y, hat(x))  # the hat is exactly three hinges
    assert "sup error 0.00" in ax.get_title()
    x, y2 = lines["unit 2"].get_data()
    assert np.allclose(y2, -2 * np.maximum(x, 0))
    with pytest.raises(ValueError, match=r"got \(2,\), \(3,\), \(3,\)"):
        draw_hinges([1.0, 1.0], b, c, 0.0)


def test_hinge_builder_has_three_sliders_per_unit_and_an_output_bias() -> None:
    box = hinge_builder(hat, units=4)
    sliders = [w for w in box.children if isinstance(w, W.FloatSlider)]
    assert len(sliders) == 3 * 4 + 1
    assert sliders[-1].description == "c0"
    with pytest.raises(ValueError, match="1 to 4 units, got 5"):
        hinge_builder(hat, units=5)


def test_draw_basis_fit_reports_train_and_test_error(rng: np.random.Generator) -> None:
    x = rng.uniform(0, 1, 20)
    train, test = (x, np.sin(6 * x)), (x[:5], np.sin(6 * x[:5]))
    fig = draw_basis_fit("rbf", 6, train, test, truth=lambda t: np.sin(6 * t))
    title = fig.axes[0].get_title()
    assert title.startswith("rbf, M = 6: train ") and "test" in title
    fig = draw_basis_fit("polynomial", 20, train, test)  # 20 points, 20 bases: interpolates
    assert "train 0.000" in fig.axes[0].get_title()
    box = basis_explorer(train, test)
    assert isinstance(box.children[0], W.Dropdown) and isinstance(box.children[1], W.IntSlider)


def test_draw_regions_titles_the_exact_count_and_the_bound(rng: np.random.Generator) -> None:
    A, b = rng.normal(size=(6, 2)), rng.normal(size=6)
    for M in (0, 1, 6):
        fig = draw_regions(A, b, M, n=60)
        title = fig.axes[0].get_title()
        bound = zaslavsky_bound(M, 2)
        assert title.startswith(f"M = {M}: {bound} regions, bound {bound}")
    with pytest.raises(ValueError, match="cannot take M = 7 units"):
        draw_regions(A, b, 7)
    assert isinstance(draw_regions(A, b, 2, n=30), Figure)


def test_regions_scrubber_has_one_frame_per_width(rng: np.random.Generator) -> None:
    A, b = rng.normal(size=(4, 2)), rng.normal(size=4)
    box = regions_scrubber(A, b, [1, 2, 4])
    assert SCRUBBER_CLASS in box._dom_classes
    slider, stack = box.children
    assert len(stack.children) == 3 and slider.description == "width M"
    assert len({img.value for img in stack.children}) == 3
