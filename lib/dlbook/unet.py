"""A tiny U-Net: the encoder-decoder with skip connections behind image diffusion models.

Each level halves the resolution and doubles the channels on the way down; on the way up
each level upsamples and concatenates the feature map of the same resolution from the way
down (the skip connection), so fine detail need not pass through the bottleneck. A time
embedding is added to every level's features, as in DDPM's noise predictor. Chapter 11.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from dlbook.diffusion import time_embedding
from dlbook.nets import reset_linear_


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1),
        nn.GELU(),
        nn.Conv2d(c_out, c_out, 3, padding=1),
        nn.GELU(),
    )


class TinyUNet(nn.Module):
    """eps_theta(x_t, t) for images: `levels` down-sampling levels of width c, 2c, 4c, ..."""

    def __init__(
        self,
        channels: int = 1,
        width: int = 8,
        levels: int = 2,
        T: int = 100,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        widths = [width * 2**k for k in range(levels + 1)]  # per level, bottleneck last
        self.T, self.levels, self.embed = T, levels, 16
        self.inp = nn.Conv2d(channels, width, 3, padding=1)
        self.down = nn.ModuleList(
            _block(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True)
        )
        self.up = nn.ModuleList(
            _block(b + a, a) for a, b in zip(widths[:-1], widths[1:], strict=True)
        )
        self.time = nn.ModuleList(nn.Linear(self.embed, w) for w in widths[1:])
        self.out = nn.Conv2d(width, channels, 1)
        self.skip_shapes: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        if generator is not None:
            reset_linear_(self, generator)
            with torch.no_grad():  # PyTorch's default bound 1 / sqrt(fan_in), from generator
                for conv in self.modules():
                    if isinstance(conv, nn.Conv2d):
                        bound = 1.0 / conv.weight[0].numel() ** 0.5
                        conv.weight.uniform_(-bound, bound, generator=generator)
                        conv.bias.uniform_(-bound, bound, generator=generator)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """eps_theta(x_t, t); records (skip, upsampled) shapes of each concatenation.

        Height and width must be divisible by 2^levels.
        Shapes: x: (B, C, H, W), t: (B,) -> (B, C, H, W). Chapter 11.
        """
        B, _, H, W = x.shape
        if H % 2**self.levels or W % 2**self.levels:
            raise ValueError(f"H and W of {tuple(x.shape)} must be divisible by {2**self.levels}")
        e = time_embedding(t, self.embed, self.T).to(x.dtype)  # (B, 16)
        h, skips = self.inp(x), []
        for block, time in zip(self.down, self.time, strict=True):
            skips.append(h)  # (B, c_k, H / 2^k, W / 2^k)
            h = block(F.avg_pool2d(h, 2)) + time(e)[:, :, None, None]  # half size, 2x channels
        self.skip_shapes = []
        for block, skip in zip(reversed(self.up), reversed(skips), strict=True):
            h = F.interpolate(h, scale_factor=2.0, mode="nearest")  # back to the skip's size
            self.skip_shapes.append((tuple(skip.shape), tuple(h.shape)))
            h = block(torch.cat([skip, h], dim=1))  # (B, c_k + 2 c_k, ...) -> (B, c_k, ...)
        return self.out(h)
