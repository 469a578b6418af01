"""Which other programs on this PC hold a SQLite database open (its file, -wal or -shm), read
from Linux's /proc: a restore must not pull the data from under a running app. Elsewhere, or
for another account's programs when not run as root, nothing can be seen and none is named."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def programs_holding(database: Path) -> list[str]:
    """'name (pid)' of every other process with the database's files open."""
    wanted = {str(database.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    found = []
    for process in PROC.glob("[0-9]*"):
        if int(process.name) == os.getpid():
            continue
        try:
            holds = any(os.readlink(fd) in wanted for fd in (process / "fd").iterdir())
            if holds:
                found.append(f"{_program_name(process)} ({process.name})")
        except OSError:  # gone meanwhile, or another account's
            continue
    return found


def _program_name(process: Path) -> str:
    """The program's name as its command line gives it: 'python antrian-kiosk', 'python -m
    kiosk'."""
    argv = [os.fsdecode(arg) for arg in (process / "cmdline").read_bytes().split(b"\0") if arg]
    shown = argv[:3] if argv[1:2] == ["-m"] else argv[:2]
    return " ".join(Path(word).name for word in shown)[:60] or "?"
