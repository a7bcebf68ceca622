"""One crawl at a time per database: an exclusive flock on `<db>.lock`.

flock, not a PID file: the kernel drops the lock when the holder dies, even by SIGKILL, so a
killed run never blocks the next one, and there is nothing stale to clean up. The file is
never deleted (deleting a lock file races with a process about to take it)."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

EXIT_LOCKED = 75  # sysexits EX_TEMPFAIL: "try again later", which is what cron should read


class LockHeld(Exception):
    """Another process holds the lock; the message says who, when the holder wrote it down."""


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


@contextmanager
def hold(db_path: str | Path) -> Iterator[Path]:
    """Hold the database's lock for the block, or raise LockHeld at once (never wait: a nightly
    run that finds the previous one still going should exit, not pile up)."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise LockHeld(f"another bantin run is using {db_path} ({holder or 'holder unknown'}; "
                           f"lock {path}); not starting a second one") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the flock
