"""`antrian web`: the citizen web server under uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
from functools import partial

from web.guard import Limits

DEFAULTS = Limits()


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    web = sub.add_parser("web", help="the citizen web server (ticket pages, catalogue, board)")
    web.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    web.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    web.add_argument(
        "--public-only",
        action="store_true",
        help="only the citizen pages (the instance exposed to the internet)",
    )
    web.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="reverse proxies whose X-Forwarded-For is trusted (default 127.0.0.1)",
    )
    web.add_argument(
        "--rate",
        type=float,
        default=DEFAULTS.requests_per_second,
        help="requests per second per client address, sustained",
    )
    web.add_argument(
        "--burst",
        type=int,
        default=DEFAULTS.burst,
        help="requests a client address may send at once",
    )
    web.add_argument(
        "--streams",
        type=int,
        default=DEFAULTS.streams,
        help="live pages one client address may keep open",
    )
    web.add_argument(
        "--shared-ips",
        type=networks,
        default=os.environ.get("ANTRIAN_SHARED_IPS", ""),  # checked when `web` is run
        help=(
            "addresses or networks behind which many phones come (the MPP's Wi-Fi behind one "
            f"public address), comma-separated: their limits are x{DEFAULTS.shared_scale} "
            "(default: ANTRIAN_SHARED_IPS)"
        ),
    )
    web.set_defaults(handler=serve)


def networks(text: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or networks ("203.0.113.7, 10.20.0.0/16")."""
    found = tuple(part.strip() for part in text.split(",") if part.strip())
    for part in found:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an address or network: {part[:40]}") from None
    return found


def serve(args: argparse.Namespace) -> int:
    import uvicorn  # the server's stack loads only for this command

    from shared.engine import QueueEngine
    from shared.i18n import env_lang, tr
    from web.app import create_app
    from web.server import raise_open_files_limit, server_config

    app = create_app(
        partial(QueueEngine.open, args.db, actor="web"),
        limits=Limits(args.rate, args.burst, args.streams, shared=args.shared_ips),
        public_only=args.public_only,
    )
    logging.getLogger("web").setLevel(logging.INFO)
    scope = " (public pages only)" if args.public_only else ""
    print(f"Antrian web: http://{args.host}:{args.port}/{scope}", flush=True)
    open_files = raise_open_files_limit()
    if open_files < 4 * 1024:
        print(tr("web_few_open_files", env_lang(), n=open_files), flush=True)
    config = server_config(
        app,
        args.host,
        args.port,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=2,
    )
    uvicorn.Server(config).run()
    return 0
