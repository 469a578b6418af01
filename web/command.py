"""`antrian web`: the citizen web server under uvicorn."""

from __future__ import annotations

import argparse
import logging
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
    web.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    import uvicorn  # the server's stack loads only for this command

    from shared.engine import QueueEngine
    from web.app import create_app
    from web.server import server_config

    app = create_app(
        partial(QueueEngine.open, args.db, actor="web"),
        limits=Limits(args.rate, args.burst, args.streams),
        public_only=args.public_only,
    )
    logging.getLogger("web").setLevel(logging.INFO)
    scope = " (public pages only)" if args.public_only else ""
    print(f"Antrian web: http://{args.host}:{args.port}/{scope}", flush=True)
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
