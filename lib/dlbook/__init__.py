"""dlbook: the shared, tested code behind the book's chapters.

Math modules (`perceptron`, `twolayer`, `nets`, `scaling`, `matmul`, `data`, ...) import
numpy and torch and each other; presentation modules (`plotting`, `widgets`, `check`,
`notebook`) sit on top of them.
"""

from dlbook.notebook import setup
from dlbook.runtime import DivergenceError, device, seed_everything

__version__ = "0.1.0"

__all__ = ["DivergenceError", "device", "seed_everything", "setup", "__version__"]
