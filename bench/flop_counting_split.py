"""Where the cost of ``--flops`` goes, in one process: the same CPU training loop plain,
under an empty torch dispatch mode (the price of seeing every operator in Python at
all), under torch's ``ModuleTracker`` alone (per-module attribution), and under our
``FlopCounter`` (both, plus the formulas). Interleaved rounds; the main thread's CPU time
(``time.thread_time``), which load from other processes disturbs far less than wall time.

    python bench/flop_counting_split.py --rounds 12 --steps 30
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.module_tracker import ModuleTracker

from green_assist.profiler.flops import FlopCounter


class EmptyMode(TorchDispatchMode):
    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        return func(*args, **(kwargs or {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = nn.Sequential(
        nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))

    def train() -> None:
        for _ in range(args.steps):
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()

    def timed(context: Callable[[], Any] | None) -> float:
        t0 = time.thread_time()
        if context is None:
            train()
        else:
            with context():
                train()
        return time.thread_time() - t0

    def counted() -> float:
        counter = FlopCounter()
        t0 = time.thread_time()
        counter.start()
        train()
        counter.stop()
        return time.thread_time() - t0

    variants: dict[str, Callable[[], float]] = {
        "plain": lambda: timed(None),
        "empty dispatch mode": lambda: timed(EmptyMode),
        "module tracker": lambda: timed(ModuleTracker),
        "FlopCounter (--flops)": counted,
    }
    train()  # warm up
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, run in variants.items():
            results[name].append(run())
    plain = results["plain"]
    for name, values in results.items():
        ratio = statistics.median(v / p for v, p in zip(values, plain, strict=True))
        per_step = statistics.median(values) / args.steps * 1000
        print(f"{name:<24} {per_step:7.2f} ms CPU per step  {ratio:.3f}x plain")


if __name__ == "__main__":
    main()
