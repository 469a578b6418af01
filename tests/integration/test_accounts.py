"""Accounts after they are made: the CLI's user commands, the last admin, disabled accounts."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from shared.cli.main import main
from shared.engine import QueueEngine
from shared.errors import AuthError
from tests.integration.helpers import event_count


@pytest.fixture
def staffed(engine: QueueEngine) -> QueueEngine:
    engine.add_user("admin1", "rahasia-admin", role="admin")
    engine.add_user("sari", "rahasia123", agencies=["DUKCAPIL"])
    return engine


def run(db_url: str, *args: str, stdin: str = "") -> int:
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", db_url, *args])
    finally:
        sys.stdin = saved


def test_user_list_shows_roles_agencies_and_state(staffed, db_url, capsys):
    assert run(db_url, "user", "list", "--json") == 0
    listed = {a["username"]: a for a in json.loads(capsys.readouterr().out)}
    assert listed["sari"] == {
        "username": "sari",
        "display_name": "sari",
        "role": "staff",
        "active": True,
        "agencies": ["DUKCAPIL"],
        "last_login_at": None,
        "last_login_counter": None,
        "password_temporary": False,
    }


def test_an_accounts_last_login_and_its_counter_are_kept(staffed, clock):
    staffed.login("sari", "rahasia123", "L1", place="pc-1")
    clock.advance(minutes=5)
    staffed.login("admin1", "rahasia-admin", place="web:10.0.0.9")
    with pytest.raises(AuthError):
        staffed.login("sari", "salah-salah", "L2", place="pc-2")  # a wrong try is no login
    listed = {a.username: a for a in staffed.list_accounts()}
    assert (listed["sari"].last_login_at, listed["sari"].last_login_counter) == (
        clock.now() - timedelta(minutes=5),
        "L1",
    )
    assert (listed["admin1"].last_login_at, listed["admin1"].last_login_counter) == (
        clock.now(),
        None,
    )


def test_a_disabled_account_cannot_log_in_anywhere_until_enabled(staffed, db_url):
    assert run(db_url, "user", "disable", "sari") == 0
    with pytest.raises(AuthError):
        staffed.login("sari", "rahasia123", "L1", place="pc-1")
    assert run(db_url, "user", "enable", "sari") == 0
    assert staffed.login("sari", "rahasia123", "L1", place="pc-1").username == "sari"


def test_passwd_and_role_change_the_account_and_are_logged(staffed, db_url):
    assert run(db_url, "user", "passwd", "sari", "--password-stdin", stdin="kata-baru-1\n") == 0
    assert run(db_url, "user", "role", "sari", "agency_supervisor") == 0
    assert staffed.login("sari", "kata-baru-1", place="pc-1").role == "agency_supervisor"
    details = [e.detail for e in staffed.events_after(0) if e.kind.value == "account_changed"]
    assert details == ["password reset", "role staff -> agency_supervisor"]


def test_an_accounts_agencies_change_where_it_may_work_and_the_change_is_logged(staffed, db_url):
    assert run(db_url, "user", "agencies", "sari", "--agency", "SAMSAT") == 0
    with pytest.raises(AuthError):
        staffed.login("sari", "rahasia123", "L1", place="pc-1")  # a DUKCAPIL counter now
    assert staffed.login("sari", "rahasia123", "S1", place="pc-2").username == "sari"
    assert run(db_url, "user", "agencies", "sari", "--agency", "SAMSAT") == 0  # no change
    assert run(db_url, "user", "agencies", "sari") == 0  # none: every agency
    assert {a.username: a.agencies for a in staffed.list_accounts()}["sari"] == ()
    assert staffed.login("sari", "rahasia123", "L1", place="pc-1").username == "sari"
    details = [e.detail for e in staffed.events_after(0) if e.kind.value == "account_changed"]
    assert details == ["agencies DUKCAPIL -> SAMSAT", "agencies SAMSAT -> *"]
    assert run(db_url, "user", "role", "sari", "agency_supervisor") == 2  # with no agency
    assert run(db_url, "user", "agencies", "sari", "--agency", "SAMSAT") == 0
    assert run(db_url, "user", "role", "sari", "agency_supervisor") == 0
    assert run(db_url, "user", "agencies", "sari") == 2  # would leave them seeing nothing


@pytest.mark.parametrize(
    "args",
    [
        ["user", "agencies", "sari", "--agency", "SAMSAT", "--agency", "NOPE"],
        ["user", "agencies", "nobody", "--agency", "SAMSAT"],
        ["user", "add", "lia", "--role", "agency_supervisor", "--password-stdin"],
        ["user", "role", "admin1", "agency_supervisor"],
        ["user", "disable", "admin1"],
        ["user", "role", "admin1", "staff"],
        ["user", "role", "sari", "root"],
        ["user", "disable", "nobody"],
    ],
    ids=[
        "unknown-agency",
        "agencies-of-unknown-user",
        "agency-supervisor-without-agency",
        "agency-supervisor-by-role-without-agency",
        "disable-last-admin",
        "demote-last-admin",
        "bad-role",
        "unknown-user",
    ],
)
def test_what_would_lock_out_or_make_no_sense_is_refused(staffed, db_url, args, capsys):
    assert run(db_url, *args, stdin="rahasia-lia\nrahasia-lia\n") == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert {(a.username, a.active, a.role, a.agencies) for a in staffed.list_accounts()} == {
        ("admin1", True, "admin", ()),
        ("sari", True, "staff", ("DUKCAPIL",)),
    }


def test_a_person_changes_their_own_password_only_with_the_current_one(staffed):
    with pytest.raises(AuthError) as wrong:
        staffed.change_own_password("sari", "tebakan-1", "kata-baru-1", place="pc-1")
    assert wrong.value.key == "wrong_password"
    with pytest.raises(AuthError) as same:
        staffed.change_own_password("sari", "rahasia123", "rahasia123", place="pc-1")
    assert same.value.key == "password_unchanged"
    staffed.change_own_password("sari", "rahasia123", "kata-baru-1", place="pc-1")
    with pytest.raises(AuthError):
        staffed.login("sari", "rahasia123", place="pc-1")
    assert staffed.login("sari", "kata-baru-1", place="pc-1").username == "sari"
    details = [e.detail for e in staffed.events_after(0) if e.kind.value == "account_changed"]
    assert details == ["password changed by its owner"]


def test_guessing_the_current_password_is_throttled_as_logins_are(staffed):
    for n in range(3):
        with pytest.raises(AuthError):
            staffed.change_own_password("sari", f"tebakan-{n}", "kata-baru-1", place="pc-1")
    with pytest.raises(AuthError) as locked:  # the right one, too late: nothing changes
        staffed.change_own_password("sari", "rahasia123", "kata-baru-1", place="pc-2")
    assert locked.value.key == "login_locked"
    with pytest.raises(AuthError):
        staffed.login("sari", "rahasia123", place="pc-2")  # the account waits at every PC


def test_a_password_an_admin_set_for_someone_serves_only_to_choose_their_own(staffed):
    staffed.set_password("sari", "dari-admin-1", temporary=True)
    with pytest.raises(AuthError) as temporary:
        staffed.login("sari", "dari-admin-1", "L1", place="pc-1")
    assert temporary.value.key == "password_temporary"
    board = {c.code: c for c in staffed.board().counters}
    assert board["L1"].staff is None  # nobody took the counter
    kinds = [e.kind.value for e in staffed.events_after(0)]
    assert "staff_login" not in kinds
    staffed.change_own_password("sari", "dari-admin-1", "milik-sari-1", place="pc-1")
    assert staffed.login("sari", "milik-sari-1", "L1", place="pc-1").counter_code == "L1"
    staffed.add_user("budi", "dari-admin-2", temporary=True)
    with pytest.raises(AuthError):
        staffed.login("budi", "dari-admin-2", place="pc-2")
    staffed.set_password("budi", "dipilih-sendiri")  # the CLI's, typed by its owner
    assert staffed.login("budi", "dipilih-sendiri", place="pc-2").username == "budi"


def test_the_cli_sets_a_temporary_password_when_asked(staffed, db_url):
    line = "dari-admin-3\n"
    assert run(db_url, "user", "passwd", "sari", "--temporary", "--password-stdin", stdin=line) == 0
    with pytest.raises(AuthError) as temporary:
        staffed.login("sari", "dari-admin-3", place="pc-1")
    assert temporary.value.key == "password_temporary"
    assert run(db_url, "user", "add", "tono", "--temporary", "--password-stdin", stdin=line) == 0
    with pytest.raises(AuthError):
        staffed.login("tono", "dari-admin-3", place="pc-1")


def test_an_account_moved_to_another_agency_takes_no_more_work_at_its_counter_but_ends_its_visit(
    staffed,
):
    """The change holds from the next call, not from the next login; the visit in hand ends."""
    counter = next(c for c in staffed.board().counters if c.code == "L1")
    assert counter.agency_code == "DUKCAPIL"
    staffed.login("sari", "rahasia123", "L1", place="pc-1")
    staffed.issue_ticket("KTP")
    staffed.issue_ticket("KTP")
    assert staffed.call_next("L1", staff="sari").number == "A001"
    staffed.set_agencies("sari", ["SAMSAT"])
    before = event_count(staffed)
    with pytest.raises(AuthError, match="tidak bertugas"):
        staffed.call_next("L1", staff="sari")  # would also have finished A001
    with pytest.raises(AuthError, match="tidak bertugas"):
        staffed.call_specific("L1", "A002", staff="sari")
    with pytest.raises(AuthError, match="tidak bertugas"):
        staffed.serve_walk_in("L1", "KTP", staff="sari")
    assert event_count(staffed) == before
    assert staffed.finish("L1").number == "A001"
    staffed.set_agencies("sari", [])  # every agency again
    assert staffed.call_next("L1", staff="sari").number == "A002"
