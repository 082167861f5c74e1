"""Encoder-decoder transformers with cross-attention on toy digit-string tasks, and a
[CLS]-token sequence classifier. Chapter 10.

Tokens 0..9 are digits; BOS = 10 starts the decoder's input.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.attention import MultiHeadAttention, causal_mask
from dlbook.runtime import check_finite
from dlbook.transformer import Block, init_weights_

BOS = 10


def reversal_batch(
    B: int, T: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """source = T random digits, target = source reversed, decoder input = [BOS, target[:-1]].

    Shapes: -> source, decoder input, target: (B, T) integers. Chapter 10.
    """
    src = rng.integers(0, 10, size=(B, T))
    tgt = src[:, ::-1].copy()
    dec_in = np.concatenate([np.full((B, 1), BOS), tgt[:, :-1]], axis=1)
    return src, dec_in, tgt


class DecoderBlock(nn.Module):
    """R = X + MaskedSelf(LN X); S = R + Cross(LN R; encoder); X' = S + FFN(LN S)."""

    def __init__(self, D: int, heads: int) -> None:
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(D), nn.LayerNorm(D), nn.LayerNorm(D)
        self.self_attn = MultiHeadAttention(D, heads)
        self.cross = MultiHeadAttention(D, heads)
        self.ffn = nn.Sequential(nn.Linear(D, 2 * D), nn.GELU(), nn.Linear(2 * D, D))

    def forward(self, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        """Queries from the decoder, keys and values of the cross-attention from `memory`.

        Shapes: x: (B, T, D), memory: (B, S, D) -> (B, T, D). Chapter 10.
        """
        T = x.shape[1]
        r = x + self.self_attn(self.ln1(x), mask=causal_mask(T))
        s = r + self.cross(self.ln2(r), context=memory)
        return s + self.ffn(self.ln3(s))


class EncoderDecoder(nn.Module):
    """P(y_t | y_<t, x) = softmax(W Decoder(y_<t; Encoder(x))_t) over the 10 digits."""

    def __init__(self, generator: torch.Generator, T: int, D: int = 32, heads: int = 2) -> None:
        super().__init__()
        self.tok = nn.Embedding(11, D)
        self.pos_src, self.pos_tgt = nn.Embedding(T, D), nn.Embedding(T, D)
        self.encoder = nn.ModuleList(Block(D, heads, 2) for _ in range(1))
        self.decoder = nn.ModuleList(DecoderBlock(D, heads) for _ in range(1))
        self.ln = nn.LayerNorm(D)
        self.head = nn.Linear(D, 10)
        init_weights_(self, generator, std=0.1)

    def forward(self, src: torch.Tensor, dec_in: torch.Tensor) -> torch.Tensor:
        """Logits of every target digit, the decoder reading the shifted target (teacher forcing).

        Shapes: src: (B, S), dec_in: (B, T) -> (B, T, 10). Chapter 10.
        """
        m = self.tok(src) + self.pos_src(torch.arange(src.shape[1]))
        for block in self.encoder:
            m = block(m)
        y = self.tok(dec_in) + self.pos_tgt(torch.arange(dec_in.shape[1]))
        for block in self.decoder:
            y = block(y, m)
        return self.head(self.ln(y))

    def decode(self, src: torch.Tensor) -> torch.Tensor:
        """Greedy y_t = argmax P(y_t | y_<t, x), fed back in, T steps.

        Shapes: src: (B, T) -> (B, T). Chapter 10.
        """
        B, T = src.shape
        out = torch.full((B, 1), BOS)
        with torch.no_grad():
            for _ in range(T):
                nxt = self(src, out)[:, -1].argmax(-1, keepdim=True)  # (B, 1)
                out = torch.cat([out, nxt], dim=1)
        return out[:, 1:]


def train_reversal(
    model: EncoderDecoder,
    rng: np.random.Generator,
    T: int,
    steps: int = 600,
    batch_size: int = 64,
    lr: float = 3e-3,
    progress: bool = False,
) -> np.ndarray:
    """Adam on the cross-entropy of every target digit, fresh random strings every step.

    Shapes: -> losses: (steps,). Chapter 10.
    """
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in tqdm(range(1, steps + 1), desc="seq2seq", disable=not progress, leave=False):
        src, dec_in, tgt = (torch.as_tensor(a) for a in reversal_batch(batch_size, T, rng))
        loss = F.cross_entropy(model(src, dec_in).reshape(-1, 10), tgt.reshape(-1))
        losses.append(check_finite(loss.item(), step))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return np.array(losses)


class ClsClassifier(nn.Module):
    """f(x) = head(LN(Encoder([x_cls; A_0 e_{x_1} + p_1; ...]))_cls): a [CLS]-token classifier."""

    def __init__(
        self, generator: torch.Generator, T: int, V: int = 10, D: int = 32, classes: int = 2
    ) -> None:
        super().__init__()
        self.tok = nn.Embedding(V + 1, D)  # id V is the [CLS] token
        self.pos = nn.Embedding(T + 1, D)
        self.blocks = nn.ModuleList(Block(D, 2, 2) for _ in range(2))
        self.ln, self.head, self.V = nn.LayerNorm(D), nn.Linear(D, classes), V
        init_weights_(self, generator, std=0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits read from the [CLS] position.

        Shapes: x: (B, T) integers (any dtype) -> (B, classes). Chapter 10.
        """
        x = x.long()
        ids = torch.cat([torch.full((x.shape[0], 1), self.V), x], dim=1)  # (B, T + 1)
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln(h[:, 0]))
