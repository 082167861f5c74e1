"""Two synthetic sequence tasks and a small recurrent classifier to train on them.

* recall (sequence-to-answer): the first (flagged) symbol of a sequence must be reported
  after T - 1 distractors: a test of memory over a delay of T steps.
* look-ahead (sequence-to-sequence): at each step t report the symbol of step t + 1: a
  task a left-to-right RNN cannot solve and a bidirectional one can. Chapter 9.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.bptt import clipped_step
from dlbook.rnn import check_sequence

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def recall_task(n: int, T: int, K: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x_t = e_{w_t} for random symbols w_1..w_T, a flag channel set at t = 1; y = w_1.

    The symbol to recall and the T - 1 distractors share the same K input channels; only
    the flag (channel K) marks the first step.
    Shapes: -> X: (n, T, K + 1) float32, y: (n,) integers in [0, K). Chapter 9.
    """
    if n < 1 or T < 2 or K < 2:
        raise ValueError(f"need n >= 1, T >= 2 and K >= 2; got {n}, {T}, {K}")
    w = rng.integers(0, K, (n, T))
    X = np.zeros((n, T, K + 1), dtype=np.float32)
    X[np.arange(n)[:, None], np.arange(T)[None, :], w] = 1.0
    X[:, 0, K] = 1.0  # the flag: remember this one
    return X, w[:, 0]


def lookahead_task(
    n: int, T: int, K: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Random symbols w_1..w_T as one-hot inputs; the target at step t is w_{t+1}.

    Shapes: -> X: (n, T, K) float32, Y: (n, T - 1) integers in [0, K). Chapter 9.
    """
    if n < 1 or T < 2 or K < 2:
        raise ValueError(f"need n >= 1, T >= 2 and K >= 2; got {n}, {T}, {K}")
    w = rng.integers(0, K, (n, T))
    return np.eye(K, dtype=np.float32)[w], w[:, 1:]


class SequenceClassifier(nn.Module):
    """y = D h + e read from the last state (to_answer) or from every step t < T (seq-to-seq).

    A one-layer torch RNN (tanh), GRU or LSTM, optionally bidirectional (the two
    directions' states are concatenated before the read-out).
    """

    def __init__(
        self,
        kind: str,
        D: int,
        H: int,
        K: int,
        generator: torch.Generator,
        bidirectional: bool = False,
        per_step: bool = False,
        forget_bias: float = 0.0,
    ) -> None:
        super().__init__()
        if kind not in CELLS:
            raise ValueError(f"unknown cell {kind!r}; choose from {sorted(CELLS)}")
        self.D, self.per_step = D, per_step
        self.cell = CELLS[kind](D, H, batch_first=True, bidirectional=bidirectional)
        self.readout = nn.Linear(H * (2 if bidirectional else 1), K)
        with torch.no_grad():
            for p in self.parameters():
                bound = 1.0 / H**0.5
                p.uniform_(-bound, bound, generator=generator)
            if kind != "rnn":  # the LSTM's forget gate f, the GRU's keep gate z
                for name, p in self.cell.named_parameters():
                    if name.startswith("bias_ih"):
                        p[H : 2 * H] += forget_bias  # block 2 of (i, f, g, o), (r, z, n)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """logits = D h_T + e (to answer) or D h_t + e for t = 1..T-1 (per step).

        Shapes: X: (B, T, D) -> (B, K) or (B, T - 1, K). Chapter 9.
        """
        check_sequence(X, self.D)
        states = self.cell(X)[0]  # (B, T, H) or (B, T, 2H)
        return self.readout(states[:, :-1] if self.per_step else states[:, -1])


def train_sequence_model(
    model: SequenceClassifier,
    X: np.ndarray,
    Y: np.ndarray,
    generator: torch.Generator,
    steps: int = 300,
    lr: float = 1e-2,
    batch_size: int = 64,
    max_norm: float = 1.0,
    progress: bool = False,
) -> np.ndarray:
    """Adam on the mean cross-entropy of random mini-batches, gradients clipped to max_norm.

    Shapes: X: (n, T, D), Y: (n,) or (n, T - 1) -> losses: (steps,). Chapter 9.
    """
    check_sequence(X, model.D)
    X_t, Y_t = torch.as_tensor(X), torch.as_tensor(Y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in tqdm(range(1, steps + 1), desc="steps", disable=not progress, leave=False):
        idx = torch.randint(0, len(X_t), (batch_size,), generator=generator)
        logits = model(X_t[idx])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y_t[idx].reshape(-1))
        losses.append(clipped_step(model, opt, loss, step, max_norm))
    return np.array(losses)


def sequence_accuracy(model: SequenceClassifier, X: np.ndarray, Y: np.ndarray) -> float:
    """acc = mean over answers of 1[argmax_k logits_k = y].

    Shapes: X: (n, T, D), Y: (n,) or (n, T - 1) -> scalar. Chapter 9.
    """
    with torch.no_grad():
        predicted = model(torch.as_tensor(X)).argmax(dim=-1).numpy()
    if predicted.shape != np.shape(Y):
        raise ValueError(f"Y has shape {np.shape(Y)}; the model predicts {predicted.shape}")
    return float(np.mean(predicted == np.asarray(Y)))
