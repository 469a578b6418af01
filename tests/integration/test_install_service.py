"""`antrian install-service`: units that start a part after boot and restart it when it dies."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shared.cli.main import main

PARTS = ["kiosk", "display", "counter", "web"]


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "pc.toml"
    path.write_text('database = "postgresql://antrian:rahasia@10.0.0.2/antrian"\n')
    return path


@pytest.mark.parametrize("part", PARTS)
def test_every_part_restarts_when_it_dies_and_never_shows_the_database_password(
    part, config, capsys
):
    assert main(["install-service", part, "--config", str(config), "--print"]) == 0
    unit = capsys.readouterr().out
    assert "Restart=always" in unit and "RestartSec=3" in unit
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert f" {part}" in exec_line
    assert "rahasia" not in unit
    if part == "web":
        assert "WantedBy=multi-user.target" in unit and "EnvironmentFile=" in unit
    else:
        assert f"--config {config}" in exec_line
        assert "WantedBy=graphical-session.target" in unit


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize("part", [*PARTS, "backup"])
def test_the_written_units_pass_systemd_analyze_verify(part, config, tmp_path, capsys):
    folder = tmp_path / "units"
    assert main(["install-service", part, "--config", str(config), "--output", str(folder)]) == 0
    units = sorted(folder.iterdir())
    assert len(units) == (2 if part == "backup" else 1)
    assert capsys.readouterr().out.split() == [str(unit) for unit in units]
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_daily_backup_runs_on_working_days_and_at_boot_when_the_pc_was_off(capsys):
    args = ["install-service", "backup", "--to", "/media/cadangan", "--at", "9:05", "--print"]
    assert main(args) == 0
    service, timer = capsys.readouterr().out.split("# /etc/systemd/system/antrian-backup.")[1:]
    assert service.startswith("service\n") and timer.startswith("timer\n")
    assert "Type=oneshot" in service and "EnvironmentFile=-/etc/antrian/antrian.env" in service
    exec_line = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert exec_line.endswith(" db backup --to /media/cadangan")
    assert "OnCalendar=Mon..Sat *-*-* 09:05:00" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer


def test_an_autostart_entry_restarts_the_app_in_a_loop(config, capsys):
    main(["install-service", "kiosk", "--config", str(config), "--autostart", "--print"])
    entry = capsys.readouterr().out
    assert "[Desktop Entry]" in entry
    assert "while :; do" in entry and "kiosk --config" in entry and "sleep 3; done" in entry


@pytest.mark.parametrize(
    "args",
    [
        ["kiosk", "--config", "/no/such/pc.toml"],
        ["web", "--user", "no-such-user-x"],
    ],
    ids=["missing-config", "unknown-user"],
)
def test_a_mistyped_argument_is_one_plain_line(args, capsys):
    assert main(["install-service", *args, "--print"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_backup_time_that_is_no_time_of_day_is_one_plain_line(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["install-service", "backup", "--at", "24:00", "--print"])
    assert exited.value.code == 2
    error = "antrian install-service: argument --at: not a time of day, HH:MM: 24:00"
    assert capsys.readouterr().err.strip() == error
