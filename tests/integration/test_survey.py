"""The SKM survey through the engine: tied to a finished visit, once per ticket (also from two
processes at once), and the index of a period per group against the visits served."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest

from shared.clock import shared_now
from shared.domain.skm import summarise
from shared.engine.survey import SurveyAnswer
from shared.errors import UserError
from tests.integration import workers

GOOD = (4, 3, 4, 4, 3, 4, 4, 3, 4)


def serve(engine, service="KTP", counter="L1"):
    ticket = engine.issue_ticket(service)
    engine.call_next(counter)
    engine.start(counter)
    engine.finish(counter)
    return ticket


def refusal(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value.key


def test_a_finished_visit_is_rated_once_and_linked_to_its_service_counter_and_staff(engine):
    engine.add_user("sari", "rahasia123")
    engine.login("sari", "rahasia123", "L1", place="pc-1")
    ticket = engine.issue_ticket("KTP")
    assert refusal(
        lambda: engine.answer_survey(SurveyAnswer(GOOD, "phone"), token=ticket.token)
    ) == ("skm_not_finished")
    engine.call_next("L1", staff="sari")
    engine.start("L1")
    engine.finish("L1")
    receipt = engine.answer_survey(
        SurveyAnswer(GOOD, "phone", {"sex": "P", "age_band": "30-39"}, "Ruang tunggu panas"),
        token=ticket.token,
    )
    assert (receipt.number, receipt.service.id) == ("A001", "KTP Elektronik")
    assert engine.survey_answered(ticket.token)
    again = lambda: engine.answer_survey(SurveyAnswer(GOOD, "paper"), number="A001")  # noqa: E731
    assert refusal(again) == "skm_already_answered"
    day = engine.clock.now().date()
    by_counter = engine.skm_report(day, day, "counter")
    by_staff = engine.skm_report(day, day, "staff")
    assert [(g.code, g.result.respondents) for g in by_counter.groups] == [("L1", 1)]
    assert [g.code for g in by_staff.groups] == ["sari"]


@pytest.mark.parametrize(
    ("answers", "profile"),
    [((4,) * 8, {}), ((4,) * 8 + (5,), {}), ((4,) * 9, {"sex": "X"}), ((4,) * 9, {"hobi": "L"})],
)
def test_a_wrong_form_changes_nothing(engine, answers, profile):
    ticket = serve(engine)
    key = refusal(
        lambda: engine.answer_survey(SurveyAnswer(answers, "paper", profile), number="A001")
    )
    assert key in ("skm_bad_answers", "skm_bad_profile")
    assert not engine.survey_answered(ticket.token)


def test_an_unknown_ticket_or_a_phone_answer_on_a_later_day_is_refused(engine, clock):
    ticket = serve(engine)
    assert refusal(lambda: engine.answer_survey(SurveyAnswer(GOOD, "paper"), number="Z999")) == (
        "skm_unknown_ticket"
    )
    visit_day = clock.now().date()
    clock.advance(days=1)
    late = lambda: engine.answer_survey(SurveyAnswer(GOOD, "phone"), token=ticket.token)  # noqa: E731
    assert refusal(late) == "skm_too_late"
    # a paper form of that day, typed in the next morning, is taken
    engine.answer_survey(
        SurveyAnswer(GOOD, "paper", entered_by="admin"), number="a001", day=visit_day
    )
    assert engine.survey_answered(ticket.token)


def test_a_transferred_visit_is_rated_once_where_it_was_finished(engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.transfer("L1", "AKTA")
    engine.call_next("L2")
    engine.start("L2")
    engine.finish("L2")
    receipt = engine.answer_survey(SurveyAnswer(GOOD, "phone"), token=ticket.token)
    assert receipt.service.id == "Akta Kelahiran"
    assert refusal(
        lambda: engine.answer_survey(SurveyAnswer(GOOD, "phone"), token=ticket.token)
    ) == ("skm_already_answered")


def test_the_report_gives_the_index_per_group_and_warns_of_a_small_sample(engine, clock):
    forms = [(4,) * 9, (3,) * 9, (4, 4, 3, 4, 3, 4, 4, 3, 4)]
    for service, answers in zip(("KTP", "KTP", "PKB"), forms, strict=True):
        ticket = serve(engine, service, "L1" if service == "KTP" else "S1")
        engine.answer_survey(SurveyAnswer(answers, "phone"), token=ticket.token)
    for _ in range(5):
        serve(engine, "AKTA", "L2")  # served, not rated
    day = clock.now().date()
    report = engine.skm_report(day, day, "service")
    assert report.overall.ikm == pytest.approx(summarise(forms).ikm)
    assert {g.code: g.result.respondents for g in report.groups} == {"KTP": 2, "PKB": 1}
    ktp = next(g for g in report.groups if g.code == "KTP")
    assert ktp.result.ikm == pytest.approx(87.5) and ktp.result.grade.letter == "B"
    assert (report.served, report.minimum, report.too_few) == (8, 8, True)
    assert report.channels == {"phone": 3}
    samsat = engine.skm_report(day, day, "agency", agency="SAMSAT")
    assert samsat.overall.respondents == 1 and samsat.served == 1
    empty = engine.skm_report(day + timedelta(days=1), day + timedelta(days=1))
    assert (empty.overall.respondents, empty.overall.grade) == (0, None)
    assert refusal(lambda: engine.skm_report(day, day, "hari")) == "report_bad_grouping"


def test_two_processes_sending_the_same_visits_survey_at_once_count_it_once(
    engine, db_url, clock, monkeypatch
):
    ticket = serve(engine)
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(clock.now()))  # the processes' day is the visit's
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    ready, go = manager.Queue(), manager.Event()
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(workers.answer_survey, db_url, ticket.token, GOOD, ready, go)
            for _ in range(4)
        ]
        for _ in range(4):
            ready.get(timeout=60)
        go.set()
        results = sorted(f.result(timeout=60) for f in futures)
    assert results == ["ok"] + ["skm_already_answered"] * 3
    day = engine.clock.now().date()
    assert engine.skm_report(day, day).overall.respondents == 1
