"""Tests of dlbook.unet: output shape equals input shape, skip connections meet feature maps
of their own resolution, and sizes that cannot be halved are refused."""

from __future__ import annotations

import pytest
import torch

from dlbook.nets import cpu_generator
from dlbook.unet import TinyUNet


@pytest.mark.parametrize(("levels", "H", "W"), [(1, 6, 4), (2, 8, 8), (3, 16, 24)])
def test_shapes_through_the_u(levels, H, W):
    net = TinyUNet(channels=3, width=4, levels=levels, generator=cpu_generator(0))
    x = torch.randn((2, 3, H, W), generator=cpu_generator(1))
    assert net(x, torch.tensor([0, 50])).shape == x.shape
    assert len(net.skip_shapes) == levels
    for k, (skip, up) in enumerate(net.skip_shapes):  # deepest level first
        depth = levels - 1 - k
        assert skip[2:] == up[2:] == (H // 2**depth, W // 2**depth)
        assert skip[1] == 4 * 2**depth and up[1] == 2 * skip[1]


def test_time_changes_the_output_and_bad_sizes_raise():
    net = TinyUNet(generator=cpu_generator(0))
    x = torch.randn((1, 1, 8, 8), generator=cpu_generator(1))
    assert not torch.allclose(net(x, torch.tensor([0])), net(x, torch.tensor([90])))
    with pytest.raises(ValueError, match="divisible by 4"):
        net(torch.zeros(1, 1, 6, 6), torch.tensor([0]))
