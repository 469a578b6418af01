from datetime import datetime, timedelta

from shared.domain.selection import Candidate, pick_next
from shared.domain.states import SelectionMode

T0 = datetime(2026, 11, 30, 9, 0)


def ticket(id, service, minutes, priority=False):
    return Candidate(id, service, priority, T0 + timedelta(minutes=minutes))


def test_a_priority_ticket_goes_before_older_ordinary_ones():
    waiting = [ticket(1, "KTP", 0), ticket(2, "KTP", 5, priority=True)]
    assert pick_next(waiting, ["KTP"], SelectionMode.OLDEST).id == 2


def test_oldest_mode_takes_the_oldest_ticket_across_the_counters_services():
    waiting = [ticket(1, "KTP", 10), ticket(2, "KK", 3), ticket(3, "AKTA", 1)]
    assert pick_next(waiting, ["KTP", "KK"], SelectionMode.OLDEST).id == 2


def test_strict_mode_empties_the_first_service_of_the_profile_first():
    waiting = [ticket(1, "KTP", 1), ticket(2, "AKTA", 9)]
    assert pick_next(waiting, ["AKTA", "KTP"], SelectionMode.STRICT).id == 2


def test_priority_still_wins_in_strict_mode():
    waiting = [ticket(1, "AKTA", 1), ticket(2, "KTP", 9, priority=True)]
    assert pick_next(waiting, ["AKTA", "KTP"], SelectionMode.STRICT).id == 2


def test_equal_issue_times_go_to_the_lower_ticket_id():
    waiting = [ticket(7, "KTP", 0), ticket(3, "KTP", 0)]
    assert pick_next(waiting, ["KTP"], SelectionMode.OLDEST).id == 3


def test_nothing_is_picked_when_nobody_waits_for_the_counters_services():
    assert pick_next([ticket(1, "PKB", 0)], ["KTP"], SelectionMode.OLDEST) is None
