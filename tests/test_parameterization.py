"""Tests of dlbook.parameterization: the muP model against its definition (zero read-out,
h / m scaling, lambda / m on the hidden matrix, via torch.optim.Adam by hand), the sweep's
bookkeeping, and the parabola fit on known quadratics."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from dlbook.data import TeacherTask
from dlbook.parameterization import WidthMLP, lr_sweep, parabola_argmin, student_loss


def test_standard_is_a_plain_relu_mlp(generator):
    model = WidthMLP(5, 16, 3, "standard", generator, base=4)
    X = torch.randn(7, 5, generator=generator)
    ref = model.out(F.relu(model.hidden(F.relu(model.inp(X)))))
    assert torch.allclose(model(X), ref) and model.m == 1.0
    assert [g["lr"] for g in model.param_groups(0.1)] == [0.1, 0.1]


def test_mup_zero_readout_scaled_hidden_and_lr(generator):
    model = WidthMLP(5, 16, 3, "mup", generator, base=4)
    X = torch.randn(7, 5, generator=generator)
    assert model.m == 4.0 and torch.all(model(X) == 0)
    with torch.no_grad():
        model.out.weight.normal_(generator=generator)
    h = F.relu(model.hidden(F.relu(model.inp(X))))
    assert torch.allclose(model(X), h @ model.out.weight.T / 4 + model.out.bias)
    groups = model.param_groups(0.1)
    assert groups[0]["params"][0] is model.hidden.weight and groups[0]["lr"] == 0.1 / 4
    assert len(groups[1]["params"]) == 5 and groups[1]["lr"] == 0.1


@settings(max_examples=10, deadline=None)
@given(st.floats(-5, 5), st.floats(0.1, 3), st.integers(3, 7))
def test_parabola_argmin_recovers_the_vertex(x0, a, points):
    x = np.linspace(-6, 6, 25)
    assert parabola_argmin(x, a * (x - x0) ** 2 + 1, points) == pytest.approx(x0, abs=1e-6)


def test_parabola_argmin_rejects_unbracketed_minima():
    x = np.arange(5.0)
    with pytest.raises(ValueError, match="not bracketed"):
        parabola_argmin(x, x)
    with pytest.raises(ValueError, match=r"\(5,\).*\(4,\)"):
        parabola_argmin(x, x[:4])


def test_lr_sweep_is_adam_on_the_same_batches(generator):
    X = torch.randn(40, 6, generator=generator)
    labels = torch.randint(3, (40,), generator=generator)
    losses = lr_sweep(X, labels, 8, "mup", [1e-3, 1e-2], seed=3, steps=5, batch=4, base=4)
    # reference: the same model trained by hand with torch.optim.Adam
    order = torch.randint(40, (5, 4), generator=torch.Generator().manual_seed(3))
    model = WidthMLP(6, 8, 3, "mup", torch.Generator().manual_seed(3), 4)
    opt = torch.optim.Adam(
        [
            {"params": [model.hidden.weight], "lr": 1e-2 / 2},
            {
                "params": [p for n, p in model.named_parameters() if n != "hidden.weight"],
                "lr": 1e-2,
            },
        ]
    )
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5)
    for s in range(5):
        loss = F.cross_entropy(model(X[order[s]]), labels[order[s]])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        assert losses[1] == pytest.approx(F.cross_entropy(model(X), labels).item(), rel=1e-6)
    assert losses.shape == (2,) and losses[0] != losses[1]
    assert lr_sweep(X, labels, 8, "standard", [1e9], seed=0, steps=30)[0] == np.inf


def test_student_loss_improves_with_steps(generator):
    task = TeacherTask.random(generator, dim=4, hidden=8)
    X, y = task.sample(512, generator)
    short = student_loss(16, task, X, y, 2, torch.Generator().manual_seed(0), batch=64)
    long = student_loss(16, task, X, y, 200, torch.Generator().manual_seed(0), batch=64)
    assert long < 0.7 * short
    with pytest.raises(ValueError, match="X_test"):
        student_loss(16, task, X[:, :3], y, 2, generator)


def test_bad_mode_and_shapes_raise(generator):
    with pytest.raises(ValueError, match="mode"):
        WidthMLP(2, 4, 1, "ntk", generator, 4)
    with pytest.raises(ValueError, match="do not match"):
        lr_sweep(torch.ones(5, 2), torch.ones(4, dtype=torch.long), 4, "mup", [0.1], 0)
