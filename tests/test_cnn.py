from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from dlbook.cnn import GlobalMaxPool, small_cnn
from dlbook.nets import param_count


def test_small_cnn_shapes_and_parameters(generator: torch.Generator) -> None:
    net = small_cnn(generator)
    assert net(torch.zeros(5, 64)).shape == (5, 10)
    # (9 + 1) 8 + (72 + 1) 16 + (144 + 1) 16 + (16 + 1) 10 weights and biases
    assert param_count(net) == 80 + 1168 + 2320 + 170
    again = small_cnn(torch.Generator().manual_seed(0))
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), again.parameters(), strict=True))


def test_global_max_pool_matches_torch(rng: np.random.Generator) -> None:
    x = torch.tensor(rng.normal(size=(2, 3, 5, 4)))
    ref = F.adaptive_max_pool2d(x, 1)[:, :, 0, 0]
    assert torch.equal(GlobalMaxPool()(x), ref)
