"""Which rank of which distributed job this process is, from its launcher's environment.

``torchrun`` sets ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``/``MASTER_PORT``
and ``TORCHELASTIC_RUN_ID`` for every worker; Slurm's ``srun`` sets ``SLURM_PROCID``,
``SLURM_LOCALID``, ``SLURM_NTASKS``, ``SLURM_JOB_ID`` (and ``SLURM_STEP_ID``) for every
task. The job id is, in this order:

1. ``TORCHELASTIC_RUN_ID`` (``--rdzv-id``, or a fresh one with ``--standalone``), unless
   it is torchrun's placeholder ``none``;
2. ``SLURM_JOB_ID`` with ``.SLURM_STEP_ID`` (each ``srun`` in an allocation is a step);
3. ``MASTER_ADDR:MASTER_PORT`` (torchrun without a run id). Two jobs run one after the
   other on the same address and port get the same id; ``green-assist report`` tells them
   apart because their ranks do not run at the same time.

A process with no rank variables is not part of a job (``None``). Notebook kernels do
not call this: a kernel started inside a Slurm allocation is not a rank.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from typing import Any, TypedDict

# torchrun's run id when neither --rdzv-id nor --standalone is given.
PLACEHOLDER_RUN_ID = "none"


class RankIdentity(TypedDict):
    job_id: str
    job_id_source: str  # "torchelastic" | "slurm" | "master"
    rank: int
    local_rank: int | None
    world_size: int | None
    node: str


def rank_identity(
    env: Mapping[str, str] | None = None, hostname: str | None = None
) -> RankIdentity | None:
    """This process's place in a distributed job, or None when it is not a rank."""
    env = os.environ if env is None else env
    rank = _int(env.get("RANK"))
    if rank is None:
        rank = _int(env.get("SLURM_PROCID"))
    if rank is None:
        return None
    job = _job_id(env)
    if job is None:
        return None
    job_id, source = job
    local_rank = _int(env.get("LOCAL_RANK"))
    if local_rank is None:
        local_rank = _int(env.get("SLURM_LOCALID"))
    world_size = _int(env.get("WORLD_SIZE"))
    if world_size is None:
        world_size = _int(env.get("SLURM_NTASKS"))
    node = (env.get("SLURMD_NODENAME") or "").strip() or hostname or socket.gethostname()
    return {
        "job_id": job_id,
        "job_id_source": source,
        "rank": rank,
        "local_rank": local_rank,
        "world_size": world_size,
        "node": node,
    }


def _job_id(env: Mapping[str, str]) -> tuple[str, str] | None:
    run_id = (env.get("TORCHELASTIC_RUN_ID") or "").strip()
    if run_id and run_id != PLACEHOLDER_RUN_ID:
        return run_id, "torchelastic"
    slurm = (env.get("SLURM_JOB_ID") or "").strip()
    if slurm:
        step = (env.get("SLURM_STEP_ID") or "").strip()
        return (f"{slurm}.{step}" if step else slurm), "slurm"
    addr, port = (env.get("MASTER_ADDR") or "").strip(), (env.get("MASTER_PORT") or "").strip()
    if addr and port:
        return f"{addr}:{port}", "master"
    return None


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
