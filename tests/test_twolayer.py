from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.data import xor
from dlbook.runtime import DivergenceError
from dlbook.twolayer import GDRun, TwoLayerNet, train_gd

FAST = settings(max_examples=25, deadline=None, database=None)

sizes = st.tuples(
    st.integers(1, 9),  # B
    st.integers(1, 5),  # D
    st.integers(1, 7),  # M
    st.integers(1, 3),  # K
)


def random_problem(
    seed: int, B: int, D: int, M: int, K: int
) -> tuple[TwoLayerNet, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(rng.normal(size=(M, D + 1)), rng.normal(size=(K, M)))
    return net, rng.normal(size=(B, D)), rng.normal(size=(B, K))


def torch_forward(W0: torch.Tensor, W1: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    Xt = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    return torch.tanh(Xt @ W0.T) @ W1.T


def torch_loss_and_grads(
    net: TwoLayerNet, X: np.ndarray, Y: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    W0 = torch.tensor(net.W0, dtype=torch.float64, requires_grad=True)
    W1 = torch.tensor(net.W1, dtype=torch.float64, requires_grad=True)
    F = torch_forward(W0, W1, torch.tensor(X, dtype=torch.float64))
    Yt = torch.tensor(Y, dtype=torch.float64)
    loss = 0.5 * torch.nn.functional.mse_loss(F, Yt, reduction="sum") / len(X)
    loss.backward()
    return loss.item(), W0.grad.numpy(), W1.grad.numpy()


@FAST
@given(shape=sizes, seed=st.integers(0, 2**32 - 1))
def test_forward_matches_torch(shape: tuple[int, int, int, int], seed: int) -> None:
    net, X, _ = random_problem(seed, *shape)
    W0, W1 = torch.from_numpy(net.W0), torch.from_numpy(net.W1)
    expected = torch_forward(W0, W1, torch.from_numpy(X))
    out = net(X)
    assert out.shape == (shape[0], shape[3])
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(net.score(X), expected.numpy()[:, 0], rtol=1e-12, atol=1e-12)


@FAST
@given(shape=sizes, seed=st.integers(0, 2**32 - 1))
def test_loss_and_grads_match_autograd(shape: tuple[int, int, int, int], seed: int) -> None:
    net, X, Y = random_problem(seed, *shape)
    loss, grads = net.loss_and_grads(X, Y)
    want_loss, want_dW0, want_dW1 = torch_loss_and_grads(net, X, Y)
    assert isinstance(loss, float)
    assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-14)
    assert set(grads) == {"W0", "W1"}
    assert grads["W0"].shape == net.W0.shape and grads["W1"].shape == net.W1.shape
    np.testing.assert_allclose(grads["W0"], want_dW0, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["W1"], want_dW1, rtol=1e-10, atol=1e-12)


def test_grads_match_finite_differences() -> None:
    net, X, Y = random_problem(3, 6, 3, 4, 2)
    _, grads = net.loss_and_grads(X, Y)
    h = 1e-6
    for name in ("W0", "W1"):
        numeric = np.zeros_like(getattr(net, name))
        for index in np.ndindex(numeric.shape):
            plus, minus = net.copy(), net.copy()
            getattr(plus, name)[index] += h
            getattr(minus, name)[index] -= h
            difference = plus.loss_and_grads(X, Y)[0] - minus.loss_and_grads(X, Y)[0]
            numeric[index] = difference / (2 * h)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8)


def test_one_dimensional_targets_mean_one_output(rng: np.random.Generator) -> None:
    net = TwoLayerNet.init(3, 5, rng)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=8)
    loss_1d, grads_1d = net.loss_and_grads(X, y)
    loss_2d, grads_2d = net.loss_and_grads(X, y[:, None])
    assert loss_1d == loss_2d
    np.testing.assert_array_equal(grads_1d["W0"], grads_2d["W0"])
    np.testing.assert_array_equal(grads_1d["W1"], grads_2d["W1"])


def test_init_shapes_scales_and_seed() -> None:
    net = TwoLayerNet.init(dim=9, width=2000, rng=np.random.default_rng(0), out=2)
    assert net.W0.shape == (2000, 10) and net.W1.shape == (2, 2000)
    assert net.W0.std() == pytest.approx(1 / np.sqrt(10), rel=0.03)
    assert net.W1.std() == pytest.approx(1 / np.sqrt(2000), rel=0.05)
    assert abs(net.W0.mean()) < 0.01
    again = TwoLayerNet.init(dim=9, width=2000, rng=np.random.default_rng(0), out=2)
    np.testing.assert_array_equal(net.W0, again.W0)
    np.testing.assert_array_equal(net.W1, again.W1)


def test_copy_is_independent(rng: np.random.Generator) -> None:
    net = TwoLayerNet.init(2, 3, rng)
    twin = net.copy()
    twin.W0 += 1.0
    twin.W1 += 1.0
    assert not np.array_equal(net.W0, twin.W0)
    assert not np.array_equal(net.W1, twin.W1)


@pytest.mark.parametrize("shape", [(5, 3), (5, 1), (5,), (5, 2, 1)])
def test_rejects_inputs_of_the_wrong_shape(
    rng: np.random.Generator, shape: tuple[int, ...]
) -> None:
    net = TwoLayerNet.init(2, 4, rng)
    message = re.escape(f"inputs of shape {shape} do not fit W0 of shape (4, 3); expected (B, 2)")
    with pytest.raises(ValueError, match=message):
        net(np.zeros(shape))
    with pytest.raises(ValueError, match=message):
        net.loss_and_grads(np.zeros(shape), np.zeros(5))


@pytest.mark.parametrize(
    ("y_shape", "reported"), [((4,), (4,)), ((5, 2), (5, 2)), ((5, 1, 1), (5, 1, 1))]
)
def test_rejects_targets_of_the_wrong_shape(
    rng: np.random.Generator, y_shape: tuple[int, ...], reported: tuple[int, ...]
) -> None:
    net = TwoLayerNet.init(2, 4, rng)
    message = re.escape(f"targets of shape {reported} do not match outputs (5, 1)")
    with pytest.raises(ValueError, match=message):
        net.loss_and_grads(np.zeros((5, 2)), np.zeros(y_shape))


@FAST
@given(shape=sizes, seed=st.integers(0, 2**32 - 1), lr=st.floats(1e-3, 1.0))
def test_first_gd_step_is_theta_minus_eta_grad(
    shape: tuple[int, int, int, int], seed: int, lr: float
) -> None:
    net, X, Y = random_problem(seed, *shape)
    loss0, grads = net.loss_and_grads(X, Y)
    run = train_gd(net, X, Y, lr=lr, steps=1)
    np.testing.assert_allclose(run.net.W0, net.W0 - lr * grads["W0"], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(run.net.W1, net.W1 - lr * grads["W1"], rtol=1e-13, atol=1e-15)
    assert run.losses[0] == loss0
    assert run.losses[1] == pytest.approx(run.net.loss_and_grads(X, Y)[0], rel=1e-14)


def test_gd_matches_torch_sgd_over_many_steps() -> None:
    net, X, Y = random_problem(1, 8, 3, 5, 2)
    lr, steps = 0.3, 25
    run = train_gd(net, X, Y, lr=lr, steps=steps)
    W0 = torch.tensor(net.W0, requires_grad=True)
    W1 = torch.tensor(net.W1, requires_grad=True)
    opt = torch.optim.SGD([W0, W1], lr=lr)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    losses = []
    for _ in range(steps + 1):
        opt.zero_grad()
        loss = 0.5 * ((torch_forward(W0, W1, Xt) - Yt) ** 2).sum() / len(X)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    np.testing.assert_allclose(run.losses, losses, rtol=1e-10)
    W0_final = W0.detach().numpy() + lr * W0.grad.numpy()  # undo the extra step
    W1_final = W1.detach().numpy() + lr * W1.grad.numpy()
    np.testing.assert_allclose(run.net.W0, W0_final, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.net.W1, W1_final, rtol=1e-10, atol=1e-12)


def test_train_gd_records_losses_and_snapshots_without_touching_the_net() -> None:
    X, y = xor()
    net = TwoLayerNet.init(2, 8, np.random.default_rng(0))
    W0, W1 = net.W0.copy(), net.W1.copy()
    run = train_gd(net, X, y, lr=0.5, steps=200, snapshot_steps=(0, 50, 200, 999))
    assert isinstance(run, GDRun)
    np.testing.assert_array_equal(net.W0, W0)
    np.testing.assert_array_equal(net.W1, W1)
    assert len(run.losses) == 201
    assert run.losses[-1] < 0.2 * run.losses[0]
    assert [k for k, _ in run.snapshots] == [0, 50, 200]
    np.testing.assert_array_equal(run.snapshots[0][1].W0, W0)
    middle = train_gd(net, X, y, lr=0.5, steps=50).net
    np.testing.assert_array_equal(run.snapshots[1][1].W0, middle.W0)
    np.testing.assert_array_equal(run.snapshots[1][1].W1, middle.W1)
    np.testing.assert_array_equal(run.snapshots[2][1].W0, run.net.W0)
    assert run.snapshots[2][1] is not run.net  # a copy, not the live net


def test_train_gd_zero_steps() -> None:
    X, y = xor()
    net = TwoLayerNet.init(2, 3, np.random.default_rng(1))
    run = train_gd(net, X, y, lr=0.1, steps=0)
    assert run.losses == [net.loss_and_grads(X, y)[0]]
    np.testing.assert_array_equal(run.net.W0, net.W0)


@pytest.mark.parametrize("lr", [1e3, 1e8])
def test_train_gd_raises_divergence_for_a_huge_step(lr: float) -> None:
    X, y = xor()
    net = TwoLayerNet.init(2, 8, np.random.default_rng(0))
    with pytest.raises(DivergenceError, match="training diverged at step"):
        train_gd(net, X, y, lr=lr, steps=100)


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_train_gd_rejects_non_positive_steps(lr: float) -> None:
    X, y = xor()
    with pytest.raises(ValueError, match="step size must be positive"):
        train_gd(TwoLayerNet.init(2, 3, np.random.default_rng(0)), X, y, lr=lr, steps=5)
