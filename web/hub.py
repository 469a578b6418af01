"""The live hub: ONE change-feed follower per server process, fanned out to every open page.

The follower runs on its own thread and only marks the hub dirty; a single asyncio task then
reads what the pages show (the tickets' progress, and each zone's board when a board page
asks) once per change, however many pages are open, and wakes every page's stream at once.
A thousand phones cost one query per change, never a connection or a poll per browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from shared.domain.values import Board, Catalogue, Event, ProgressSnapshot, TicketProgress
from shared.engine import QueueEngine
from shared.engine.feed import Subscription
from shared.errors import AntrianError

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
QUIET_REFRESH_SECONDS = 60.0


class LiveHub:
    """What every page reads, kept current by one follower; `changed()` waits for the next."""

    def __init__(self, open_engine: Callable[[], QueueEngine]) -> None:
        self._open_engine = open_engine
        self.engine: QueueEngine | None = None
        self.online = False
        self.progress: ProgressSnapshot | None = None
        self.version = 0
        self._tick = asyncio.Event()
        self._dirty = asyncio.Event()
        self._boards: dict[str | None, asyncio.Future[Board]] = {}
        self._catalogue: asyncio.Future[Catalogue] | None = None
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ----------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="live-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._subscription is not None:
            await run_in_threadpool(self._subscription.stop)
        if self.engine is not None:
            self.engine.close()

    async def _run(self) -> None:
        while self.engine is None:
            try:
                self.engine = await run_in_threadpool(self._open_engine)
            except AntrianError as error:
                log.warning("web: database not reachable (%s); retrying", error.line())
                await asyncio.sleep(RETRY_SECONDS)
        engine = self.engine
        await self._refresh()
        cursor = self.progress.last_event_id if self.progress else 0
        self._subscription = engine.subscribe(self._on_event, cursor, on_status=self._on_status)
        while True:
            # a quiet minute still refreshes: the business day may have changed meanwhile
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._dirty.wait(), QUIET_REFRESH_SECONDS)
            self._dirty.clear()
            await self._refresh()

    async def _refresh(self) -> None:
        """Read the pages' state once, then wake every waiting stream."""
        assert self.engine is not None
        try:
            self.progress = await run_in_threadpool(self.engine.progress)
            self.online = True
        except AntrianError as error:
            log.warning("web: refresh failed (%s); retrying", error.line())
            self.online = False
            self._loop_call_later(RETRY_SECONDS, self._dirty.set)
        self._boards.clear()
        self._catalogue = None
        self.version += 1
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    def _loop_call_later(self, seconds: float, callback: Callable[[], Any]) -> None:
        assert self._loop is not None
        self._loop.call_later(seconds, callback)

    # ------------------------------------------------------------ from the feed thread

    def _on_event(self, _event: Event) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._dirty.set)

    def _on_status(self, online: bool) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._feed_status, online)

    def _feed_status(self, online: bool) -> None:
        if online:
            self._dirty.set()  # back: catch up on what was missed
        elif self.online:
            self.online = False
            self.version += 1
            tick, self._tick = self._tick, asyncio.Event()
            tick.set()

    # ------------------------------------------------------------------------- reads

    async def changed(self, seen: int) -> None:
        """Return once the hub's version is newer than `seen`."""
        while self.version <= seen:
            await self._tick.wait()

    async def ticket(self, token: str) -> TicketProgress | None:
        """A ticket page's state: today's from the shared snapshot, else one read by token."""
        snapshot = self.progress
        if snapshot is not None and token in snapshot.tickets:
            return snapshot.tickets[token]
        engine = self.ready()
        return await run_in_threadpool(engine.progress_of, token)

    async def board(self, zone: str | None) -> Board:
        """The board of a zone, read once per change for all its pages."""
        if zone not in self._boards:
            engine = self.ready()
            self._boards[zone] = asyncio.ensure_future(
                run_in_threadpool(lambda: engine.board(zone, recent=8))
            )
        future = self._boards[zone]
        try:
            return await asyncio.shield(future)
        except Exception:
            self._boards.pop(zone, None)
            raise

    async def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = asyncio.ensure_future(run_in_threadpool(self.ready().catalogue))
        future = self._catalogue
        try:
            return await asyncio.shield(future)
        except Exception:
            self._catalogue = None
            raise

    @property
    def site_name(self) -> str:
        """The site's name as last read ("" before the database was first reached): for pages
        that must not read the database, such as a refusal's."""
        return self.progress.site_name if self.progress is not None else ""

    def ready(self) -> QueueEngine:
        """The engine, once the database has been reached (else `Unavailable`, a 503 page)."""
        if self.engine is None:
            raise Unavailable()
        return self.engine


class Unavailable(Exception):
    """The database has not been reached yet: the page says so and the browser retries."""
