"""Tests of chapter 11's demos: the drawings show the right step and digit; the scrubber has
one frame per step; the latent explorer redraws when a slider moves."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from dlbook.nets import cpu_generator, mlp
from dlbook.widgets import generative_models as demos


@pytest.fixture
def trajectories(rng):
    forward = np.cumsum(rng.standard_normal((6, 50, 2)), axis=0)  # (T + 1, n, 2)
    return forward, forward[::-1].copy()


def test_draw_diffusion_step_shows_both_processes_at_t(trajectories):
    forward, reverse = trajectories
    fig = demos.draw_diffusion_step(forward, reverse, 2)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert "t = 2" in left.get_title() and "t = 2" in right.get_title()
    np.testing.assert_allclose(left.collections[0].get_offsets(), forward[2])
    np.testing.assert_allclose(right.collections[0].get_offsets(), reverse[3])
    with pytest.raises(ValueError, match="clash"):
        demos.draw_diffusion_step(forward, reverse, 6)


def test_diffusion_scrubber_has_one_frame_per_step(trajectories):
    slider, stack = demos.diffusion_scrubber(*trajectories, [0, 2, 5]).children
    assert len(stack.children) == 3 and [lab for lab, _ in slider.options] == ["0", "2", "5"]


def test_latent_drawings_decode_the_point():
    decoder = mlp([2, 8, 64], generator=cpu_generator(0))
    image = demos.decode_image(decoder, [0.5, -1.0])
    with torch.no_grad():
        expected = decoder(torch.tensor([[0.5, -1.0]])).reshape(8, 8).numpy()
    np.testing.assert_allclose(image, expected, rtol=1e-6)
    fig = demos.draw_latent(decoder, 0.5, -1.0)
    assert fig.axes[0].get_title() == "z = (0.5, -1.0)"
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), expected, rtol=1e-6)
    grid = demos.draw_latent_grid(decoder, [-1.0, 0.0, 1.0])
    assert len(grid.axes) == 9


def test_latent_explorer_redraws_on_slider_change(monkeypatch):
    decoder = mlp([2, 8, 64], generator=cpu_generator(0))
    calls = []
    real_draw = demos.draw_latent

    def recording_draw(dec, z1, z2):
        calls.append((z1, z2))
        return real_draw(dec, z1, z2)

    monkeypatch.setattr(demos, "draw_latent", recording_draw)
    z1, z2, _ = demos.latent_explorer(decoder).children
    assert (z1.description, z2.description) == ("z1", "z2")
    z1.value = 1.0  # each slider move redraws at the new point
    z2.value = -0.5
    assert calls == [(0.0, 0.0), (1.0, 0.0), (1.0, -0.5)]
