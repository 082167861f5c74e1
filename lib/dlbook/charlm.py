"""A character-level language model P(w_{i+1} | w_1..w_i): embedding, LSTM, read-out;
its training, its validation perplexity and temperature-controlled sampling. Chapter 9.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.bptt import clipped_step
from dlbook.text import sequence_batch


class CharLM(nn.Module):
    """logits_t = D h_t + e, (h_t, c_t) = LSTM(h_{t-1}, c_{t-1}, A_0 e_{w_t})."""

    def __init__(
        self,
        V: int,
        generator: torch.Generator,
        E: int = 32,
        H: int = 128,
        forget_bias: float = 1.0,
    ) -> None:
        super().__init__()
        self.V = V
        self.embedding = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, batch_first=True)
        self.readout = nn.Linear(H, V)
        with torch.no_grad():
            self.embedding.weight.normal_(0.0, 1.0, generator=generator)
            for p in [*self.lstm.parameters(), *self.readout.parameters()]:
                p.uniform_(-(H**-0.5), H**-0.5, generator=generator)
            self.lstm.bias_ih_l0[H : 2 * H] += forget_bias  # gate order i, f, g, o

    def forward(
        self, ids: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """logits for w_{t+1} at every step t, and the final (h, c) to continue from.

        Shapes: ids: (B, T) integers -> logits: (B, T, V), h, c: (1, B, H). Chapter 9.
        """
        if ids.ndim != 2:
            raise ValueError(f"ids has shape {tuple(ids.shape)}; expected shape (B, T)")
        states, state = self.lstm(self.embedding(ids), state)  # (B, T, E) -> (B, T, H)
        return self.readout(states), state


def train_lm(
    model: CharLM,
    ids: np.ndarray,
    rng: np.random.Generator,
    steps: int = 400,
    batch_size: int = 32,
    length: int = 64,
    lr: float = 3e-3,
    max_norm: float = 1.0,
    progress: bool = False,
) -> np.ndarray:
    """Adam on L = -(1/BT) sum log P(w_{t+1} | w_1..w_t) over random windows, clipped.

    Shapes: ids: (n,) -> losses: (steps,). Chapter 9.
    """
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in tqdm(range(1, steps + 1), desc="LM steps", disable=not progress, leave=False):
        inputs, targets = (torch.as_tensor(a) for a in sequence_batch(ids, batch_size, length, rng))
        logits = model(inputs)[0]
        loss = F.cross_entropy(logits.reshape(-1, model.V), targets.reshape(-1))
        losses.append(clipped_step(model, opt, loss, step, max_norm))
    return np.array(losses)


def perplexity(model: CharLM, ids: np.ndarray, rows: int = 16) -> float:
    """PPL = exp(-(1/n) sum_i log P(w_{i+1} | w_1..w_i)), the ids cut into `rows` streams.

    Each row is read from its start with the state carried along, so every prediction
    after a row's first character has its full left context within the row.
    Shapes: ids: (n,) -> scalar. Chapter 9.
    """
    ids = np.asarray(ids)
    n = (len(ids) - 1) // rows
    if ids.ndim != 1 or n < 1:
        raise ValueError(f"need ids of shape (n,) with n > rows = {rows}, got shape {ids.shape}")
    chunks = torch.as_tensor(ids[: rows * n + 1])
    inputs = chunks[:-1].reshape(rows, n)  # (rows * n,) -> (rows, n)
    targets = chunks[1:].reshape(rows, n)
    with torch.no_grad():
        logits = model(inputs)[0]
        loss = F.cross_entropy(logits.reshape(-1, model.V), targets.reshape(-1))
    return float(torch.exp(loss))


def temperature_probs(logits: np.ndarray, temperature: float) -> np.ndarray:
    """p_k = exp(z_k / tau) / sum_j exp(z_j / tau): tau -> 0 is argmax, tau -> inf uniform.

    Shapes: logits: (..., V) -> (..., V). Chapter 9.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    z = np.asarray(logits, dtype=float) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def sample(
    model: CharLM, prompt: np.ndarray, n: int, temperature: float, rng: np.random.Generator
) -> np.ndarray:
    """w_{t+1} ~ softmax(logits_t / tau), fed back in for n steps after the prompt.

    Shapes: prompt: (P,) integers -> (n,) sampled ids. Chapter 9.
    """
    prompt = np.asarray(prompt)
    if prompt.ndim != 1 or len(prompt) == 0:
        raise ValueError(f"prompt must have shape (P,) with P >= 1, got shape {prompt.shape}")
    out = []
    with torch.no_grad():
        logits, state = model(torch.as_tensor(prompt)[None])
        for _ in range(n):
            p = temperature_probs(logits[0, -1].double().numpy(), temperature)
            w = int(rng.choice(len(p), p=p))
            out.append(w)
            logits, state = model(torch.tensor([[w]]), state)
    return np.array(out)
