"""Tests of dlbook.gated: the GRU (torch's form) and the LSTM equal torch.nn.GRU and
torch.nn.LSTM with copied weights to 1e-10 in float64, on random sizes; Cho's GRU differs
from torch's and agrees with it exactly where the theory says."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings

from dlbook import gated, rnn
from tests.test_rnn import SIZES


@settings(max_examples=10, deadline=None)
@given(SIZES)
def test_gru_equals_torch_nn_gru(sizes):
    B, T, D, H, seed = sizes
    rng = np.random.default_rng(seed)
    params = rnn.init_params("gru", D, H, rng)
    X, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))
    want = rnn.to_module("gru", params)(torch.as_tensor(X), torch.as_tensor(h0)[None])[0]
    want = want.detach().numpy()
    states, _ = rnn.unroll(gated.gru_step, X, h0, params)
    np.testing.assert_allclose(rnn.stack_hidden(states), want, atol=1e-10)
    states, _ = rnn.unroll(
        gated.gru_step, torch.as_tensor(X), torch.as_tensor(h0), rnn.as_torch(params)
    )
    np.testing.assert_allclose(rnn.stack_hidden(states).numpy(), want, atol=1e-10)


@settings(max_examples=10, deadline=None)
@given(SIZES)
def test_lstm_equals_torch_nn_lstm(sizes):
    B, T, D, H, seed = sizes
    rng = np.random.default_rng(seed)
    params = rnn.init_params("lstm", D, H, rng, forget_bias=1.0)
    X, h0, c0 = (rng.standard_normal(s) for s in [(B, T, D), (B, H), (B, H)])
    module = rnn.to_module("lstm", params)
    want, (h_T, c_T) = module(
        torch.as_tensor(X), (torch.as_tensor(h0)[None], torch.as_tensor(c0)[None])
    )
    states, (h, c) = rnn.unroll(gated.lstm_step, X, (h0, c0), params)
    np.testing.assert_allclose(rnn.stack_hidden(states), want.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(c, c_T[0].detach().numpy(), atol=1e-10)
    states, _ = rnn.unroll(
        gated.lstm_step,
        torch.as_tensor(X),
        (torch.as_tensor(h0), torch.as_tensor(c0)),
        rnn.as_torch(params),
    )
    np.testing.assert_allclose(rnn.stack_hidden(states).numpy(), want.detach().numpy(), atol=1e-10)


def test_lstm_trace_from_zero_matches_torch_and_gates_are_in_range(rng):
    params = rnn.init_params("lstm", 3, 4, rng)
    X = rng.standard_normal((2, 6, 3))
    trace = gated.lstm_trace(params, X)
    want = rnn.to_module("lstm", params)(torch.as_tensor(X))[0].detach().numpy()
    np.testing.assert_allclose(trace["h"], want, atol=1e-10)
    for k in "ifo":
        assert trace[k].shape == (2, 6, 4) and np.all((trace[k] > 0) & (trace[k] < 1))
    c_prev = np.concatenate([np.zeros((2, 1, 4)), trace["c"][:, :-1]], axis=1)
    np.testing.assert_allclose(trace["c"], trace["f"] * c_prev + trace["i"] * trace["g"])
    trace_t = gated.lstm_trace(rnn.as_torch(params), torch.as_tensor(X))
    np.testing.assert_allclose(trace_t["c"].numpy(), trace["c"], atol=1e-12)
    with pytest.raises(ValueError, match=r"expected shape \(B, T, D\)"):
        gated.lstm_trace(params, X[0])


def _cho_reference(params, h, x):
    """Cho et al.'s GRU written out with explicit per-gate matrices, in torch."""
    P = {k: torch.as_tensor(v) for k, v in params.items()}
    h, x = torch.as_tensor(h), torch.as_tensor(x)
    W_r, W_z, W_n = P["W_ih"].chunk(3)
    U_r, U_z, U_n = P["W_hh"].chunk(3)
    (b_r, b_z, b_n), (c_r, c_z, c_n) = P["b_ih"].chunk(3), P["b_hh"].chunk(3)
    r = torch.sigmoid(x @ W_r.T + b_r + h @ U_r.T + c_r)
    z = torch.sigmoid(x @ W_z.T + b_z + h @ U_z.T + c_z)
    n = torch.tanh(x @ W_n.T + b_n + (r * h) @ U_n.T + c_n)
    return (z * h + (1 - z) * n).numpy()


@settings(max_examples=8, deadline=None)
@given(SIZES)
def test_cho_gru_matches_its_reference_and_differs_from_torch(sizes):
    B, _, D, H, seed = sizes
    rng = np.random.default_rng(seed)
    params = rnn.init_params("gru", D, H, rng)
    h, x = rng.standard_normal((B, H)), rng.standard_normal((B, D))
    cho = gated.gru_step(params, h, x, variant="cho")
    np.testing.assert_allclose(cho, _cho_reference(params, h, x), atol=1e-12)
    cho_t = gated.gru_step(rnn.as_torch(params), torch.as_tensor(h), torch.as_tensor(x), "cho")
    np.testing.assert_allclose(cho_t.numpy(), cho, atol=1e-12)
    # the two forms agree when U_n is diagonal and b_hn = 0: diag(u)(r h) = r (diag(u) h)
    diag = {**params, "W_hh": params["W_hh"].copy(), "b_hh": params["b_hh"].copy()}
    diag["W_hh"][2 * H :] = np.diag(rng.standard_normal(H))
    diag["b_hh"][2 * H :] = 0.0
    np.testing.assert_allclose(
        gated.gru_step(diag, h, x, "cho"), gated.gru_step(diag, h, x), atol=1e-12
    )


def test_cho_and_torch_gru_differ_in_general(rng):
    params = rnn.init_params("gru", 3, 5, rng)
    params["W_hh"] *= 3
    h, x = rng.standard_normal((4, 5)), rng.standard_normal((4, 3))
    gap = np.abs(gated.gru_step(params, h, x, "cho") - gated.gru_step(params, h, x)).max()
    assert gap > 1e-3
    with pytest.raises(ValueError, match="variant"):
        gated.gru_step(params, h, x, variant="chung")
