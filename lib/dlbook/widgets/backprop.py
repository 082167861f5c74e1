"""Chapter 5's demos: the computation graph that `dlbook.autodiff` records, drawn with
matplotlib, and a scrubber that walks the backward pass over it node by node.

`draw_graph` and `backward_frame` are the plain drawing functions that tests call;
`backprop_scrubber` holds the precomputed frames. A presentation module.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlbook.autodiff import Tensor, topological_order
from dlbook.widgets import scrubber

COLORS = {"leaf": "#dbe9f6", "op": "#eeeeee", "done": "#c7e9c0", "now": "#fdae6b"}


def label(node: Tensor) -> str:
    """A node's text: its name (leaves) or op, and its shape (its value if it is a scalar).

    Shapes: -> str. Chapter 5.
    """
    head = node.name or node.op
    if node.data.size == 1:  # a scalar shows its value
        value = f"{node.data.item():.3g}"
        return f"{head}\n{value}" if head else value
    head = head or "const"
    shape = "x".join(str(n) for n in node.shape)
    return f"{head}\n{shape}"


def graph_layout(root: Tensor) -> dict[int, tuple[float, float]]:
    """(column, row) of every node: ops by their depth, leaves just left of their first use.

    Shapes: -> {id(node): (x, y)}. Chapter 5.
    """
    order = topological_order(root)
    depth: dict[int, int] = {}
    for node in order:  # parents come first
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    first_use: dict[int, int] = {}
    for node in order:
        for p in node.parents:
            first_use[id(p)] = min(first_use.get(id(p), depth[id(node)]), depth[id(node)])
    for node in order:  # a leaf sits one column before the first op that uses it
        if not node.parents and id(node) in first_use:
            depth[id(node)] = first_use[id(node)] - 1
    used: dict[int, int] = {}
    pos = {}
    for node in sorted(order, key=lambda n: bool(not n.parents)):  # ops take the low rows
        column = depth[id(node)]
        pos[id(node)] = (float(column), float(used.get(column, 0)))
        used[column] = used.get(column, 0) + 1
    return pos


def bend(start: tuple[float, float], end: tuple[float, float]) -> str:
    """An arrow's path: straight to the next column, curved when it would cross a box.

    Shapes: two (x, y) points -> a matplotlib connection style. Chapter 5.
    """
    skips = abs(end[0] - start[0]) > 1 and start[1] == end[1]
    return "arc3,rad=-0.35" if skips else "arc3,rad=0"


def draw_graph(
    root: Tensor, ax: Axes | None = None, status: dict[int, str] | None = None
) -> Figure:
    """The recorded graph of `root`: a box per tensor, an arrow from each parent to its use.

    `status` maps id(node) to a key of COLORS ("done", "now") to colour the backward pass.
    Shapes: -> Figure. Chapter 5.
    """
    pos = graph_layout(root)
    if ax is None:
        width = 1.3 * (max(x for x, _ in pos.values()) + 1)
        height = 1.0 * (max(y for _, y in pos.values()) + 1)
        _, ax = plt.subplots(figsize=(max(width, 4.0), max(height, 1.8)))
    status = status or {}
    for node in topological_order(root):
        x, y = pos[id(node)]
        for p in node.parents:
            style = bend(pos[id(p)], (x, y))
            arrow = {"arrowstyle": "->", "color": "0.4", "connectionstyle": style}
            ax.annotate(
                "", xy=(x, y), xytext=pos[id(p)], arrowprops=arrow | {"shrinkA": 14, "shrinkB": 14}
            )
        kind = status.get(id(node), "op" if node.parents else "leaf")
        ax.text(
            x,
            y,
            label(node),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round", "fc": COLORS[kind], "ec": "0.3"},
        )
    xs, ys = zip(*pos.values(), strict=True)
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(max(ys) + 0.6, min(ys) - 0.6))
    ax.axis("off")
    return ax.figure


def backward_frame(root: Tensor, k: int) -> Figure:
    """Step k of the backward pass: the k-th node in reverse topological order is current;
    its gradient (all uses summed) is printed below the graph.

    Shapes: k in 0..n_nodes-1 -> Figure. Chapter 5.
    """
    order = topological_order(root)[::-1]  # the order backward() visits
    if not 0 <= k < len(order):
        raise ValueError(f"step {k} is out of range for a graph of {len(order)} nodes")
    if root.grad is None:
        root.backward()
    status = {id(n): "done" for n in order[:k]} | {id(order[k]): "now"}
    fig, (ax, text) = plt.subplots(2, 1, figsize=(7.5, 3.6), height_ratios=[3, 1])
    draw_graph(root, ax, status)
    node = order[k]
    grad = np.array2string(np.asarray(node.grad), precision=3, suppress_small=True)
    head, _, detail = label(node).partition("\n")
    kind = "value" if node.data.size == 1 else "shape"
    name = f"{head} ({kind} {detail})" if detail else head
    text.text(
        0.0,
        0.9,
        f"step {k + 1}/{len(order)}: the gradient arriving at {name}",
        fontsize=9,
        va="top",
    )
    text.text(
        0.0,
        0.45,
        grad if len(grad) < 160 else grad[:157] + "...",
        fontsize=8,
        va="top",
        family="monospace",
    )
    text.axis("off")
    return fig


def backprop_scrubber(root: Tensor) -> W.VBox:
    """A slider over the backward pass of `root`, one frame per node (reverse topological).

    Shapes: a graph of n nodes -> n frames. Chapter 5.
    """
    n = len(topological_order(root))
    return scrubber(
        lambda k: backward_frame(root, k),
        list(range(n)),
        description="step",
        labels=[str(k + 1) for k in range(n)],
    )
