"""The transformer block of the notes (pre-LN, masked multi-head self-attention, residuals,
position-wise FFN, dropout) and a tiny GPT-style character language model with weight
tying and a key/value cache. Chapter 10.

Shapes follow `dlbook.attention`: (B, T, D), one row per token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from dlbook.attention import MultiHeadAttention, causal_mask, sinusoidal_encoding

Cache = list[dict[str, torch.Tensor]]


@dataclass
class GPTConfig:
    """The sizes of a TinyGPT: vocabulary V, width D, h heads, L layers, context T_max."""

    V: int
    D: int = 64
    heads: int = 4
    layers: int = 2
    T_max: int = 64
    ffn_mult: int = 4
    dropout: float = 0.0
    tied: bool = True
    positions: str = "learned"  # or "sinusoidal"


class Block(nn.Module):
    """X_l = R + Drop(FFN(LN(R))), R = X_{l-1} + Drop(MultiHead(LN(X_{l-1}))) (pre-LN)."""

    def __init__(self, D: int, heads: int, ffn_mult: int = 4, dropout: float = 0.0) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.attn = MultiHeadAttention(D, heads)
        self.ffn = nn.Sequential(nn.Linear(D, ffn_mult * D), nn.GELU(), nn.Linear(ffn_mult * D, D))
        self.drop = nn.Dropout(dropout)

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        cache: dict[str, torch.Tensor] | None = None,
    ) -> torch.Tensor:
        """One block; `mask` (T, S) is causal for a language model, None for an encoder.

        Shapes: x: (B, T, D) -> (B, T, D). Chapter 10.
        """
        r = x + self.drop(self.attn(self.ln1(x), mask=mask, cache=cache))
        return r + self.drop(self.ffn(self.ln2(r)))


def init_weights_(model: nn.Module, generator: torch.Generator, std: float = 0.02) -> nn.Module:
    """W ~ N(0, std^2) for every linear and embedding weight, biases 0, LayerNorm (1, 0).

    Shapes: none (in place). Chapter 10.
    """
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear | nn.Embedding):
                m.weight.normal_(0.0, std, generator=generator)
                if getattr(m, "bias", None) is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.LayerNorm):
                m.weight.fill_(1.0)
                m.bias.zero_()
    return model


class TinyGPT(nn.Module):
    """logits_t = W_out LN(X_L)_t, X_0 = A_0 e_{w_t} + p_t, with W_out = A_0 when tied."""

    def __init__(self, config: GPTConfig, generator: torch.Generator) -> None:
        super().__init__()
        c = config
        if c.positions not in ("learned", "sinusoidal"):
            raise ValueError(f"positions must be 'learned' or 'sinusoidal', got {c.positions!r}")
        self.config, self.V = c, c.V
        self.tok = nn.Embedding(c.V, c.D)
        self.pos = nn.Embedding(c.T_max, c.D) if c.positions == "learned" else None
        self.register_buffer("sinusoid", sinusoidal_encoding(c.T_max, c.D).float())
        self.blocks = nn.ModuleList(
            Block(c.D, c.heads, c.ffn_mult, c.dropout) for _ in range(c.layers)
        )
        self.ln_f = nn.LayerNorm(c.D)
        self.head = nn.Linear(c.D, c.V, bias=False)
        self.drop = nn.Dropout(c.dropout)
        init_weights_(self, generator)
        if c.tied:
            self.head.weight = self.tok.weight  # one (V, D) matrix, used twice

    def new_cache(self) -> Cache:
        """An empty key/value cache, one dict per layer.

        Shapes: -> L empty dicts. Chapter 10.
        """
        return [{} for _ in self.blocks]

    def forward(
        self, ids: torch.Tensor, cache: Cache | None = None
    ) -> tuple[torch.Tensor, Cache | None]:
        """logits for w_{t+1} at every position; with a cache, ids continue the cached prefix.

        Shapes: ids: (B, T) -> logits: (B, T, V), and the cache. Chapter 10.
        """
        if ids.ndim != 2:
            raise ValueError(f"ids has shape {tuple(ids.shape)}; expected shape (B, T)")
        start = 0 if cache is None or "k" not in cache[0] else cache[0]["k"].shape[2]
        T = ids.shape[1]
        if start + T > self.config.T_max:
            raise ValueError(f"{start} cached + {T} new tokens exceed T_max = {self.config.T_max}")
        positions = torch.arange(start, start + T)
        p = self.pos(positions) if self.pos is not None else self.sinusoid[positions]
        x = self.drop(self.tok(ids) + p)  # (B, T, D)
        mask = causal_mask(T, start + T)
        for layer, block in enumerate(self.blocks):
            x = block(x, mask, None if cache is None else cache[layer])
        return self.head(self.ln_f(x)), cache


def attention_maps(model: TinyGPT, ids: torch.Tensor) -> torch.Tensor:
    """A[l, i, t, k]: the weight of head i in layer l from query t to key k <= t.

    Shapes: ids: (T,) -> (L, h, T, T). Chapter 10.
    """
    if ids.ndim != 1:
        raise ValueError(f"ids must have shape (T,), got {tuple(ids.shape)}")
    was = model.training
    model.eval()
    with torch.no_grad():
        model(ids[None])
    model.train(was)
    return torch.stack([b.attn.weights[0] for b in model.blocks])  # type: ignore[index]


def perplexity(model: TinyGPT, ids: np.ndarray) -> float:
    """PPL = exp(-(1/n) sum log P(w_{t+1} | window)), over disjoint windows of T_max.

    Each window is read from its start, so the context averages about T_max / 2.
    Shapes: ids: (n,) -> scalar. Chapter 10.
    """
    T = model.config.T_max
    ids = np.asarray(ids)
    rows = (len(ids) - 1) // T
    if ids.ndim != 1 or rows < 1:
        raise ValueError(f"need ids of shape (n,) with n > T_max = {T}, got shape {ids.shape}")
    chunk = torch.as_tensor(ids[: rows * T + 1])
    inputs, targets = chunk[:-1].reshape(rows, T), chunk[1:].reshape(rows, T)
    was = model.training
    model.eval()
    with torch.no_grad():
        losses = [
            F.cross_entropy(model(x)[0].reshape(-1, model.V), y.reshape(-1), reduction="sum")
            for x, y in zip(inputs.split(64), targets.split(64), strict=True)
        ]
    model.train(was)
    return float(torch.exp(sum(losses) / targets.numel()))
