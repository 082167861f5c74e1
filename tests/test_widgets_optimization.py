from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.optim import Adam, Momentum
from dlbook.widgets.optimization import (
    NAMES,
    draw_playground,
    draw_race,
    make_optimizer,
    playground,
    race,
)


def test_make_optimizer_names_and_errors() -> None:
    assert isinstance(make_optimizer("Adam", 0.1), Adam)
    assert make_optimizer("Nesterov", 0.1, 0.5).nesterov
    assert isinstance(make_optimizer("momentum", 0.1), Momentum)
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        make_optimizer("sgd", 0.1)
    with pytest.raises(ValueError, match="unknown landscape 'bowl'"):
        race("bowl", ["GD"], 0.1, 5)


def test_race_runs_every_optimizer_and_cuts_divergence() -> None:
    runs = race("ravine", NAMES, 0.03, 50)
    assert set(runs) == set(NAMES)
    assert all(path.shape == (51, 2) for path, _ in runs.values())
    assert runs["momentum"][1][-1] < runs["GD"][1][-1]  # momentum wins the ravine
    diverged = race("ravine", ["GD"], 0.5, 50)["GD"]  # 0.5 > 2/25
    assert np.isinf(diverged[1]).all()


def test_drawings_and_playground() -> None:
    fig = draw_race("rosenbrock", race("rosenbrock", ["GD", "Adam"], 0.01, 20))
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
    fig = draw_playground("ravine", "GD", 0.5, 0.9, 0.999, 60)
    assert "diverged" in fig.axes[0].get_title()
    box = playground()
    assert isinstance(box, W.VBox) and len(box.children) == 7


def test_eos_drawing_and_scrubber() -> None:
    from dlbook.widgets import SCRUBBER_CLASS
    from dlbook.widgets.optimization import draw_eos, eos_scrubber

    run = (np.geomspace(1, 0.1, 40), np.arange(0, 40, 20), np.array([1.0, 3.5]))
    runs = {0.5: run, 0.2: run}
    fig = draw_eos(0.5, runs)
    assert fig.axes[0].lines[1].get_ydata()[0] == pytest.approx(4.0)  # the 2/lr line
    box = eos_scrubber(runs)
    assert SCRUBBER_CLASS in box._dom_classes and len(box.children[1].children) == 2
