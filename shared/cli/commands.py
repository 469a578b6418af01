"""The engine's commands: each opens the engine, does one thing, prints text or JSON."""

from __future__ import annotations

import argparse
import getpass
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Final

from shared.domain.values import Board, Event, Ticket, jsonable
from shared.engine import QueueEngine
from shared.errors import SetupError, UserError
from shared.i18n import LocalText, env_lang, figure, tr, wait_text
from shared.site_config import load_site_file
from shared.store import backup, schema


@contextmanager
def engine_for(args: argparse.Namespace, actor: str = "cli") -> Iterator[QueueEngine]:
    engine = QueueEngine.open(args.db, actor=actor)
    try:
        yield engine
    finally:
        engine.close()


def emit_json(value: Any) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False))


def text(value: LocalText) -> str:
    return value.get(env_lang())


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(ticket)
    data["service"] = ticket.service_code
    data["estimated_wait_minutes"] = ticket.wait.minutes if ticket.wait else None
    return data


def ticket_line(ticket: Ticket) -> str:
    state = tr(f"ticket_{ticket.state.value}", env_lang())
    where = f" @ {ticket.counter_name}" if ticket.counter_name and ticket.state != "waiting" else ""
    line = f"{ticket.number}  {text(ticket.service_name)}  [{state}]{where}"
    if ticket.priority:
        line += f"  {tr('ticket_priority', env_lang())}"
    if ticket.people_ahead is not None:
        wait = wait_text(ticket.wait, env_lang()) if ticket.wait else "-"
        line += f"  ahead={ticket.people_ahead} wait~{wait}"
    return line


# ----------------------------------------------------------------------------- commands


def db_upgrade(args: argparse.Namespace) -> int:
    before, after = schema.upgrade(args.db)
    print(f"schema {before or '(kosong/empty)'} -> {after}")
    return 0


def db_backup(args: argparse.Namespace) -> int:
    made = backup.back_up(args.db, args.to, args.keep, datetime.now().astimezone())
    lang = env_lang()
    size, seconds = (figure(value, lang) for value in (made.size / 2**20, made.seconds))
    print(tr("backup_done", lang, path=made.path, size=size, seconds=seconds))
    if made.removed:
        print(tr("backup_pruned", lang, count=len(made.removed), keep=args.keep))
    return 0


def db_restore(args: argparse.Namespace) -> int:
    if not args.yes:
        raise UserError("restore_needs_yes", path=str(args.file))
    saved = backup.restore(args.db, args.file, datetime.now().astimezone())
    if saved is None:
        print(tr("restore_new", env_lang(), path=args.file))
    else:
        print(tr("restore_done", env_lang(), path=args.file, saved=saved.path))
    return 0


CHANGES_LISTED: Final = 30  # a first load creates every row: the rest are in --json


def site_load(args: argparse.Namespace) -> int:
    config = load_site_file(args.file)
    with engine_for(args) as engine:
        report = engine.load_site(config)
    if args.json:
        emit_json(report)
        return 0
    print(f"{config.site.name}: created/updated/unchanged/deactivated")
    for kind in ("agencies", "services", "counters"):
        print(f"  {kind:9} {'/'.join(str(n) for n in getattr(report, kind))}")
    for change in report.changes[:CHANGES_LISTED]:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        print(f"  {change.kind} {change.code}".rstrip() + f": {change.what}{fields}")
    if len(report.changes) > CHANGES_LISTED:
        print(f"  ... +{len(report.changes) - CHANGES_LISTED} (--json)")
    return 0


def site_holidays(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        days_off = engine.holidays()
        year = args.year or engine.clock.now().astimezone(engine.zone).year
    if not 1900 <= year <= 2200:
        raise UserError("bad_year", value=year)
    listed = days_off.of_year(year)
    if args.json:
        emit_json(
            [{"date": day, "name": name, "national": name is not None} for day, name in listed]
        )
        return 0
    lang = env_lang()
    for day, name in listed:
        weekday = tr(f"weekday_{day.weekday()}", lang)
        print(f"{day.isoformat()}  {weekday:<7}  {name or tr('holiday_own', lang)}")
    return 0


def site_show(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        catalogue = engine.catalogue()
        board = engine.board()
    if args.json:
        emit_json({"catalogue": catalogue, "counters": board.counters})
        return 0
    print(catalogue.site_name)
    for agency in catalogue.agencies:
        print(f"{agency.code}  {text(agency.name)}  zone={agency.zone or '-'}")
        for service in agency.services:
            quota = "" if service.daily_quota is None else f" quota={service.daily_quota}"
            print(
                f"  {service.code:12} {service.prefix:3} {text(service.name)}"
                f"  [{service.availability.value}]{quota}  fee={text(service.standard.fee)}"
            )
    print("counters:")
    for counter in board.counters:
        print(
            f"  {counter.code:8} {counter.name:18} {counter.state.value:7} "
            f"{counter.selection.value:6} {', '.join(counter.services)}"
        )
    return 0


def _new_password(args: argparse.Namespace) -> str | None:
    """From stdin, or typed twice at a prompt; None when the two differ (said on stderr)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():  # getpass would read a pipe, or die at its end
        raise UserError("password_needs_terminal")
    password = getpass.getpass("Kata sandi / Password: ")
    if getpass.getpass("Ulangi / Repeat: ") != password:
        print("Kata sandi tidak sama / Passwords differ", file=sys.stderr)
        return None
    return password


def user_add(args: argparse.Namespace) -> int:
    password = _new_password(args)
    if password is None:
        return 2
    with engine_for(args) as engine:
        engine.add_user(
            args.username,
            password,
            role=args.role,
            display_name=args.name,
            agencies=args.agency,
            temporary=args.temporary,
        )
    print(f"{args.username} ({args.role})")
    return 0


def user_list(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        accounts = engine.list_accounts()
    if args.json:
        emit_json([asdict(account) for account in accounts])
        return 0
    for a in accounts:
        state = "aktif/active" if a.active else "nonaktif/disabled"
        where = ",".join(a.agencies) or "*"
        print(f"{a.username:20} {a.role:18} {state:18} {where:20} {a.display_name}")
    return 0


def user_active(args: argparse.Namespace) -> int:
    with engine_for(args, actor="cli") as engine:
        engine.set_account_active(args.username, args.active)
    print(f"{args.username}: {'enabled' if args.active else 'disabled'}")
    return 0


def user_passwd(args: argparse.Namespace) -> int:
    password = _new_password(args)
    if password is None:
        return 2
    with engine_for(args, actor="cli") as engine:
        engine.set_password(args.username, password, temporary=args.temporary)
    print(f"{args.username}: password set")
    return 0


def user_role(args: argparse.Namespace) -> int:
    with engine_for(args, actor="cli") as engine:
        engine.set_role(args.username, args.role)
    print(f"{args.username}: {args.role}")
    return 0


def user_agencies(args: argparse.Namespace) -> int:
    with engine_for(args, actor="cli") as engine:
        engine.set_agencies(args.username, args.agency)
    print(f"{args.username}: {','.join(sorted(set(args.agency))) or '*'}")
    return 0


def day_close(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        expired = engine.close_day()
    print(f"expired {expired}")
    return 0


def day_reset(args: argparse.Namespace) -> int:
    with engine_for(args, actor="cli") as engine:
        held = engine.reset_business_day()
        today = engine.clock.now().astimezone(engine.zone).date()
    lang = env_lang()
    print(tr("day_reset", lang, day=held, today=today) if held else tr("day_not_ahead", lang))
    return 0


def ticket_issue(args: argparse.Namespace) -> int:
    with engine_for(args, actor="cli") as engine:
        ticket = engine.issue_ticket(args.service, priority=args.priority, source=args.source)
    if args.json:
        emit_json(ticket_json(ticket))
    else:
        print(ticket_line(ticket))
    return 0


def counter_action(args: argparse.Namespace) -> int:
    with engine_for(args, actor=f"counter:{args.counter}") as engine:
        staff = getattr(args, "staff", None)
        ticket: Ticket | None
        if args.action == "next":
            ticket = engine.call_next(args.counter, staff=staff)
        elif args.action == "specific":
            ticket = engine.call_specific(args.counter, args.number, staff=staff)
        elif args.action == "walk-in":
            ticket = engine.serve_walk_in(args.counter, args.service, staff=staff)
        elif args.action == "transfer":
            ticket = (
                engine.transfer(args.counter, args.to_service)
                if args.to_service
                else engine.transfer_to_counter(args.counter, args.to_counter)
            )
        else:
            ticket = getattr(engine, args.action)(args.counter)
    if args.json:
        emit_json(ticket_json(ticket) if ticket else None)
    else:
        print(ticket_line(ticket) if ticket else tr("nobody_waiting", env_lang()))
    return 0


def counter_state(args: argparse.Namespace) -> int:
    with engine_for(args, actor=f"counter:{args.counter}") as engine:
        state = {"pause": engine.pause, "resume": engine.resume, "close": engine.close_counter}[
            args.action
        ](args.counter)
    if args.json:
        emit_json({"counter": args.counter, "state": state})
    else:
        print(f"{args.counter}: {tr(f'state_{state.value}', env_lang())}")
    return 0


def status(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        board = engine.board(args.zone)
    if args.json:
        emit_json(board)
    else:
        print_board(board)
    return 0


def print_board(board: Board) -> None:
    lang = env_lang()
    print(f"{board.site_name}  {board.generated_at:%Y-%m-%d %H:%M}")
    for counter in board.counters:
        current = counter.current.number if counter.current else "-"
        state = tr(f"state_{counter.state.value}", lang)
        print(f"  {counter.name:18} {state:10} {current}")
    if board.recent_calls:
        calls = ", ".join(f"{c.number}->{c.counter_number}" for c in board.recent_calls)
        print(f"  {tr('recent_calls', lang)}: {calls}")
    waiting = ", ".join(f"{w.service_code}={w.waiting}" for w in board.waiting) or "0"
    print(f"  {tr('waiting_now', lang)}: {waiting}")


def event_line(event: Event, zone: tzinfo) -> str:
    parts = [f"#{event.id}", f"{event.at.astimezone(zone):%H:%M:%S}", event.kind.value]
    for value in (event.number, event.service_code, event.counter_code, event.staff):
        if value:
            parts.append(value)
    if event.from_state or event.to_state:
        parts.append(f"{event.from_state or '-'}->{event.to_state or '-'}")
    return "  ".join(parts)


def _history(engine: QueueEngine, cursor: int) -> Iterator[Event]:
    while batch := engine.events_after(cursor, 1000):
        yield from batch
        cursor = batch[-1].id


def events(args: argparse.Namespace) -> int:
    """The log from `--after` on; with `--follow` (and no `--after`) only what comes next."""
    with engine_for(args) as engine:
        if args.follow:
            start = args.after if args.after is not None else engine.board().last_event_id
            source: Iterator[Event] = iter(engine.follow(start))
        else:
            source = _history(engine, args.after or 0)
        try:
            for event in source:
                print(
                    json.dumps(jsonable(event)) if args.json else event_line(event, engine.zone),
                    flush=True,
                )
        except KeyboardInterrupt:
            pass
    return 0


def require_apps(what: str) -> None:
    """The Qt apps come with the `[apps]` extra; without it, say which one to install."""
    if importlib.util.find_spec("PySide6") is None:
        raise SetupError("apps_extra_missing", app=what)


def _app(args: argparse.Namespace, app: str, *run_args: object, package: str = "") -> int:
    """Start one of the apps (its `package`, by default the app's own name), or with
    --screenshot render its screens to PNG and exit."""
    require_apps(app)
    package = package or app
    if args.screenshot:
        screenshots = importlib.import_module(f"{package}.screenshots")
        for path in screenshots.take(Path(args.screenshot)):
            print(path)
        return 0
    started: int = importlib.import_module(f"{package}.app").run(args.config, *run_args)
    return started


def kiosk(args: argparse.Namespace) -> int:
    return _app(args, "kiosk", args.db)


def survey(args: argparse.Namespace) -> int:
    return _app(args, "survey", args.db, args.counter_code, package="kiosk.survey")


def display(args: argparse.Namespace) -> int:
    return _app(args, "display", args.db, args.zone)


def counter_app(args: argparse.Namespace) -> int:
    return _app(args, "counter", args.db, args.counter_code)


def demo(args: argparse.Namespace) -> int:
    from shared.demo import run_demo

    if not args.no_apps:
        require_apps("demo")
    return run_demo(args.db, seconds=args.seconds, reset=args.reset, apps=not args.no_apps)
