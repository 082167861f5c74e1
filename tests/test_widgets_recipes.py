"""Tests of the demo recipes: each makes the inputs its demo takes, with the right shapes,
at a tiny training budget, and the demo's drawing core accepts them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.autodiff import topological_order
from dlbook.widgets import catalog, recipes


def test_training_history_snapshots_fit_xor(rng) -> None:
    d = recipes.training_history(rng)
    steps = [k for k, _ in d["snapshots"]]
    assert steps[0] == 0 and steps[-1] == 2000 and d["X"].shape == (200, 2)
    final = d["snapshots"][-1][1]
    assert np.mean(np.sign(final(d["X"])) == d["y"]) > 0.9


def test_small_graph_is_chapter_5s_after_backward(rng) -> None:
    root = recipes.small_graph(rng)["root"]
    nodes = topological_order(root)
    assert root.name == "L" and len(nodes) == 11
    leaves = [n for n in nodes if n.name in ("A1", "A2")]
    assert len(leaves) == 2 and all(np.abs(n.grad).sum() > 0 for n in leaves)


def test_double_descent_peaks_near_n(rng) -> None:
    d = recipes.double_descent(rng)
    assert d["errors"].shape == d["ps"].shape and 100 in d["ps"]
    assert abs(np.log(d["ps"][np.argmax(d["errors"])] / 100)) < np.log(2)


@pytest.mark.parametrize(
    ("recipe", "keys", "kwargs"),
    [
        (recipes.eos_runs, ["runs"], {"steps": 40}),
        (recipes.char_lstm, ["logits", "vocab", "samples", "trace", "text"], {"steps": 2}),
        (recipes.tiny_gpt, ["maps", "text", "logits", "vocab"], {"steps": 2}),
        (recipes.digit_vae, ["decoder"], {"steps": 5}),
        (recipes.ring_diffusion, ["forward", "reverse", "steps"], {"steps": 5}),
    ],
)
def test_trained_recipes_make_what_their_demos_draw(rng, recipe, keys, kwargs) -> None:
    d = recipe(rng, **kwargs)
    assert sorted(d) == sorted(keys)
    for demo in catalog.DEMOS:
        if demo.prepare is recipe:
            fig = demo.draw(d)
            assert isinstance(fig, Figure)
            plt.close(fig)


def test_trained_recipe_shapes(rng) -> None:
    lstm = recipes.char_lstm(rng, steps=2)
    T = len(lstm["text"])
    assert lstm["logits"].shape == (len(lstm["vocab"]),)
    assert lstm["trace"]["f"].shape == (T, 128) and len(lstm["samples"]) == 7
    gpt = recipes.tiny_gpt(rng, steps=2)
    assert gpt["maps"].shape == (2, 4, len(gpt["text"]), len(gpt["text"]))
    diffusion = recipes.ring_diffusion(rng, steps=5)
    assert diffusion["forward"].shape == (101, 1000, 2) == diffusion["reverse"].shape
