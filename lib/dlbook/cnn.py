"""A small convolutional classifier for 8x8 digits (the translated test set is chapter 7's).

conv(1->8, 3x3) - ReLU - conv(8->16, 3x3) - ReLU - max-pool 2 - conv(16->16, 3x3) - ReLU -
global max - linear(16->10): locality, weight sharing and pooling in about 3,700
parameters. Chapter 8.
"""

from __future__ import annotations

import torch
from torch import nn


class GlobalMaxPool(nn.Module):
    """y[b, c] = max_{i,j} x[b, c, i, j]: the max over every position (translation pooling)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """y = max over the spatial axes.

        Shapes: x: (B, C, H, W) -> (B, C). Chapter 8.
        """
        return x.amax(dim=(2, 3))


class AsImage(nn.Module):
    """Reshape flat digits to one-channel images, so a CNN takes the MLP's input."""

    def __init__(self, side: int = 8) -> None:
        super().__init__()
        self.side = side

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x -> x viewed as a (1, side, side) image.

        Shapes: x: (B, side^2) -> (B, 1, side, side). Chapter 8.
        """
        return x.reshape(x.shape[0], 1, self.side, self.side)


def small_cnn(generator: torch.Generator, classes: int = 10) -> nn.Sequential:
    """f(x) = A max_{i,j} relu(conv(pool(relu(conv(relu(conv(x))))))) + b on 8x8 images.

    Weights ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) from `generator`, biases zero.
    Shapes: x: (B, 64) -> (B, classes). Chapter 8.
    """
    net = nn.Sequential(
        AsImage(8),
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 16, 3, padding=1),
        nn.ReLU(),
        GlobalMaxPool(),
        nn.Linear(16, classes),
    )
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Conv2d | nn.Linear):
                bound = 1.0 / (layer.weight[0].numel() ** 0.5)
                layer.weight.uniform_(-bound, bound, generator=generator)
                layer.bias.zero_()
    return net
