"""Qt meta-type names for view-model properties that QML reads as JavaScript objects and arrays.

PySide6 takes them by name; its type stubs only know Python types, so the names are typed Any
here once instead of silencing mypy at every property.
"""

from __future__ import annotations

from typing import Any, Final

QVARIANT: Final[Any] = "QVariant"  # a dict: a JavaScript object
QVARIANT_LIST: Final[Any] = "QVariantList"  # a list: a JavaScript array
