"""Tests of the demo catalog behind the instructor's index: every demo the chapters show is
listed once, points at a real page and widget function, and builds and redraws."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.plotting import LayoutReuse, fig_to_png
from dlbook.widgets import catalog, recipes

ROOT = Path(__file__).resolve().parents[1]
TRAINED = (recipes.eos_runs, recipes.dropout_moons, recipes.char_lstm, recipes.tiny_gpt,
           recipes.digit_vae, recipes.ring_diffusion)  # fmt: skip
CHEAP = [d.key for d in catalog.DEMOS if d.prepare not in TRAINED]  # tested in test_recipes


def _builders() -> set[str]:
    """Every public dlbook.widgets function that returns a widget, as 'module.name'."""
    names = set()
    for path in (ROOT / "lib" / "dlbook" / "widgets").glob("*.py"):
        if path.stem in ("__init__", "catalog", "recipes"):
            continue
        module = importlib.import_module(f"dlbook.widgets.{path.stem}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and "VBox" in str(fn.__annotations__.get("return")):
                names.add(f"{path.stem}.{name}")
    return names


def _notebook_code() -> str:
    code = []
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        if "appendix_instructors" in str(path):
            continue  # the index itself
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return "\n".join(code)


def test_keys_are_unique_and_find_them() -> None:
    keys = [d.key for d in catalog.DEMOS]
    assert len(keys) == len(set(keys)) >= 25
    assert all(catalog.find(k).key == k for k in keys)
    with pytest.raises(ValueError, match="no demo called 'nope'"):
        catalog.find("nope")


def test_every_demo_points_at_a_page_and_a_widget_function() -> None:
    builders = _builders() | {"training_scrubber"}
    for demo in catalog.DEMOS:
        assert (ROOT / f"{demo.page}.ipynb").exists(), demo.page
        assert demo.function in builders, demo.function
        assert demo.kind in ("scrubber", "live")
        assert demo.chapter == ("A" if "appendix" in demo.page else str(int(demo.page[9:11])))


def test_every_demo_a_chapter_launches_is_in_the_catalog() -> None:
    code, listed = _notebook_code(), {d.function.split(".")[-1] for d in catalog.DEMOS}
    used = {b.split(".")[-1] for b in _builders() if re.search(rf"\b{b.split('.')[-1]}\(", code)}
    assert used, "no demo found in the chapters"
    assert used <= listed, f"demos missing from the catalog: {sorted(used - listed)}"


def test_kinds_match_the_widget_built() -> None:
    for key in ["softmax-temperature", "linear-regions", "line-fit", "init-explorer"]:
        demo = catalog.find(key)
        box = catalog.launch(key, np.random.default_rng(0))
        assert isinstance(box, W.VBox)
        assert ("dlbook-scrubber" in box._dom_classes) == (demo.kind == "scrubber")


@pytest.mark.parametrize("key", CHEAP)
def test_draw_returns_a_figure_that_renders_with_a_reused_layout(key: str) -> None:
    demo, layout = catalog.find(key), LayoutReuse()
    inputs = demo.prepare(np.random.default_rng(1))
    for _ in range(2):
        fig = layout(demo.draw(inputs))
        assert isinstance(fig, Figure)
        assert fig_to_png(fig).startswith(b"\x89PNG")


def test_the_instructors_index_launches_every_demo_once() -> None:
    index = ROOT / "chapters" / "appendix_instructors" / "demos.ipynb"
    cells = json.loads(index.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    launched = re.findall(r'catalog\.launch\("([a-z-]+)", rng\)', code)
    assert launched == [d.key for d in catalog.DEMOS]


def test_inputs_are_made_once_per_recipe_unless_fresh() -> None:
    rng = np.random.default_rng(0)
    first = catalog.inputs("linear-regions", rng)
    assert catalog.inputs("linear-regions", np.random.default_rng(5)) is first
    again = catalog.inputs("linear-regions", np.random.default_rng(7), fresh=True)
    assert again is not first and not np.array_equal(again["A"], first["A"])
