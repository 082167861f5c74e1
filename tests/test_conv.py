from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from dlbook.conv import (
    col2im,
    conv1d,
    conv1d_naive,
    conv2d,
    conv2d_backward,
    conv2d_naive,
    conv_output_size,
    conv_transpose2d,
    im2col,
    measured_receptive_field,
    receptive_field,
)

geometry = st.fixed_dictionaries(
    {
        "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)),
        "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)),
        "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)),
    }
)


def _fits(n: int, k: int, s: int, p: int, d: int) -> bool:
    return d * (k - 1) + 1 <= n + 2 * p


@settings(max_examples=25)
@given(
    B=st.integers(1, 2), C=st.integers(1, 3), K=st.integers(1, 3), H=st.integers(3, 8),
    W=st.integers(3, 8), kh=st.integers(1, 3), kw=st.integers(1, 3), g=geometry,
    seed=st.integers(0, 999),
)  # fmt: skip
def test_conv2d_and_gradients_match_torch(
    B: int, C: int, K: int, H: int, W: int, kh: int, kw: int, g: dict, seed: int
) -> None:
    s, p, d = g["stride"], g["padding"], g["dilation"]
    assume(_fits(H, kh, s[0], p[0], d[0]) and _fits(W, kw, s[1], p[1], d[1]))
    rng = np.random.default_rng(seed)
    X, Wt, b = rng.normal(size=(B, C, H, W)), rng.normal(size=(K, C, kh, kw)), rng.normal(size=K)
    x, w, bt = (torch.tensor(a, requires_grad=True) for a in (X, Wt, b))
    y = F.conv2d(x, w, bt, stride=s, padding=p, dilation=d)
    Y = conv2d(X, Wt, b, s, p, d)
    np.testing.assert_allclose(Y, y.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(conv2d_naive(X, Wt, b, s, p, d), Y, atol=1e-10)
    dY = rng.normal(size=Y.shape)
    y.backward(torch.tensor(dY))
    for ours, ref in zip(conv2d_backward(dY, X, Wt, s, p, d), (x, w, bt), strict=True):
        np.testing.assert_allclose(ours, ref.grad.numpy(), atol=1e-10)


@settings(max_examples=20)
@given(
    L=st.integers(3, 12), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
    d=st.integers(1, 3), seed=st.integers(0, 999),
)  # fmt: skip
def test_conv1d_naive_and_im2col_match_torch(
    L: int, k: int, s: int, p: int, d: int, seed: int
) -> None:
    assume(_fits(L, k, s, p, d))
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(2, 3, L)), rng.normal(size=(2, 3, k)), rng.normal(size=2)
    ref = F.conv1d(torch.tensor(X), torch.tensor(W), torch.tensor(b), s, p, d).numpy()
    np.testing.assert_allclose(conv1d(X, W, b, s, p, d), ref, atol=1e-10)
    np.testing.assert_allclose(conv1d_naive(X, W, b, s, p, d), ref, atol=1e-10)
    assert ref.shape[2] == conv_output_size(L, k, s, p, d)


@settings(max_examples=20)
@given(
    H=st.integers(2, 6), W=st.integers(2, 6), kh=st.integers(1, 3), kw=st.integers(1, 3),
    g=geometry, op=st.integers(0, 2), seed=st.integers(0, 999),
)  # fmt: skip
def test_transposed_conv_is_the_adjoint_and_matches_torch(
    H: int, W: int, kh: int, kw: int, g: dict, op: int, seed: int
) -> None:
    s, p, d = g["stride"], g["padding"], g["dilation"]
    ops = (min(op, s[0] - 1), min(op, s[1] - 1))
    out = [(n - 1) * s[a] - 2 * p[a] + d[a] * (k - 1) + ops[a] + 1
           for a, (n, k) in enumerate(((H, kh), (W, kw)))]  # fmt: skip
    assume(min(out) >= 1)
    rng = np.random.default_rng(seed)
    Y, Wt = rng.normal(size=(2, 3, H, W)), rng.normal(size=(3, 2, kh, kw))
    Xt = conv_transpose2d(Y, Wt, s, p, d, ops)
    ref = F.conv_transpose2d(torch.tensor(Y), torch.tensor(Wt), None, s, p, ops, 1, d)
    np.testing.assert_allclose(Xt, ref.numpy(), atol=1e-10)
    X = rng.normal(size=Xt.shape)  # <conv(x), y> = <x, conv^T(y)>
    lhs = np.sum(conv2d(X, Wt, None, s, p, d) * Y)
    np.testing.assert_allclose(lhs, np.sum(X * Xt), rtol=1e-10)


def test_col2im_is_the_adjoint_of_im2col(rng: np.random.Generator) -> None:
    X = rng.normal(size=(2, 3, 7, 6))
    cols = im2col(X, 3, 2, (2, 1), (1, 0), (1, 2))
    Z = rng.normal(size=cols.shape)
    back = col2im(Z, X.shape, 3, 2, (2, 1), (1, 0), (1, 2))
    np.testing.assert_allclose(np.sum(cols * Z), np.sum(X * back), rtol=1e-12)


def test_output_size_and_errors() -> None:
    assert conv_output_size(28, 5) == 24
    assert conv_output_size(28, 3, stride=2, padding=1) == 14
    assert conv_output_size(10, 3, dilation=2) == 6
    with pytest.raises(ValueError, match=r"size 5 \(span 9 with dilation 2\).*4 \+ 2\*1 = 6"):
        conv_output_size(4, 5, padding=1, dilation=2)
    with pytest.raises(ValueError, match="stride=0"):
        conv_output_size(8, 3, stride=0)
    with pytest.raises(ValueError, match="stride=-1"):
        conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), stride=-1)
    with pytest.raises(ValueError, match="larger than"):
        conv1d(np.zeros((1, 1, 3)), np.zeros((1, 1, 4)))
    with pytest.raises(ValueError, match=r"\(1, 2, 5, 5\).*\(1, 3, 3, 3\)"):
        conv2d(np.zeros((1, 2, 5, 5)), np.zeros((1, 3, 3, 3)))
    with pytest.raises(ValueError, match="output_padding"):
        conv_transpose2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 2, 2)), stride=1, output_padding=1)
    with pytest.raises(ValueError, match="dY has shape"):
        conv2d_backward(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="one kernel"):
        receptive_field([3, 3], [1], [1, 1])


@pytest.mark.parametrize(
    ("kernels", "strides", "dilations"),
    [([3], [1], [1]), ([3, 3, 3], [1, 1, 1], [1, 1, 1]), ([3, 3, 3], [1, 1, 1], [1, 2, 4]),
     ([5, 3, 3], [2, 2, 1], [1, 1, 2]), ([2, 2], [1, 1], [3, 1])],
)  # fmt: skip
def test_receptive_field_formula_matches_gradient_footprint(
    kernels: list[int], strides: list[int], dilations: list[int]
) -> None:
    r = receptive_field(kernels, strides, dilations)
    assert measured_receptive_field(kernels, strides, dilations) == r
    assert receptive_field([3] * 3, [1] * 3, [1, 2, 4]) == 15
