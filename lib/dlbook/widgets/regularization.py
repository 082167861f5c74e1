"""Chapter 7's demos: the capacity slider, the double-descent slider and the dropout slider.

Each is a scrubber (frames rendered when the notebook runs, so they work on the website)
over a plain drawing function that tests call: `draw_capacity`, `draw_double_descent`,
`draw_dropout`. A presentation module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from torch import nn

from dlbook.basis import fit_basis
from dlbook.capacity import polynomial_errors
from dlbook.nets import cpu_generator, mlp
from dlbook.plotting import decision_boundary, plain_log_ticks
from dlbook.regularization import min_norm_least_squares, relu_features
from dlbook.runtime import numpy_rng
from dlbook.training import predict_logits, train_classifier
from dlbook.widgets import scrubber

Data = tuple[np.ndarray, np.ndarray]


def draw_capacity(
    f: Callable[[np.ndarray], np.ndarray],
    train: Data,
    test: Data,
    M: int,
    Ms: Sequence[int],
    errors: tuple[np.ndarray, np.ndarray] | None = None,
) -> Figure:
    """Left: the least-squares fit with M polynomial features; right: train/test error vs M.

    `errors` = polynomial_errors(...) over Ms, computed here when not given (the scrubber
    computes it once for all its frames).
    Shapes: train, test: ((n,), (n,)) and ((T,), (T,)) -> a figure. Chapter 7.
    """
    (x, y), (x_test, y_test) = train, test
    tr, te = polynomial_errors(x, y, x_test, y_test, Ms) if errors is None else errors
    fit = fit_basis(x, y, "polynomial", M)
    grid = np.linspace(0, 1, 300)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    ax1.plot(grid, f(grid), "k--", lw=1, label="$f(x)$")
    ax1.plot(grid, fit.predict(grid), "C0", label=f"fit, M = {M}")
    ax1.scatter(x, y, s=18, c="C1", zorder=3, label="training data")
    ax1.set(ylim=(-2, 2), xlabel="$x$", title="the fitted function")
    ax1.legend(loc="lower left", fontsize=8)
    ax2.semilogy(Ms, tr, "o-", ms=3, label="train")
    ax2.semilogy(Ms, te, "o-", ms=3, label="test")
    ax2.axvline(M, color="gray", lw=1)
    ax2.set(xlabel="number of features $M$", ylabel="mean squared error", title="error vs capacity")
    plain_log_ticks(ax2)
    ax2.legend(fontsize=8)
    return fig


def capacity_scrubber(
    f: Callable[[np.ndarray], np.ndarray], train: Data, test: Data, Ms: Sequence[int]
) -> W.VBox:
    """A slider over M showing the fit and where it sits on the train/test curves.

    Shapes: as draw_capacity; one frame per M. Chapter 7.
    """
    errors = polynomial_errors(*train, *test, Ms)  # the same curves in every frame
    return scrubber(lambda M: draw_capacity(f, train, test, M, Ms, errors), list(Ms), "features M")


def draw_double_descent(
    train: Data, test: Data, p: int, ps: Sequence[int], errors: np.ndarray, seed: int = 0
) -> Figure:
    """Left: predicted vs true test targets with p random ReLU features; right: test error vs p/n.

    The features are drawn from a generator seeded with `seed`. Shapes: train: ((n, d), (n,)),
    test: ((T, d), (T,)), errors: (K,) for ps: (K,) -> a figure. Chapter 7.
    """
    (X, y), (X_test, y_test) = train, test
    rng = numpy_rng(seed)
    Wt, b = rng.standard_normal((X.shape[1], p)), 0.5 * rng.standard_normal(p)
    pred = relu_features(X_test, Wt, b) @ min_norm_least_squares(relu_features(X, Wt, b), y)
    n = len(y)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    lo, hi = np.percentile(y_test, [1, 99])
    ax1.scatter(y_test, np.clip(pred, 2 * lo - hi, 2 * hi - lo), s=4, alpha=0.4)
    ax1.plot([lo, hi], [lo, hi], "k--", lw=1)
    ax1.set(xlabel="true $y$", ylabel="prediction", title=f"p = {p} features, n = {n}")
    ax2.loglog(np.asarray(ps) / n, errors, "o-", ms=3)
    ax2.axvline(p / n, color="gray", lw=1)
    ax2.axvline(1.0, color="C3", lw=1, ls=":", label="$p = n$")
    ax2.set(xlabel="$p / n$", ylabel="test error", title="double descent")
    plain_log_ticks(plain_log_ticks(ax2, "x"))
    ax2.legend(fontsize=8)
    return fig


def double_descent_scrubber(
    train: Data, test: Data, ps: Sequence[int], errors: np.ndarray
) -> W.VBox:
    """A slider over p/n through the interpolation threshold. Shapes: as draw_double_descent.

    Chapter 7.
    """
    n = len(train[1])
    labels = [f"{p / n:.2f}" for p in ps]
    return scrubber(
        lambda p: draw_double_descent(train, test, p, ps, errors), list(ps), "p / n", labels
    )


def dropout_models(
    train: Data, rates: Sequence[float], width: int = 200, epochs: int = 300, seed: int = 0
) -> dict[float, nn.Module]:
    """One MLP (2 -> width -> width -> 2, dropout p after each hidden layer) trained per rate.

    Full-batch Adam; the same initialisation for every rate. Shapes: train: ((n, 2), (n,)) ->
    {p: model}. Chapter 7.
    """
    X, labels = train
    models = {}
    for p in rates:
        model = mlp([2, width, width, 2], generator=cpu_generator(seed), dropout=p)
        train_classifier(
            model, X, labels, cpu_generator(seed), epochs=epochs, lr=3e-3, batch_size=len(labels)
        )
        models[p] = model
    return models


def draw_dropout(model: nn.Module, train: Data, test: Data, p: float) -> Figure:
    """The decision boundary of the model trained with dropout rate p, and its accuracies.

    Shapes: train, test: ((n, 2), (n,)) -> a figure. Chapter 7.
    """
    (X, labels), (X_test, labels_test) = train, test

    def score(points: np.ndarray) -> np.ndarray:
        logits = predict_logits(model, points.astype(np.float32))
        return logits[:, 1] - logits[:, 0]

    acc = np.mean((score(X_test) > 0) == labels_test)
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    decision_boundary(ax, score, X, 2 * labels - 1, title=f"dropout p = {p}: test acc {acc:.0%}")
    return fig


def dropout_scrubber(models: dict[float, nn.Module], train: Data, test: Data) -> W.VBox:
    """A slider over the dropout rate showing each trained model's decision boundary.

    Shapes: as draw_dropout; one frame per rate. Chapter 7.
    """
    rates = list(models)
    return scrubber(lambda p: draw_dropout(models[p], train, test, p), rates, "dropout p")
