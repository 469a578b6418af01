"""Protocols turn a receiver's bytes into button events; pick one by name with `make_protocol`.

To add a protocol: write a class with `feed(data: bytes) -> list[ButtonEvent]` that keeps its own
buffer, never raises on bad input (log and drop it), and register it in PROTOCOLS.
"""

from __future__ import annotations

import logging
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final, Protocol

from hardware.buttons.events import ButtonEvent, action_named
from shared.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_LINE_PATTERN: Final = (
    r"^\s*(?P<counter>[A-Za-z0-9_-]{1,16})\s*[:;,= ]\s*(?P<action>[A-Za-z]+)\s*$"
)
MAX_LINE: Final = 80
NOISE_LOG_SECONDS: Final = 10.0


class ButtonProtocol(Protocol):
    def feed(self, data: bytes) -> list[ButtonEvent]: ...


class NoiseLog:
    """Dropped input, summarised: one warning per NOISE_LOG_SECONDS with a count, however much
    noise a loose cable sends (9,600 baud of garbage is ~1,000 bytes a second)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._count = 0
        self._logged_at: float | None = None

    def dropped(self, what: bytes) -> None:
        """Count one unreadable line or byte; log the first at once, then a count per period."""
        now = self._clock()
        self._count += 1
        if self._logged_at is not None and now - self._logged_at < NOISE_LOG_SECONDS:
            return
        since = 0.0 if self._logged_at is None else now - self._logged_at
        log.warning(
            "call buttons: ignored %d unreadable input(s) in %.0f s (last: %r)",
            self._count,
            since,
            what[:MAX_LINE],
        )
        self._count, self._logged_at = 0, now


class LinesProtocol:
    """ASCII lines such as `3:NEXT`, matched by a regular expression with named groups
    `counter` and `action`."""

    def __init__(self, pattern: str = DEFAULT_LINE_PATTERN) -> None:
        try:
            self._pattern = re.compile(pattern)
        except re.error as error:
            raise UserError("button_bad_pattern", detail=str(error)) from None
        if {"counter", "action"} - set(self._pattern.groupindex):
            raise UserError("button_bad_pattern", detail="needs groups (?P<counter>) (?P<action>)")
        self._buffer = b""
        self.noise = NoiseLog()

    def feed(self, data: bytes) -> list[ButtonEvent]:
        self._buffer += data
        *lines, self._buffer = re.split(rb"[\r\n]", self._buffer)
        if len(self._buffer) > MAX_LINE:
            self.noise.dropped(self._buffer)
            self._buffer = b""
        events = []
        for raw in lines:
            if not raw.strip():
                continue
            # every line is bounded before the (site-given) pattern sees it
            event = self._parse(raw) if len(raw) <= MAX_LINE else None
            if event is None:
                self.noise.dropped(raw)
            else:
                events.append(event)
        return events

    def _parse(self, raw: bytes) -> ButtonEvent | None:
        try:
            line = raw.decode("ascii")
        except UnicodeDecodeError:
            return None
        match = self._pattern.match(line)
        if not match:
            return None
        action = action_named(match.group("action"))
        counter = match.group("counter").strip()
        if not (action and counter and counter.isprintable() and len(counter) <= 32):
            return None  # a site's own pattern may capture anything: only a counter code passes
        return ButtonEvent(counter, action)


class KeymapProtocol:
    """Receivers that send one short code per button: a table from code to (counter, action).

    Codes are matched byte by byte; bytes that start no code are dropped. Carriage returns and
    line feeds between codes are ignored.
    """

    def __init__(self, table: Mapping[bytes, ButtonEvent]) -> None:
        if not table or any(not code for code in table):
            raise UserError("button_bad_keymap", detail="empty table or empty code")
        self._table = dict(table)
        self._prefixes = {code[:i] for code in table for i in range(1, len(code))}
        self._buffer = b""
        self.noise = NoiseLog()

    def feed(self, data: bytes) -> list[ButtonEvent]:
        events = []
        for byte in data:
            if byte in b"\r\n" and not self._buffer:
                continue
            self._buffer += bytes((byte,))
            while self._buffer:
                if self._buffer in self._table and self._buffer not in self._prefixes:
                    events.append(self._table[self._buffer])
                    self._buffer = b""
                elif self._buffer in self._prefixes or self._buffer in self._table:
                    break
                else:
                    self.noise.dropped(self._buffer[:1])
                    self._buffer = self._buffer[1:]
        return events


def load_keymap(path: str | Path) -> dict[bytes, ButtonEvent]:
    """A keymap file: `[codes]` with `'CODE' = "COUNTER:ACTION"`; `\\xNN` escapes allowed."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise UserError("button_bad_keymap", detail=f"{path}: {error}") from None
    codes = data.get("codes", {})
    if not isinstance(codes, dict):
        raise UserError("button_bad_keymap", detail=f"{path}: [codes] must be a table")
    table: dict[bytes, ButtonEvent] = {}
    for code, value in codes.items():
        counter, _, word = str(value).partition(":")
        action = action_named(word)
        try:
            raw = code.encode("latin-1").decode("unicode_escape").encode("latin-1")
        except UnicodeError:
            raw = b""
        if not counter or action is None or not raw or len(raw) > MAX_LINE:
            raise UserError("button_bad_keymap", detail=f"{path}: {code[:40]!r} = {value!r:.60}")
        table[raw] = ButtonEvent(counter, action)
    return table


PROTOCOLS: Final[dict[str, Callable[..., ButtonProtocol]]] = {
    "lines": LinesProtocol,
    "keymap": KeymapProtocol,
}


def make_protocol(
    name: str, *, pattern: str | None = None, keymap: str | Path | None = None
) -> ButtonProtocol:
    """The protocol called `name`; `pattern` for lines, a `keymap` file for keymap."""
    if name == "lines":
        return LinesProtocol(pattern or DEFAULT_LINE_PATTERN)
    if name == "keymap":
        if keymap is None:
            raise UserError("button_bad_keymap", detail="the keymap protocol needs a keymap file")
        return KeymapProtocol(load_keymap(keymap))
    raise UserError("button_bad_protocol", name=name)
