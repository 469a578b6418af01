"""Login throttling lives in the database: one rule for every client, a restart forgets nothing."""

from __future__ import annotations

import pytest

from shared.domain.throttle import FIRST_LOCK_SECONDS, FREE_ATTEMPTS, MAX_LOCK_SECONDS, lock_seconds
from shared.engine import QueueEngine
from shared.errors import AuthError


@pytest.fixture
def sari(engine: QueueEngine) -> QueueEngine:
    engine.add_user("sari", "rahasia123", display_name="Sari")
    return engine


def wrong(engine: QueueEngine, times: int, username: str = "sari", place: str = "pc-1") -> None:
    for _ in range(times):
        with pytest.raises(AuthError):
            engine.login(username, "salah", place=place)


def test_the_wait_starts_after_the_free_tries_doubles_and_is_capped() -> None:
    assert [lock_seconds(n) for n in range(FREE_ATTEMPTS)] == [0] * FREE_ATTEMPTS
    assert lock_seconds(FREE_ATTEMPTS) == FIRST_LOCK_SECONDS
    assert lock_seconds(FREE_ATTEMPTS + 1) == 2 * FIRST_LOCK_SECONDS
    assert lock_seconds(10**9) == MAX_LOCK_SECONDS


def test_twenty_wrong_passwords_then_the_right_one_is_refused(sari: QueueEngine) -> None:
    answers = []
    for _ in range(20):
        with pytest.raises(AuthError) as caught:
            sari.login("sari", "salah", place="pc-1")
        answers.append(caught.value.key)
    assert answers == ["wrong_password"] * FREE_ATTEMPTS + ["login_locked"] * (20 - FREE_ATTEMPTS)
    with pytest.raises(AuthError) as right:
        sari.login("sari", "rahasia123", place="pc-1")
    assert right.value.key == "login_locked"


def test_a_restarted_client_still_waits(sari: QueueEngine, db_url: str, clock) -> None:
    wrong(sari, FREE_ATTEMPTS)
    with QueueEngine.open(db_url, clock=clock) as restarted, pytest.raises(AuthError) as caught:
        restarted.login("sari", "rahasia123", place="pc-1")
    assert caught.value.key == "login_locked"
    assert caught.value.params["seconds"] == FIRST_LOCK_SECONDS


def test_the_account_is_locked_on_every_pc_and_a_pc_for_every_account(sari: QueueEngine) -> None:
    sari.add_user("budi", "rahasia456")
    wrong(sari, FREE_ATTEMPTS, place="pc-1")
    with pytest.raises(AuthError, match="Coba lagi"):
        sari.login("sari", "rahasia123", place="pc-2")  # the account, from another PC
    with pytest.raises(AuthError, match="Coba lagi"):
        sari.login("budi", "rahasia456", place="pc-1")  # the PC, for another account
    assert sari.login("budi", "rahasia456", place="pc-2").username == "budi"


def test_the_wait_ends_and_a_right_password_starts_the_count_again(
    sari: QueueEngine, clock
) -> None:
    wrong(sari, FREE_ATTEMPTS)
    clock.advance(seconds=FIRST_LOCK_SECONDS + 1)
    assert sari.login("sari", "rahasia123", place="pc-1").username == "sari"
    wrong(sari, FREE_ATTEMPTS - 1)  # free again: no wait before the next try
    assert sari.login("sari", "rahasia123", place="pc-1").username == "sari"


def test_failed_logins_are_in_the_events_log(sari: QueueEngine) -> None:
    wrong(sari, 2)
    failed = [e for e in sari.events_after(0) if e.kind.value == "login_failed"]
    assert [e.staff for e in failed] == ["sari", "sari"]


@pytest.mark.parametrize(
    "username", ["", "x" * 10_000, "sa\x00ri", "'; DROP TABLE staff; --", "süß"]
)
def test_a_username_no_account_can_have_is_refused_like_a_wrong_password(
    sari: QueueEngine, username: str
) -> None:
    with pytest.raises(AuthError) as caught:
        sari.login(username, "rahasia123", place="pc-9")
    assert caught.value.key == "wrong_password"
    wrong(sari, FREE_ATTEMPTS - 1, username=username, place="pc-9")
    with pytest.raises(AuthError, match="Coba lagi"):
        sari.login("sari", "rahasia123", place="pc-9")  # the place has earned its wait


def test_a_staff_member_works_only_at_the_counters_of_their_agencies(engine: QueueEngine) -> None:
    engine.add_user("sari", "rahasia123", agencies=["DUKCAPIL"])
    samsat = next(c.code for c in engine.board().counters if c.agency_code == "SAMSAT")
    dukcapil = next(c.code for c in engine.board().counters if c.agency_code == "DUKCAPIL")
    with pytest.raises(AuthError, match="tidak bertugas"):
        engine.login("sari", "rahasia123", samsat, place="pc-1")
    assert engine.login("sari", "rahasia123", dukcapil, place="pc-1").counter_code == dukcapil


def test_an_unknown_agency_is_refused_when_the_account_is_made(engine: QueueEngine) -> None:
    with pytest.raises(AuthError, match="Instansi tidak dikenal"):
        engine.add_user("sari", "rahasia123", agencies=["NOSUCH"])


def test_a_second_login_elsewhere_ends_the_first_one(engine: QueueEngine) -> None:
    engine.add_user("sari", "rahasia123")
    first, second = (c.code for c in engine.board().counters[:2])
    engine.login("sari", "rahasia123", first, place="pc-1")
    engine.login("sari", "rahasia123", second, place="pc-2")
    states = {c.code: (c.state.value, c.staff) for c in engine.board().counters}
    assert states[first] == ("closed", None)
    assert states[second] == ("open", "sari")


def test_a_second_login_is_refused_while_the_first_counter_holds_a_ticket(
    engine: QueueEngine,
) -> None:
    engine.add_user("sari", "rahasia123")
    counters = engine.board().counters
    first, second = counters[0].code, counters[1].code
    engine.login("sari", "rahasia123", first, place="pc-1")
    engine.issue_ticket(counters[0].services[0])
    called = engine.call_next(first, staff="sari")
    with pytest.raises(Exception, match=called.number):
        engine.login("sari", "rahasia123", second, place="pc-2")
    assert {c.code: c.staff for c in engine.board().counters}[first] == "sari"
