"""Small helpers for the engine tests."""

from __future__ import annotations

from shared.engine import QueueEngine


def event_count(engine: QueueEngine) -> int:
    return len(engine.events_after(0, 1_000_000))


def kinds(engine: QueueEngine, after: int = 0) -> list[str]:
    return [e.kind.value for e in engine.events_after(after, 1_000_000)]


def waiting_numbers(engine: QueueEngine, counter: str) -> list[str]:
    return [t.number for t in engine.counter_view(counter).waiting]
