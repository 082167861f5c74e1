"""Multilayer perceptrons h_l = phi(A_l h_{l-1} + b_l), with a linear read-out.

In torch (`mlp`) and in numpy (`forward`), sharing one parameter layout: a list of layers
(A_l, b_l) with A_l shaped like `nn.Linear.weight`. Chapter 3 builds these from the notes'
notation; Chapter 1 uses `mlp` for the toy scaling-law experiment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from dlbook.runtime import book_seed, check_finite

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}


def mlp(
    widths: Sequence[int],
    activation: str = "relu",
    generator: torch.Generator | None = None,
    dropout: float = 0.0,
) -> nn.Sequential:
    """f(x) = W_L phi(... phi(W_1 x + b_1) ...) + b_L with layer widths (D, n_1, ..., K).

    PyTorch's default initialisation, W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in)), drawn from
    `generator` when one is given; no activation after the last layer. With dropout > 0 an
    `nn.Dropout(dropout)` follows every activation (chapter 7).
    Shapes: x: (B, widths[0]) -> (B, widths[-1]). Chapter 3.
    """
    widths = [int(w) for w in widths]
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"an MLP needs at least two positive widths, got {widths}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout probability must lie in [0, 1), got {dropout}")
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(widths) - 2:
            layers.append(ACTIVATIONS[activation]())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    net = nn.Sequential(*layers)
    if generator is not None:
        reset_linear_(net, generator)
    return net


def reset_linear_(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in)) for every nn.Linear in `module`, in place.

    PyTorch's default initialisation, drawn from `generator` in module order.
    Shapes: none. Chapter 3.
    """
    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, nn.Linear):
                bound = 1.0 / layer.in_features**0.5
                layer.weight.uniform_(-bound, bound, generator=generator)
                if layer.bias is not None:
                    layer.bias.uniform_(-bound, bound, generator=generator)
    return module


def mlp_param_count(widths: Sequence[int]) -> int:
    """N = sum_l (n_l + 1) n_{l+1}: weights and biases of an MLP with these widths.

    Shapes: widths: (L+1,) -> scalar. Chapter 1.
    """
    widths = [int(w) for w in widths]
    return sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=True))


def param_count(model: nn.Module) -> int:
    """N = number of trainable scalars in a torch module. Shapes: -> scalar. Chapter 1."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def cpu_generator(seed: int) -> torch.Generator:
    """A torch.Generator on the CPU seeded with book_seed(seed) (notebooks and fixtures only).

    Shapes: none. Chapter 0. `DLBOOK_SEED_OFFSET` shifts the seed (runtime.book_seed).
    """
    return torch.Generator().manual_seed(book_seed(seed))


# ---- one parameter layout for numpy and torch: [(A_1, b_1), ..., (A_L, b_L)] ----
# A_l has shape (n_l, n_{l-1}) like torch's nn.Linear.weight; b_l has shape (n_l,).

Params = list[tuple[np.ndarray, np.ndarray]]
NP_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "linear": lambda z: z,
}


def check_params(params: Params) -> list[int]:
    """Widths (n_0, ..., n_L) of a layer list, or a ValueError naming the shapes that clash.

    Shapes: params: [(A_l: (n_l, n_{l-1}), b_l: (n_l,))] -> (L+1,). Chapter 3.
    """
    if len(params) == 0:
        raise ValueError("a network needs at least one layer (A, b)")
    widths: list[int] = []
    for l, (A, b) in enumerate(params, start=1):
        A, b = np.asarray(A), np.asarray(b)
        fan_in = widths[-1] if widths else (A.shape[1] if A.ndim == 2 else -1)
        if A.ndim != 2 or b.shape != (A.shape[0],) or A.shape[1] != fan_in:
            raise ValueError(
                f"layer {l}: A_{l} has shape {A.shape} and b_{l} has shape {b.shape}; "
                f"expected A_{l}: (n_{l}, {fan_in}) and b_{l}: (n_{l},)"
            )
        widths += [A.shape[1], A.shape[0]] if not widths else [A.shape[0]]
    return widths


def init_params(widths: Sequence[int], rng: np.random.Generator, bias_scale: float = 1.0) -> Params:
    """A_l ~ N(0, 2/n_{l-1}) (He), b_l ~ N(0, bias_scale^2): random weights in general position.

    Shapes: widths: (L+1,) -> L pairs (A_l: (n_l, n_{l-1}), b_l: (n_l,)). Chapter 3.
    """
    widths = [int(w) for w in widths]
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"a network needs at least two positive widths, got {widths}")
    return [
        (rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), rng.normal(0.0, bias_scale, n_out))
        for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)
    ]


def forward_trace(
    params: Params, X: np.ndarray, activation: str = "relu"
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """z_l = h_{l-1} A_l^T + b_l, h_l = phi(z_l) (h_0 = X; the last layer has no phi).

    Returns the pre-activations [z_1..z_L] and activations [h_0..h_L], h_L = z_L the output.
    Shapes: X: (B, n_0) -> z_l, h_l: (B, n_l). Chapter 3.
    """
    if activation not in NP_ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(NP_ACTIVATIONS)}")
    widths = check_params(params)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != widths[0]:
        raise ValueError(f"X has shape {X.shape}; expected (B, {widths[0]}) for widths {widths}")
    phi = NP_ACTIVATIONS[activation]
    zs, hs = [], [X]
    for l, (A, b) in enumerate(params, start=1):
        z = hs[-1] @ np.asarray(A).T + np.asarray(b)  # (B, n_{l-1}) @ (n_{l-1}, n_l) -> (B, n_l)
        zs.append(z)
        hs.append(z if l == len(params) else phi(z))
    return zs, hs


def forward(params: Params, X: np.ndarray, activation: str = "relu") -> np.ndarray:
    """f(x) = A_L phi(... phi(A_1 x + b_1) ...) + b_L, one row of X per sample.

    Shapes: X: (B, n_0) -> (B, n_L). Chapter 3.
    """
    return forward_trace(params, X, activation)[1][-1]


def to_torch(params: Params, activation: str = "relu") -> nn.Sequential:
    """The torch.nn MLP (see `mlp`) carrying copies of these weights, in float64.

    Shapes: params with widths (n_0, ..., n_L) -> module mapping (B, n_0) -> (B, n_L). Chapter 3.
    """
    net = mlp(check_params(params), activation).double()
    linears = [layer for layer in net if isinstance(layer, nn.Linear)]
    with torch.no_grad():
        for layer, (A, b) in zip(linears, params, strict=True):
            layer.weight.copy_(torch.as_tensor(np.asarray(A, dtype=float)))
            layer.bias.copy_(torch.as_tensor(np.asarray(b, dtype=float)))
    return net


def from_torch(net: nn.Module) -> Params:
    """The layer list [(A_l, b_l)] of the nn.Linear layers of a torch model, as numpy arrays.

    Shapes: module -> L pairs (A_l: (n_l, n_{l-1}), b_l: (n_l,)). Chapter 3.
    """
    return [
        (m.weight.detach().double().numpy().copy(), m.bias.detach().double().numpy().copy())
        for m in net.modules()
        if isinstance(m, nn.Linear)
    ]


def collapse_linear(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """A' = A_L ... A_1 and b' = A_L(...(A_2 b_1 + b_2)...) + b_L: a linear network's one map.

    Shapes: L pairs with widths (n_0, ..., n_L) -> A': (n_L, n_0), b': (n_L,). Chapter 3.
    """
    widths = check_params(params)
    A_total, b_total = np.eye(widths[0]), np.zeros(widths[0])
    for A, b in params:
        A_total, b_total = A @ A_total, A @ b_total + b  # (n_l, n_0), (n_l,)
    return A_total, b_total


def shallow_kinks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x_k = -b_k / a_k: where unit k of a 1-D ReLU layer phi(a_k x + b_k) bends (a_k != 0).

    Shapes: a: (M,), b: (M,) -> (M',) sorted, units with a_k = 0 dropped. Chapter 3.
    """
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}")
    keep = a != 0
    return np.sort(-b[keep] / a[keep])


def numerical_kinks(
    f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, n: int = 20001, tol: float = 1e-7
) -> np.ndarray:
    """Kinks of a continuous piecewise-linear f on [lo, hi], found from its values on a grid.

    Where the slope changes between grid cells, the two neighbouring lines are intersected.
    Assumes kinks are at least two cells apart. Shapes: f: (G,) -> (G,); -> (K,). Chapter 3.
    """
    x = np.linspace(lo, hi, n)
    y = np.asarray(f(x), dtype=float).ravel()
    slope = np.diff(y) / np.diff(x)  # (n-1,) one slope per grid cell
    jump = np.abs(np.diff(slope)) > tol * max(1.0, float(np.abs(slope).max()))
    changed = np.flatnonzero(jump)  # slope differs between cell k and cell k + 1
    runs = np.split(changed, np.flatnonzero(np.diff(changed) > 1) + 1) if changed.size else []
    kinks = []
    for run in runs:  # one run: a kink on a grid point (length 1) or inside a cell (2)
        i, j = run[0], run[-1] + 1  # the straight cells on either side
        s1, s2 = slope[i], slope[j]
        kinks.append((y[j] - s2 * x[j] - y[i] + s1 * x[i]) / (s1 - s2))  # the lines meet
    return np.array(kinks)


def interpolant_network(
    g: Callable[[np.ndarray], np.ndarray], M: int, lo: float = 0.0, hi: float = 1.0
) -> Params:
    """f(x) = g(x_0) + sum_k c_k relu(x - x_k): the linear interpolant of g at M+1 even knots.

    c_0 is the first slope, c_k the change of slope at knot x_k. Width M, so the sup error
    of a C^2 target is at most max|g''| h^2 / 8 with h = (hi - lo) / M.
    Shapes: g: (G,) -> (G,); -> widths (1, M, 1). Chapter 3.
    """
    if M < 1:
        raise ValueError(f"the interpolant needs M >= 1 units, got {M}")
    knots = np.linspace(lo, hi, M + 1)
    values = np.asarray(g(knots), dtype=float)
    slopes = np.diff(values) / np.diff(knots)  # (M,)
    c = np.diff(slopes, prepend=0.0)  # (M,) change of slope at knots x_0 .. x_{M-1}
    A, b = np.ones((M, 1)), -knots[:-1]
    return [(A, b), (c[None, :], np.array([values[0]]))]


def fit_mse(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float = 1e-2
) -> list[float]:
    """Minimise L(theta) = mean (f(x; theta) - y)^2 with full-batch Adam; return the losses.

    Stops with DivergenceError on a non-finite loss. Shapes: x: (B, D), y: (B, K). Chapter 3.
    """
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x has shape {tuple(x.shape)} but y has shape {tuple(y.shape)}")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(check_finite(loss.item(), step))
    return losses
