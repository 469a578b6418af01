"""Ended months' report figures counted in the background, at start and then hourly, so the
first supervisor to open a long report after a month ends does not wait for the counting."""

from __future__ import annotations

import asyncio
import logging
from typing import Final

from starlette.concurrency import run_in_threadpool

from shared.errors import AntrianError
from web.hub import LiveHub

log = logging.getLogger(__name__)
KEEP_EVERY_SECONDS: Final = 3600.0


async def keep_reports(hub: LiveHub) -> None:
    """Forever: once the hub's engine is open, keep what has ended (see
    `QueueEngine.keep_ended_report_months`)."""
    while True:
        engine = hub.engine
        if engine is None:
            await asyncio.sleep(1)
            continue
        try:
            kept = await run_in_threadpool(engine.keep_ended_report_months)
        except AntrianError as error:
            log.warning("web: report months not kept (%s); trying again later", error.line())
        else:
            if kept:
                log.debug("web: report figures kept for %s", ", ".join(kept))
        await asyncio.sleep(KEEP_EVERY_SECONDS)
