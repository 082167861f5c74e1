"""The inputs each in-class demo needs, made from scratch in seconds (for the instructor's index).

A chapter builds its demo's inputs on the way (a trained language model, a fitted VAE); the
instructor's index launches any demo on its own, so each recipe here remakes those inputs at a
smaller training budget: the demo looks like the chapter's, a little less polished. Each
returns a dict of the keyword arguments that the demo's functions take. A presentation module.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch
from sklearn.datasets import load_digits, make_moons
from torch import nn

from dlbook import autodiff as ad
from dlbook import capacity, charlm, data, decoding, gated, rnn, text, toy2d, transformer, vae
from dlbook import diffusion as dif
from dlbook.nets import cpu_generator, reset_linear_
from dlbook.stability import eos_run
from dlbook.twolayer import TwoLayerNet, train_gd
from dlbook.widgets.regularization import dropout_models

Inputs = dict[str, Any]
FRAME_MS = [1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20]  # the capacity demo's frames


def _generator(rng: np.random.Generator) -> torch.Generator:
    return cpu_generator(int(rng.integers(2**31)))


def training_history(rng: np.random.Generator) -> Inputs:
    """Snapshots of a 2-8-1 tanh net trained by GD on noisy XOR (chapter 1's run).

    Shapes: -> X: (200, 2), y: (200,), 17 snapshots. Chapter 1.
    """
    X, y = data.noisy_xor(200, rng, noise=0.3)
    steps = (0, 5, 10, 20, 40, 60, 80, 100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2000)
    run = train_gd(TwoLayerNet.init(2, 8, rng), X, y, lr=0.1, steps=2000, snapshot_steps=steps)
    return {"snapshots": [(k, net.score) for k, net in run.snapshots], "X": X, "y": y}


def line_fit(rng: np.random.Generator) -> Inputs:
    """Twenty noisy points on y = 1 + 0.8 x (chapter 2's data) and the plotting window.

    Shapes: -> x, y: (20,). Chapter 2.
    """
    x = rng.uniform(-1.0, 3.0, 20)
    return {"x": x, "y": 1.0 + 0.8 * x + 0.5 * rng.standard_normal(20),
            "bounds": (-2.0, 4.0, -2.0, 3.0)}  # fmt: skip


def basis_data(rng: np.random.Generator) -> Inputs:
    """Thirty noisy samples of sin(2 pi x) + cos(6x)/2 to fit, and 500 to test on.

    Shapes: -> train, test: ((30,), (30,)), ((500,), (500,)). Chapter 3.
    """

    def truth(x: np.ndarray) -> np.ndarray:
        return np.sin(2 * np.pi * x) + 0.5 * np.cos(6 * x)

    x_tr, x_te = rng.uniform(0, 1, 30), rng.uniform(0, 1, 500)
    noisy = [truth(x) + 0.2 * rng.standard_normal(len(x)) for x in (x_tr, x_te)]
    return {"train": (x_tr, noisy[0]), "test": (x_te, noisy[1]), "truth": truth}


def hinge_target(rng: np.random.Generator) -> Inputs:
    """The piecewise-linear target relu(1 - |x|) + relu(x - 1)/2 of chapter 3's hinge builder.

    Shapes: -> target: (G,) -> (G,). Chapter 3.
    """

    def target(x: np.ndarray) -> np.ndarray:
        return np.maximum(0, 1 - np.abs(x)) + 0.5 * np.maximum(0, x - 1)

    return {"target": target}


def random_lines(rng: np.random.Generator) -> Inputs:
    """Twelve random ReLU units on the plane: rows of A (12, 2) and b (12,).

    Shapes: -> A: (12, 2), b: (12,). Chapter 3.
    """
    return {"A": rng.standard_normal((12, 2)), "b": rng.standard_normal(12)}


def eos_runs(rng: np.random.Generator, steps: int = 400) -> Inputs:
    """GD on 300 digits with a 64-64-64-10 tanh MLP at three learning rates (chapter 4's runs;
    larger rates than the chapter's, so that all three reach the edge within 400 steps).

    Shapes: -> runs: {lr: (losses (steps,), at (S,), sharpness (S,))}. Chapter 4.
    """
    pixels, labels = load_digits(return_X_y=True)
    X = torch.tensor(pixels[:300] / 16, dtype=torch.float32)
    X = X - X.mean(dim=0)  # (300, 64), centred
    Y = torch.nn.functional.one_hot(torch.tensor(labels[:300]), 10).float()
    g = _generator(rng)
    layers = [nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 10)]
    net = reset_linear_(nn.Sequential(*layers), g)
    run = {lr: eos_run(X, Y, copy.deepcopy(net), lr, steps, g, every=40) for lr in (0.7, 0.6, 0.5)}
    return {"runs": run}


def small_graph(rng: np.random.Generator) -> Inputs:
    """The 2-3-2 tanh network's cross-entropy graph of chapter 5, after backward().

    Shapes: x: (1, 2) -> a scalar loss node with 11 nodes in its graph. Chapter 5.
    """
    x1 = ad.Tensor(rng.standard_normal((1, 2)), name="x")
    A1 = ad.Tensor(rng.standard_normal((2, 3)), name="A1")
    b1 = ad.Tensor(np.zeros(3), name="b1")
    A2 = ad.Tensor(rng.standard_normal((3, 2)), name="A2")
    b2 = ad.Tensor(np.zeros(2), name="b2")
    loss = ad.cross_entropy((x1 @ A1 + b1).tanh() @ A2 + b2, np.array([1]))
    loss.name = "L"
    loss.backward()
    return {"root": loss}


def polynomial_data(rng: np.random.Generator) -> Inputs:
    """Twenty noisy samples of sin(2 pi x) on a grid, 2000 test points, and the train and test
    errors of polynomial fits with M = 1 ... 20 features (chapter 7).

    Shapes: -> train: ((20,), (20,)), test: ((2000,), (2000,)), errors: 2 x (12,). Chapter 7.
    """

    def f(x: np.ndarray) -> np.ndarray:
        return np.sin(2 * np.pi * x)

    x, x_test = np.linspace(0, 1, 20), rng.uniform(0, 1, 2000)
    train = (x, f(x) + 0.3 * rng.standard_normal(20))
    test = (x_test, f(x_test) + 0.3 * rng.standard_normal(2000))
    errors = capacity.polynomial_errors(*train, *test, FRAME_MS)  # train, test: (12,) each
    return {"f": f, "train": train, "test": test, "errors": errors}


def double_descent(rng: np.random.Generator) -> Inputs:
    """Min-norm random-ReLU-feature fits to 100 points of a 5-d teacher, p from 10 to 1000.

    Shapes: -> train: ((100, 5), (100,)), ps: (P,), errors: (P,). Chapter 7.
    """
    d, n = 5, 100

    def teacher(m: int) -> tuple[np.ndarray, np.ndarray]:
        z = rng.standard_normal((m, d))
        return z / np.sqrt(d), np.sin(z[:, 0]) + 0.5 * z[:, 1] ** 2 + 0.3 * rng.standard_normal(m)

    train, test = teacher(n), teacher(2000)
    ps = np.unique(np.r_[np.geomspace(10, 1000, 13).round().astype(int), n])
    errors = capacity.random_features_errors(*train, *test, ps, draws=5, rng=rng).mean(axis=1)
    return {"train": train, "test": test, "ps": ps, "errors": errors}


def dropout_moons(rng: np.random.Generator) -> Inputs:
    """Two-moons MLPs trained at dropout rates 0 to 0.8 (chapter 7's decision boundaries).

    Shapes: -> train, test: ((80, 2), (80,)) each; models: {p: net}. Chapter 7.
    """
    X, y = make_moons(160, noise=0.35, random_state=int(rng.integers(2**31)))
    train, test = (X[:80].astype(np.float32), y[:80]), (X[80:].astype(np.float32), y[80:])
    models = dropout_models(
        train, [0.0, 0.2, 0.4, 0.6, 0.8], epochs=150, seed=int(rng.integers(2**31))
    )
    return {"models": models, "train": train, "test": test}


def one_pixel(rng: np.random.Generator) -> Inputs:
    """One standardised pixel of the digits training set, as a (n, 1) feature (chapter 8).

    Shapes: -> X: (1257, 1). Chapter 8.
    """
    return {"X": data.digits()[0][:, 20:21], "rng": rng}


def char_lstm(rng: np.random.Generator, steps: int = 80) -> Inputs:
    """A character LSTM trained briefly on the book's text: next-character logits after a
    prompt, samples at seven temperatures and the gate trace of one sentence (chapter 9).

    Shapes: -> logits: (V,), trace: dict of (T, H) arrays. Chapter 9.
    """
    tok = text.CharTokenizer(text.book_corpus(), min_count=50)
    model = charlm.CharLM(len(tok), _generator(rng), E=32, H=128)
    charlm.train_lm(model, tok.encode(text.book_corpus()), rng, steps=steps, lr=3e-3)
    prompt = tok.encode("the gradient of the loss ")
    with torch.no_grad():
        logits = model(torch.as_tensor(prompt)[None])[0][0, -1].double().numpy()
    taus = [0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6]
    samples = {tau: tok.decode(charlm.sample(model, prompt, 160, tau, rng)) for tau in taus}
    sentence = "the gate keeps."
    with torch.no_grad():
        emb = model.embedding(torch.as_tensor(tok.encode(sentence))[None]).double().numpy()
    trace = gated.lstm_trace(rnn.from_module(model.lstm), emb)  # (1, T, H) each
    return {"logits": logits, "vocab": tok.vocab, "samples": samples,
            "trace": {k: v[0] for k, v in trace.items()}, "text": sentence}  # fmt: skip


def tiny_gpt(rng: np.random.Generator, steps: int = 80) -> Inputs:
    """A two-layer, four-head character transformer trained briefly on the book's text: its
    attention maps on one sentence and its next-character log-probabilities (chapter 10).

    Shapes: -> maps: (2, 4, T, T), logits: (V,). Chapter 10.
    """
    tok = text.CharTokenizer(text.book_corpus(), min_count=50)
    config = transformer.GPTConfig(V=len(tok), D=64, heads=4, layers=2, T_max=64, ffn_mult=2)
    model = transformer.TinyGPT(config, _generator(rng))
    charlm.train_lm(model, tok.encode(text.book_corpus()), rng, steps=steps, lr=3e-3)
    sentence = "heads look back."
    maps = transformer.attention_maps(model, torch.as_tensor(tok.encode(sentence)))
    prompt = tok.encode("the gradient of the loss ")
    logits = decoding.next_logprobs(model)(prompt[None])[0]
    return {"maps": maps.numpy(), "text": sentence, "logits": logits, "vocab": tok.vocab}


def digit_vae(rng: np.random.Generator, steps: int = 600) -> Inputs:
    """A VAE with a two-dimensional latent trained on the digits (chapter 11's model).

    Shapes: decoder: (N, 2) -> (N, 64). Chapter 11.
    """
    g = _generator(rng)
    model = vae.VAE(64, 2, 128, g, min_logvar=-4.0)
    vae.train_vae(model, data.digits(standardize=False)[0] / 16, steps, g)
    return {"decoder": model.decoder}


def ring_diffusion(rng: np.random.Generator, steps: int = 1500) -> Inputs:
    """A DDPM on the ring of eight Gaussians: forward chains of held-out points and the
    reverse chains of 1000 samples, T = 100 (chapter 11).

    Shapes: -> forward, reverse: (101, n, 2). Chapter 11.
    """
    g, T = _generator(rng), 100
    betas = dif.linear_betas(T, 1e-4, 0.2)
    model = dif.NoiseMLP(2, T, g)
    dif.train_ddpm(model, toy2d.ring_of_gaussians(4000, rng), betas, steps, g)
    x0 = torch.tensor(toy2d.ring_of_gaussians(1000, rng))
    return {"forward": dif.forward_chain(x0, betas, g).numpy(),
            "reverse": dif.ddpm_sample(model, betas, 1000, 2, g).numpy(),
            "steps": [0, 2, 5, 10, 20, 30, 40, 50, 60, 80, 100]}  # fmt: skip
