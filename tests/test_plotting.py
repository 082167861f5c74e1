from __future__ import annotations

import re
import struct
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from dlbook.plotting import (
    BLUE,
    GREEN,
    ORANGE_RED,
    PALETTE,
    STYLE,
    decision_boundary,
    fig_to_png,
    grid_2d,
    loglog_fit,
    set_style,
)


@pytest.fixture(autouse=True)
def isolated_style() -> Iterator[None]:
    with mpl.rc_context():
        mpl.rcdefaults()
        yield
    plt.close("all")


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def test_palette_is_hex_and_drives_the_colour_cycle() -> None:
    assert len(PALETTE) == len(set(PALETTE)) == 8
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)
    assert (BLUE, ORANGE_RED, GREEN) == PALETTE[:3]
    assert STYLE["axes.prop_cycle"].by_key()["color"] == list(PALETTE)  # type: ignore[attr-defined]


def test_set_style_applies_style() -> None:
    assert mpl.rcParams["axes.spines.top"] is True  # defaults before
    set_style()
    for key, value in STYLE.items():
        current = mpl.rcParams[key]
        if isinstance(value, tuple):
            current, value = tuple(current), tuple(value)
        assert current == value, key
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1])
    assert to_hex(line.get_color()).lower() == PALETTE[0].lower()
    assert tuple(fig.get_size_inches()) == pytest.approx(STYLE["figure.figsize"])
    plt.close(fig)


def test_fig_to_png_returns_png_and_closes_the_figure() -> None:
    fig, ax = plt.subplots(figsize=(2.0, 1.0))
    ax.plot([0, 1], [1, 0])
    number = fig.number
    png = fig_to_png(fig, dpi=50)
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(png) == (100, 50)
    assert number not in plt.get_fignums()


def test_fig_to_png_dpi_scales_the_image() -> None:
    fig_a, _ = plt.subplots(figsize=(2.0, 2.0))
    fig_b, _ = plt.subplots(figsize=(2.0, 2.0))
    assert png_size(fig_to_png(fig_a)) == (180, 180)  # default dpi 90
    assert png_size(fig_to_png(fig_b, dpi=30)) == (60, 60)


@pytest.mark.parametrize(("n", "pad"), [(5, 0.5), (17, 0.0), (2, 1.25)])
def test_grid_2d_covers_the_padded_points(rng: np.random.Generator, n: int, pad: float) -> None:
    X = rng.normal(size=(13, 2)) * [1.0, 3.0]
    xx, yy, points = grid_2d(X, n=n, pad=pad)
    assert xx.shape == yy.shape == (n, n)
    assert points.shape == (n * n, 2)
    np.testing.assert_allclose(points[:, 0], xx.ravel())
    np.testing.assert_allclose(points[:, 1], yy.ravel())
    np.testing.assert_allclose(points.min(axis=0), X.min(axis=0) - pad)
    np.testing.assert_allclose(points.max(axis=0), X.max(axis=0) + pad)
    np.testing.assert_allclose(xx[0], np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, n))
    np.testing.assert_allclose(yy[:, 0], np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, n))


@pytest.mark.parametrize("shape", [(5, 3), (5,), (2, 2, 2), (4, 1)])
def test_grid_2d_rejects_non_2d_points(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=re.escape(str(shape))):
        grid_2d(np.zeros(shape))


def scatter_offsets(ax: plt.Axes) -> list[np.ndarray]:
    return [np.asarray(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]


@pytest.mark.parametrize("labels", ["signed", "binary"])
def test_decision_boundary_draws_regions_and_both_classes(
    rng: np.random.Generator, labels: str
) -> None:
    X = rng.normal(size=(20, 2))
    positive = X[:, 0] + X[:, 1] > 0
    y = np.where(positive, 1, -1) if labels == "signed" else positive.astype(int)
    seen: list[tuple[int, ...]] = []

    def score(points: np.ndarray) -> np.ndarray:
        seen.append(points.shape)
        return points[:, 0] + points[:, 1]

    fig, ax = plt.subplots()
    out = decision_boundary(ax, score, X, y, title="linear", n=30)
    assert out is ax
    assert seen == [(900, 2)]
    assert ax.get_title() == "linear"
    offsets = scatter_offsets(ax)
    assert len(offsets) == 2
    np.testing.assert_allclose(offsets[0], X[~positive])
    np.testing.assert_allclose(offsets[1], X[positive])
    assert len(ax.collections) >= 3  # filled regions and/or contour line besides the points
    xx, yy, _ = grid_2d(X, n=30)
    assert ax.get_xlim() == pytest.approx((xx.min(), xx.max()))
    assert ax.get_ylim() == pytest.approx((yy.min(), yy.max()))
    labels_drawn = ax.get_legend_handles_labels()[1]
    assert labels_drawn == ["class −", "class +"]
    plt.close(fig)


@pytest.mark.parametrize("y_shape", [(4,), (6,), (5, 1)])
def test_decision_boundary_rejects_mismatched_labels(y_shape: tuple[int, ...]) -> None:
    fig, ax = plt.subplots()
    message = re.escape(f"X has shape (5, 2) but y has shape {y_shape}")
    with pytest.raises(ValueError, match=message):
        decision_boundary(ax, lambda p: p[:, 0], np.zeros((5, 2)), np.ones(y_shape))
    assert len(ax.collections) == 0
    plt.close(fig)


def test_loglog_fit_draws_points_and_curve_on_log_axes() -> None:
    x = np.array([1.0, 10.0, 100.0, 1000.0])
    y = 2.0 * x**-0.5
    fig, ax = plt.subplots()
    out = loglog_fit(ax, x, y, curve=lambda n: 2.0 * n**-0.5, label="data", curve_label="law")
    assert out is ax
    assert ax.get_xscale() == "log"
    assert ax.get_yscale() == "log"
    points, line = ax.get_lines()
    np.testing.assert_allclose(points.get_xdata(), x)
    np.testing.assert_allclose(points.get_ydata(), y)
    grid = np.asarray(line.get_xdata())
    assert len(grid) == 200
    assert grid[0] == pytest.approx(1.0)
    assert grid[-1] == pytest.approx(1000.0)
    np.testing.assert_allclose(line.get_ydata(), 2.0 * grid**-0.5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["data", "law"]
    plt.close(fig)


def test_loglog_fit_without_curve() -> None:
    fig, ax = plt.subplots()
    loglog_fit(ax, [1, 2, 4], [3, 2, 1])
    assert len(ax.get_lines()) == 1
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    plt.close(fig)


def test_loglog_fit_rejects_mismatched_shapes() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=re.escape("x has shape (3,) but y has shape (2,)")):
        loglog_fit(ax, [1, 2, 3], [1, 2])
    plt.close(fig)


def test_layout_reuse_solves_once_and_copies_the_positions() -> None:
    from dlbook.plotting import LayoutReuse

    def draw(title: str) -> Figure:
        fig, axes = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")
        for ax in axes:
            ax.semilogy([1, 2, 3], [1, 10, 1e5])
            ax.set(title=title, ylabel="a long y label")
        return fig

    reference = draw("first")
    reference.get_layout_engine().execute(reference)
    expected = [ax.get_position().bounds for ax in reference.axes]
    layout = LayoutReuse()
    first, second = layout(draw("first")), layout(draw("second"))
    for fig in (first, second):
        assert fig.get_layout_engine().__class__.__name__ == "PlaceHolderLayoutEngine"
        got = [ax.get_position().bounds for ax in fig.axes]
        np.testing.assert_allclose(got, expected, atol=1e-9)
    assert expected[0][0] > 0.05  # the layout made room for the y label
    other = layout(plt.subplots(1, 3, figsize=(6, 3), layout="constrained")[0])  # new shape
    assert layout(plt.figure()).get_layout_engine() is None  # no constrained layout: untouched
    assert len(layout.positions) == 3 and other.axes[2].get_position().x0 > 0.6
    plt.close("all")


def test_plain_log_ticks_label_in_plain_text_without_minor_ticks() -> None:
    from dlbook.plotting import plain_log_ticks

    fig, ax = plt.subplots()
    ax.semilogy([1, 2, 3], [1e-2, 1, 1e2])
    plain_log_ticks(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "0.01" in labels and "100" in labels and not any("$" in s for s in labels)
    assert len(ax.yaxis.get_minorticklocs()) == 0
    with pytest.raises(ValueError, match="axis must be"):
        plain_log_ticks(ax, "z")
    plt.close(fig)
