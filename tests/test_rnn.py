"""Tests of dlbook.rnn: the basic and residual cells and unrolling equal torch.nn.RNN with
copied weights (float64, random sizes); the highway connection; shapes raise ValueError."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import rnn

SIZES = st.tuples(
    st.integers(1, 4), st.integers(1, 6), st.integers(1, 5), st.integers(1, 7), st.integers(0, 999)
)


@settings(max_examples=10, deadline=None)
@given(SIZES)
def test_basic_rnn_equals_torch_nn_rnn(sizes):
    B, T, D, H, seed = sizes
    rng = np.random.default_rng(seed)
    params = rnn.init_params("rnn", D, H, rng)
    X, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))
    want, h_T = rnn.to_module("rnn", params)(torch.as_tensor(X), torch.as_tensor(h0)[None])
    states, last = rnn.unroll(rnn.rnn_step, X, h0, params)
    np.testing.assert_allclose(rnn.stack_hidden(states), want.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(last, h_T[0].detach().numpy(), atol=1e-10)
    states_t, _ = rnn.unroll(
        rnn.rnn_step_torch, torch.as_tensor(X), torch.as_tensor(h0), rnn.as_torch(params)
    )
    np.testing.assert_allclose(
        rnn.stack_hidden(states_t).numpy(), want.detach().numpy(), atol=1e-10
    )


@settings(max_examples=8, deadline=None)
@given(SIZES)
def test_residual_rnn_adds_Q_h_to_the_basic_step(sizes):
    B, T, D, H, seed = sizes
    rng = np.random.default_rng(seed)
    params = rnn.init_params("rnn", D, H, rng)
    Q, h, x = rng.standard_normal((H, H)), rng.standard_normal((B, H)), rng.standard_normal((B, D))
    got = rnn.residual_step(params, h, x, Q)
    step = rnn.to_module("rnn", params)(torch.as_tensor(x)[:, None], torch.as_tensor(h)[None])[0]
    np.testing.assert_allclose(got, h @ Q.T + step[:, 0].detach().numpy(), atol=1e-10)
    got_t = rnn.residual_step_torch(
        rnn.as_torch(params), torch.as_tensor(h), torch.as_tensor(x), torch.as_tensor(Q)
    )
    np.testing.assert_allclose(got_t.numpy(), got, atol=1e-12)
    # Q = 0 is the basic RNN
    np.testing.assert_allclose(rnn.residual_step(params, h, x, 0 * Q), rnn.rnn_step(params, h, x))


def test_highway_gates_between_transform_and_carry(rng):
    Hx, x = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(rnn.highway(Hx, np.ones((3, 4)), x), Hx)
    np.testing.assert_allclose(rnn.highway(Hx, np.zeros((3, 4)), x), x)
    Tx = rng.uniform(size=(3, 4))
    got = rnn.highway_torch(*(torch.as_tensor(a) for a in (Hx, Tx, x))).numpy()
    np.testing.assert_allclose(got, Tx * Hx + (1 - Tx) * x, atol=1e-12)
    np.testing.assert_allclose(rnn.highway(Hx, Tx, x), got, atol=1e-12)
    with pytest.raises(ValueError, match="must match"):
        rnn.highway(Hx, Tx[:, :2], x)
    with pytest.raises(ValueError, match="must match"):
        rnn.highway_torch(torch.zeros(2), torch.zeros(3), torch.zeros(2))


def test_highway_step_against_autograd_free_formula(rng):
    params, gate = rnn.init_params("rnn", 3, 4, rng), rnn.init_params("rnn", 3, 4, rng)
    h, x = rng.standard_normal((2, 4)), rng.standard_normal((2, 3))
    a = torch.sigmoid(
        torch.nn.functional.linear(
            torch.as_tensor(x),
            torch.as_tensor(gate["W_ih"]),
            torch.as_tensor(gate["b_ih"] + gate["b_hh"]),
        )
        + torch.as_tensor(h) @ torch.as_tensor(gate["W_hh"]).T
    ).numpy()
    want = a * rnn.rnn_step(params, h, x) + (1 - a) * h
    np.testing.assert_allclose(rnn.highway_step(params, gate, h, x), want, atol=1e-12)


def test_round_trip_through_torch_modules(rng):
    for kind in rnn.GATES:
        params = rnn.init_params(kind, 3, 5, rng)
        back = rnn.from_module(rnn.to_module(kind, params))
        for k in rnn.KEYS:
            np.testing.assert_array_equal(back[k], params[k])
    lstm = rnn.init_params("lstm", 3, 5, np.random.default_rng(1), forget_bias=2.0)
    base = rnn.init_params("lstm", 3, 5, np.random.default_rng(1))
    np.testing.assert_allclose(lstm["b_ih"] - base["b_ih"], np.repeat([0.0, 2.0, 0.0, 0.0], 5))


def test_bad_shapes_name_the_expected_shape(rng):
    params = rnn.init_params("rnn", 3, 4, rng)
    with pytest.raises(ValueError, match=r"expected shape \(B, T, D\)"):
        rnn.unroll(rnn.rnn_step, np.zeros((2, 3)), np.zeros((2, 4)), params)
    with pytest.raises(ValueError, match=r"\(B, T, D\) with D = 3"):
        rnn.check_sequence(np.zeros((2, 5, 4)), 3)
    with pytest.raises(
        ValueError, match=r"X has shape \(2, 5, 4\); expected shape \(B, T, D\) with D = 3"
    ):
        rnn.unroll(rnn.rnn_step, np.zeros((2, 5, 4)), np.zeros((2, 4)), params)
    with pytest.raises(ValueError, match="expected"):
        rnn.sizes({**params, "W_hh": np.zeros((4, 5))}, "rnn")
    with pytest.raises(ValueError, match="G = 3"):
        rnn.sizes(params, "gru")
    with pytest.raises(ValueError, match="unknown cell"):
        rnn.sizes(params, "transformer")
    with pytest.raises(ValueError, match="needs the parameters"):
        rnn.sizes({"W_ih": params["W_ih"]}, "rnn")
    with pytest.raises(ValueError, match="kind"):
        rnn.init_params("rnn", 0, 4, rng)
