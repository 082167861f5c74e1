from __future__ import annotations

import random
import socket
from collections.abc import Iterator

import matplotlib as mpl
import numpy as np
import pytest
import torch

import dlbook
from dlbook import runtime
from dlbook.notebook import setup
from dlbook.plotting import STYLE


@pytest.fixture(autouse=True)
def restore_state() -> Iterator[None]:
    before = socket.socket.connect
    try:
        with mpl.rc_context():
            yield
    finally:
        runtime.forbid_network(False)
        socket.socket.connect = before  # type: ignore[method-assign]
        runtime.pin_threads(1)


def style_applied() -> bool:
    for key, value in STYLE.items():
        current = mpl.rcParams[key]
        if isinstance(value, tuple):
            current, value = tuple(current), tuple(value)
        if current != value:
            return False
    return True


def test_setup_returns_the_seeded_generator() -> None:
    rng = setup(seed=11)
    assert isinstance(rng, np.random.Generator)
    np.testing.assert_array_equal(rng.random(4), np.random.default_rng(11).random(4))
    assert dlbook.setup is setup


def test_setup_seeds_every_global_generator() -> None:
    setup(seed=5)
    first = random.random(), np.random.rand(2), torch.rand(2)  # noqa: NPY002
    setup(seed=5)
    second = random.random(), np.random.rand(2), torch.rand(2)  # noqa: NPY002
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])
    assert torch.equal(first[2], second[2])


def test_setup_pins_threads() -> None:
    torch.set_num_threads(2)
    setup(seed=0)
    assert torch.get_num_threads() == 1


def test_setup_applies_the_book_style() -> None:
    mpl.rcdefaults()
    assert not style_applied()
    setup(seed=0)
    assert style_applied()
    assert list(mpl.rcParams["axes.prop_cycle"].by_key()["color"]) == list(
        STYLE["axes.prop_cycle"].by_key()["color"]  # type: ignore[attr-defined]
    )


def test_setup_forbids_the_network_under_the_test_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLBOOK_FORBID_NETWORK", "1")
    setup(seed=0)
    assert socket.socket.connect is not runtime._REAL_CONNECT
    monkeypatch.setenv("DLBOOK_FORBID_NETWORK", "0")
    setup(seed=0)
    assert socket.socket.connect is runtime._REAL_CONNECT


def test_setup_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="seed"):
        setup(seed=-1)
    with pytest.raises(ValueError, match="threads"):
        setup(seed=0, threads=0)
