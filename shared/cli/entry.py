"""The `antrian` command as installed: the parts (`shared`, `kiosk`, `display`, `counter`,
`hardware`, `web`) are installed inside the `antrian` package (`antrian/_parts/`), not as
top-level packages that could clash with others of the same names (a `display` from PyPI, say).
`use_parts()` puts their folder first on the import path of this process and of every process
it starts (PYTHONPATH); the parts then import one another by their own names, as in the source
tree. A Python program using the installed engine calls it once before importing them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PARTS_DIR = str(Path(__file__).resolve().parents[2])  # the folder holding shared/, kiosk/, ...


def use_parts() -> None:
    """Make `shared`, `kiosk`, ... importable here and in child processes, before any other
    package of the same name."""
    if sys.path[:1] != [PARTS_DIR]:
        sys.path.insert(0, PARTS_DIR)
    inherited = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([PARTS_DIR, *([inherited] if inherited else [])])


def main() -> int:
    use_parts()
    from shared.cli.main import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
