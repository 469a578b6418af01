"""The complaints register through the engine: deadlines, the steps with who and when, what each
person may see, and what a citizen's reference shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.domain.complaints import Status, shown_reference
from shared.engine import QueueEngine
from shared.engine.complaints import NewComplaint
from shared.errors import UserError


def refusal(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value.key


def test_a_complaint_gets_its_reference_and_working_day_deadlines(engine):
    ticket = engine.issue_ticket("KTP")  # Monday 30 November 2026
    complaint = engine.file_complaint(
        NewComplaint(
            "DUKCAPIL",
            "complaint",
            "web",
            "  Antrian\x00 lama sekali\n ",
            token=ticket.token,
            contact="0812-3456-7890",
        )
    )
    assert len(complaint.reference) == 12 and complaint.status == Status.RECEIVED
    assert (complaint.response_due, complaint.resolution_due) == (
        date(2026, 12, 3),
        date(2026, 12, 7),
    )
    assert complaint.text == "Antrian lama sekali" and complaint.ticket == "A001"
    assert complaint.contact == "0812-3456-7890"
    listed = engine.complaints()
    assert [c.reference for c in listed] == [complaint.reference] and listed[0].contact is None
    found = engine.complaints(
        reference=shown_reference(complaint.reference).lower(), with_contact=True
    )
    assert found[0].contact == "0812-3456-7890"


@pytest.mark.parametrize(
    ("new", "key"),
    [
        (NewComplaint("DUKCAPIL", "gossip", "web", "x"), "complaint_bad_value"),
        (NewComplaint("DUKCAPIL", "complaint", "fax", "x"), "complaint_bad_value"),
        (NewComplaint("DUKCAPIL", "complaint", "web", " \x07 "), "complaint_no_text"),
        (NewComplaint("NOPE", "complaint", "web", "x"), "unknown_agency"),
        (NewComplaint("DUKCAPIL", "complaint", "web", "x", service="PKB"), "unknown_service"),
        (NewComplaint("DUKCAPIL", "complaint", "web", "x", ticket="Z999"), "skm_unknown_ticket"),
    ],
)
def test_a_wrong_complaint_is_refused_and_nothing_is_recorded(engine, new, key):
    assert refusal(lambda: engine.file_complaint(new)) == key
    assert engine.complaints() == []


def test_each_step_is_logged_with_who_and_when_and_the_flow_is_kept(engine, db_url, clock):
    reference = engine.file_complaint(
        NewComplaint("SAMSAT", "dispute", "lapor", "x", "LPR-1")
    ).reference
    with QueueEngine.open(db_url, clock=clock, actor="petugas-aduan") as officer:
        assert (
            refusal(lambda: officer.move_complaint(reference, Status.DONE)) == "complaint_bad_step"
        )
        clock.advance(hours=2)
        officer.move_complaint(reference, Status.VERIFIED, "Data lengkap")
        officer.move_complaint(reference, Status.FORWARDED)
        assert refusal(lambda: officer.move_complaint(reference, Status.ANSWERED, " ")) == (
            "complaint_needs_text"
        )
        answered = officer.move_complaint(reference, Status.ANSWERED, "Sudah diperbaiki")
        assert answered.answer == "Sudah diperbaiki" and answered.responded_at is not None
        done = officer.move_complaint(reference, Status.DONE)
    assert done.closed_at is not None and not done.overdue(date(2027, 1, 1))
    steps = engine.complaint_steps(reference)
    assert [s.status for s in steps] == [
        Status.RECEIVED,
        Status.VERIFIED,
        Status.FORWARDED,
        Status.ANSWERED,
        Status.DONE,
    ]
    assert [s.actor for s in steps] == ["test"] + ["petugas-aduan"] * 4
    assert steps[1].at - steps[0].at == timedelta(hours=2) and steps[1].note == "Data lengkap"


def test_an_agency_supervisor_moves_only_their_agencys_complaints(engine):
    ours = engine.file_complaint(NewComplaint("DUKCAPIL", "complaint", "box", "a")).reference
    theirs = engine.file_complaint(NewComplaint("SAMSAT", "complaint", "box", "b")).reference
    mine = ("DUKCAPIL",)
    assert [c.reference for c in engine.complaints(agencies_of=mine)] == [ours]
    assert refusal(lambda: engine.move_complaint(theirs, Status.VERIFIED, None, mine)) == (
        "complaint_unknown"
    )
    assert engine.move_complaint(ours, Status.VERIFIED, None, mine).status == Status.VERIFIED


def test_what_is_overdue_and_due_today_follows_the_working_days(engine, clock):
    complaint = engine.file_complaint(NewComplaint("DUKCAPIL", "information", "phone", "x"))
    assert complaint.due_today(date(2026, 12, 3))  # the first response is due Thursday
    assert complaint.overdue(date(2026, 12, 4))  # and nobody answered
    moved = engine.move_complaint(complaint.reference, Status.VERIFIED)
    assert not moved.overdue(date(2026, 12, 4)) and moved.due_today(date(2026, 12, 7))
    assert moved.overdue(date(2026, 12, 8))


def test_the_citizens_status_page_shows_the_status_and_answer_never_the_contact(engine):
    complaint = engine.file_complaint(
        NewComplaint("DUKCAPIL", "complaint", "web", "x", contact="rahasia@example.com")
    )
    engine.move_complaint(complaint.reference, Status.VERIFIED)
    engine.move_complaint(complaint.reference, Status.ANSWERED, "Petugas sudah ditegur")
    public = engine.public_complaint(shown_reference(complaint.reference))
    assert public.status == Status.ANSWERED and public.answer == "Petugas sudah ditegur"
    assert [s for _, s in public.steps] == [Status.RECEIVED, Status.VERIFIED, Status.ANSWERED]
    assert "rahasia" not in repr(public) and "test" not in repr(public.steps)
    assert engine.public_complaint("ABCD-EFGH-JKMN") is None
    assert engine.public_complaint("' OR 1=1 --") is None


def test_the_monthly_report_counts_on_time_late_open_and_overdue_per_agency_and_category(
    engine, db_url, clock
):
    quick = engine.file_complaint(NewComplaint("DUKCAPIL", "complaint", "box", "a")).reference
    slow = engine.file_complaint(NewComplaint("DUKCAPIL", "complaint", "web", "b")).reference
    engine.file_complaint(NewComplaint("SAMSAT", "dispute", "lapor", "c"))
    engine.move_complaint(quick, Status.VERIFIED)  # Monday: answered the same day
    engine.move_complaint(quick, Status.ANSWERED, "ok")
    engine.move_complaint(quick, Status.DONE)
    clock.advance(days=10)  # Thursday 10 December: past the 5 working days of 7 December
    engine.move_complaint(slow, Status.REJECTED, "bukan kewenangan")
    start, end = date(2026, 11, 1), date(2026, 12, 31)
    figures = {(f.agency, f.category): f for f in engine.complaint_report(start, end)}
    dukcapil = figures[("DUKCAPIL", "complaint")]
    assert (dukcapil.month, dukcapil.received) == ("2026-11", 2)
    assert (dukcapil.responded_on_time, dukcapil.resolved_on_time, dukcapil.resolved_late) == (
        1,
        1,
        1,
    )
    samsat = figures[("SAMSAT", "dispute")]
    assert (samsat.open, samsat.overdue) == (1, 1)  # never answered: its first response is late
    assert engine.complaint_report(start, end, ("SAMSAT",))[0].agency == "SAMSAT"
    assert refusal(lambda: engine.complaint_report(end, start)) == "report_bad_range"
