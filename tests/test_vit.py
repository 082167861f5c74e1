"""Tests of dlbook.vit: patches by reshaping against torch's unfold, the patch embedding
against a strided convolution, and the ViT's shapes and [CLS] readout."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from dlbook import vit


@settings(max_examples=8, deadline=None)
@given(st.sampled_from([1, 2, 4]), st.integers(1, 3), st.integers(0, 99))
def test_patchify_matches_unfold_and_the_conv(p, C, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2, C, 8, 8, generator=g, dtype=torch.float64)
    ref = F.unfold(x, p, stride=p).transpose(1, 2)  # (B, N, C p p)
    torch.testing.assert_close(vit.patchify(x, p), ref)
    lin = nn.Linear(C * p * p, 5).double()
    conv = vit.patch_embed_as_conv(lin, C, p)
    want = conv(x).flatten(2).transpose(1, 2)  # (B, D, H/p, W/p) -> (B, N, D)
    torch.testing.assert_close(lin(vit.patchify(x, p)), want, rtol=0, atol=1e-10)


def test_vit_shapes_and_errors(generator):
    model = vit.ViT(generator, p=4, D=8, heads=2, layers=1)
    assert model(torch.randn(3, 64)).shape == (3, 10)
    assert model.pos.shape == (1, 5, 8)
    with pytest.raises(ValueError, match="p = 3"):
        vit.patchify(torch.zeros(1, 1, 8, 8), 3)
    with pytest.raises(ValueError, match="patch size 3"):
        vit.ViT(generator, p=3)
    with pytest.raises(ValueError, match="C p p = 4"):
        vit.patch_embed_as_conv(nn.Linear(5, 2), 1, 2)


def test_vit_is_blind_to_patch_order_without_positions(generator):
    model = vit.ViT(generator, p=4, D=8, heads=2, layers=1).double()
    with torch.no_grad():
        model.pos.zero_()
    x = torch.randn(2, 1, 8, 8, generator=generator, dtype=torch.float64)
    swapped = torch.cat([x[:, :, 4:], x[:, :, :4]], dim=2)  # swap top and bottom patches
    torch.testing.assert_close(model(x.reshape(2, 64)), model(swapped.reshape(2, 64)))


def test_distillation_loss_against_its_formula(generator):
    s = torch.randn(5, 4, generator=generator, dtype=torch.float64)
    t = torch.randn(5, 4, generator=generator, dtype=torch.float64)
    y = torch.randint(0, 4, (5,), generator=generator)
    p_t, p_s = torch.softmax(t / 3, -1), torch.softmax(s / 3, -1)
    kl = (p_t * (p_t.log() - p_s.log())).sum(-1).mean()
    want = 0.25 * 9 * kl + 0.75 * F.cross_entropy(s, y)
    torch.testing.assert_close(vit.distillation_loss(s, t, y, tau=3.0, alpha=0.25), want)
    torch.testing.assert_close(
        vit.distillation_loss(s, s, y, alpha=1.0), torch.zeros((), dtype=torch.float64)
    )
    with pytest.raises(ValueError, match=r"teacher \(5, 3\)"):
        vit.distillation_loss(s, t[:, :3], y)
    with pytest.raises(ValueError, match="alpha = 2"):
        vit.distillation_loss(s, t, y, alpha=2)


def test_train_distilled_pulls_the_student_to_the_teacher(generator, rng):
    X, labels = rng.standard_normal((64, 64)), rng.integers(0, 10, 64)
    teacher = nn.Sequential(nn.Linear(64, 10))
    with torch.no_grad():
        teacher[0].weight.normal_(0.0, 0.25, generator=generator)  # confident targets
        teacher[0].bias.zero_()
    student = vit.ViT(generator, p=4, D=8, heads=2, layers=1)
    losses = vit.train_distilled(
        student, teacher, X, labels, generator, epochs=40, lr=1e-2, alpha=1.0
    )
    assert losses.shape == (40,) and losses[-1] < 0.7 * losses[0]
