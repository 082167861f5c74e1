from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlbook.optim import power_iteration
from dlbook.stability import eos_run


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 1000), n=st.integers(5, 20), d=st.integers(1, 4))
def test_linear_model_sharpness_and_losses_match_references(seed: int, n: int, d: int) -> None:
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    Y = torch.randn(n, 2, generator=g, dtype=torch.float64)
    net = nn.Linear(d, 2).double()
    Z = torch.cat([X, torch.ones(n, 1, dtype=torch.float64)], dim=1)  # (n, d + 1)
    top = float(torch.linalg.eigvalsh(Z.T @ Z / n)[-1])  # the Hessian is I_2 (x) Z^T Z / n
    losses, at, sharp = eos_run(X, Y, net, 0.1, 30, g, every=10)
    assert list(at) == [0, 10, 20]
    np.testing.assert_allclose(sharp, top, rtol=1e-6)  # a quadratic: H is constant
    ref, opt, ref_losses = net, torch.optim.SGD(net.parameters(), lr=0.1), []
    for _ in range(30):
        opt.zero_grad()
        loss = 0.5 * ((ref(X) - Y) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        ref_losses.append(loss.item())
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-10)


def test_power_iteration_warm_start_converges() -> None:
    S = torch.diag(torch.tensor([1.0, 3.0, 7.0], dtype=torch.float64))
    value, v = power_iteration(
        lambda t: 0.5 * t @ S @ t,
        torch.zeros(3, dtype=torch.float64),
        torch.ones(3, dtype=torch.float64),
        100,
    )
    assert value == pytest.approx(7.0, rel=1e-10) and abs(float(v[2])) == pytest.approx(1.0)


def test_mismatched_rows_raise() -> None:
    with pytest.raises(ValueError, match=r"X \(3, 2\) and Y \(4, 1\)"):
        eos_run(torch.ones(3, 2), torch.ones(4, 1), nn.Linear(2, 1), 0.1, 5, torch.Generator())
