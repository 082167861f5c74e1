"""Tests of chapter 7's demos: the drawing functions run without a browser and show the
right things; the scrubbers hold one frame per slider value."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from torch import nn

from dlbook.capacity import random_features_errors
from dlbook.widgets import regularization as demos


def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


@pytest.fixture
def curve_data(rng):
    x = np.linspace(0, 1, 10)
    x_test = rng.uniform(0, 1, 50)
    return (x, _sine(x) + 0.1 * rng.standard_normal(10)), (x_test, _sine(x_test))


def test_draw_capacity_marks_M_and_plots_both_curves(curve_data):
    fig = demos.draw_capacity(_sine, *curve_data, 4, [1, 2, 4, 8])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert "M = 4" in left.get_legend_handles_labels()[1][1]
    assert [line.get_label() for line in right.get_lines()[:2]] == ["train", "test"]
    assert right.get_lines()[2].get_xdata()[0] == 4  # the marker


def test_capacity_scrubber_has_one_frame_per_M(curve_data):
    box = demos.capacity_scrubber(_sine, *curve_data, [1, 3, 5])
    slider, stack = box.children
    assert len(stack.children) == 3 and len(slider.options) == 3


def test_double_descent_drawing_and_scrubber(rng):
    X, X_test = rng.standard_normal((20, 3)), rng.standard_normal((40, 3))
    y, y_test = X[:, 0], X_test[:, 0]
    ps = [5, 20, 60]
    errors = random_features_errors(X, y, X_test, y_test, ps, 1, rng).mean(axis=1)
    fig = demos.draw_double_descent((X, y), (X_test, y_test), 20, ps, errors)
    assert "p = 20 features, n = 20" in fig.axes[0].get_title()
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_xdata(), np.array(ps) / 20)
    box = demos.double_descent_scrubber((X, y), (X_test, y_test), ps, errors)
    assert [label for label, _ in box.children[0].options] == ["0.25", "1.00", "3.00"]


def test_dropout_models_train_with_dropout_and_draw(rng):
    X = rng.standard_normal((40, 2)).astype(np.float32)
    labels = (X[:, 0] * X[:, 1] > 0).astype(int)
    models = demos.dropout_models((X, labels), [0.0, 0.5], width=16, epochs=5)
    assert not any(isinstance(m, nn.Dropout) for m in models[0.0])
    assert sum(isinstance(m, nn.Dropout) for m in models[0.5]) == 2
    fig = demos.draw_dropout(models[0.5], (X, labels), (X, labels), 0.5)
    assert "dropout p = 0.5" in fig.axes[0].get_title()
    box = demos.dropout_scrubber(models, (X, labels), (X, labels))
    assert len(box.children[1].children) == 2
