"""A small reverse-mode automatic differentiator over numpy arrays.

A :class:`Tensor` holds an array, the tensors it was computed from (its parents) and a
local vector-Jacobian product (VJP): given the gradient of the loss with respect to the
output, the gradients with respect to each parent. `backward()` walks the recorded graph
in reverse topological order and applies the VJPs, summing where a tensor is used twice.
Broadcasting works as in numpy; a VJP sums its gradient back down to its parent's shape.
Chapter 5 builds it and checks every gradient against torch.autograd.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlbook.losses import cross_entropy as _cross_entropy
from dlbook.losses import softmax as _softmax

Vjp = Callable[[np.ndarray], Sequence[np.ndarray]]


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum g over the axes that broadcasting added or stretched, back to `shape`.

    Shapes: g: broadcast shape -> `shape`. Chapter 5.
    """
    g = np.sum(g, axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return np.sum(g, axis=stretched, keepdims=True) if stretched else g


def _broadcast(op: str, a: Tensor, b: Tensor) -> None:
    """Raise ValueError naming both shapes when numpy cannot broadcast them."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"{op}: shapes {a.shape} and {b.shape} do not broadcast") from None


class Tensor:
    """A value in the computation graph: data, parents, op name and the local VJP."""

    def __init__(
        self,
        data: object,
        parents: tuple[Tensor, ...] = (),
        vjp: Vjp | None = None,
        op: str = "",
        name: str = "",
    ) -> None:
        self.data = np.array(data, dtype=float)
        self.grad: np.ndarray | None = None
        self.parents, self.vjp, self.op, self.name = parents, vjp, op, name

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the data. Shapes: -> tuple. Chapter 5."""
        return self.data.shape

    def __repr__(self) -> str:
        label = self.name or self.op or "leaf"
        return f"Tensor({label}, shape={self.shape})"

    # ---- binary ops (numpy broadcasting; the VJP sums back with `unbroadcast`) ----

    def __add__(self, other: object) -> Tensor:
        """c = a + b: a_bar = c_bar, b_bar = c_bar (summed back). Shapes: broadcast. Chapter 5."""
        b = lift(other)
        _broadcast("+", self, b)
        return Tensor(self.data + b.data, (self, b), lambda g: (g, g), "+")

    def __mul__(self, other: object) -> Tensor:
        """c = a * b: a_bar = c_bar * b, b_bar = c_bar * a. Shapes: broadcast. Chapter 5."""
        b = lift(other)
        _broadcast("*", self, b)
        return Tensor(self.data * b.data, (self, b), lambda g: (g * b.data, g * self.data), "*")

    def __sub__(self, other: object) -> Tensor:
        """c = a - b: a_bar = c_bar, b_bar = -c_bar. Shapes: broadcast. Chapter 5."""
        b = lift(other)
        _broadcast("-", self, b)
        return Tensor(self.data - b.data, (self, b), lambda g: (g, -g), "-")

    def __truediv__(self, other: object) -> Tensor:
        """c = a / b: a_bar = c_bar / b, b_bar = -c_bar a / b^2. Shapes: broadcast. Chapter 5."""
        b = lift(other)
        _broadcast("/", self, b)
        a_, b_ = self.data, b.data
        return Tensor(a_ / b_, (self, b), lambda g: (g / b_, -g * a_ / b_**2), "/")

    def __neg__(self) -> Tensor:
        """c = -a: a_bar = -c_bar. Shapes: any -> same. Chapter 5."""
        return Tensor(-self.data, (self,), lambda g: (-g,), "neg")

    def __radd__(self, other: object) -> Tensor:
        """c = b + a. Shapes: broadcast. Chapter 5."""
        return lift(other) + self

    def __rmul__(self, other: object) -> Tensor:
        """c = b * a. Shapes: broadcast. Chapter 5."""
        return lift(other) * self

    def __rsub__(self, other: object) -> Tensor:
        """c = b - a. Shapes: broadcast. Chapter 5."""
        return lift(other) - self

    def __matmul__(self, other: object) -> Tensor:
        """P = A B: A_bar = P_bar B^T, B_bar = A^T P_bar.

        Shapes: A: (M, H), B: (H, N) -> (M, N). Chapter 5.
        """
        b = lift(other)
        if self.data.ndim != 2 or b.data.ndim != 2 or self.shape[1] != b.shape[0]:
            raise ValueError(f"@: shapes {self.shape} and {b.shape} do not match (M, H) @ (H, N)")
        A, B = self.data, b.data
        return Tensor(A @ B, (self, b), lambda g: (g @ B.T, A.T @ g), "@")

    # ---- reductions and reshapes ----

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """s = sum_i a_i over `axis`: a_bar = s_bar copied back along the summed axes.

        Shapes: a: S -> S without `axis` (size 1 with keepdims). Chapter 5.
        """
        shape = self.shape

        def vjp(g: np.ndarray) -> tuple[np.ndarray]:
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)  # put the summed axes back as size 1
            return (np.broadcast_to(g, shape),)

        return Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), vjp, "sum")

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """m = sum_i a_i / n over `axis`. Shapes: as `sum`. Chapter 5."""
        total = self.sum(axis, keepdims)
        return total * (total.data.size / self.data.size)  # 1/n, n terms in each sum

    def reshape(self, *shape: int) -> Tensor:
        """b = a viewed with a new shape: a_bar = b_bar reshaped back.

        Shapes: S -> shape (same size). Chapter 5.
        """
        old = self.shape
        try:
            out = self.data.reshape(*shape)
        except ValueError:
            raise ValueError(f"reshape: cannot view shape {old} as {shape}") from None
        return Tensor(out, (self,), lambda g: (g.reshape(old),), "reshape")

    @property
    def T(self) -> Tensor:  # noqa: N802 (numpy's name)
        """b = a^T (axes reversed): a_bar = b_bar^T. Shapes: (M, N) -> (N, M). Chapter 5."""
        return Tensor(self.data.T, (self,), lambda g: (g.T,), "T")

    # ---- elementwise functions: z_bar = h_bar * phi'(z) ----

    def _unary(self, out: np.ndarray, slope: np.ndarray, op: str) -> Tensor:
        return Tensor(out, (self,), lambda g: (g * slope,), op)

    def exp(self) -> Tensor:
        """h = exp(z), phi' = exp(z). Shapes: any -> same. Chapter 5."""
        e = np.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self) -> Tensor:
        """h = log(z), phi' = 1/z (z > 0). Shapes: any -> same. Chapter 5."""
        return self._unary(np.log(self.data), 1.0 / self.data, "log")

    def tanh(self) -> Tensor:
        """h = tanh(z), phi' = 1 - h^2. Shapes: any -> same. Chapter 5."""
        h = np.tanh(self.data)
        return self._unary(h, 1.0 - h**2, "tanh")

    def sigmoid(self) -> Tensor:
        """h = 1/(1 + exp(-z)), phi' = h (1 - h). Shapes: any -> same. Chapter 5."""
        h = 0.5 * (1.0 + np.tanh(0.5 * self.data))  # stable for large |z|
        return self._unary(h, h * (1.0 - h), "sigmoid")

    def relu(self) -> Tensor:
        """h = max(z, 0), phi' = [z > 0] (0 at z = 0, as torch). Shapes: any -> same. Chapter 5."""
        return self._unary(np.maximum(self.data, 0.0), (self.data > 0).astype(float), "relu")

    # ---- the backward pass ----

    def backward(self, seed: np.ndarray | None = None) -> None:
        """x_bar = sum over uses of VJP(y_bar), from y_bar = seed (1 for a scalar), in reverse
        topological order. Overwrites `.grad` of every tensor in the graph.

        Shapes: seed: self.shape (omit it only for a scalar). Chapter 5.
        """
        if seed is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() on a non-scalar of shape {self.shape} needs a seed gradient "
                    "of that shape (the vector v in v^T J)"
                )
            seed = np.ones_like(self.data)
        seed = np.asarray(seed, dtype=float)
        if seed.shape != self.shape:
            raise ValueError(f"the seed has shape {seed.shape}; expected {self.shape}")
        order = topological_order(self)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = seed.copy()
        for node in reversed(order):
            if node.vjp is None:
                continue
            for parent, g in zip(node.parents, node.vjp(node.grad), strict=True):
                parent.grad = parent.grad + unbroadcast(np.asarray(g), parent.shape)


def lift(value: object) -> Tensor:
    """value as a Tensor (a constant leaf unless it already is one). Shapes: any. Chapter 5."""
    return value if isinstance(value, Tensor) else Tensor(value)


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor `root` depends on, each after all of its parents (root last).

    Shapes: -> list of nodes. Chapter 5.
    """
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:  # iterative depth-first search: no recursion limit on deep graphs
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def cross_entropy(logits: Tensor, labels: np.ndarray) -> Tensor:
    """L = mean_i -log softmax(y_i)_{l_i}: y_bar = (softmax(y) - onehot(l)) / B * L_bar.

    Shapes: logits: (B, K), labels: (B,) integers in 0..K-1 -> scalar. Chapter 5.
    """
    labels = np.asarray(labels)
    if logits.data.ndim != 2 or labels.shape != (logits.shape[0],):
        raise ValueError(
            f"cross_entropy: logits of shape {logits.shape} and labels of shape "
            f"{labels.shape} do not match (B, K) and (B,)"
        )
    loss = _cross_entropy(logits.data, labels)  # checks the label values too
    B = logits.shape[0]
    onehot = np.eye(logits.shape[1])[labels]  # (B, K)
    grad = (_softmax(logits.data) - onehot) / B  # (B, K)
    return Tensor(loss, (logits,), lambda g: (g * grad,), "CE")
