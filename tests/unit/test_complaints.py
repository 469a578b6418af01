"""Complaint deadlines in working days, the status flow and the reference code."""

from datetime import date

import pytest

from shared.domain.complaints import (
    NEXT,
    REFERENCE_ALPHABET,
    Status,
    add_working_days,
    can_move,
    deadlines,
    new_reference,
    shown_reference,
    typed_reference,
)

FRIDAY = date(2026, 11, 27)


def test_a_complaint_received_on_a_friday_with_five_days_is_due_the_next_friday():
    due = deadlines(FRIDAY, "complaint", set())
    assert due.resolution == date(2026, 12, 4)
    assert due.response == date(2026, 12, 2)  # Mon, Tue, Wed


def test_holidays_and_weekends_do_not_count_and_a_month_end_is_crossed():
    christmas = {date(2026, 12, 25), date(2027, 1, 1)}
    # Wednesday 23 December: Thu 24, (Fri 25 holiday), Mon 28, Tue 29, Wed 30, Thu 31
    assert add_working_days(date(2026, 12, 23), 5, christmas) == date(2026, 12, 31)
    # then over New Year's Day and the weekend: Mon 4 January
    assert add_working_days(date(2026, 12, 31), 1, christmas) == date(2027, 1, 4)
    assert deadlines(date(2026, 12, 23), "dispute", christmas).resolution == date(2027, 1, 14)


def test_a_complaint_received_on_a_saturday_counts_from_monday():
    assert add_working_days(date(2026, 11, 28), 1, set()) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("category", "days"),
    [("information", 5), ("complaint", 5), ("dispute", 14), ("field_check", 60)],
)
def test_each_category_has_its_days(category, days):
    assert deadlines(FRIDAY, category, set()).resolution == add_working_days(FRIDAY, days, set())


def test_the_status_flow_goes_forward_only_and_ends_in_done_or_rejected():
    assert can_move(Status.RECEIVED, Status.VERIFIED)
    assert can_move(Status.RECEIVED, Status.REJECTED)
    assert not can_move(Status.RECEIVED, Status.DONE)  # not answered yet
    assert can_move(Status.ANSWERED, Status.DONE)
    assert NEXT[Status.DONE] == NEXT[Status.REJECTED] == frozenset()


def test_a_reference_is_twelve_unambiguous_characters_read_in_groups_and_typed_loosely():
    reference = new_reference()
    assert len(reference) == 12 and set(reference) <= set(REFERENCE_ALPHABET)
    assert not set("01ILOU") & set(REFERENCE_ALPHABET)
    shown = shown_reference(reference)
    assert shown.count("-") == 2
    assert typed_reference(shown.lower().replace("-", " ")) == reference
    assert typed_reference("ABCD-EFGH-IJK1") is None and typed_reference("") is None
    assert len({new_reference() for _ in range(1000)}) == 1000
