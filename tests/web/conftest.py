"""Web tests: the small site with a public address, a live server, and a browser."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.errors import AntrianError
from shared.site_config import load_site_file
from tests.conftest import SMALL_SITE
from tests.web.server import LiveServer
from web.guard import Limits

PUBLIC = "https://antrian.example.go.id"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def public_site(tmp_path: Path) -> Path:
    text = SMALL_SITE.read_text(encoding="utf-8")
    site = tmp_path / "site.toml"
    site.write_text(text.replace("[site]\n", f'[site]\npublic_url = "{PUBLIC}/"\n', 1))
    return site


def caught_up(server: LiveServer, seconds: float = 5.0) -> None:
    """Wait (at most `seconds`) until the server's hub has read every committed change: it
    follows the change feed a moment after each commit, as the pages do."""
    hub, deadline = server.hub, time.monotonic() + seconds
    while hub.engine is not None and time.monotonic() < deadline:
        try:
            newest = hub.engine.board().last_event_id
        except AntrianError:  # the database is away: the page will say so
            return
        if hub.progress is not None and hub.progress.last_event_id >= newest:
            return
        time.sleep(0.02)


def start_server(url: str, clock: ManualClock, site: Path, **limits: object) -> LiveServer:
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(site))
    open_engine = lambda: QueueEngine.open(url, clock=clock, actor="web")  # noqa: E731
    return LiveServer(open_engine, Limits(**limits)).start()  # type: ignore[arg-type]


@pytest.fixture
def server(db_url: str, clock: ManualClock, public_site: Path) -> Iterator[LiveServer]:
    live = start_server(db_url, clock, public_site, requests_per_second=1000, burst=1000)
    yield live
    live.stop()


@pytest.fixture
def engine(db_url: str, clock: ManualClock, server: LiveServer) -> Iterator[QueueEngine]:
    """The counters' and kiosk's engine, on the same database and clock as the server."""
    with QueueEngine.open(db_url, clock=clock, actor="test") as queue:
        yield queue


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        message = "Debian's chromium is not installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A 360x800 phone page."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True)
    page = context.new_page()
    yield page
    context.close()
