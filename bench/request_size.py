"""The largest analysis and refactor the server accepts: do they finish in seconds?

    python bench/request_size.py [--refactors mixed-precision,grad-accumulation] [--shapes ...]

Runs the server's own jobs (``green_assist/server/jobs.py``) in the server's worker
pool, with its time and memory budget and niceness (``limits.py``), on code of exactly
the size limit, in several shapes: the 500-line training script repeated (names
changed per copy, as ``bench/server_load.py`` sends), one loop holding thousands of
training steps, thousands of small loops, of functions, of attention functions and of
model classes. One call at a time; prints each job's wall time and outcome (answered,
or the 413 it would get past its budget). The slowest shape is what the limits are
sized by: ``docs/security.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.server_load import payload_text  # noqa: E402
from green_assist.analysis import Config  # noqa: E402
from green_assist.server import jobs, limits  # noqa: E402
from green_assist.worker import WorkerOutOfMemory, WorkerPool, WorkerTimeout  # noqa: E402

HEAD = (
    "import torch\nimport torch.nn as nn\n"
    "model = nn.Linear(4, 4)\n"
    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "loader = torch.utils.data.DataLoader(list(range(8)), batch_size=4)\n"
)


def repeat(unit: Callable[[int], str], size: int, head: str = HEAD) -> str:
    """``head`` then ``unit(0)``, ``unit(1)``... while the text stays within ``size`` bytes."""
    parts, total, index = [head], len(head), 0
    while total + len(unit(index)) <= size:
        parts.append(unit(index))
        total += len(parts[-1])
        index += 1
    return "".join(parts)


SHAPES: dict[str, Callable[[int], str]] = {
    "script": lambda size: payload_text(0, size),
    "one-loop": lambda size: repeat(
        lambda i: (
            "    out = model(x)\n    loss = out.sum()\n    loss.backward()\n"
            "    opt.step()\n    opt.zero_grad()\n"
        ),
        size,
        HEAD + "for x in loader:\n",
    ),
    "many-loops": lambda size: repeat(
        lambda i: (
            "for x in loader:\n    loss = model(x).sum()\n    loss.backward()\n"
            "    opt.step()\n    opt.zero_grad()\n"
        ),
        size,
    ),
    "functions": lambda size: repeat(
        lambda i: f"def f{i + 1}(x):\n    return f{i}(x) + model(x).sum()\n", size
    ),
    "attention": lambda size: repeat(
        lambda i: (
            f"def attention_{i}(q, k, v):\n"
            "    return torch.softmax(q @ k.transpose(-2, -1) / 8, dim=-1) @ v\n"
        ),
        size,
    ),
    "classes": lambda size: repeat(
        lambda i: (
            f"class M{i}(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.l = nn.Linear(4, 4)\n"
            "    def forward(self, x):\n        return self.l(x)\n"
        ),
        size,
    ),
}


async def timed(pool: WorkerPool, function: Callable[..., object], *arguments: object) -> str:
    started = time.perf_counter()
    try:
        answer = await pool.call(function, *arguments, timeout=limits.JOB_TIMEOUT_S)
    except WorkerTimeout:
        outcome = f"413: over {limits.JOB_TIMEOUT_S:.0f} s"
    except WorkerOutOfMemory:
        outcome = f"413: over {limits.WORKER_MEMORY_BYTES >> 20} MiB"
    else:
        assert isinstance(answer, dict)
        if "too_large" in answer:
            outcome = "413: over the size limit"
        elif "findings" in answer:
            outcome = f"200, {len(answer['findings'])} findings"
        else:
            outcome = f"200, {answer.get('status')}"
    return f"{time.perf_counter() - started:6.1f} s  {outcome}"


async def run(refactors: list[str], shapes: list[str]) -> None:
    pool = WorkerPool("bench job", 1, limits.WORKER_MEMORY_BYTES, limits.WORKER_NICENESS)
    pool.start()
    try:
        print(f"analysis: {limits.ANALYSIS_MAX_SOURCE_BYTES:,} bytes")
        for shape in shapes:
            text = SHAPES[shape](limits.ANALYSIS_MAX_SOURCE_BYTES)
            result = await timed(pool, jobs.analysis, None, text, "x.py", Config())
            print(f"  {shape:<11} {len(text):>9,} B {result}", flush=True)
        for name in refactors:
            options = {"dtype": "bf16"} if name == "mixed-precision" else {}
            print(f"refactor {name}: {limits.REFACTOR_MAX_SOURCE_BYTES:,} bytes")
            for shape in shapes:
                text = SHAPES[shape](limits.REFACTOR_MAX_SOURCE_BYTES)
                arguments = (name, None, text, "x.py", options, None)
                result = await timed(pool, jobs.refactor, *arguments)
                print(f"  {shape:<11} {len(text):>9,} B {result}", flush=True)
    finally:
        pool.stop()


def main() -> None:
    from green_assist.refactor import REFACTORS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refactors", default=",".join(REFACTORS))
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args()
    asyncio.run(run(args.refactors.split(","), args.shapes.split(",")))


if __name__ == "__main__":
    main()
