from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.losses import softmax
from dlbook.regression import design_matrix, normal_equations, squared_loss
from dlbook.widgets import SCRUBBER_CLASS
from dlbook.widgets.learning_and_losses import (
    draw_line_fit,
    draw_loss_contours,
    draw_softmax_bars,
    line_fit_demo,
    line_fit_figure,
    line_fit_small_multiples,
    softmax_small_multiples,
    softmax_temperature_figure,
    softmax_temperature_scrubber,
)

BOUNDS = (-2.0, 4.0, -2.0, 3.0)
LOGITS = np.array([2.0, 1.0, 0.5, -1.0])


@pytest.fixture
def line_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1, 3, 12)
    return x, 1.0 + 0.8 * x + 0.3 * rng.standard_normal(12)


def test_line_fit_panel_shows_residuals_and_the_loss(line_data: tuple) -> None:
    x, y = line_data
    _, ax = plt.subplots()
    draw_line_fit(ax, x, y, (0.5, 1.0))
    loss = squared_loss(np.array([0.5, 1.0]), design_matrix(x), y)
    assert ax.get_title() == f"$L(\\theta) = {loss:.1f}$"
    residuals = ax.collections[0].get_segments()  # one vertical segment per data point
    assert len(residuals) == len(x)
    assert all(x0 == x1 for (x0, _), (x1, _) in residuals)  # vertical
    lengths = sorted(abs(hi - lo) for (_, lo), (_, hi) in residuals)
    np.testing.assert_allclose(lengths, sorted(np.abs(y - 0.5 - 1.0 * x)))


def test_loss_contours_mark_the_points_and_the_optimum(line_data: tuple) -> None:
    x, y = line_data
    _, ax = plt.subplots()
    draw_loss_contours(ax, x, y, [(0.0, 0.0), (1.0, 2.0)], BOUNDS, labels=["A", "B"])
    points = [line.get_xydata()[0] for line in ax.lines]
    np.testing.assert_allclose(points[0], normal_equations(design_matrix(x), y))  # the star
    np.testing.assert_allclose(points[1:], [[0.0, 0.0], [1.0, 2.0]])
    texts = [t.get_text() for t in ax.texts]
    assert "A" in texts and "B" in texts and "$\\theta^*$" in texts
    assert (ax.get_xlim(), ax.get_ylim()) == (BOUNDS[:2], BOUNDS[2:])
    _, ax = plt.subplots()
    draw_loss_contours(ax, x, y, [], BOUNDS)  # no points: only the star
    assert len(ax.lines) == 1


def test_line_fit_figure_and_small_multiples(line_data: tuple) -> None:
    x, y = line_data
    fig = line_fit_figure(1.0, 0.5, x, y, BOUNDS)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[0].get_legend() is not None
    fig = line_fit_small_multiples(x, y, [(0, 0), (1, 1), (2, 0), (1, 0)], BOUNDS)
    assert len(fig.axes) == 5
    assert [ax.get_title()[:2] for ax in fig.axes[:4]] == ["A:", "B:", "C:", "D:"]
    fits, surface = fig.axes[:4], fig.axes[4]
    assert surface.get_title() == "loss surface"
    # a 2 x 2 grid of fits, the surface to the right spanning both rows
    rows = {round(ax.get_position().y0, 3) for ax in fits}
    assert len(rows) == 2 and surface.get_position().height > fits[0].get_position().height
    assert len(line_fit_small_multiples(x, y, [(0, 0)], BOUNDS).axes) == 2


def test_line_fit_demo_redraws_with_the_sliders(
    line_data: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dlbook.widgets.learning_and_losses as demo

    calls: list[tuple[float, float]] = []

    def spy(theta0: float, theta1: float, *rest: object) -> Figure:
        calls.append((theta0, theta1))
        return plt.figure()

    monkeypatch.setattr(demo, "line_fit_figure", spy)
    x, y = line_data
    box = line_fit_demo(x, y, BOUNDS)
    theta0, theta1 = box.children[:2]
    assert isinstance(theta0, W.FloatSlider) and isinstance(theta1, W.FloatSlider)
    assert (theta0.min, theta0.max, theta1.min, theta1.max) == BOUNDS
    assert theta0.description == "θ₀" and theta1.description == "θ₁"
    theta1.value = 1.5
    assert calls == [(0.0, 0.0), (0.0, 1.5)]


def test_softmax_bars_show_the_probabilities_and_the_cross_entropy() -> None:
    _, ax = plt.subplots()
    draw_softmax_bars(ax, LOGITS, 2.0, label=1)
    heights = [patch.get_height() for patch in ax.patches]
    np.testing.assert_allclose(heights, softmax(LOGITS / 2.0))
    colours = {patch.get_facecolor() for patch in ax.patches}
    assert len(colours) == 2  # the chosen label stands out
    assert ax.get_title().endswith(f"{-np.log(softmax(LOGITS / 2.0)[1]):.2f}$")
    with pytest.raises(ValueError, match="label 4 is out of range for 4 classes"):
        draw_softmax_bars(ax, LOGITS, 1.0, label=4)


def test_temperature_flattens_or_sharpens_the_bars() -> None:
    cold = softmax_temperature_figure(0.1, LOGITS, 0).axes[0].patches
    hot = softmax_temperature_figure(100.0, LOGITS, 0).axes[0].patches
    assert cold[0].get_height() > 0.99  # tau -> 0: all mass on the largest logit
    np.testing.assert_allclose([p.get_height() for p in hot], 0.25, atol=0.01)  # uniform


def test_temperature_scrubber_has_one_frame_per_tau() -> None:
    taus = [0.5, 1.0, 2.0]
    box = softmax_temperature_scrubber(LOGITS, 0, taus)
    slider, stack = box.children
    assert SCRUBBER_CLASS in box._dom_classes
    assert [label for label, _ in slider.options] == ["0.5", "1", "2"]
    assert len(stack.children) == 3
    assert len({image.value for image in stack.children}) == 3


def test_softmax_small_multiples_one_panel_per_tau() -> None:
    fig = softmax_small_multiples(LOGITS, 3, [0.5, 1.0, 4.0, 16.0])
    assert len(fig.axes) == 4
    assert all("z_{3}" in ax.get_title() for ax in fig.axes)
