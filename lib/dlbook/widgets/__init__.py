"""Slider demos for class and for the static website.

Two kinds, both built on a plain drawing function `draw(value) -> Figure` that tests call
directly:

* :func:`live` - an `interact`-style demo that redraws in a running kernel (Jupyter, Colab).
* :func:`scrubber` - kernel-free: every frame is rendered when the notebook runs and held in
  an `ipywidgets.Stack` of `Image` widgets whose index is linked to the slider *in the
  browser* (`jslink`), so dragging the slider works on the rendered website too. With
  ipywidgets 7 (Colab's), which has no `Stack`, the slider swaps the frames from the kernel.

This package holds the pieces every demo uses; a chapter's own demos live in a module named
after the chapter's folder (`dlbook.widgets.losses` for `chapters/02_losses`, say). A
presentation package (Chapter 0 shows both kinds).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from dlbook.plotting import LayoutReuse, decision_boundary, fig_to_png

SCRUBBER_CLASS = "dlbook-scrubber"


def render_frames(
    draw: Callable[[object], Figure], values: Sequence[object], dpi: int = 90
) -> list[bytes]:
    """PNG bytes of draw(v) for each v in values (figures are closed after rendering).

    Shapes: values: (F,) -> F frames. Chapter 0.
    """
    if len(values) == 0:
        raise ValueError("render_frames needs at least one value")
    frames, layout = [], LayoutReuse()  # the frames share one layout pass
    for value in values:
        fig = draw(value)
        if not isinstance(fig, Figure):
            raise TypeError(
                f"draw({value!r}) must return a matplotlib Figure, got {type(fig).__name__}"
            )
        frames.append(fig_to_png(layout(fig), dpi=dpi))
    return frames


def scrubber(
    draw: Callable[[object], Figure],
    values: Sequence[object],
    description: str = "value",
    labels: Sequence[str] | None = None,
    dpi: int = 90,
) -> W.VBox:
    """A slider over precomputed frames of draw(v), linked in the browser: works without a kernel.

    Shapes: values: (F,) -> a widget holding F PNG frames. Chapter 0.
    """
    frames = render_frames(draw, values, dpi=dpi)
    labels = [str(v) for v in values] if labels is None else [str(s) for s in labels]
    if len(labels) != len(frames):
        raise ValueError(f"{len(frames)} frames but {len(labels)} labels")
    image_layout = W.Layout(max_width="100%")
    slider = W.SelectionSlider(
        options=list(zip(labels, range(len(labels)), strict=True)),
        value=0,
        description=description,
        continuous_update=True,
        layout=W.Layout(width="min(100%, 560px)"),
        style={"description_width": "initial"},
    )
    if hasattr(W, "Stack"):  # ipywidgets 8: the frames switch in the browser, kernel or not
        images = [W.Image(value=png, format="png", layout=image_layout) for png in frames]
        shown = W.Stack(images, selected_index=0)
        W.jslink((slider, "index"), (shown, "selected_index"))
    else:  # ipywidgets 7 (Colab): one Image whose bytes the kernel swaps as the slider moves
        shown = W.Image(value=frames[0], format="png", layout=image_layout)
        slider.observe(lambda change: setattr(shown, "value", frames[change["new"]]), "index")
    box = W.VBox([slider, shown])
    box.add_class(SCRUBBER_CLASS)
    return box


def live(draw: Callable[..., Figure], **sliders: W.ValueWidget) -> W.VBox:
    """An interact-style demo: draw(**slider values) is redrawn whenever a slider moves.

    Needs a running kernel (Jupyter, Colab); on the static site show a figure instead.
    Shapes: none. Chapter 0.
    """
    if not sliders:
        raise ValueError("live() needs at least one slider, e.g. eta=FloatSlider(...)")
    out, layout = W.Output(), LayoutReuse()  # redraws reuse the first layout

    def redraw(change: object = None) -> None:
        with out:
            out.clear_output(wait=True)
            fig = layout(draw(**{name: s.value for name, s in sliders.items()}))
            display(fig)  # plt.show(fig) is a TypeError outside the inline backend
            plt.close(fig)

    for s in sliders.values():
        s.observe(redraw, names="value")
    redraw()
    return W.VBox([*sliders.values(), out])


def decision_boundary_frame(
    snapshot: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray, title: str
) -> Figure:
    """Drawing core of the training scrubbers: one decision boundary as a small figure.

    Shapes: snapshot: (M, 2) -> (M,) scores; X: (B, 2); y: (B,). Chapter 1.
    """
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    decision_boundary(ax, snapshot, X, y, title=title, n=120)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def training_scrubber(
    snapshots: Sequence[tuple[int, Callable[[np.ndarray], np.ndarray]]],
    X: np.ndarray,
    y: np.ndarray,
    name: str = "model",
) -> W.VBox:
    """Scrub through a training run: a (step, score function) snapshot per frame.

    Shapes: X: (B, 2), y: (B,); F snapshots -> F frames. Chapter 1.
    """
    steps = [step for step, _ in snapshots]
    scores = dict(snapshots)
    return scrubber(
        lambda step: decision_boundary_frame(scores[step], X, y, f"{name} after {step} steps"),
        steps,
        description="training step",
    )
