from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.backprop import activation_vjp, matmul_vjp, mlp_backward, mlp_gradients
from dlbook.nets import forward_trace, init_params, to_torch


@settings(max_examples=20, deadline=None)
@given(
    widths=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    B=st.integers(1, 5),
    activation=st.sampled_from(["relu", "tanh"]),
    seed=st.integers(0, 2**16),
)
def test_mlp_gradients_equal_autograd(
    widths: list[int], B: int, activation: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    widths[-1] = max(widths[-1], 2)  # at least two classes
    params = init_params(widths, rng)
    X, labels = rng.standard_normal((B, widths[0])), rng.integers(0, widths[-1], B)
    loss, grads = mlp_gradients(params, X, labels, activation)
    net = to_torch(params, activation)
    loss_t = torch.nn.functional.cross_entropy(net(torch.tensor(X)), torch.tensor(labels))
    loss_t.backward()
    assert np.isclose(loss, loss_t.item(), rtol=1e-12)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for (A_bar, b_bar), layer in zip(grads, linears, strict=True):
        assert np.allclose(A_bar, layer.weight.grad.numpy(), rtol=1e-10, atol=1e-10)
        assert np.allclose(b_bar, layer.bias.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_mlp_backward_with_any_seed_is_a_vjp(rng: np.random.Generator) -> None:
    params = init_params([3, 4, 2], rng)
    X, y_bar = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    zs, hs = forward_trace(params, X, "tanh")
    grads = mlp_backward(params, zs, hs, y_bar, "tanh")
    net = to_torch(params, "tanh")
    (net(torch.tensor(X)) * torch.tensor(y_bar)).sum().backward()
    assert np.allclose(grads[0][0], net[0].weight.grad.numpy(), atol=1e-12)
    with pytest.raises(ValueError, match=r"y_bar has shape \(5, 3\); the output has shape"):
        mlp_backward(params, zs, hs, np.ones((5, 3)), "tanh")


@settings(max_examples=15, deadline=None)
@given(M=st.integers(1, 4), H=st.integers(1, 4), N=st.integers(1, 4), seed=st.integers(0, 999))
def test_vjp_rules_match_torch_func(M: int, H: int, N: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, B, P_bar = (
        rng.standard_normal((M, H)),
        rng.standard_normal((H, N)),
        rng.standard_normal((M, N)),
    )
    _, vjp = torch.func.vjp(torch.matmul, torch.tensor(A), torch.tensor(B))
    expected = vjp(torch.tensor(P_bar))
    for ours, theirs in zip(matmul_vjp(A, B, P_bar), expected, strict=True):
        assert np.allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-12)
    z, h_bar = rng.standard_normal((M, N)), rng.standard_normal((M, N))
    for name, phi in (("relu", torch.relu), ("tanh", torch.tanh), ("linear", lambda t: t)):
        _, vjp = torch.func.vjp(phi, torch.tensor(z))
        (expected,) = vjp(torch.tensor(h_bar))
        assert np.allclose(activation_vjp(z, h_bar, name), expected.numpy(), atol=1e-12)


def test_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(2, 3\) and B has shape \(2, 3\)"):
        matmul_vjp(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"P_bar has shape \(3,\); expected \(2, 4\)"):
        matmul_vjp(np.ones((2, 3)), np.ones((3, 4)), np.ones(3))
    with pytest.raises(ValueError, match=r"z has shape \(2,\) but h_bar has shape \(3,\)"):
        activation_vjp(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        activation_vjp(np.ones(2), np.ones(2), "gelu")
