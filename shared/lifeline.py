"""A child process that ends with its parent, even when the parent is killed outright.

The demo's windows and web server run in sessions of their own (a Ctrl-C in its terminal
reaches the demo alone, which then ends them quietly), and the parallel simulator's workers
drive their share of a day until it ends: after a `kill` (or `kill -9`) of the parent nothing
else would end them. On Linux each asks the kernel for SIGTERM when its parent goes
(prctl PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Final

PARENT_ENV: Final = "ANTRIAN_END_WITH"  # the pid of the process to end with
PR_SET_PDEATHSIG: Final = 1


def tied_to_me() -> dict[str, str]:
    """The environment for a child that is to end with this process."""
    return {**os.environ, PARENT_ENV: str(os.getpid())}


def end_with_parent() -> None:
    """In a child started with `tied_to_me()`: end when that parent ends."""
    parent = os.environ.pop(PARENT_ENV, None)  # not handed on to this process's own children
    if parent is not None:
        end_with(int(parent))


def end_with(parent: int) -> None:
    """End this process (SIGTERM) when `parent`, the process that started it, ends (Linux;
    elsewhere the parent's own stop is all there is)."""
    if not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it went before the line above could take hold
        sys.exit(0)
