from __future__ import annotations

import numpy as np
import torch

from dlbook.check.optimization import (
    GRADS,
    THETA0,
    adam_steps,
    contraction_rate,
    gd_step,
    momentum_steps,
    stable_lr,
)
from tests.test_check import checker_contract_tests, failed, passed


def _torch_run(make: type, **kw: object) -> np.ndarray:
    p = torch.tensor(THETA0, requires_grad=True)
    opt = make([p], **kw)
    for g in GRADS:
        p.grad = torch.tensor(g)
        opt.step()
    return p.detach().numpy()


MOMENTUM = _torch_run(torch.optim.SGD, lr=0.1, momentum=0.9)
ADAM = _torch_run(torch.optim.Adam, lr=0.1)
CASES = [  # (checker, a right answer, a wrong answer)
    (gd_step, (np.array([0.95, -1.9]),), (np.array([1.05, -2.1]),)),
    (stable_lr, (0.2,), (0.1,)),
    (momentum_steps, (MOMENTUM,), (MOMENTUM + 0.01,)),
    (adam_steps, (ADAM,), (THETA0 - 0.3 * np.sign(GRADS[0]),)),
    (contraction_rate, (9 / 11,), (0.9,)),
]

test_checker_contract = checker_contract_tests(CASES)


def test_answers_match_torch_and_hand_computation() -> None:
    # momentum by hand: b1 = g0, b2 = 0.9 g0 + g1, b3 = 0.9 b2 + g2
    b1 = GRADS[0]
    b2 = 0.9 * b1 + GRADS[1]
    b3 = 0.9 * b2 + GRADS[2]
    assert passed(momentum_steps(THETA0 - 0.1 * (b1 + b2 + b3)))
    assert failed(gd_step(THETA0 + 0.1 * GRADS[0]))
    assert failed(adam_steps(ADAM + 1e-5))
    # kappa = 10: (10 - 1)/(10 + 1)
    assert passed(contraction_rate(0.8181818))
