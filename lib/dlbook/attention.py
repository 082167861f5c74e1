"""Attention: dot-product and scaled dot-product attention, masks, multi-head attention and
positional encodings. Chapter 10.

Convention: the notes write a sequence as X in R^{D x T} with the tokens as columns; the
code stores it as (B, T, D), one row per token, so the notes' Q^T K is `q @ k.T` here and
the notes' V A^T is `A @ v`.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


def dot_product_attention(h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """y_t = sum_k a_tk h_k with a_tk = softmax_k(e_tk), e_tk = h_t^T h_k (no parameters).

    Shapes: h: (..., T, D) -> y: (..., T, D), a: (..., T, T). Chapter 10.
    """
    if h.ndim < 2:
        raise ValueError(f"h must have shape (..., T, D), got {tuple(h.shape)}")
    e = h @ h.transpose(-2, -1)  # (..., T, T): e[t, k] = h_t . h_k
    a = torch.softmax(e, dim=-1)
    return a @ h, a


def causal_mask(T: int, S: int | None = None) -> torch.Tensor:
    """M_tk = [k <= t + S - T]: query t (the last T of S positions) sees keys up to itself.

    Shapes: -> (T, S) booleans, True where attending is allowed. Chapter 10.
    """
    S = T if S is None else S
    if T < 1 or S < T:
        raise ValueError(f"need 1 <= T <= S for a causal mask, got T = {T}, S = {S}")
    t = torch.arange(T)[:, None] + (S - T)  # (T, 1): absolute position of each query
    return torch.arange(S)[None, :] <= t


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scaled: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """out = A v, A = softmax(q k^T / sqrt(d_k)) over allowed keys (notes: V A^T, Q^T K).

    `mask` is boolean, True where query t may attend to key s. `scaled=False` drops the
    1/sqrt(d_k) to show what it is for.
    Shapes: q: (..., T, d_k), k: (..., S, d_k), v: (..., S, d_v), mask: (T, S) or
    (..., T, S) -> out: (..., T, d_v), A: (..., T, S). Chapter 10.
    """
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError(f"q, k, v need shape (..., T, d); got {q.shape}, {k.shape}, {v.shape}")
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"need q: (..., T, d_k), k: (..., S, d_k), v: (..., S, d_v); got q "
            f"{tuple(q.shape)}, k {tuple(k.shape)}, v {tuple(v.shape)}"
        )
    T, S = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1)  # (..., T, S)
    if scaled:
        scores = scores / math.sqrt(q.shape[-1])
    if mask is not None:
        if mask.dtype != torch.bool or mask.ndim < 2 or tuple(mask.shape[-2:]) != (T, S):
            raise ValueError(
                f"mask must be boolean of shape (..., T, S) = (..., {T}, {S}), got "
                f"{mask.dtype} of shape {tuple(mask.shape)}"
            )
        scores = scores.masked_fill(~mask, float("-inf"))
    A = torch.softmax(scores, dim=-1)
    return A @ v, A


def softmax_entropy(scores: torch.Tensor) -> torch.Tensor:
    """H(a) = -sum_k a_k log a_k with a = softmax(scores): log S for uniform, 0 for one-hot.

    Shapes: scores: (..., S) -> (...). Chapter 10.
    """
    logp = F.log_softmax(scores, dim=-1)
    return -(logp.exp() * logp).sum(dim=-1)


class MultiHeadAttention(nn.Module):
    """MultiHead(X) = Concat(head_1, ..., head_h) W_O^T, head_i = Attention(W_Qi X, W_Ki X, W_Vi X).

    Keys and values come from `context` when it is given (cross-attention), else from x
    (self-attention). The last attention weights are kept in `self.weights` (B, h, T, S).
    """

    def __init__(self, D: int, heads: int, bias: bool = True) -> None:
        super().__init__()
        if heads < 1 or D % heads:
            raise ValueError(f"D = {D} is not divisible by the number of heads h = {heads}")
        self.D, self.heads, self.d = D, heads, D // heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (
            nn.Linear(D, D, bias=bias) for _ in range(4)
        )
        self.weights: torch.Tensor | None = None

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        return x.reshape(B, T, self.heads, self.d).transpose(1, 2)  # (B, T, D) -> (B, h, T, d)

    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
        cache: dict[str, torch.Tensor] | None = None,
    ) -> torch.Tensor:
        """y = MultiHead(x); with `cache`, new keys/values are appended to cache["k"], ["v"].

        Shapes: x: (B, T, D), context: (B, S, D), mask: (T, S) -> (B, T, D). Chapter 10.
        """
        if x.ndim != 3 or x.shape[-1] != self.D:
            raise ValueError(f"x must have shape (B, T, D = {self.D}), got {tuple(x.shape)}")
        source = x if context is None else context
        q = self._split(self.q_proj(x))
        k, v = self._split(self.k_proj(source)), self._split(self.v_proj(source))
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        out, self.weights = scaled_dot_product_attention(q, k, v, mask)  # (B, h, T, d)
        B, _, T, _ = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(B, T, self.D))  # heads concatenated


def copy_into_torch(mha: MultiHeadAttention, ref: nn.MultiheadAttention) -> nn.MultiheadAttention:
    """ref.in_proj = [W_Q; W_K; W_V], ref.out_proj = W_O: the same weights in torch's layout.

    Shapes: D x D projections -> ref (batch_first). Chapter 10.
    """
    if ref.embed_dim != mha.D or ref.num_heads != mha.heads:
        raise ValueError(
            f"torch module has D = {ref.embed_dim}, h = {ref.num_heads}; ours D = {mha.D}, "
            f"h = {mha.heads}"
        )
    with torch.no_grad():
        ref.in_proj_weight.copy_(
            torch.cat([mha.q_proj.weight, mha.k_proj.weight, mha.v_proj.weight])
        )
        ref.in_proj_bias.copy_(torch.cat([mha.q_proj.bias, mha.k_proj.bias, mha.v_proj.bias]))
        ref.out_proj.weight.copy_(mha.out_proj.weight)
        ref.out_proj.bias.copy_(mha.out_proj.bias)
    return ref


def sinusoidal_encoding(T: int, D: int) -> torch.Tensor:
    """p_{t,2i} = sin(t / 10000^{2i/D}), p_{t,2i+1} = cos(t / 10000^{2i/D}), t = 0..T-1.

    Shapes: -> (T, D), one row p_t per position. Chapter 10.
    """
    if T < 1 or D < 2 or D % 2:
        raise ValueError(f"need T >= 1 and an even D >= 2, got T = {T}, D = {D}")
    omega = 10000.0 ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)  # (D/2,)
    angles = torch.arange(T, dtype=torch.float64)[:, None] * omega  # (T, D/2)
    P = torch.empty(T, D, dtype=torch.float64)
    P[:, 0::2], P[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return P


def relative_shift(k: int, D: int) -> torch.Tensor:
    """M_k = blockdiag([[cos w_i k, sin w_i k], [-sin w_i k, cos w_i k]]): p_{t+k} = M_k p_t.

    Independent of t: a shift by k positions is a rotation of each (sin, cos) pair.
    Shapes: -> (D, D). Chapter 10.
    """
    if D < 2 or D % 2:
        raise ValueError(f"need an even D >= 2, got D = {D}")
    omega = 10000.0 ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    c, s = torch.cos(omega * k), torch.sin(omega * k)
    M = torch.zeros(D, D, dtype=torch.float64)
    i = torch.arange(0, D, 2)
    M[i, i], M[i, i + 1], M[i + 1, i], M[i + 1, i + 1] = c, s, -s, c
    return M
