"""How much the sensors' background sampling slows a CPU training loop.

    python bench/sampling_overhead.py [--rounds 7] [--steps 300]

Runs the same small PyTorch MLP training loop with no meter, with a meter sampling at
10 Hz (the default) and at 100 Hz (the maximum), in interleaved rounds so that machine
noise hits every configuration alike. Prints the median time per configuration and the
median of the per-round ratios to the run without a meter (paired, so drift between
rounds cancels). Also times one sampler tick directly: its cost x rate bounds the CPU
the sampler takes, whatever the noise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("sampling_overhead: needs torch (pip install torch); nothing measured.")
        return 0
    from green_assist.sensors import EnergyMeter

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 10),
    )  # fmt: skip
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))

    def train(steps: int) -> float:
        start = time.perf_counter()
        for _ in range(steps):
            optimiser.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimiser.step()
        return time.perf_counter() - start

    def with_meter(interval: float | None) -> float:
        if interval is None:
            return train(args.steps)
        meter = EnergyMeter.from_environment(sample_interval_s=interval)
        try:
            with meter.window("bench"):
                return train(args.steps)
        finally:
            meter.close()

    configs = {"no meter": None, "10 Hz": 0.1, "100 Hz": 0.01}
    train(30)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in configs}
    names = list(configs)
    for round_index in range(args.rounds):
        order = names[round_index % len(names) :] + names[: round_index % len(names)]
        for name in order:
            times[name].append(with_meter(configs[name]))
    print(
        f"MLP 784-1024-1024-10, batch 64, {args.steps} steps, {args.threads} thread(s), "
        f"{args.rounds} rounds"
    )
    for name in names:
        ratios = [t / b for t, b in zip(times[name], times["no meter"], strict=True)]
        print(
            f"  {name:<9} median {statistics.median(times[name]):.3f} s  "
            f"paired ratio median {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f})"
        )
    meter = EnergyMeter.from_environment(start_sampler=False)
    ticks = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(500):
            meter.sample_now()
        ticks.append((time.perf_counter() - start) / 500)
    meter.close()
    tick = statistics.median(ticks)
    print(
        f"  one sampler tick: {tick * 1e6:.0f} us median = {tick * 10 * 100:.2f}% of one core "
        f"at 10 Hz, {tick * 100 * 100:.2f}% at 100 Hz"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
