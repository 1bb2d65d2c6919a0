"""How analysis time grows with file size on shapes that once grew with its square.

    python bench/analyzer_scaling.py [--sizes 500 2000 8000] [--rounds 3] [--shapes NAME ...]

Generates one file per shape and size (nothing is downloaded) and times ``analyze_source`` on
each, median of ``--rounds`` runs in this process:

* ``functions``: N small top-level functions in a script (an ``if __name__ ==
  "__main__":`` block) and one finding: what the dead-code filter reads;
* ``wandb loops``: N training loops over ``range(wandb.config.steps)`` after a
  ``wandb.init(config=...)``: GA115's length and save queries;
* ``model calls``: N module-level ``net(x)`` calls after training weights are loaded at
  the end: GA106's prediction-script check;
* ``syncs``: one training loop with N ``v_i = loss.item() + i`` lines: GA108's questions
  about each sync (does a test read it, does it reach a simulator). Still grows with N
  times the bindings of its scope; run it with ``--shapes syncs --sizes 250 500 1000 2000``.

Time that grows about linearly with N (x4 per x4 size) is the target; the square would
read x16.
"""

from __future__ import annotations

import argparse
import statistics
import time

from green_assist.analysis import analyze_source


def functions(n: int) -> str:
    body = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n" for i in range(n))
    return (
        "import torch\n" + body + "if __name__ == '__main__':\n"
        "    scaler = torch.cuda.amp.GradScaler()\n"
    )


def wandb_loops(n: int) -> str:
    head = (
        "import torch\nimport wandb\n"
        "wandb.init(config={'steps': 5000})\n"
        "net = torch.nn.Linear(4, 4).cuda()\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
    )
    loop = (
        "for step in range(wandb.config.steps):\n"
        "    loss = net(torch.ones(4, device='cuda')).sum()\n"
        "    loss.backward()\n    opt.step()\n"
    )
    return head + loop * n


def model_calls(n: int) -> str:
    head = "import torch\nnet = torch.nn.Linear(4, 4)\nx = torch.ones(4)\n"
    return head + "y = net(x)\n" * n + "net.load_state_dict(torch.load('net.pt'))\n"


def syncs(n: int) -> str:
    head = (
        "import torch\nnet = torch.nn.Linear(4, 4).cuda()\n"
        "opt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
        "for step in range(10000):\n"
        "    loss = net(torch.ones(4, device='cuda')).sum()\n"
        "    loss.backward()\n    opt.step()\n"
    )
    return head + "".join(f"    v{i} = loss.item() + {i}\n" for i in range(n))


SHAPES = {
    "functions": functions,
    "wandb loops": wandb_loops,
    "model calls": model_calls,
    "syncs": syncs,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=sorted(SHAPES),
        default=["functions", "wandb loops", "model calls"],
    )
    args = parser.parse_args()
    for name in args.shapes:
        make = SHAPES[name]
        previous = None
        for size in args.sizes:
            text = make(size)
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                analyze_source(text, "scaling.py")
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            growth = f"  x{median / previous:.1f}" if previous else ""
            print(
                f"{name:<12} N={size:<6} {len(text.splitlines()):>7} lines  {median:7.2f} s{growth}"
            )
            previous = median


if __name__ == "__main__":
    main()
