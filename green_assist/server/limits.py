"""What one request to the server extension may cost: the limits, in one place.

Sized on a loaded 2-core machine so that the largest request allowed finishes in
seconds there and no client can hold the server: docs/security.md
states them.
"""

from __future__ import annotations

import os

# Request bodies over this are refused (413) from their Content-Length, unread.
MAX_BODY_BYTES = 5 * 1024 * 1024
# Code per request, sized by the slowest shape of code measured at the limit
# (`python bench/request_size.py`, figures in docs/security.md): a single loop of
# thousands of training steps is the worst for both (libcst resolves each name
# against all its assignments). Analyses take 500 KB here (the command line takes
# the project's `max-file-size`, 2 MB by default); refactors, which resolve every
# name in the module, 64 KB.
ANALYSIS_MAX_SOURCE_BYTES = 500_000
REFACTOR_MAX_SOURCE_BYTES = 64_000
# Wall time of one job in a worker process (queueing for a free worker not counted).
JOB_TIMEOUT_S = 60.0
# Address space of a worker process: a job past it fails with MemoryError (413).
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024
# Workers run at a lower CPU priority, so that the server answers (/health, the
# notebook's own requests) while they work.
WORKER_NICENESS = 10
# Jobs that run at once; more wait for a free worker.
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Text fields that name files (path, output, sessions) and rule codes.
MAX_PATH_CHARS = 4096
MAX_PATH_PART_BYTES = 255
MAX_CODES = 200
MAX_CODE_CHARS = 32
