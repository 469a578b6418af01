"""The queue engine: the only writer of the store. `from shared.engine import QueueEngine`."""

from shared.engine.queue_engine import QueueEngine

__all__ = ["QueueEngine"]
