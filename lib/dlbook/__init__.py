"""dlbook: the shared, tested code behind the book's chapters.

Math modules (`perceptron`, `twolayer`, `nets`, `scaling`, `matmul`, `data`, ...) import
numpy and torch and each other; presentation modules (`plotting`, `widgets`, `check`,
`notebook`) sit on top of them.
"""

from dlbook.notebook import setup
from dlbook.runtime import (
    DivergenceError,
    book_seed,
    device,
    numpy_rng,
    seed_everything,
    seed_offset,
)

__version__ = "0.1.0"

__all__ = [
    "DivergenceError",
    "book_seed",
    "device",
    "numpy_rng",
    "seed_everything",
    "seed_offset",
    "setup",
    "__version__",
]
