from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbook.landscapes import LANDSCAPES, ravine, run
from dlbook.optim import GD
from dlbook.runtime import DivergenceError

TORCH = {
    "ravine": lambda t: 0.5 * (t[0] ** 2 + 25.0 * t[1] ** 2),
    "rosenbrock": lambda t: (1 - t[0]) ** 2 + 10.0 * (t[1] - t[0] ** 2) ** 2,
    "saddle": lambda t: 0.5 * (t[0] ** 2 - t[1] ** 2) + 0.25 * t[1] ** 4,
}


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
@settings(max_examples=5, deadline=None)
@given(x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_loss_and_gradient_match_autograd(name: str, x: float, y: float) -> None:
    loss, g = LANDSCAPES[name](np.array([x, y]))
    t = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
    ref = TORCH[name](t)
    ref.backward()
    assert loss == pytest.approx(ref.detach().item(), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_run_records_the_gd_trajectory() -> None:
    path, losses = run(GD(0.02), ravine, np.array([2.0, 1.0]), 50)
    assert path.shape == (51, 2) and losses.shape == (51,)
    # along each axis GD multiplies by (1 - lr h)
    np.testing.assert_allclose(path[-1], [2 * 0.98**50, 0.5**50], rtol=1e-10)


def test_divergence_and_bad_shapes_raise() -> None:
    with pytest.raises(DivergenceError, match="diverged"):
        run(GD(0.1), ravine, np.array([1.0, 1.0]), 500)  # 0.1 > 2/25
    with pytest.raises(ValueError, match=r"shape \(2,\), got \(3,\)"):
        ravine(np.ones(3))
