"""Every in-class demo of the book in one list, each launchable on its own.

A :class:`Demo` names the chapter page it belongs to, what it shows and the `dlbook.widgets`
function behind it, and holds three plain functions: `prepare(rng)` makes the demo's inputs
(see :mod:`dlbook.widgets.recipes`), `build(inputs)` returns the widget and `draw(inputs)`
draws one frame with the demo's drawing core (what a slider move costs). The instructor's
index (`launch`) and the benchmarks (`benchmarks/bench.py`) use it. A presentation module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from dlbook.kernels import random_one_layer_outputs
from dlbook.norm import batch_statistics
from dlbook.widgets import appendix_background as appendix
from dlbook.widgets import attention_and_transformers as attn
from dlbook.widgets import backprop, decision_boundary_frame, recipes, training_scrubber
from dlbook.widgets import functions_and_networks as functions
from dlbook.widgets import generative_models as generative
from dlbook.widgets import initialization as init
from dlbook.widgets import learning_and_losses as losses
from dlbook.widgets import normalization_and_convolutions as normconv
from dlbook.widgets import optimization as optimization
from dlbook.widgets import recurrent_networks as recurrent
from dlbook.widgets import regularization as regularization
from dlbook.widgets import theory as theory

Inputs = recipes.Inputs


def _none(rng: np.random.Generator) -> Inputs:
    return {}


@dataclass(frozen=True)
class Demo:
    """One in-class demo: where it lives, what it shows, and how to make, build and redraw it."""

    key: str
    page: str  # the chapter page, e.g. "chapters/07_regularization/capacity"
    title: str
    shows: str
    function: str  # the widget function, relative to dlbook.widgets
    kind: str  # "scrubber" (works on the website) or "live" (needs a kernel)
    build: Callable[[Inputs], W.VBox]
    draw: Callable[[Inputs], Figure]
    prepare: Callable[[np.random.Generator], Inputs] = _none

    @property
    def chapter(self) -> str:
        """chapter = '7' for a page in chapters/07_..., 'A' for the appendix.

        Shapes: none. Appendix (instructor's index).
        """
        folder = self.page.split("/")[1]
        return "A" if folder.startswith("appendix") else str(int(folder[:2]))


SOFTMAX = {"logits": np.array([2.0, 1.0, 0.5, -1.0, 0.0]), "label": 2}
SOFTMAX_TAUS = np.round(np.geomspace(0.1, 10.0, 17), 3)
FRAME_MS = recipes.FRAME_MS
WIDTHS = [1, 2, 4, 8, 16, 64, 256]
ANGLES = np.linspace(0, np.pi, 13)
TEMPERATURES = [0.1, 0.2, 0.3, 0.5, 0.8, 1.2]
GAMMAS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0]


def _dd_frames(d: Inputs) -> tuple[np.ndarray, np.ndarray]:
    """Every other p of the sweep, always including p = n."""
    ps, n = d["ps"], len(d["train"][1])
    frames = np.union1d(ps[::2], [n])
    return frames, d["errors"][np.isin(ps, frames)]


def _width_frame(d: Inputs) -> Figure:
    X = theory.circle(ANGLES)
    outputs = random_one_layer_outputs(16, X, 4000, d["rng"])
    return theory.draw_width(16, outputs, ANGLES)


# fmt: off
DEMOS: tuple[Demo, ...] = (
    Demo("training-history", "chapters/01_history/history", "Training a two-layer net",
         "the decision boundary on noisy XOR, step by step", "training_scrubber", "scrubber",
         lambda d: training_scrubber(d["snapshots"], d["X"], d["y"], name="two-layer net"),
         lambda d: decision_boundary_frame(d["snapshots"][-1][1], d["X"], d["y"], "2000 steps"),
         recipes.training_history),
    Demo("line-fit", "chapters/02_learning_and_losses/learning_and_losses", "Fitting a line",
         "a line through the data and its place on the loss surface",
         "learning_and_losses.line_fit_demo", "live",
         lambda d: losses.line_fit_demo(**d),
         lambda d: losses.line_fit_figure(1.0, 0.8, **d), recipes.line_fit),
    Demo("softmax-temperature", "chapters/02_learning_and_losses/learning_and_losses",
         "Softmax temperature", "probabilities sharpen as tau falls and flatten as it grows",
         "learning_and_losses.softmax_temperature_scrubber", "scrubber",
         lambda d: losses.softmax_temperature_scrubber(**SOFTMAX, taus=SOFTMAX_TAUS),
         lambda d: losses.softmax_temperature_figure(1.0, **SOFTMAX)),
    Demo("basis-explorer", "chapters/03_functions_and_networks/function_families",
         "Basis functions", "polynomial, Fourier and RBF fits as the number of features M grows",
         "functions_and_networks.basis_explorer", "live",
         lambda d: functions.basis_explorer(**d),
         lambda d: functions.draw_basis_fit("rbf", 8, **d), recipes.basis_data),
    Demo("hinge-builder", "chapters/03_functions_and_networks/shallow_networks",
         "Building with hinges", "a shallow ReLU net's output as a sum of movable hinges",
         "functions_and_networks.hinge_builder", "live",
         lambda d: functions.hinge_builder(d["target"], units=4),
         lambda d: functions.draw_hinges([1.0] * 4, [-1.0, 0.0, 1.0, 0.5], [0.5] * 4, 0.0,
                                         d["target"]),
         recipes.hinge_target),
    Demo("linear-regions", "chapters/03_functions_and_networks/regions_and_depth",
         "Linear regions", "the regions cut by M ReLU units on the plane as M grows",
         "functions_and_networks.regions_scrubber", "scrubber",
         lambda d: functions.regions_scrubber(d["A"], d["b"], list(range(1, 13))),
         lambda d: functions.draw_regions(d["A"], d["b"], 12), recipes.random_lines),
    Demo("optimizer-playground", "chapters/04_optimization/optimization", "Optimizer playground",
         "GD, momentum, RMSprop and Adam on a ravine, a saddle and Rosenbrock",
         "optimization.playground", "live", lambda d: optimization.playground(),
         lambda d: optimization.draw_playground("ravine", "Adam", 0.05, 0.9, 0.999, 100)),
    Demo("edge-of-stability", "chapters/04_optimization/optimization", "Edge of stability",
         "the sharpness rising to 2/lr and hovering there while the loss still falls",
         "optimization.eos_scrubber", "scrubber", lambda d: optimization.eos_scrubber(**d),
         lambda d: optimization.draw_eos(0.5, **d), recipes.eos_runs),
    Demo("backward-pass", "chapters/05_backprop/backprop", "The backward pass",
         "reverse-mode AD visiting a computation graph node by node",
         "backprop.backprop_scrubber", "scrubber", lambda d: backprop.backprop_scrubber(**d),
         lambda d: backprop.backward_frame(d["root"], 5), recipes.small_graph),
    Demo("init-explorer", "chapters/06_initialization/initialization",
         "Signal propagation", "activations and gradients through depth for any scale",
         "initialization.explorer", "live", lambda d: init.explorer(),
         lambda d: init.draw_explorer(30, 1.0, "relu", 10)),
    Demo("init-scale", "chapters/06_initialization/initialization", "Initialization scale",
         "the last layer's activations vanishing or exploding around He's scale",
         "initialization.scale_scrubber", "scrubber", lambda d: init.scale_scrubber("relu", 30),
         lambda d: init.draw_propagation(30, 1.0, "relu", 30)),
    Demo("capacity", "chapters/07_regularization/capacity", "Capacity",
         "polynomial fits and train/test error as the degree grows",
         "regularization.capacity_scrubber", "scrubber",
         lambda d: regularization.capacity_scrubber(d["f"], d["train"], d["test"], FRAME_MS),
         lambda d: regularization.draw_capacity(**d, M=6, Ms=FRAME_MS),
         recipes.polynomial_data),
    Demo("double-descent", "chapters/07_regularization/capacity", "Double descent",
         "min-norm random-feature fits whose test error peaks at p = n and falls beyond",
         "regularization.double_descent_scrubber", "scrubber",
         lambda d: regularization.double_descent_scrubber(d["train"], d["test"], *_dd_frames(d)),
         lambda d: regularization.draw_double_descent(d["train"], d["test"], 100,
                                                      *_dd_frames(d)),
         recipes.double_descent),
    Demo("dropout", "chapters/07_regularization/explicit", "Dropout",
         "a two-moons decision boundary smoothing as the dropout rate grows",
         "regularization.dropout_scrubber", "scrubber",
         lambda d: regularization.dropout_scrubber(**d),
         lambda d: regularization.draw_dropout(d["models"][0.4], d["train"], d["test"], 0.4),
         recipes.dropout_moons),
    Demo("batch-statistics", "chapters/08_normalization_and_convolutions/normalization",
         "Batch statistics", "the noise in batch norm's mean and variance against the batch size",
         "normalization_and_convolutions.batch_size_scrubber", "scrubber",
         lambda d: normconv.batch_size_scrubber(**d),
         lambda d: normconv.draw_batch_statistics(
             batch_statistics(d["X"], 8, d["rng"], 400), 8, 0.0, 1.0),
         recipes.one_pixel),
    Demo("convolution-explorer", "chapters/08_normalization_and_convolutions/convolutions",
         "Convolution arithmetic", "kernel, stride, dilation and padding on a 7x7 input",
         "normalization_and_convolutions.convolution_explorer", "live",
         lambda d: normconv.convolution_explorer(),
         lambda d: normconv.draw_convolution(3, 2, 1, 1)),
    Demo("dilation", "chapters/08_normalization_and_convolutions/convolutions", "Dilation",
         "a 3x3 kernel's receptive field widening with the dilation",
         "normalization_and_convolutions.dilation_scrubber", "scrubber",
         lambda d: normconv.dilation_scrubber(),
         lambda d: normconv.draw_convolution(3, 1, 2, 0, 9)),
    Demo("sampling-temperature", "chapters/09_recurrent_networks/language_model",
         "Sampling temperature", "a character LSTM's next-character distribution and samples",
         "recurrent_networks.temperature_scrubber", "scrubber",
         lambda d: recurrent.temperature_scrubber(d["logits"], d["vocab"], d["samples"]),
         lambda d: recurrent.draw_temperature(d["logits"], d["vocab"], d["samples"], 1.0),
         recipes.char_lstm),
    Demo("lstm-gates", "chapters/09_recurrent_networks/language_model", "LSTM gates",
         "forget, input and output gates and the cell state, character by character",
         "recurrent_networks.gate_inspector", "scrubber",
         lambda d: recurrent.gate_inspector(d["trace"], d["text"]),
         lambda d: recurrent.draw_gates(d["trace"], d["text"], 10), recipes.char_lstm),
    Demo("attention-maps", "chapters/10_attention_and_transformers/transformer_lm",
         "Attention maps", "where each head of a small transformer looks, query by query",
         "attention_and_transformers.attention_explorer", "scrubber",
         lambda d: attn.attention_explorer(d["maps"], d["text"]),
         lambda d: attn.draw_attention(d["maps"], d["text"], 10), recipes.tiny_gpt),
    Demo("decoding", "chapters/10_attention_and_transformers/transformer_lm", "Decoding",
         "temperature and top-k reshaping the next-token distribution",
         "attention_and_transformers.decoding_slider", "live",
         lambda d: attn.decoding_slider(d["logits"], d["vocab"]),
         lambda d: attn.draw_decoding(d["logits"], d["vocab"], 1.0, 5), recipes.tiny_gpt),
    Demo("vae-latent", "chapters/11_generative_models/vaes", "A VAE's latent space",
         "the decoded digit as the two latent coordinates move",
         "generative_models.latent_explorer", "live",
         lambda d: generative.latent_explorer(**d),
         lambda d: generative.draw_latent(d["decoder"], 0.5, -0.5), recipes.digit_vae),
    Demo("diffusion", "chapters/11_generative_models/diffusion", "Diffusion",
         "data dissolving into noise and a trained DDPM walking back",
         "generative_models.diffusion_scrubber", "scrubber",
         lambda d: generative.diffusion_scrubber(**d),
         lambda d: generative.draw_diffusion_step(d["forward"], d["reverse"], 50),
         recipes.ring_diffusion),
    Demo("width-limit", "chapters/12_theory/gaussian_limits", "Wide networks are Gaussian",
         "random one-layer nets' outputs on a circle becoming a Gaussian process",
         "theory.width_scrubber", "scrubber",
         lambda d: theory.width_scrubber(WIDTHS, 4000, d["rng"], ANGLES), _width_frame,
         lambda rng: {"rng": rng}),
    Demo("langevin", "chapters/appendix_background/markov_and_sde", "Langevin dynamics",
         "chains sampling a double well at rising temperature",
         "appendix_background.langevin_scrubber", "scrubber",
         lambda d: appendix.langevin_scrubber(TEMPERATURES),
         lambda d: appendix.draw_langevin(0.3)),
    Demo("marchenko-pastur", "chapters/appendix_background/random_matrices",
         "Marchenko-Pastur", "the eigenvalues of a sample covariance against the MP law",
         "appendix_background.mp_scrubber", "scrubber", lambda d: appendix.mp_scrubber(GAMMAS),
         lambda d: appendix.draw_mp(0.25)),
)
# fmt: on


def find(key: str) -> Demo:
    """The demo called `key`. Shapes: none. Appendix (instructor's index)."""
    for demo in DEMOS:
        if demo.key == key:
            return demo
    raise ValueError(f"no demo called {key!r}; the demos are {[d.key for d in DEMOS]}")


_MADE: dict[Callable[[np.random.Generator], Inputs], Inputs] = {}


def inputs(key: str, rng: np.random.Generator, fresh: bool = False) -> Inputs:
    """The inputs of demo `key`, made from `rng` once per session and then reused.

    Demos that share a recipe (the language model's two demos, say) share one trained model;
    fresh=True makes new ones. Shapes: none. Appendix (instructor's index).
    """
    demo = find(key)
    if fresh or demo.prepare not in _MADE:
        _MADE[demo.prepare] = demo.prepare(rng)
    return _MADE[demo.prepare]


def launch(key: str, rng: np.random.Generator) -> W.VBox:
    """The widget of demo `key`, its inputs made from `rng` (see `inputs`).

    Shapes: none. Appendix (instructor's index).
    """
    return find(key).build(inputs(key, rng))
