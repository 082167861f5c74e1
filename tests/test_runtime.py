from __future__ import annotations

import math
import random
import socket
from collections.abc import Iterator

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info

import dlbook
from dlbook import runtime
from dlbook.runtime import (
    DivergenceError,
    book_seed,
    check_finite,
    device,
    forbid_network,
    numpy_rng,
    pin_threads,
    seed_everything,
    seed_offset,
)


def draws() -> tuple[float, np.ndarray, torch.Tensor]:
    return random.random(), np.random.rand(3), torch.rand(3)  # noqa: NPY002 - global state on purpose


def test_seed_everything_repeats_python_numpy_and_torch_draws() -> None:
    seed_everything(123)
    first = draws()
    seed_everything(123)
    second = draws()
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])
    assert torch.equal(first[2], second[2])
    seed_everything(124)
    third = draws()
    assert third[0] != first[0]
    assert not np.array_equal(third[1], first[1])
    assert not torch.equal(third[2], first[2])


def test_seed_everything_returns_the_seeded_generator() -> None:
    rng = seed_everything(7)
    assert isinstance(rng, np.random.Generator)
    expected = np.random.default_rng(7).standard_normal(5)
    np.testing.assert_array_equal(rng.standard_normal(5), expected)


def test_seed_everything_accepts_numpy_integers_and_large_seeds() -> None:
    a = seed_everything(np.int64(3)).random()
    assert a == np.random.default_rng(3).random()
    seed_everything(2**40)  # numpy's legacy seed is reduced mod 2**32, not rejected
    assert np.random.default_rng(2**40).random() == seed_everything(2**40).random()


@pytest.mark.parametrize("seed", [-1, -100, 1.5, "3", None, True])
def test_seed_everything_rejects_bad_seeds(seed: object) -> None:
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_everything(seed)  # type: ignore[arg-type]


def test_seed_offset_zero_leaves_every_seed_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLBOOK_SEED_OFFSET", raising=False)
    assert seed_offset() == 0 and [book_seed(s) for s in (0, 1, 99)] == [0, 1, 99]
    monkeypatch.setenv("DLBOOK_SEED_OFFSET", "0")
    assert book_seed(5) == 5
    assert numpy_rng(5).random() == np.random.default_rng(5).random()


def test_seed_offset_gives_new_unrelated_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    base = [book_seed(s) for s in range(20)]
    seen = set(base)
    for k in (1, 2, 7):
        monkeypatch.setenv("DLBOOK_SEED_OFFSET", str(k))
        assert seed_offset() == k
        shifted = [book_seed(s) for s in range(20)]
        assert shifted == [book_seed(s) for s in range(20)]  # deterministic
        assert seen.isdisjoint(shifted), f"offset {k} reuses a seed of another offset"
        seen.update(shifted)
    assert len(seen) == 80


def test_seed_offset_reaches_every_seeding_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    from dlbook.data import digits
    from dlbook.nets import cpu_generator

    def all_draws() -> tuple[float, float, float, np.ndarray]:
        return (
            seed_everything(3).random(),
            numpy_rng(3).random(),
            torch.rand(1, generator=cpu_generator(3)).item(),
            digits(seed=3)[2][:20],
        )

    before = all_draws()
    monkeypatch.setenv("DLBOOK_SEED_OFFSET", "1")
    after = all_draws()
    for a, b in zip(before[:3], after[:3], strict=True):
        assert a != b
    assert not np.array_equal(before[3], after[3])  # another train/test split


@pytest.mark.parametrize("text", ["-1", "one", "1.5"])
def test_seed_offset_rejects_bad_values(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("DLBOOK_SEED_OFFSET", text)
    with pytest.raises(ValueError, match="DLBOOK_SEED_OFFSET must be a non-negative integer"):
        book_seed(0)


def test_package_exports() -> None:
    assert dlbook.seed_everything is seed_everything
    assert dlbook.device is device
    assert dlbook.DivergenceError is DivergenceError
    assert isinstance(dlbook.__version__, str)


def test_device_is_cpu_without_an_accelerator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert device() == torch.device("cpu")


def test_device_prefers_cuda_then_mps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert device() == torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert device() == torch.device("mps")


def test_device_here() -> None:
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    if expected == "cpu" and torch.backends.mps.is_available():  # pragma: no cover - macOS
        expected = "mps"
    assert device() == torch.device(expected)
    assert torch.zeros(2, device=device()).device.type == expected


def test_pin_threads_sets_torch_and_blas_threads() -> None:
    try:
        pin_threads(2)
        assert torch.get_num_threads() == 2
        assert all(pool["num_threads"] == 2 for pool in threadpool_info())
    finally:
        pin_threads(1)
    assert torch.get_num_threads() == 1
    assert all(pool["num_threads"] == 1 for pool in threadpool_info())


@pytest.mark.parametrize("threads", [0, -1])
def test_pin_threads_rejects_non_positive(threads: int) -> None:
    with pytest.raises(ValueError, match=f"threads must be >= 1, got {threads}"):
        pin_threads(threads)
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize("loss", [0.0, 1.5, -3.0, 1e12, np.float32(2.5), torch.tensor(0.25)])
def test_check_finite_returns_finite_losses(loss: object) -> None:
    value = check_finite(loss, step=3)
    assert isinstance(value, float)
    assert value == float(loss)


@pytest.mark.parametrize(
    "loss", [math.nan, math.inf, -math.inf, 1.0001e12, -1e13, np.float64(1e300)]
)
def test_check_finite_raises_divergence(loss: float) -> None:
    with pytest.raises(DivergenceError, match="diverged at step 17"):
        check_finite(loss, step=17)


def test_check_finite_limit_and_error_type() -> None:
    assert check_finite(5.0, 0, limit=10.0) == 5.0
    with pytest.raises(DivergenceError, match="learning rate"):
        check_finite(11.0, 0, limit=10.0)
    assert issubclass(DivergenceError, FloatingPointError)
    with pytest.raises(FloatingPointError):
        check_finite(torch.tensor(float("nan")), 0)


@pytest.fixture
def restore_network() -> Iterator[None]:
    before, before_ex = socket.socket.connect, socket.socket.connect_ex
    try:
        yield
    finally:
        forbid_network(False)
        socket.socket.connect = before  # type: ignore[method-assign]
        socket.socket.connect_ex = before_ex  # type: ignore[method-assign]


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(5)
    try:
        yield server
    finally:
        server.close()


@pytest.mark.usefixtures("restore_network")
@pytest.mark.parametrize(
    "address", [("10.255.255.1", 9), ("8.8.8.8", 53), ("example.com", 80), ("192.168.1.1", 443)]
)
@pytest.mark.parametrize(
    ("method", "real_name"), [("connect", "_REAL_CONNECT"), ("connect_ex", "_REAL_CONNECT_EX")]
)
def test_forbid_network_refuses_non_loopback_without_connecting(
    monkeypatch: pytest.MonkeyPatch, address: tuple[str, int], method: str, real_name: str
) -> None:
    real = getattr(socket.socket, method)
    assert forbid_network(True) is True
    # The guard must be installed before anything touches a socket: otherwise stop here.
    assert getattr(socket.socket, method) is not real
    passed_through: list[object] = []

    def no_traffic(sock: socket.socket, addr: object) -> None:
        passed_through.append(addr)
        raise AssertionError(f"the guard let a connection to {addr!r} through")

    monkeypatch.setattr(runtime, real_name, no_traffic)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(ConnectionRefusedError, match="network access to .* is forbidden"):
            getattr(sock, method)(address)
    assert passed_through == []


@pytest.mark.usefixtures("restore_network")
def test_forbid_network_passes_loopback_through(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    assert forbid_network(True) is True
    for host in ("127.0.0.1", "localhost"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect((host, port))
            conn, _ = listener.accept()
            client.sendall(b"ping")
            assert conn.recv(4) == b"ping"
            conn.close()


@pytest.mark.usefixtures("restore_network")
def test_forbid_network_false_restores_the_real_connect() -> None:
    forbid_network(True)
    assert socket.socket.connect is not runtime._REAL_CONNECT
    assert forbid_network(False) is False
    assert socket.socket.connect is runtime._REAL_CONNECT
    assert socket.socket.connect_ex is runtime._REAL_CONNECT_EX


@pytest.mark.usefixtures("restore_network")
@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", False)])
def test_forbid_network_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("DLBOOK_FORBID_NETWORK", value)
    assert forbid_network() is expected
    assert (socket.socket.connect is not runtime._REAL_CONNECT) is expected


def test_keep_arrays_in_heap_applies_on_glibc_and_refuses_nonsense(monkeypatch) -> None:
    import ctypes
    import platform

    from dlbook.runtime import keep_arrays_in_heap

    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert keep_arrays_in_heap() is True
    with pytest.raises(ValueError, match="limit_bytes"):
        keep_arrays_in_heap(-1)

    def no_libc(*args, **kwargs):
        raise OSError("no C library here")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert keep_arrays_in_heap() is False  # macOS, Windows: a no-op that says so
