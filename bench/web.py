"""Web benchmark: 1,000 live ticket pages on one server process, page loads, memory.

    python bench/web.py [--clients 1000] [--calls 5] [--db URL]

Starts `antrian web` as its own process on 127.0.0.1 over a fresh SQLite file (or `--db`, e.g.
an empty PostgreSQL database), issues one ticket per simulated phone in one service, opens
every phone's Server-Sent Events stream, then commits calls from this process and measures,
for each call, the time from the commit to each client receiving its update (p50, p99 over all
clients and calls). Then, with the streams closed, page loads of /t/<token> at 200 requests/s
for 5 s (p50, p99) and the
server's resident memory with the streams open. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web_process import free_port, web_server  # noqa: E402

from shared.engine import QueueEngine  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402
from shared.store import schema  # noqa: E402

SITE = ROOT / "tests" / "data" / "small-site.toml"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def follow(
    client: httpx.AsyncClient,
    url: str,
    arrivals: list[float],
    ready: asyncio.Event,
    counter: list[int],
    total: int,
) -> None:
    async with client.stream("GET", url) as response:
        first = True
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                arrivals.append(time.perf_counter())
                if first:
                    first = False
                    counter[0] += 1
                    if counter[0] == total:
                        ready.set()


async def run(
    args: argparse.Namespace, base: str, tokens: list[str], engine: QueueEngine, server_pid: int
) -> None:
    limits = httpx.Limits(max_connections=args.clients + 50, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=httpx.Timeout(60, read=None), limits=limits) as client:
        ready, counter = asyncio.Event(), [0]
        arrivals: list[list[float]] = [[] for _ in tokens]
        started = time.perf_counter()
        tasks = [
            asyncio.create_task(
                follow(client, f"{base}/t/{t}/live", arrivals[i], ready, counter, len(tokens))
            )
            for i, t in enumerate(tokens)
        ]
        await asyncio.wait_for(ready.wait(), 120)
        print(
            f"{len(tokens)} streams open in {time.perf_counter() - started:.1f} s; "
            f"server RSS {rss_mb(server_pid):.0f} MB"
        )
        latencies: list[float] = []
        for _ in range(args.calls):
            marks = [len(a) for a in arrivals]
            await asyncio.to_thread(engine.call_next, "L1")
            committed = time.perf_counter()
            deadline = committed + 10
            # every waiting phone's people-ahead changes: each one gets a message
            while time.perf_counter() < deadline:
                if all(len(a) > m for a, m in zip(arrivals, marks, strict=True)):
                    break
                await asyncio.sleep(0.005)
            got = [a[m] - committed for a, m in zip(arrivals, marks, strict=True) if len(a) > m]
            latencies.extend(got)
            missing = len(arrivals) - len(got)
            print(
                f"  call: last client after {max(got) * 1000:.0f} ms"
                + (f", {missing} missed" if missing else "")
            )
            await asyncio.sleep(0.5)
        print(
            f"commit -> client: p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms ({len(latencies)} deliveries)"
        )
        print(f"server RSS with {len(tokens)} open streams: {rss_mb(server_pid):.0f} MB")
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class KeepAlive:
    """A bare HTTP/1.1 keep-alive connection: a load generator light enough that the figures
    are the server's, not the client's (httpx costs a few milliseconds of CPU a request)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        length = next(
            int(line.split(":", 1)[1]) for line in head if line.lower().startswith("content-length")
        )
        await reader.readexactly(length)
        return int(head[0].split()[1])


async def page_loads(base: str, tokens: list[str], rate: int) -> None:
    """/t/<token> at `rate` requests per second for 5 s, from a client process of its own."""
    host, port = base.removeprefix("http://").split(":")
    idle = [KeepAlive(host, int(port)) for _ in range(64)]
    for connection in idle:  # warm up: connections open, as on a running server
        assert await connection.get(f"/t/{tokens[0]}") == 200
    loads: list[float] = []

    async def load(token: str) -> None:
        connection = idle.pop()  # 64 connections: enough that none is ever awaited
        begun = time.perf_counter()
        status = await connection.get(f"/t/{token}")
        loads.append(time.perf_counter() - begun)
        idle.append(connection)
        assert status == 200, status

    pending = []
    begun = time.perf_counter()
    for i in range(rate * 5):
        await asyncio.sleep(max(0.0, begun + i / rate - time.perf_counter()))
        pending.append(asyncio.create_task(load(tokens[i % len(tokens)])))
    await asyncio.gather(*pending)
    elapsed = time.perf_counter() - begun
    print(
        f"page loads /t/<token>: {len(loads) / elapsed:.0f} req/s, "
        f"p50 {statistics.median(loads) * 1000:.1f} ms, "
        f"p99 {percentile(loads, 0.99) * 1000:.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--db", default=None)
    parser.add_argument("--loads", metavar="BASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loads:
        asyncio.run(page_loads(args.loads, sys.stdin.read().split(), args.rate))
        return
    folder = tempfile.mkdtemp(prefix="antrian-web-bench-")
    url = args.db or f"sqlite:///{folder}/bench.db"
    os.environ["ANTRIAN_NOW"] = f"2026-11-30T09:00@{int(time.time())}"
    schema.upgrade(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = load_site_file(SITE)
    services = tuple(replace(s, daily_quota=None) for s in config.services)
    config = replace(config, services=services, site=replace(config.site, public_url=base))
    with QueueEngine.open(url) as engine:
        engine.load_site(config)
        tokens = [str(engine.issue_ticket("KTP").token) for _ in range(args.clients + args.calls)]
        streams = str(args.clients + 100)
        options = ("--rate", "100000", "--burst", "100000", "--streams", streams)
        with web_server(url, port, *options) as server:
            db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            print(f"web benchmark on {db}, {args.clients} clients")
            asyncio.run(run(args, base, tokens[args.calls :], engine, server.pid))
            time.sleep(2)  # the server closes the streams
            # the load comes from a fresh process: this one still carries the streams' client
            subprocess.run(
                [sys.executable, __file__, "--loads", base, "--rate", str(args.rate)],
                input="\n".join(tokens[args.calls :]),
                text=True,
                check=True,
            )


if __name__ == "__main__":
    main()
