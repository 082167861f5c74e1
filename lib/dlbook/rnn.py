"""The recurrent unit (h_t, y_t) = R(h_{t-1}, x_t; theta): the basic RNN, the residual RNN
and the highway connection, in numpy and in torch, plus unrolling over time.

One parameter layout for every cell, torch's: a dict with W_ih: (G H, D), W_hh: (G H, H),
b_ih, b_hh: (G H,), where G is the number of gate blocks (1 for the RNN, 3 for the GRU, 4
for the LSTM, stacked in torch's order). In the notes' symbols the basic RNN has A = W_ih,
C = W_hh and b = b_ih + b_hh. `to_module` copies a layout into `torch.nn.RNN`/`GRU`/`LSTM`
so the cells can be checked against torch. The gated cells are in `dlbook.gated`. Chapter 9.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

Params = dict[str, np.ndarray]
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
KEYS = ("W_ih", "W_hh", "b_ih", "b_hh")
TORCH_NAMES = dict(
    zip(KEYS, ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), strict=True)
)


def check_sequence(X: np.ndarray | torch.Tensor, D: int | None = None) -> None:
    """Raise ValueError unless X is a batch of sequences of shape (B, T, D).

    Shapes: X: (B, T, D). Chapter 9.
    """
    shape = tuple(X.shape)
    if len(shape) != 3 or (D is not None and shape[2] != D):
        want = "(B, T, D)" if D is None else f"(B, T, D) with D = {D}"
        raise ValueError(f"X has shape {shape}; expected shape {want}")


def sizes(params: Params | dict[str, torch.Tensor], kind: str) -> tuple[int, int]:
    """(D, H) of a cell's parameters, or a ValueError naming the shapes that clash.

    Shapes: W_ih: (G H, D), W_hh: (G H, H), b_ih, b_hh: (G H,) -> (D, H). Chapter 9.
    """
    if kind not in GATES:
        raise ValueError(f"unknown cell {kind!r}; choose from {sorted(GATES)}")
    if set(KEYS) - set(params):
        raise ValueError(f"a cell needs the parameters {KEYS}, got {sorted(params)}")
    G = GATES[kind]
    W_ih, W_hh = params["W_ih"], params["W_hh"]
    H = W_hh.shape[-1]
    want = {"W_ih": (G * H, W_ih.shape[-1]), "W_hh": (G * H, H), "b_ih": (G * H,), "b_hh": (G * H,)}
    got = {k: tuple(params[k].shape) for k in KEYS}
    if got != want:
        raise ValueError(f"{kind} parameters have shapes {got}; expected {want} (G = {G})")
    return W_ih.shape[-1], H


def init_params(
    kind: str, D: int, H: int, rng: np.random.Generator, forget_bias: float = 0.0
) -> Params:
    """Every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)), torch's default; LSTM b_f += forget_bias.

    Shapes: -> W_ih: (G H, D), W_hh: (G H, H), b_ih, b_hh: (G H,). Chapter 9.
    """
    if kind not in GATES or D < 1 or H < 1:
        raise ValueError(f"need kind in {sorted(GATES)} and D, H >= 1; got {kind!r}, {D}, {H}")
    G, bound = GATES[kind], 1.0 / np.sqrt(H)
    shapes = {"W_ih": (G * H, D), "W_hh": (G * H, H), "b_ih": (G * H,), "b_hh": (G * H,)}
    params = {k: rng.uniform(-bound, bound, shape) for k, shape in shapes.items()}
    if kind == "lstm":
        params["b_ih"][H : 2 * H] += forget_bias  # torch's gate order: i, f, g, o
    return params


def rnn_step(params: Params, h: np.ndarray, x: np.ndarray) -> np.ndarray:
    """h_t = tanh(A x_t + C h_{t-1} + b), A = W_ih, C = W_hh, b = b_ih + b_hh.

    Shapes: h: (B, H), x: (B, D) -> (B, H). Chapter 9.
    """
    pre = x @ params["W_ih"].T + h @ params["W_hh"].T  # (B, D)(D, H) + (B, H)(H, H)
    return np.tanh(pre + params["b_ih"] + params["b_hh"])


def residual_step(params: Params, h: np.ndarray, x: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """h_t = Q h_{t-1} + tanh(A x_t + C h_{t-1} + b).

    Shapes: h: (B, H), x: (B, D), Q: (H, H) -> (B, H). Chapter 9.
    """
    return h @ np.asarray(Q).T + rnn_step(params, h, x)


def highway(Hx: np.ndarray, Tx: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y = H(x) * T(x) + x * (1 - T(x)): the transform gate T mixes H(x) with the input.

    Shapes: Hx, Tx, x: (B, H) -> (B, H). Chapter 9.
    """
    if not np.shape(Hx) == np.shape(Tx) == np.shape(x):
        raise ValueError(
            f"H(x), T(x) and x must match: {np.shape(Hx)}, {np.shape(Tx)}, {np.shape(x)}"
        )
    return Hx * Tx + x * (1.0 - Tx)


def highway_step(params: Params, gate: Params, h: np.ndarray, x: np.ndarray) -> np.ndarray:
    """h_t = a * h~_t + (1 - a) * h_{t-1}, h~_t = tanh(A x + C h + b), a = sigma(A' x + C' h + b').

    The highway connection through time: the carried input is h_{t-1}.
    Shapes: h: (B, H), x: (B, D) -> (B, H). Chapter 9.
    """
    pre = x @ gate["W_ih"].T + h @ gate["W_hh"].T + gate["b_ih"] + gate["b_hh"]
    return highway(rnn_step(params, h, x), 1.0 / (1.0 + np.exp(-pre)), h)


def rnn_step_torch(
    params: dict[str, torch.Tensor], h: torch.Tensor, x: torch.Tensor
) -> torch.Tensor:
    """h_t = tanh(A x_t + C h_{t-1} + b), in torch (differentiable).

    Shapes: h: (B, H), x: (B, D) -> (B, H). Chapter 9.
    """
    pre = x @ params["W_ih"].T + h @ params["W_hh"].T
    return torch.tanh(pre + params["b_ih"] + params["b_hh"])


def residual_step_torch(
    params: dict[str, torch.Tensor], h: torch.Tensor, x: torch.Tensor, Q: torch.Tensor
) -> torch.Tensor:
    """h_t = Q h_{t-1} + tanh(A x_t + C h_{t-1} + b), in torch.

    Shapes: h: (B, H), x: (B, D), Q: (H, H) -> (B, H). Chapter 9.
    """
    return h @ Q.T + rnn_step_torch(params, h, x)


def highway_torch(Hx: torch.Tensor, Tx: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """y = H(x) * T(x) + x * (1 - T(x)), in torch.

    Shapes: Hx, Tx, x: (B, H) -> (B, H). Chapter 9.
    """
    if not Hx.shape == Tx.shape == x.shape:
        raise ValueError(f"H(x), T(x) and x must match: {Hx.shape}, {Tx.shape}, {x.shape}")
    return Hx * Tx + x * (1.0 - Tx)


State = object  # an array h, or a tuple (h, c) for the LSTM


def unroll(
    step: Callable[..., State], X: np.ndarray | torch.Tensor, state: State, *args: object
) -> tuple[list[State], State]:
    """s_t = R(s_{t-1}, x_t) for t = 1..T with the same parameters at every step.

    `step(*args, state, x_t)` is a cell step with its parameters first (e.g. `rnn_step,
    X, h0, params` calls `rnn_step(params, h, x_t)`). Returns every state and the last.
    Shapes: X: (B, T, D) -> T states of shape (B, H) (pairs for the LSTM). Chapter 9.
    """
    params = args[0] if args and isinstance(args[0], dict) else {}
    check_sequence(X, params["W_ih"].shape[-1] if "W_ih" in params else None)
    states = []
    for t in range(X.shape[1]):
        state = step(*args, state, X[:, t])
        states.append(state)
    return states, state


def stack_hidden(states: list[State]) -> np.ndarray | torch.Tensor:
    """(h_1, ..., h_T) stacked along time (the h of each LSTM pair).

    Shapes: T states (B, H) -> (B, T, H). Chapter 9.
    """
    hs = [s[0] if isinstance(s, tuple) else s for s in states]
    if isinstance(hs[0], torch.Tensor):
        return torch.stack(hs, dim=1)
    return np.stack(hs, axis=1)


def as_torch(params: Params) -> dict[str, torch.Tensor]:
    """The same parameters as float64 tensors (leaves that require no grad).

    Shapes: unchanged. Chapter 9.
    """
    return {k: torch.as_tensor(np.asarray(v, dtype=float)) for k, v in params.items()}


def to_module(kind: str, params: Params) -> nn.RNNBase:
    """torch.nn.RNN (tanh) / GRU / LSTM, batch_first, float64, carrying copies of `params`.

    Shapes: params with sizes (D, H) -> module mapping (B, T, D) -> (B, T, H). Chapter 9.
    """
    D, H = sizes(params, kind)
    module = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind](D, H, batch_first=True)
    module = module.double()
    with torch.no_grad():
        for k in KEYS:
            getattr(module, TORCH_NAMES[k]).copy_(torch.as_tensor(np.asarray(params[k], float)))
    return module


def from_module(module: nn.RNNBase) -> Params:
    """The layer-0 parameters of a torch RNN/GRU/LSTM in this module's layout, as numpy.

    Shapes: module -> W_ih: (G H, D), W_hh: (G H, H), b_ih, b_hh: (G H,). Chapter 9.
    """
    return {k: getattr(module, TORCH_NAMES[k]).detach().double().numpy().copy() for k in KEYS}
