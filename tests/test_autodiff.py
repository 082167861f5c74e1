from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.autodiff import Tensor, cross_entropy, topological_order, unbroadcast

UNARY = ["tanh", "sigmoid", "relu", "neg", "exp_tanh", "log_square", "matmul"]
BINARY = ["+", "-", "*", "/", "r-", "r*"]
# shapes that broadcast against (B, D): the operand y of a binary op takes one of these
PARTNERS = ["same", "row", "row2d", "col", "scalar"]


def partner_shape(kind: str, B: int, D: int) -> tuple[int, ...]:
    return {"same": (B, D), "row": (D,), "row2d": (1, D), "col": (B, 1), "scalar": ()}[kind]


def apply(op: str, v: object, y: object, W: object, lib: str) -> object:
    """One step of a random expression, written once for the engine and for torch."""
    if lib == "torch":
        fns = {
            "tanh": torch.tanh,
            "sigmoid": torch.sigmoid,
            "relu": torch.relu,
            "exp": torch.exp,
            "log": torch.log,
        }
    else:
        fns = {
            k: (lambda t, k=k: getattr(t, k)()) for k in ("tanh", "sigmoid", "relu", "exp", "log")
        }
    if op in ("tanh", "sigmoid", "relu"):
        return fns[op](v)
    if op == "neg":
        return -v
    if op == "exp_tanh":
        return fns["exp"](fns["tanh"](v))
    if op == "log_square":
        return fns["log"](v * v + 1.0)
    if op == "matmul":
        return v @ W
    if op == "/":
        return v / (y * y + 1.0)
    if op == "r-":
        return 2.0 - v - y
    if op == "r*":
        return 0.5 * v * y
    return {"+": lambda: v + y, "-": lambda: v - y, "*": lambda: v * y}[op]()


@settings(max_examples=40, deadline=None)
@given(
    B=st.integers(1, 4),
    D=st.integers(1, 4),
    ops=st.lists(st.sampled_from(UNARY + BINARY), min_size=1, max_size=6),
    partner=st.sampled_from(PARTNERS),
    seed=st.integers(0, 2**16),
)
def test_random_expressions_match_torch(
    B: int, D: int, ops: list[str], partner: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x0, W0 = rng.standard_normal((B, D)), rng.standard_normal((D, D)) / np.sqrt(D)
    y0, w0 = rng.standard_normal(partner_shape(partner, B, D)), rng.standard_normal((B, D))
    x, y, W = Tensor(x0), Tensor(y0), Tensor(W0)
    xt, yt, Wt = (torch.tensor(a, requires_grad=True) for a in (x0, y0, W0))
    v, vt = x, xt
    for op in ops:
        v, vt = apply(op, v, y, W, "numpy"), apply(op, vt, yt, Wt, "torch")
    (v * w0).sum().backward()  # a random seed for v, through the sum's VJP
    (vt * torch.tensor(w0)).sum().backward()
    assert np.allclose(v.data, vt.detach().numpy(), rtol=1e-12, atol=1e-12)
    for ours, theirs in ((x, xt), (y, yt), (W, Wt)):
        assert (ours.grad is None) == (theirs.grad is None)  # unused leaves: no gradient
        if ours.grad is not None:
            assert ours.grad.shape == ours.shape
            assert np.allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    keepdims=st.booleans(),
    seed=st.integers(0, 2**16),
    data=st.data(),
)
def test_reductions_and_reshapes_match_torch(
    shape: list[int], keepdims: bool, seed: int, data: st.DataObject
) -> None:
    rng = np.random.default_rng(seed)
    axis = data.draw(st.sampled_from([None, *range(-len(shape), len(shape))]))
    x0 = rng.standard_normal(shape)
    x, xt = Tensor(x0), torch.tensor(x0, requires_grad=True)
    flat, flat_t = x.reshape(-1, 1), xt.reshape(-1, 1)  # (n, 1)
    s = (
        (flat.T @ flat).sum()
        + x.mean(axis, keepdims).tanh().sum()
        + x.sum(axis, keepdims).exp().mean()
    )
    dims = tuple(range(len(shape))) if axis is None else axis  # torch's "all axes"
    st_ = (flat_t.T @ flat_t).sum() + xt.mean(dims, keepdims).tanh().sum()
    st_ = st_ + xt.sum(dims, keepdims).exp().mean()
    s.backward()
    st_.backward()
    assert np.allclose(s.data, st_.item(), rtol=1e-12)
    assert np.allclose(x.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(B=st.integers(1, 6), K=st.integers(2, 5), seed=st.integers(0, 2**16))
def test_cross_entropy_matches_torch(B: int, K: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    logits0, labels = 3 * rng.standard_normal((B, K)), rng.integers(0, K, B)
    logits, lt = Tensor(logits0), torch.tensor(logits0, requires_grad=True)
    loss = cross_entropy(logits, labels) * 2.0
    loss_t = torch.nn.functional.cross_entropy(lt, torch.tensor(labels)) * 2.0
    loss.backward()
    loss_t.backward()
    assert np.isclose(loss.data, loss_t.item(), rtol=1e-12)
    assert np.allclose(logits.grad, lt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_a_tensor_used_twice_sums_its_gradients() -> None:
    x = Tensor([1.5, -2.0])
    y = (x * x + x).sum()  # dy/dx = 2x + 1
    y.backward()
    assert np.allclose(x.grad, 2 * x.data + 1)
    order = topological_order(y)
    assert order[-1] is y and order.count(x) == 1
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)


def test_deep_graphs_need_no_recursion() -> None:
    x = Tensor(0.5)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    y.backward()
    assert np.isclose(x.grad, 1.0001**3000)


def test_unbroadcast() -> None:
    g = np.ones((3, 4, 5))
    assert unbroadcast(g, (5,)).tolist() == [12.0] * 5
    assert unbroadcast(g, (4, 1)).shape == (4, 1) and np.all(unbroadcast(g, (4, 1)) == 15)
    assert unbroadcast(g, ()).shape == () and unbroadcast(g, ()) == 60
    assert unbroadcast(g, (3, 4, 5)) is g


def test_shape_errors_name_the_shapes() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 3)))
    for op in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b):
        with pytest.raises(ValueError, match=r"\(2, 3\) and \(4, 3\)"):
            op()
    with pytest.raises(ValueError, match=r"@: shapes \(2, 3\) and \(4, 3\)"):
        a @ b
    with pytest.raises(ValueError, match=r"@: shapes \(2, 3\) and \(3,\)"):
        a @ np.ones(3)
    with pytest.raises(ValueError, match=r"cannot view shape \(2, 3\) as \(4,\)"):
        a.reshape(4)
    with pytest.raises(ValueError, match=r"logits of shape \(2, 3\) and labels of shape \(3,\)"):
        cross_entropy(a, np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="label 3 is out of range"):
        cross_entropy(a, np.array([0, 3]))


def test_backward_needs_a_seed_for_a_non_scalar() -> None:
    x = Tensor(np.arange(3.0))
    y = x.tanh()
    with pytest.raises(ValueError, match=r"non-scalar of shape \(3,\) needs a seed"):
        y.backward()
    with pytest.raises(ValueError, match=r"seed has shape \(2,\); expected \(3,\)"):
        y.backward(np.ones(2))
    v = np.array([1.0, -1.0, 2.0])
    y.backward(v)  # v^T J with J = diag(1 - tanh^2)
    assert np.allclose(x.grad, v * (1 - np.tanh(x.data) ** 2))
    assert repr(y) == "Tensor(tanh, shape=(3,))" and Tensor(1.0, name="w").shape == ()
    assert repr(Tensor(1.0, name="w")) == "Tensor(w, shape=())"


def test_sigmoid_is_stable_and_relu_slope_at_zero_is_zero() -> None:
    z = Tensor([-800.0, 0.0, 800.0])
    h = z.sigmoid()
    h.sum().backward()
    assert np.allclose(h.data, [0.0, 0.5, 1.0]) and np.allclose(z.grad, [0.0, 0.25, 0.0])
    r = Tensor([0.0, 1.0])
    r.relu().sum().backward()
    assert r.grad.tolist() == [0.0, 1.0]
