"""`antrian install-service`: start a PC's part after boot, and again whenever it dies.

The web server becomes a system unit (`/etc/systemd/system/antrian-web.service`), the daily
backup a system timer and its service (`antrian-backup.timer`, run at the next boot when the
PC was off at its time). The kiosk,
display and counter need the desktop session of the PC's user: a systemd user unit bound to
`graphical-session.target` (`~/.config/systemd/user/`), or with `--autostart` an XDG autostart
entry (`~/.config/autostart/`) for desktops that start no such target, which restarts the app
in a small shell loop.
"""

from __future__ import annotations

import argparse
import getpass
import pwd
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from shared.errors import UserError

PARTS: Final = ("kiosk", "display", "counter", "web", "backup")
BACKUP_DAYS: Final = "Mon..Sat"  # the days an MPP opens; a Sunday has nothing new to copy
RESTART_SECONDS: Final = 3
SYSTEM_UNITS: Final = Path("/etc/systemd/system")
ENV_FILE: Final = "/etc/antrian/antrian.env"  # ANTRIAN_DB=postgresql://...; mode 600
ENTRY: Final = "antrian._parts.shared.cli.entry"  # the `antrian` command as a module (setup.py)


@dataclass(frozen=True, slots=True)
class ServiceFile:
    path: Path
    text: str
    user_unit: bool  # a systemd user unit (systemctl --user), else a system unit or autostart
    autostart: bool


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    install = sub.add_parser(
        "install-service",
        help="start kiosk, display, counter or web after boot and restart it when it dies",
    )
    install.add_argument("part", choices=PARTS)
    install.add_argument("--config", help="the PC's settings file (apps) to pass on")
    install.add_argument("--user", help="the account it runs as (default: this one)")
    install.add_argument("--port", type=int, default=8080, help="web: the port (default 8080)")
    install.add_argument("--to", type=Path, help="backup: the folder the copies go to")
    install.add_argument(
        "--at", type=_time_of_day, default="15:30", help="backup: when, HH:MM (default 15:30)"
    )
    install.add_argument(
        "--autostart", action="store_true", help="apps: an XDG autostart entry, not a user unit"
    )
    install.add_argument("--print", action="store_true", help="show the file, write nothing")
    install.add_argument("--enable", action="store_true", help="also enable (and start) it")
    install.add_argument("--output", help=argparse.SUPPRESS)  # a folder instead of the usual one
    install.set_defaults(handler=run)


def _time_of_day(text: str) -> str:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise argparse.ArgumentTypeError(f"not a time of day, HH:MM: {text[:30]}")
    return f"{int(hours):02}:{int(minutes):02}"


def run(args: argparse.Namespace) -> int:
    config = Path(args.config).resolve() if args.config else None
    if config is not None and not config.is_file():
        raise UserError("service_no_config", path=str(config))
    user = args.user or getpass.getuser()
    try:
        home = Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        raise UserError("service_no_user", user=user) from None
    beside = Path(sys.executable).parent / "antrian"  # the virtual environment's own script
    antrian = str(beside) if beside.exists() else f"{sys.executable} -m {ENTRY}"
    files: tuple[ServiceFile, ...]
    if args.part == "backup":
        to = args.to.resolve() if args.to else None
        files = render_backup(antrian, user, to, args.at, args.output)
    else:
        part = args.part
        files = (render(part, antrian, user, home, config, args.port, args.autostart, args.output),)
    if args.print:
        for service in files:
            print(f"# {service.path}")
            print(service.text, end="")
        return 0
    for service in files:
        service.path.parent.mkdir(parents=True, exist_ok=True)
        service.path.write_text(service.text, encoding="utf-8")
        print(service.path)
    started = files[-1]  # a backup's timer starts its service
    if args.enable and not started.autostart:
        systemctl = ["systemctl", "--user"] if started.user_unit else ["systemctl"]
        subprocess.run([*systemctl, "daemon-reload"], check=True)
        subprocess.run([*systemctl, "enable", "--now", started.path.name], check=True)
    return 0


def command_line(part: str, antrian: str, config: Path | None, port: int) -> list[str]:
    """The database URL is never on it (a unit file is readable by everyone): the apps read it
    from their settings file, the web server from ENV_FILE."""
    line = shlex.split(antrian)
    if part == "web":
        return [*line, "web", "--host", "0.0.0.0", "--port", str(port)]
    return [*line, part, *(["--config", str(config)] if config else [])]


def render(
    part: str,
    antrian: str,
    user: str,
    home: Path,
    config: Path | None,
    port: int,
    autostart: bool,
    output: str | None,
) -> ServiceFile:
    """The unit (or autostart entry) that runs `part` for `user`."""
    command = shlex.join(command_line(part, antrian, config, port))
    name = f"antrian-{part}"
    description = f"Antrian {part} (Mal Pelayanan Publik queue)"
    if part == "web":
        folder = Path(output) if output else SYSTEM_UNITS
        text = (
            _system_service(description, "simple", user, command)
            + f"""Restart=always
RestartSec={RESTART_SECONDS}
NoNewPrivileges=yes
ProtectSystem=full
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
"""
        )
        return ServiceFile(folder / f"{name}.service", text, False, False)
    if autostart:
        folder = Path(output or home / ".config" / "autostart")
        loop = f"while :; do {command}; sleep {RESTART_SECONDS}; done"
        text = f"""[Desktop Entry]
Type=Application
Name={description}
Exec=sh -c {shlex.quote(loop)}
X-GNOME-Autostart-enabled=true
NoDisplay=true
"""
        return ServiceFile(folder / f"{name}.desktop", text, False, True)
    folder = Path(output or home / ".config" / "systemd" / "user")
    text = f"""[Unit]
Description={description}
PartOf=graphical-session.target
After=graphical-session.target

[Service]
Type=simple
ExecStart={command}
Restart=always
RestartSec={RESTART_SECONDS}

[Install]
WantedBy=graphical-session.target
"""
    return ServiceFile(folder / f"{name}.service", text, True, False)


def render_backup(
    antrian: str, user: str, to: Path | None, at: str, output: str | None
) -> tuple[ServiceFile, ServiceFile]:
    """A oneshot service that runs `antrian db backup`, and the timer that starts it every
    working day at `at`, or at boot when the PC was off then (`Persistent`)."""
    folder = Path(output) if output else SYSTEM_UNITS
    command = shlex.join(
        [*shlex.split(antrian), "db", "backup", *(["--to", str(to)] if to else [])]
    )
    description = "Antrian backup (Mal Pelayanan Publik queue)"
    service = _system_service(description, "oneshot", user, command) + "Nice=10\n"
    timer = f"""[Unit]
Description=Antrian backup, {BACKUP_DAYS} at {at}

[Timer]
OnCalendar={BACKUP_DAYS} *-*-* {at}:00
Persistent=true

[Install]
WantedBy=timers.target
"""
    return (
        ServiceFile(folder / "antrian-backup.service", service, False, False),
        ServiceFile(folder / "antrian-backup.timer", timer, False, False),
    )


def _system_service(description: str, kind: str, user: str, command: str) -> str:
    """What Antrian's system units share: after the network and a local PostgreSQL server, as
    `user`, with the database URL from ENV_FILE."""
    return f"""[Unit]
Description={description}
Wants=network-online.target
After=network-online.target postgresql.service

[Service]
Type={kind}
User={user}
EnvironmentFile=-{ENV_FILE}
ExecStart={command}
"""


def scheduled_backup_folder(units: Path = SYSTEM_UNITS) -> Path | None:
    """The folder the daily backup installed here copies to (its `--to`), if one is."""
    try:
        text = (units / "antrian-backup.service").read_text(encoding="utf-8")
        line = next((ln for ln in text.splitlines() if ln.startswith("ExecStart=")), "")
        words = shlex.split(line.removeprefix("ExecStart="))
    except (OSError, UnicodeDecodeError, ValueError):  # none, or edited beyond reading
        return None
    return Path(words[words.index("--to") + 1]) if "--to" in words[:-1] else None
