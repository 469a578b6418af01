"""What stands between strangers and the server: security headers and rate limits.

A pure ASGI middleware (so Server-Sent Events stream through untouched) that adds the security
headers to every response, refuses a client address that sends requests faster than its token
bucket allows, bounds how many live streams one address may hold open at once, refuses a
URL that carries control characters (no page asks for one; PostgreSQL, a spreadsheet or a PDF
could not hold what such a URL would put into them), and refuses a body larger than any form
of the site sends (a form's fields are kept in memory while they are read: one unbounded post
would hold a gigabyte).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import math
import re
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote_to_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; media-src 'self'; manifest-src 'self'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_CLIENTS_TRACKED = 100_000
CLIENT: Final = "antrian.client"  # where in the request's scope the guard leaves its Client
TELL_EVERY = 600.0  # seconds between two log lines of one refused address
log = logging.getLogger("web")
CONTROL_CHARACTER = re.compile(rb"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Limits:
    """Per client address: a sustained request rate with a burst, and open live streams, each
    `shared_scale` times as many for the addresses in `shared` (networks or addresses behind
    which many phones come, such as the MPP's own Wi-Fi behind one public address); per
    request, the bytes of its body and the seconds its head and its body may take to arrive."""

    requests_per_second: float = 5.0
    burst: int = 60
    streams: int = 8
    shared: tuple[str, ...] = ()
    shared_scale: int = 50
    body_bytes: int = 64 * 1024  # a form of 4,000 characters, each percent-encoded, fits
    head_seconds: float = 20.0  # (kept by the server: web.server)
    body_seconds: float = 60.0  # the site file's 2 MB at 35 KB/s


@dataclass(frozen=True, slots=True)
class Client:
    """Whom a request counts against: `key`, its address as `address_key` gives it, and
    `scale`, how many times the limits that address has (more for a shared one)."""

    key: str
    scale: int


def address_key(host: str) -> str:
    """The address a client's limits count against: an IPv4 address as it is (also when it
    comes mapped into IPv6), an IPv6 one by its /64 network, since one subscriber (a home, a
    phone on a mobile network) holds a whole /64 and may take a new address in it at will;
    anything else (no address at all) as given."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_of(scope: Scope) -> Client:
    """The client the guard counted this request against."""
    client: Client = scope[CLIENT]
    return client


class TooLarge(Exception):
    """A request's body went past its limit while the page was reading it."""


class TooSlow(Exception):
    """A request's body had not all arrived by its deadline while the page was reading it."""


class _Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens, self.stamp = tokens, stamp


class Refusals:
    """Logs a refused client, once per client and limit in ten minutes: many refusals of one
    address are often a whole waiting room behind one public address."""

    def __init__(self) -> None:
        self._told: OrderedDict[tuple[str, str], float] = OrderedDict()

    def tell(self, client: str, limit: str) -> None:
        now, key = time.monotonic(), (client, limit)
        if now - self._told.get(key, -math.inf) < TELL_EVERY:
            return
        self._told[key] = now
        self._told.move_to_end(key)
        if len(self._told) > MAX_CLIENTS_TRACKED:
            self._told.popitem(last=False)
        log.warning(
            "%s refused: over its %s limit (many phones behind this one address? "
            "name it in --shared-ips)",
            client,
            limit,
        )


class Guard:
    """Security headers on everything; 429 for an address over its rate or stream limit (each
    scaled for a shared address, and logged); 400 for a URL with a control character; 413 for
    a body over its limit.

    `is_stream(scope)` says which requests open a live stream (counted while they stay open);
    `refuse(scope, receive, send)` sends the page that says "too many requests",
    `malformed(scope, receive, send)` the one that says "bad request" and `too_large` the one
    that says "too large", in the person's language. `larger_bodies` names the paths allowed a
    body over `limits.body_bytes` (an uploaded file) and their own limits. A body that declares
    no length is counted as it arrives: past its limit, the page reading it gets `TooLarge`; a
    body still arriving `limits.body_seconds` after the request began, `TooSlow`.
    """

    def __init__(
        self,
        app: ASGIApp,
        limits: Limits,
        is_stream: Callable[[Scope], bool],
        refuse: Callable[[Scope, Receive, Send], Awaitable[None]],
        malformed: Callable[[Scope, Receive, Send], Awaitable[None]],
        too_large: Callable[[Scope, Receive, Send], Awaitable[None]],
        larger_bodies: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limits = limits
        self._is_stream = is_stream
        self._refuse = refuse
        self._malformed = malformed
        self._too_large = too_large
        self._larger_bodies = dict(larger_bodies or {})
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._refusals = Refusals()
        self._shared = [ipaddress.ip_network(net, strict=False) for net in limits.shared]
        self.open_streams: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                given = {k.lower() for k, _ in headers}  # a page may set its own, stricter or not
                message["headers"] = headers + [h for h in SECURITY_HEADERS if h[0] not in given]
            await send(message)

        client = address_key((scope.get("client") or ("?", 0))[0])
        scale = self._scale(client)
        scope[CLIENT] = Client(client, scale)
        if not self._take(client, scale):
            self._refusals.tell(client, "rate")
            await self._refuse(scope, receive, send_with_headers)
            return
        if has_control_characters(scope):
            await self._malformed(scope, receive, send_with_headers)
            return
        limit = self._larger_bodies.get(str(scope.get("path", "")), self.limits.body_bytes)
        if declared_length(scope) > limit:
            await self._too_large(scope, receive, send_with_headers)
            return
        receive = bounded(receive, limit, self.limits.body_seconds)
        if not self._is_stream(scope):
            await self.app(scope, receive, send_with_headers)
            return
        if self.open_streams.get(client, 0) >= self.limits.streams * scale:
            self._refusals.tell(client, "streams")
            await self._refuse(scope, receive, send_with_headers)
            return
        self.open_streams[client] = self.open_streams.get(client, 0) + 1
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            left = self.open_streams[client] - 1
            if left:
                self.open_streams[client] = left
            else:
                del self.open_streams[client]

    def _scale(self, key: str) -> int:
        """How many times the limits a client has: `shared_scale` where a shared address or
        network overlaps its key (a shared IPv6 address shares its whole /64, as the /64 is
        counted whole)."""
        if self._shared:
            with contextlib.suppress(ValueError):  # "?" or a name: not an address
                counted = ipaddress.ip_network(key, strict=False)
                if any(
                    network.version == counted.version and network.overlaps(counted)
                    for network in self._shared
                ):
                    return self.limits.shared_scale
        return 1

    def _take(self, client: str, scale: int) -> bool:
        """One token from the client's bucket; False when it is empty."""
        now = time.monotonic()
        burst = float(self.limits.burst * scale)
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = self._buckets[client] = _Bucket(burst, now)
            if len(self._buckets) > MAX_CLIENTS_TRACKED:
                self._buckets.popitem(last=False)  # the longest-unseen address
        else:
            self._buckets.move_to_end(client)
            refill = (now - bucket.stamp) * self.limits.requests_per_second * scale
            bucket.tokens = min(burst, bucket.tokens + refill)
            bucket.stamp = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True


def declared_length(scope: Scope) -> int:
    """The body's length as its Content-Length header declares it, 0 without one (the server
    refuses a header that is no length before the app sees it; the body is counted anyway)."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length" and value.isdigit():
            return int(value)
    return 0


def bounded(receive: Receive, limit: int, seconds: float) -> Receive:
    """`receive` that raises TooLarge once the body's chunks pass `limit` bytes, and TooSlow
    when the body is not complete `seconds` from now (after it, as while a live stream waits
    for the client to leave, receive is not timed)."""
    deadline = asyncio.get_running_loop().time() + seconds
    seen, complete = 0, False

    async def receive_within() -> Message:
        nonlocal seen, complete
        if complete:
            return await receive()
        try:
            async with asyncio.timeout_at(deadline):
                message = await receive()
        except TimeoutError:
            raise TooSlow() from None
        complete = message["type"] != "http.request" or not message.get("more_body", False)
        seen += len(message.get("body", b""))
        if seen > limit:
            raise TooLarge()
        return message

    return receive_within


def has_control_characters(scope: Scope) -> bool:
    """Whether the request's path or its query string, percent-decoded, holds a control
    character (a NUL, a line break, an escape)."""
    path = str(scope.get("path", "")).encode("utf-8", "surrogateescape")
    query = unquote_to_bytes(scope.get("query_string", b""))
    return bool(CONTROL_CHARACTER.search(path) or CONTROL_CHARACTER.search(query))


class Tally:
    """How often each client did one thing (booked, filed a complaint, asked for an unknown
    code) within the last `window` seconds, to refuse a stranger doing it in bulk: at most
    `limit` times, times the client's scale (a shared address stands for many people)."""

    def __init__(self, limit: int, window: float, name: str) -> None:
        self.limit, self.window, self.name = limit, window, name
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._refusals = Refusals()

    def allowed(self, client: Client) -> bool:
        """Whether the client may do it once more now (a refusal is logged)."""
        times = self._seen.get(client.key)
        if times is None:
            return True
        while times and times[0] <= time.monotonic() - self.window:
            times.popleft()
        if len(times) < self.limit * client.scale:
            return True
        self._refusals.tell(client.key, self.name)
        return False

    def add(self, client: Client) -> None:
        times = self._seen.setdefault(client.key, deque())
        self._seen.move_to_end(client.key)
        times.append(time.monotonic())
        if len(self._seen) > MAX_CLIENTS_TRACKED:
            self._seen.popitem(last=False)
