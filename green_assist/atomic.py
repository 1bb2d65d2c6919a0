"""Write a file whole or not at all, the one way every writer in the package does it.

The bytes go to a temporary file in the target's folder, are flushed to disk, then
renamed over the target (``os.replace``): a reader never sees half a file, and a
failure leaves the earlier file in place. A symbolic link is followed (its target is
replaced, the link stays), and a read-only file is refused rather than replaced, as
an editor would.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class ReadOnlyFileError(PermissionError):
    """The file exists and is read-only: replacing it would override its owner's choice."""


def write_atomic(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` (through links) atomically; returns the file written.

    An existing file keeps its permission bits; a new one gets the umask's. Raises
    ``ReadOnlyFileError`` for a read-only file and ``OSError`` when it cannot be written.
    ``durable=False`` skips the flush to disk, for files rewritten every second that a
    crash may lose (a status file): still never half-written.
    """
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    # os.access says yes to root for any file; the write bits are what the owner chose.
    if mode is not None and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise ReadOnlyFileError(f"{path} is read-only; make it writable first (chmod u+w)")
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write through a file (or link) someone else placed there; 0o666
    # lets the umask decide a new file's permissions.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
