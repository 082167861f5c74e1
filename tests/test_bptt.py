"""Tests of dlbook.bptt: the Jacobian-product norms against torch.autograd's Jacobian of
the unrolled map, the decay-rate fit on exact geometric data, and clipping against
torch.nn.utils.clip_grad_norm_."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook import bptt, gated, rnn


def _unrolled_norm(step, params, X, state, T):
    def last(s0):
        s = s0 if not isinstance(state, tuple) else (s0[None, :H], s0[None, H:])
        s = s[None] if not isinstance(state, tuple) else s
        for t in range(T):
            s = step(params, s, X[:, t])
        return torch.cat([s[0][0], s[1][0]]) if isinstance(s, tuple) else s[0]

    H = state[0].shape[-1] if isinstance(state, tuple) else state.shape[-1]
    s0 = torch.cat([state[0][0], state[1][0]]) if isinstance(state, tuple) else state[0]
    J = torch.autograd.functional.jacobian(last, s0)
    return torch.linalg.matrix_norm(J, ord=2).item()


@settings(max_examples=6, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.integers(2, 6), st.integers(0, 999))
def test_jacobian_norms_match_autograd_of_the_unrolled_map(T, D, H, seed):
    rng = np.random.default_rng(seed)
    X = torch.as_tensor(rng.standard_normal((1, T, D)))
    for kind, step in [
        ("rnn", rnn.rnn_step_torch),
        ("gru", gated.gru_step),
        ("lstm", gated.lstm_step),
    ]:
        params = rnn.as_torch(rnn.init_params(kind, D, H, rng))
        h0 = torch.as_tensor(rng.standard_normal((1, H)))
        state = (h0, torch.as_tensor(rng.standard_normal((1, H)))) if kind == "lstm" else h0
        norms = bptt.state_jacobian_norms(step, params, X, state)
        assert norms.shape == (T,)
        for t in {1, T}:
            want = _unrolled_norm(step, params, X, state, t)
            assert norms[t - 1] == pytest.approx(want, rel=1e-9)


def test_jacobian_norms_reject_batches():
    with pytest.raises(ValueError, match=r"\(B, T, D\) with B = 1"):
        bptt.state_jacobian_norms(rnn.rnn_step_torch, {}, torch.zeros(2, 3, 1), torch.zeros(2, 1))


def test_linear_rnn_decays_at_its_spectral_radius():
    # h_t = tanh(C h) near 0 with C = 0.5 Q (orthogonal Q): ||dh_T/dh_0|| = 0.5^T exactly
    H = 4
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((H, H)))
    params = rnn.as_torch(
        {"W_ih": np.zeros((H, 1)), "W_hh": 0.5 * Q, "b_ih": np.zeros(H), "b_hh": np.zeros(H)}
    )
    norms = bptt.state_jacobian_norms(
        rnn.rnn_step_torch,
        params,
        torch.zeros(1, 10, 1, dtype=torch.float64),
        torch.zeros(1, H, dtype=torch.float64),
    )
    np.testing.assert_allclose(norms, 0.5 ** np.arange(1, 11), rtol=1e-12)
    rho, r2 = bptt.decay_rate(norms)
    assert rho == pytest.approx(0.5) and r2 == pytest.approx(1.0)


def test_decay_rate_fit_has_teeth(rng):
    T = np.arange(30)
    rho, r2 = bptt.decay_rate(3.0 * 0.8**T * np.exp(0.01 * rng.standard_normal(30)))
    assert abs(rho - 0.8) < 0.01 and r2 > 0.99
    _, r2_flat = bptt.decay_rate(np.exp(rng.standard_normal(30)))
    assert r2_flat < 0.5
    with pytest.raises(ValueError, match="positive"):
        bptt.decay_rate(np.array([1.0, 0.0, 2.0]))


@settings(max_examples=10, deadline=None)
@given(st.floats(0.01, 10.0), st.integers(0, 999))
def test_clipping_equals_torch_clip_grad_norm(max_norm, seed):
    rng = np.random.default_rng(seed)
    grads = [rng.standard_normal((3, 2)), rng.standard_normal(5)]
    clipped, norm = bptt.clip_grad_norm(grads, max_norm)
    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.as_tensor(g.copy())
    want = torch.nn.utils.clip_grad_norm_(params, max_norm)
    assert norm == pytest.approx(want.item(), rel=1e-12)
    for c, p in zip(clipped, params, strict=True):
        np.testing.assert_allclose(c, p.grad.numpy(), rtol=1e-6, atol=1e-12)
    assert bptt.global_norm(clipped) <= max_norm * (1 + 1e-9)
    with pytest.raises(ValueError, match="max_norm"):
        bptt.clip_grad_norm(grads, 0.0)


def test_clipped_step_is_sgd_on_the_clipped_gradient(generator):
    model = torch.nn.Linear(3, 2).double()
    before = [p.detach().clone() for p in model.parameters()]
    X = torch.randn(5, 3, generator=generator, dtype=torch.float64)
    loss = 100.0 * model(X).pow(2).sum()
    grads = torch.autograd.grad(loss, list(model.parameters()), retain_graph=True)
    clipped, _ = bptt.clip_grad_norm([g.numpy() for g in grads], 0.5)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    assert bptt.clipped_step(model, opt, loss, 1, max_norm=0.5) == pytest.approx(loss.item())
    for p, p0, g in zip(model.parameters(), before, clipped, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), p0.numpy() - 0.1 * g, atol=1e-12)
    with pytest.raises(FloatingPointError, match="diverged at step 7"):
        bptt.clipped_step(model, opt, torch.tensor(float("nan")), 7, 1.0)
