"""Does bfloat16 autocast make CPU training faster here? FP32 vs bf16, interleaved.

    python bench/autocast_cpu.py [--rounds 5] [--steps 30] [--batches 64,256,1024] [--threads 1]

The quickstart's MLP (784-1024-1024-10, SGD, cross-entropy) trains for ``--steps``
steps per configuration, FP32 and bf16 autocast alternating within each round so that
machine noise hits both alike. Prints the CPU's bf16 capability (what green_assist's
precision policy reads: AMX, AVX-512 BF16) and, per batch size, the median time per
step of each and the median of the per-round ratios bf16/FP32 (< 1: bf16 is faster).
The mixed-precision refactor's generated code turns autocast on for CPUs only where
this policy says bf16 has matrix units; these figures are the evidence for it.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batches", default="64,256,1024")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("autocast_cpu: needs torch (pip install torch); nothing measured.")
        return 0
    from green_assist.target import detect_target

    torch.set_num_threads(args.threads)
    target = detect_target()
    print(f"machine: {target.describe()}")
    print(f"torch {torch.__version__}, {args.threads} thread(s), cpu capability "
          f"{torch.backends.cpu.get_cpu_capability()}")  # fmt: skip
    loss_fn = torch.nn.CrossEntropyLoss()
    print(f"{'batch':>6} {'fp32 ms/step':>13} {'bf16 ms/step':>13} {'bf16/fp32':>10}")
    for batch in (int(b) for b in args.batches.split(",")):
        torch.manual_seed(0)
        model = torch.nn.Sequential(
            torch.nn.Linear(784, 1024), torch.nn.ReLU(),
            torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
            torch.nn.Linear(1024, 10),
        )  # fmt: skip
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(batch, 784), torch.randint(0, 10, (batch,))

        def run(enabled: bool, model=model, optimizer=optimizer, x=x, y=y) -> float:  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            for _ in range(args.steps):
                optimizer.zero_grad()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=enabled):
                    loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
            return (time.perf_counter() - start) / args.steps

        run(False), run(True)  # warm-up: first-use allocations and oneDNN primitives
        fp32, bf16, ratios = [], [], []
        for _ in range(args.rounds):
            a, b = run(False), run(True)
            fp32.append(a), bf16.append(b), ratios.append(b / a)
        print(
            f"{batch:>6} {statistics.median(fp32) * 1e3:>13.2f} "
            f"{statistics.median(bf16) * 1e3:>13.2f} {statistics.median(ratios):>10.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
