from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook.autodiff import Tensor, cross_entropy, topological_order
from dlbook.widgets.backprop import (
    backprop_scrubber,
    backward_frame,
    bend,
    draw_graph,
    graph_layout,
    label,
)


def small_net() -> Tensor:
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((1, 2)), name="x")
    W1, W2 = Tensor(rng.standard_normal((2, 3)), name="W1"), Tensor(np.ones((3, 2)), name="W2")
    return cross_entropy((x @ W1).tanh() @ W2, np.array([1]))


def test_layout_puts_every_node_after_its_parents_and_leaves_before_their_use() -> None:
    a, b = Tensor(2.0, name="a"), Tensor(-3.0, name="b")
    e = (a * b + a).tanh() * 2.0
    pos = graph_layout(e)
    order = topological_order(e)
    assert len(pos) == len(order) == 7
    assert len(set(pos.values())) == len(pos)  # no two boxes on one spot
    for node in order:
        for p in node.parents:
            assert pos[id(p)][0] < pos[id(node)][0]
    assert pos[id(a)][0] == pos[id(b)][0] == 0.0
    assert bend((0, 0), (2, 0)) != "arc3,rad=0" and bend((0, 0), (1, 0)) == "arc3,rad=0"


def test_labels_show_name_op_shape_or_value() -> None:
    assert label(Tensor(2.0, name="a")) == "a\n2"
    assert label(Tensor(np.ones((2, 3)), name="W")) == "W\n2x3"
    assert label(Tensor(0.5)) == "0.5" and label(Tensor(np.ones(2))) == "const\n2"
    assert label(Tensor(np.ones(2)).tanh()) == "tanh\n2"


def test_drawings_and_frames() -> None:
    root = small_net()
    fig = draw_graph(root)
    n = len(topological_order(root))
    edges = sum(len(node.parents) for node in topological_order(root))
    assert isinstance(fig, Figure) and len(fig.axes[0].texts) == n + edges  # boxes, arrows
    frame = backward_frame(root, 2)  # runs backward() itself
    assert root.grad is not None and isinstance(frame, Figure)
    shown = " ".join(t.get_text() for t in frame.axes[1].texts)
    order = topological_order(root)[::-1]
    assert f"step 3/{n}" in shown and label(order[2]).partition("\n")[0] in shown
    first = " ".join(t.get_text() for t in backward_frame(root, 0).axes[1].texts)
    assert "(value " in first and "1." in first  # the seed dL/dL = 1
    last = " ".join(t.get_text() for t in backward_frame(root, n - 1).axes[1].texts)
    assert "x (shape 1x2)" in last
    with pytest.raises(ValueError, match=f"step {n} is out of range for a graph of {n} nodes"):
        backward_frame(root, n)


def test_scrubber_has_a_frame_per_node() -> None:
    root = small_net()
    box = backprop_scrubber(root)
    slider, stack = box.children
    assert isinstance(stack, W.Stack) and len(stack.children) == len(topological_order(root))
    assert slider.options[0][0] == "1"
