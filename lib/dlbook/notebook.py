"""The one call every notebook's setup cell makes: `dlbook.setup(seed)`.

Chapter 0 (the preface) describes the setup cell.
"""

from __future__ import annotations

import numpy as np

from dlbook.plotting import set_style
from dlbook.runtime import forbid_network, keep_arrays_in_heap, pin_threads, seed_everything


def setup(seed: int = 0, threads: int = 1) -> np.random.Generator:
    """Pin threads, keep numpy's arrays in the heap, seed python/numpy/torch, set the book's
    plot style; return an rng.

    Shapes: none. Chapter 0. Under the book's tests (`DLBOOK_FORBID_NETWORK=1`) it also
    forbids network access, so a notebook that reads the network fails its test.
    """
    pin_threads(threads)
    keep_arrays_in_heap()  # numpy's temporaries reuse memory (runtime.keep_arrays_in_heap)
    set_style()
    forbid_network()
    return seed_everything(seed)
