"""What a distillation training step costs against the teacher's own training step.

    python bench/distill_cost.py [--rounds 7] [--hidden 512] [--width 0.5]

The ``distill`` refactor's note estimates it from Linear parameter counts: the
teacher's forward pass (about 1/3 of a training step) plus the student's step
(student/teacher parameters). This measures it on the refactor fixture's MLP
(20 -> hidden -> hidden -> 2, Adam, one torch thread): plain teacher steps and
distillation steps (teacher forward under no_grad, student forward, KL + CE loss,
backward, step) take turns within each round; the median ratio is printed with each
round's ratio, at two batch sizes.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn


def mlp(hidden: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(20, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 2)
    )


def parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def timed(step: Callable[[], None], steps: int = 100) -> float:
    for _ in range(steps // 5):  # warm-up
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--width", type=float, default=0.5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    for batch in (64, 1024):
        ratios, share = measure(batch, args.hidden, args.width, args.rounds)
        print(
            f"batch {batch}: distillation step / teacher step, median"
            f" {statistics.median(ratios):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in ratios)});"
            f" the note's estimate 1/3 + {share:.2f} = {1 / 3 + share:.2f}x"
        )


def measure(batch: int, hidden: int, width: float, rounds: int) -> tuple[list[float], float]:
    """Per-round time ratios (distillation / teacher step) and the parameter share."""
    teacher, student = mlp(hidden), mlp(int(hidden * width))
    teacher_opt = torch.optim.Adam(teacher.parameters())
    student_opt = torch.optim.Adam(student.parameters())
    x, y = torch.randn(batch, 20), torch.randint(0, 2, (batch,))

    def plain() -> None:
        loss = F.cross_entropy(teacher(x), y)
        teacher_opt.zero_grad()
        loss.backward()
        teacher_opt.step()

    def distil() -> None:
        with torch.no_grad():
            soft = F.softmax(teacher(x) / 2.0, dim=-1)
        logits = student(x)
        kl = F.kl_div(F.log_softmax(logits / 2.0, dim=-1), soft, reduction="batchmean")
        loss = 0.5 * 4.0 * kl + 0.5 * F.cross_entropy(logits, y)
        student_opt.zero_grad()
        loss.backward()
        student_opt.step()

    ratios = [timed(distil) / timed(plain) for _ in range(rounds)]
    return ratios, parameters(student) / parameters(teacher)


if __name__ == "__main__":
    main()
