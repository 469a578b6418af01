"""`antrian [--db URL] COMMAND`: the command line of the whole system.

Exit status: 0 success; 2 bad usage or input a person can fix (one clear line on stderr, nothing
changed); 1 anything else (database unreachable, a bug: the traceback goes to the log).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from shared.cli import (
    booking_command,
    commands,
    complaint_command,
    doctor,
    hardware_commands,
    install_service,
    report_command,
    simulate_command,
    skm_command,
)
from shared.errors import AntrianError, UserError
from shared.lifeline import end_with_parent
from shared.store.backup import DEFAULT_KEEP
from web import command as web_command

log = logging.getLogger("antrian")

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def event_id(text: str) -> int:
    """An events-log id as argparse reads it: a whole number a database column can hold."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"not an event id (0 ... 2^63-1): {text[:30]}")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 100_000:
        raise argparse.ArgumentTypeError(f"not a count (0 ... 100000): {text[:30]}")
    return int(text)


def _agency_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agency",
        action="append",
        default=[],
        help="an agency whose counters the account may work at (repeat; none: every agency)",
    )


def _temporary_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--temporary",
        action="store_true",
        help="a password for someone else: it serves only to choose their own at their next login",
    )


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="output JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="antrian", description="Antrian: sistem antrian Mal Pelayanan Publik")
    parser.add_argument("--db", help="database URL (default: ANTRIAN_DB, else the SQLite file)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="create or upgrade the schema").set_defaults(
        handler=commands.db_upgrade
    )
    backup = db.add_parser("backup", help="copy the whole database while the apps work on")
    backup.add_argument(
        "--to",
        type=Path,
        help="a folder (default: backups/ beside the SQLite file, or this PC's data folder for "
        "PostgreSQL), or a file ending in .db (SQLite) or .dump (PostgreSQL)",
    )
    backup.add_argument(
        "--keep",
        type=_count,
        default=DEFAULT_KEEP,
        help=f"copies kept in the folder, the oldest removed (default {DEFAULT_KEEP}; 0: all)",
    )
    backup.set_defaults(handler=commands.db_backup)
    restore = db.add_parser("restore", help="SQLite: put a backup in place of the database")
    restore.add_argument("file", type=Path, help="a copy made by `antrian db backup`")
    restore.add_argument(
        "--yes", action="store_true", help="every app is stopped: replace the database"
    )
    restore.set_defaults(handler=commands.db_restore)

    site = sub.add_parser("site", help="site configuration").add_subparsers(
        dest="action", required=True
    )
    load = site.add_parser("load", help="validate and load a site file (idempotent)")
    load.add_argument("file")
    _json_flag(load)
    load.set_defaults(handler=commands.site_load)
    show = site.add_parser("show", help="show agencies, services and counters")
    _json_flag(show)
    show.set_defaults(handler=commands.site_show)
    days_off = site.add_parser(
        "holidays", help="the site's days off in a year, national or its own"
    )
    days_off.add_argument("--year", type=int, help="default: this year")
    _json_flag(days_off)
    days_off.set_defaults(handler=commands.site_holidays)

    user = sub.add_parser("user", help="staff accounts").add_subparsers(
        dest="action", required=True
    )
    add = user.add_parser("add", help="add a staff account")
    add.add_argument("username")
    add.add_argument(
        "--role",
        default="staff",
        help="admin, supervisor, agency_supervisor, complaint_officer or staff",
    )
    add.add_argument("--name", default="", help="display name")
    _agency_option(add)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _temporary_flag(add)
    add.set_defaults(handler=commands.user_add)
    listing = user.add_parser("list", help="every account: role, agencies, active")
    _json_flag(listing)
    listing.set_defaults(handler=commands.user_list)
    for name, help_text in (("disable", "no login anywhere"), ("enable", "allow logins again")):
        change = user.add_parser(name, help=help_text)
        change.add_argument("username")
        change.set_defaults(handler=commands.user_active, active=name == "enable")
    passwd = user.add_parser("passwd", help="set a new password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    _temporary_flag(passwd)
    passwd.set_defaults(handler=commands.user_passwd)
    role = user.add_parser("role", help="change the role")
    role.add_argument("username")
    role.add_argument(
        "role", help="admin, supervisor, agency_supervisor, complaint_officer or staff"
    )
    role.set_defaults(handler=commands.user_role)
    where = user.add_parser("agencies", help="change the agencies (none: every agency)")
    where.add_argument("username")
    _agency_option(where)
    where.set_defaults(handler=commands.user_agencies)

    day = sub.add_parser("day", help="business day").add_subparsers(dest="action", required=True)
    day.add_parser("close", help="expire what earlier days left open").set_defaults(
        handler=commands.day_close
    )
    day.add_parser(
        "reset", help="bring the business day back to the clock's, after a clock that ran ahead"
    ).set_defaults(handler=commands.day_reset)

    ticket = sub.add_parser("ticket", help="tickets").add_subparsers(dest="action", required=True)
    issue = ticket.add_parser("issue", help="issue a ticket")
    issue.add_argument("service")
    issue.add_argument("--priority", action="store_true", help="priority ticket (lansia, ...)")
    issue.add_argument("--source", default="kiosk", help="kiosk or appointment")
    _json_flag(issue)
    issue.set_defaults(handler=commands.ticket_issue)

    call = sub.add_parser("call", help="counter actions").add_subparsers(
        dest="action", required=True
    )
    for name in ("next", "recall", "start", "finish", "skip", "park"):
        action = call.add_parser(name)
        action.add_argument("--counter", required=True)
        action.add_argument("--staff", help="username of the staff member acting")
        _json_flag(action)
        action.set_defaults(handler=commands.counter_action)
    transfer = call.add_parser("transfer")
    transfer.add_argument("--counter", required=True)
    to = transfer.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", dest="to_service", help="another service")
    to.add_argument("--to-counter", help="a colleague's counter serving the ticket's service")
    _json_flag(transfer)
    transfer.set_defaults(handler=commands.counter_action)
    specific = call.add_parser("specific")
    specific.add_argument("--counter", required=True)
    specific.add_argument("--staff")
    specific.add_argument("number")
    _json_flag(specific)
    specific.set_defaults(handler=commands.counter_action)
    walk_in = call.add_parser("walk-in", help="serve someone at the counter without a ticket")
    walk_in.add_argument("--counter", required=True)
    walk_in.add_argument("--staff")
    walk_in.add_argument("service")
    _json_flag(walk_in)
    walk_in.set_defaults(handler=commands.counter_action)

    # `antrian counter` alone starts the counter app; with pause/resume/close it sets the state
    counter_app = sub.add_parser("counter", help="the counter app, or pause|resume|close")
    counter_app.add_argument("--config", help="settings file (TOML) with a [counter] table")
    counter_app.add_argument("--counter", dest="counter_code", help="this PC's counter code")
    counter_app.add_argument("--screenshot", metavar="DIR", help="render its states to PNG")
    counter_app.set_defaults(handler=commands.counter_app)
    counter = counter_app.add_subparsers(dest="action")
    for name in ("pause", "resume", "close"):
        state = counter.add_parser(name)
        state.add_argument("--counter", required=True)
        _json_flag(state)
        state.set_defaults(handler=commands.counter_state)

    status = sub.add_parser("status", help="the board: counters, recent calls, waiting")
    status.add_argument("--zone")
    _json_flag(status)
    status.set_defaults(handler=commands.status)

    events = sub.add_parser("events", help="the events log (the change feed)")
    events.add_argument("--follow", action="store_true", help="keep printing new events")
    events.add_argument("--after", type=event_id, help="start after this event id")
    _json_flag(events)
    events.set_defaults(handler=commands.events)

    hardware_commands.add_commands(sub)
    web_command.add_command(sub)
    simulate_command.add_command(sub)
    install_service.add_command(sub)
    doctor.add_command(sub)
    report_command.add_command(sub)
    skm_command.add_command(sub)
    complaint_command.add_command(sub)
    booking_command.add_command(sub)

    kiosk = sub.add_parser("kiosk", help="the touch-screen ticket kiosk")
    kiosk.add_argument("--config", help="settings file (TOML) with a [kiosk] table")
    kiosk.add_argument("--screenshot", metavar="DIR", help="render every screen to PNG and exit")
    kiosk.set_defaults(handler=commands.kiosk)

    survey = sub.add_parser("survey", help="the SKM survey tablet (beside a counter, at the exit)")
    survey.add_argument("--config", help="settings file (TOML) with a [survey] table")
    survey.add_argument("--counter", dest="counter_code", help="the counter it stands beside")
    survey.add_argument("--screenshot", metavar="DIR", help="render its screens to PNG and exit")
    survey.set_defaults(handler=commands.survey)

    display = sub.add_parser("display", help="the waiting-room TV board")
    display.add_argument("--config", help="settings file (TOML) with a [display] table")
    display.add_argument("--zone", help="show only this zone's counters")
    display.add_argument("--screenshot", metavar="DIR", help="render the board to PNG and exit")
    display.set_defaults(handler=commands.display)

    demo = sub.add_parser("demo", help="a demo database with the example site, live")
    demo.add_argument("--seconds", type=float, default=None, help="stop after this long")
    demo.add_argument("--reset", action="store_true", help="start from an empty demo database")
    demo.add_argument("--no-apps", action="store_true", help="terminal only, no windows")
    demo.set_defaults(handler=commands.demo)
    return parser


def _command_hint(error: AntrianError) -> str:
    """The command that fixes it, where the message asks for an action at a terminal."""
    if error.key == "counter_not_open":
        return f" (antrian counter resume --counter {error.params['counter']})"
    return ""


def _forgiving_output() -> None:
    """A terminal whose encoding lacks a character (plain ASCII, an old Windows code page)
    shows '?' for it: the command must not fail after its work is done (a ticket issued, then
    a traceback for the unbreakable space in its wait)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    end_with_parent()
    _forgiving_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except UserError as error:
        print(error.line() + _command_hint(error), file=sys.stderr)
        return 2
    except AntrianError as error:
        print(error.line() + _command_hint(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `antrian ... | head`: the reader has gone; end as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 141
    except Exception:
        log.exception("antrian %s failed", args.command)
        return 1


if __name__ == "__main__":
    sys.exit(main())
