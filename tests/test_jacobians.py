from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.jacobians import gradient_forward_mode, gradient_reverse_mode, numerical_jacobian


@settings(max_examples=20, deadline=None)
@given(
    shape_in=st.lists(st.integers(1, 3), min_size=1, max_size=2),
    P=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_numerical_jacobian_matches_jacrev_and_jacfwd(
    shape_in: list[int], P: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape_in)
    M = rng.standard_normal((P, *shape_in))

    def f_np(z: np.ndarray) -> np.ndarray:  # (*S) -> (P, 2)
        s = (M * z).reshape(P, -1).sum(1)
        return np.stack([np.tanh(s), s**2], axis=1)

    def f_torch(z: torch.Tensor) -> torch.Tensor:
        s = (torch.tensor(M) * z).reshape(P, -1).sum(1)
        return torch.stack([torch.tanh(s), s**2], dim=1)

    J = numerical_jacobian(f_np, x)
    assert J.shape == (P, 2, *shape_in)
    for jac in (torch.func.jacrev, torch.func.jacfwd):
        expected = jac(f_torch)(torch.tensor(x)).numpy()
        assert np.allclose(J, expected, rtol=1e-6, atol=1e-8)


@settings(max_examples=10, deadline=None)
@given(N=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_forward_and_reverse_mode_gradients_agree(N: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    W = torch.tensor(rng.standard_normal((3, N)))
    x = torch.tensor(rng.standard_normal(N), requires_grad=True)

    def f(z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(W @ z).sum()

    g_fwd, n_jvps = gradient_forward_mode(f, x.detach())
    g_rev, n_vjps = gradient_reverse_mode(f, x.detach())
    f(x).backward()
    assert (n_jvps, n_vjps) == (N, 1)
    assert torch.allclose(g_fwd, x.grad, atol=1e-12) and torch.allclose(g_rev, x.grad, atol=1e-12)


def test_modes_need_a_vector() -> None:
    for mode in (gradient_forward_mode, gradient_reverse_mode):
        with pytest.raises(ValueError, match=r"got shape \(2, 2\)"):
            mode(lambda z: z.sum(), torch.ones(2, 2))
