from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.data import xor
from dlbook.perceptron import train_perceptron
from dlbook.widgets import (
    SCRUBBER_CLASS,
    decision_boundary_frame,
    live,
    render_frames,
    scrubber,
    training_scrubber,
)


def small_figure(value: object) -> Figure:
    fig, ax = plt.subplots(figsize=(1.0, 1.0))
    ax.plot([0.0, 1.0], [0.0, float(value)])
    ax.set_ylim(-5, 5)
    return fig


def links_between(source: W.Widget, source_trait: str, target: W.Widget, target_trait: str) -> int:
    state = W.Widget.get_manager_state(drop_defaults=True)["state"]
    wanted_source = [f"IPY_MODEL_{source.model_id}", source_trait]
    wanted_target = [f"IPY_MODEL_{target.model_id}", target_trait]
    return sum(
        1
        for model in state.values()
        if model["model_name"] == "LinkModel"
        and model["state"]["source"] == wanted_source
        and model["state"]["target"] == wanted_target
    )


def test_render_frames_one_png_per_value_and_closes_figures() -> None:
    open_before = set(plt.get_fignums())
    frames = render_frames(small_figure, [1, -2, 3], dpi=20)
    assert len(frames) == 3
    assert all(isinstance(f, bytes) and f.startswith(b"\x89PNG") for f in frames)
    assert len(set(frames)) == 3  # each frame shows its own value
    assert frames[0] == render_frames(small_figure, [1], dpi=20)[0]  # deterministic
    assert set(plt.get_fignums()) == open_before


def test_render_frames_rejects_a_draw_without_figure() -> None:
    with pytest.raises(TypeError, match=r"draw\(2\) must return a matplotlib Figure, got NoneType"):
        render_frames(lambda v: None, [2])
    with pytest.raises(TypeError, match="got Axes"):
        render_frames(lambda v: plt.subplots()[1], [1])


def test_render_frames_rejects_empty_values() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        render_frames(small_figure, [])


def test_scrubber_structure_and_browser_link() -> None:
    values = [0.5, 1.5, 2.5, 3.5]
    box = scrubber(small_figure, values, description="eta", dpi=20)
    assert isinstance(box, W.VBox)
    assert SCRUBBER_CLASS in box._dom_classes
    slider, stack = box.children
    assert isinstance(slider, W.SelectionSlider)
    assert isinstance(stack, W.Stack)
    assert slider.description == "eta"
    assert slider.options == (("0.5", 0), ("1.5", 1), ("2.5", 2), ("3.5", 3))
    assert slider.index == 0 and stack.selected_index == 0
    assert len(stack.children) == len(values)
    assert all(isinstance(image, W.Image) and image.format == "png" for image in stack.children)
    frames = render_frames(small_figure, values, dpi=20)
    assert [image.value for image in stack.children] == frames
    assert links_between(slider, "index", stack, "selected_index") == 1


def test_scrubber_on_ipywidgets_7_swaps_frames_from_the_kernel(monkeypatch) -> None:
    """Colab ships ipywidgets 7.7, which has no Stack: one Image shows the slider's frame."""
    monkeypatch.delattr(W, "Stack")
    values = [0.5, 1.5, 2.5]
    slider, image = scrubber(small_figure, values, dpi=20).children
    frames = render_frames(small_figure, values, dpi=20)
    assert isinstance(image, W.Image) and image.value == frames[0]
    for i in (2, 1, 0):
        slider.index = i
        assert image.value == frames[i]


def test_scrubber_labels() -> None:
    box = scrubber(small_figure, [1, 2], labels=["one", "two"], dpi=20)
    assert [label for label, _ in box.children[0].options] == ["one", "two"]
    with pytest.raises(ValueError, match="2 frames but 3 labels"):
        scrubber(small_figure, [1, 2], labels=["a", "b", "c"], dpi=20)


def test_live_redraws_when_a_slider_moves() -> None:
    calls: list[dict[str, object]] = []

    def draw(**values: object) -> Figure:
        calls.append(values)
        return small_figure(values["eta"])

    eta = W.FloatSlider(value=0.1, min=0.0, max=1.0)
    steps = W.IntSlider(value=3, min=1, max=10)
    box = live(draw, eta=eta, steps=steps)
    assert isinstance(box, W.VBox)
    assert box.children[:2] == (eta, steps)
    assert isinstance(box.children[2], W.Output)
    assert calls == [{"eta": 0.1, "steps": 3}]
    eta.value = 0.5
    assert calls[-1] == {"eta": 0.5, "steps": 3}
    steps.value = 7
    assert calls[-1] == {"eta": 0.5, "steps": 7}
    assert len(calls) == 3
    assert plt.get_fignums() == []  # each redraw closes its figure


def test_live_needs_a_slider() -> None:
    with pytest.raises(ValueError, match="at least one slider"):
        live(small_figure)


def test_decision_boundary_frame_returns_a_figure() -> None:
    X, y = xor()
    fig = decision_boundary_frame(lambda p: p[:, 0] - 0.5, X, y, "half-plane")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "half-plane"
    assert ax.get_legend() is not None
    assert len(ax.collections) >= 3


def test_training_scrubber_builds_one_frame_per_snapshot() -> None:
    X, y = xor()
    run = train_perceptron(X, y, epochs=2, snapshot_every=2)
    snapshots = [(step, lambda p, w=w, b=b: p @ w + b) for step, w, b in run.snapshots]
    calls: list[tuple[int, ...]] = []

    def counted(score: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
        def wrapped(points: np.ndarray) -> np.ndarray:
            calls.append(points.shape)
            return score(points)

        return wrapped

    box = training_scrubber([(s, counted(f)) for s, f in snapshots], X, y, name="perceptron")
    slider, stack = box.children
    assert slider.description == "training step"
    assert [label for label, _ in slider.options] == [str(s) for s, _ in snapshots]
    assert len(stack.children) == len(snapshots) >= 2
    assert calls == [(120 * 120, 2)] * len(snapshots)
    assert SCRUBBER_CLASS in box._dom_classes
    assert links_between(slider, "index", stack, "selected_index") == 1
