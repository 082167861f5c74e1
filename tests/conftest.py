"""Fixtures shared by the unit tests of lib/dlbook (the environment is set in ../conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from dlbook.runtime import pin_threads

matplotlib.use("Agg")
pin_threads(1)


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh, seeded numpy generator for each test."""
    return np.random.default_rng(0)


@pytest.fixture
def generator() -> torch.Generator:
    """A fresh, seeded torch generator for each test."""
    return torch.Generator().manual_seed(0)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Close every figure a test left open (drawing functions return figures)."""
    yield
    plt.close("all")
