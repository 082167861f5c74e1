"""Reproducibility and hardware: seeding, device choice, thread pinning, divergence guard.

Every chapter's setup cell goes through these (via :func:`dlbook.setup`). Chapter 0
(the preface) explains why each one matters.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import ipaddress
import math
import os
import random
import socket

import numpy as np
import torch
from threadpoolctl import threadpool_limits


class DivergenceError(FloatingPointError):
    """A training loop produced a non-finite or exploding loss."""


SEED_OFFSET_VARIABLE = "DLBOOK_SEED_OFFSET"


def seed_offset() -> int:
    """k = the environment's DLBOOK_SEED_OFFSET (0 when unset): which family of seeds the book uses.

    Shapes: none. Chapter 0. Running the book with `DLBOOK_SEED_OFFSET=1` (or any k >= 0)
    replaces every seed the book uses by another, so that each claim is checked on draws
    its author never saw.
    """
    text = os.environ.get(SEED_OFFSET_VARIABLE, "").strip()
    if not text:
        return 0
    try:
        k = int(text)
    except ValueError:
        k = -1
    if k < 0:
        raise ValueError(f"{SEED_OFFSET_VARIABLE} must be a non-negative integer, got {text!r}")
    return k


def book_seed(seed: int) -> int:
    """s' = s for k = 0, else a seed drawn from SeedSequence((s, k)): the seed actually used.

    Shapes: scalar -> scalar. Chapter 0. Every seed in the book goes through this (through
    `setup`, `seed_everything`, `numpy_rng` and `nets.cpu_generator`), so that
    `DLBOOK_SEED_OFFSET=k` reaches every random draw. Distinct (s, k) give unrelated seeds:
    seeds 0, 1, 2 at offset 1 share no draw with seeds 0, 1, 2 at offset 0.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    k = seed_offset()
    if k == 0:
        return int(seed)
    return int(np.random.SeedSequence((int(seed), k)).generate_state(1, np.uint32)[0])


def numpy_rng(seed: int) -> np.random.Generator:
    """A numpy Generator for the book's seed `seed` (shifted by DLBOOK_SEED_OFFSET).

    Shapes: none. Chapter 0. For notebooks, test fixtures and demos' fixed draws; library
    functions take an `rng` argument instead.
    """
    return np.random.default_rng(book_seed(seed))


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python's `random`, numpy's global state and torch; return `numpy_rng(seed)`.

    Shapes: none (scalars only). Chapter 0.

    Library code never seeds: it takes an `rng` or `generator` argument. Only notebooks
    and test fixtures call this. The seed goes through `book_seed`, so
    `DLBOOK_SEED_OFFSET` shifts it.
    """
    used = book_seed(seed)
    random.seed(used)
    np.random.seed(used % 2**32)  # noqa: NPY002 - seeding the legacy global is the point
    torch.manual_seed(used)
    return np.random.default_rng(used)


def device() -> torch.device:
    """The accelerator if one is present (CUDA, then Apple's MPS), else the CPU.

    Shapes: none. Chapter 0. No code in the book requires a GPU.
    """
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def pin_threads(threads: int = 1) -> None:
    """Limit torch and every BLAS/OpenMP pool to `threads` threads.

    Shapes: none. Chapter 0. Small models run as fast on one thread as on two, and two
    threads per process on a busy two-core machine ran 10-100x slower.
    """
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    torch.set_num_threads(threads)
    threadpool_limits(limits=threads)


def keep_arrays_in_heap(limit_bytes: int = 64 << 20) -> bool:
    """glibc's mmap threshold := limit_bytes: arrays up to that size come from the heap.

    Numpy allocates a new array for every operation. Above glibc's default threshold (128
    KiB; one 256 x 256 float64 array is 512 KiB) each one is a fresh memory map whose pages
    fault in on first touch and go back to the system when freed; that alone made the numpy
    MLP of chapter 5 1.4x slower than torch, whose allocator keeps its buffers. With the
    threshold raised, freed arrays are reused. Returns whether it applied (glibc only).
    Shapes: none. Chapter 0.
    """
    if limit_bytes < 0:
        raise ValueError(f"limit_bytes must be >= 0, got {limit_bytes}")
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's malloc.h
    return bool(mallopt(M_MMAP_THRESHOLD, limit_bytes)) and bool(
        mallopt(M_TRIM_THRESHOLD, 4 * limit_bytes)
    )


def check_finite(loss: float, step: int, limit: float = 1e12) -> float:
    """Return `loss` unchanged if it is finite and below `limit`; else raise DivergenceError.

    Shapes: scalar -> scalar. Chapter 4 (step sizes) explains divergence.
    """
    value = float(loss)
    if not math.isfinite(value) or abs(value) > limit:
        raise DivergenceError(
            f"training diverged at step {step}: loss = {value!r}. "
            "Lower the learning rate or check the data scaling."
        )
    return value


_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex


def _refuse_outside(sock: socket.socket, address: object) -> None:
    """Raise unless `address` is on the loopback interface (or not an internet socket)."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0] if isinstance(address, tuple) else address
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        raise ConnectionRefusedError(
            f"dlbook: network access to {host!r} is forbidden while the book is tested; "
            "use generated data or a data set that an installed package ships"
        )


def _loopback_only_connect(sock: socket.socket, address: object) -> None:
    _refuse_outside(sock, address)
    _REAL_CONNECT(sock, address)


def _loopback_only_connect_ex(sock: socket.socket, address: object) -> int:
    _refuse_outside(sock, address)
    return _REAL_CONNECT_EX(sock, address)


def forbid_network(enabled: bool | None = None) -> bool:
    """Make every non-loopback socket connection raise (the book never reads the network).

    Shapes: none. Chapter 0. With `enabled=None` it follows the environment variable
    `DLBOOK_FORBID_NETWORK` (set by the test runner and CI); returns whether it is on.
    """
    if enabled is None:
        enabled = os.environ.get("DLBOOK_FORBID_NETWORK", "") == "1"
    socket.socket.connect = _loopback_only_connect if enabled else _REAL_CONNECT
    socket.socket.connect_ex = _loopback_only_connect_ex if enabled else _REAL_CONNECT_EX
    return enabled
