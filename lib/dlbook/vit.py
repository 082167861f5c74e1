"""A vision transformer for 8x8 digits: images cut into p x p patches, each patch embedded
linearly (the same as a strided convolution), a [CLS] token and learned positional
embeddings, a transformer encoder and a linear head on the [CLS] output; and its training
by distillation from a teacher. Chapter 10.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from dlbook.runtime import check_finite
from dlbook.transformer import Block, init_weights_


def patchify(x: torch.Tensor, p: int) -> torch.Tensor:
    """x_n = vec(the n-th p x p patch), patches in row-major order over the image grid.

    Shapes: x: (B, C, H, W) -> (B, (H/p)(W/p), C p p). Chapter 10.
    """
    if x.ndim != 4 or x.shape[2] % p or x.shape[3] % p:
        raise ValueError(f"x must be (B, C, H, W) with H, W divisible by p = {p}; got {x.shape}")
    B, C, H, W = x.shape
    x = x.reshape(B, C, H // p, p, W // p, p)  # split rows and columns into (grid, within)
    x = x.permute(0, 2, 4, 1, 3, 5)  # (B, H/p, W/p, C, p, p)
    return x.reshape(B, (H // p) * (W // p), C * p * p)


def patch_embed_as_conv(linear: nn.Linear, C: int, p: int) -> nn.Conv2d:
    """conv(x; W.reshape(D, C, p, p), stride p) = W vec(patch) + b: the same linear map.

    Shapes: linear: C p p -> D gives a Conv2d(C, D, p, stride=p). Chapter 10.
    """
    D = linear.out_features
    if linear.in_features != C * p * p:
        raise ValueError(f"linear takes {linear.in_features} inputs, not C p p = {C * p * p}")
    conv = nn.Conv2d(C, D, p, stride=p).to(linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(D, C, p, p))
        conv.bias.copy_(linear.bias)
    return conv


class ViT(nn.Module):
    """f(x) = head(LN(Encoder([x_cls; E x_1; ...; E x_N] + P))_cls) for one-channel images."""

    def __init__(
        self,
        generator: torch.Generator,
        side: int = 8,
        p: int = 2,
        D: int = 32,
        heads: int = 4,
        layers: int = 2,
        classes: int = 10,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if side % p:
            raise ValueError(f"the image side {side} is not divisible by the patch size {p}")
        self.side, self.p, N = side, p, (side // p) ** 2
        self.embed = nn.Linear(p * p, D)
        self.cls = nn.Parameter(torch.zeros(1, 1, D))
        self.pos = nn.Parameter(torch.zeros(1, N + 1, D))
        self.blocks = nn.ModuleList(Block(D, heads, 2, dropout) for _ in range(layers))
        self.ln = nn.LayerNorm(D)
        self.head = nn.Linear(D, classes)
        init_weights_(self, generator, std=0.1)
        with torch.no_grad():
            self.cls.normal_(0.0, 0.1, generator=generator)
            self.pos.normal_(0.0, 0.1, generator=generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits from the [CLS] token's final state.

        Shapes: x: (B, side^2) -> (B, classes). Chapter 10.
        """
        B = x.shape[0]
        patches = patchify(x.reshape(B, 1, self.side, self.side), self.p)  # (B, N, p^2)
        tokens = torch.cat([self.cls.expand(B, -1, -1), self.embed(patches)], dim=1)
        h = tokens + self.pos  # (B, N + 1, D)
        for block in self.blocks:
            h = block(h)  # no mask: every patch sees every patch
        return self.head(self.ln(h[:, 0]))


def distillation_loss(
    student: torch.Tensor,
    teacher: torch.Tensor,
    labels: torch.Tensor,
    tau: float = 2.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """L = alpha tau^2 KL(softmax(z_T / tau) || softmax(z_S / tau)) + (1 - alpha) CE(z_S, y).

    Shapes: student, teacher logits: (B, K), labels: (B,) -> scalar. Chapter 10.
    """
    if student.shape != teacher.shape or labels.shape != student.shape[:1]:
        raise ValueError(
            f"need logits (B, K) and labels (B,); got student {tuple(student.shape)}, "
            f"teacher {tuple(teacher.shape)}, labels {tuple(labels.shape)}"
        )
    if not tau > 0 or not 0 <= alpha <= 1:
        raise ValueError(f"need tau > 0 and 0 <= alpha <= 1, got tau = {tau}, alpha = {alpha}")
    log_s, log_t = F.log_softmax(student / tau, -1), F.log_softmax(teacher / tau, -1)
    kl = F.kl_div(log_s, log_t, log_target=True, reduction="batchmean")
    return alpha * tau**2 * kl + (1 - alpha) * F.cross_entropy(student, labels)


def train_distilled(
    student: nn.Module,
    teacher: nn.Module,
    X: np.ndarray,
    labels: np.ndarray,
    generator: torch.Generator,
    epochs: int = 20,
    lr: float = 3e-3,
    batch_size: int = 64,
    tau: float = 2.0,
    alpha: float = 0.5,
    progress: bool = False,
) -> np.ndarray:
    """Adam on the distillation loss against a fixed teacher's logits, shuffled mini-batches.

    Shapes: X: (n, D), labels: (n,) -> mean loss per epoch: (epochs,). Chapter 10.
    """
    X_t = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    y_t = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    teacher.eval()
    with torch.no_grad():
        soft = teacher(X_t)  # (n, K), fixed
    opt = torch.optim.Adam(student.parameters(), lr=lr)
    losses, step = [], 0
    for _ in tqdm(range(epochs), desc="distillation", disable=not progress, leave=False):
        student.train()
        total = 0.0
        for idx in torch.randperm(len(y_t), generator=generator).split(batch_size):
            loss = distillation_loss(student(X_t[idx]), soft[idx], y_t[idx], tau, alpha)
            step += 1
            total += check_finite(loss.item(), step) * len(idx)
            opt.zero_grad()
            loss.backward()
            opt.step()
        losses.append(total / len(y_t))
    return np.array(losses)
