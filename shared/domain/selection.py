"""Which waiting ticket "next" picks for a counter.

Priority tickets first; then, in `oldest` mode, the oldest original issue time across the
counter's services; in `strict` mode, the first service of the work profile that has anyone
waiting, oldest first within it. Ties go to the lower ticket id. A ticket sent to another
counter that can still call it (shared.engine.kept_tickets) is not this counter's to call.
The engine runs the same order in SQL; tests/integration/test_selection_agrees.py proves over
random queues, on both databases, that the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from shared.domain.states import SelectionMode


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    service_code: str
    priority: bool
    original_issued_at: datetime
    kept_elsewhere: bool = False


C = TypeVar("C", bound=Candidate)


def selection_key(
    candidate: Candidate, profile: Sequence[str], mode: SelectionMode
) -> tuple[int, int, datetime, int]:
    rank = profile.index(candidate.service_code) if mode == SelectionMode.STRICT else 0
    return (0 if candidate.priority else 1, rank, candidate.original_issued_at, candidate.id)


def pick_next(candidates: Iterable[C], profile: Sequence[str], mode: SelectionMode) -> C | None:
    """The ticket a counter with work `profile` calls next, or None when nobody waits."""
    eligible = [c for c in candidates if c.service_code in profile and not c.kept_elsewhere]
    if not eligible:
        return None
    return min(eligible, key=lambda c: selection_key(c, profile, mode))
