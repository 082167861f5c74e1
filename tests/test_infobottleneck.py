from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mutual_info_score

from dlbook.infobottleneck import discretize, entropy, information_plane, mutual_information


@settings(max_examples=15)
@given(n=st.integers(5, 200), ka=st.integers(1, 5), kb=st.integers(1, 5), seed=st.integers(0, 99))
def test_mutual_information_matches_sklearn(n: int, ka: int, kb: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, ka, n), rng.integers(0, kb, n)
    ref = mutual_info_score(a, b) / np.log(2)  # nats -> bits
    assert mutual_information(a, b) == pytest.approx(ref, abs=1e-10)


def test_entropy_and_limits(rng: np.random.Generator) -> None:
    a = np.repeat(np.arange(8), 5)
    assert entropy(a) == pytest.approx(3.0)
    assert mutual_information(a, a) == pytest.approx(3.0)  # I(A;A) = H(A)
    assert mutual_information(a, np.zeros_like(a)) == pytest.approx(0.0, abs=1e-12)
    b = rng.integers(0, 2, 20000)
    assert mutual_information(rng.integers(0, 2, 20000), b) < 1e-3  # independent


def test_discretize_and_plane() -> None:
    T = np.array([[0.1, 0.9], [0.12, 0.95], [0.9, 0.1], [0.5, 0.5]])
    ids = discretize(T, 2, 0.0, 1.0)
    assert ids[0] == ids[1] and len(set(ids.tolist())) == 3
    assert len(set(discretize(T, 100, 0.0, 1.0).tolist())) == 4
    x_ids, y = np.arange(4), np.array([0, 0, 1, 1])
    ixt, ity = information_plane(T, x_ids, y, 2, 0.0, 1.0)
    assert ixt == pytest.approx(1.5) and ixt >= ity  # data processing: I(T;Y) <= I(X;T)
    with pytest.raises(ValueError, match=r"got \(2,\)"):
        discretize(T[0], 2, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"\(3,\) and \(4,\)"):
        mutual_information(np.zeros(3), np.zeros(4))
