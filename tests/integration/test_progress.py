"""The ticket pages' read model: by token, after transfers, other days; on both databases."""

from shared.domain.states import TicketState


def test_a_new_ticket_has_a_random_token_and_no_url_without_a_public_address(engine):
    first, second = engine.issue_ticket("KTP"), engine.issue_ticket("KTP")
    assert len(first.token) >= 22 and first.token != second.token
    assert first.number not in first.token and str(first.id) != first.token
    assert first.url is None


def test_people_ahead_are_the_calls_its_counters_make_before_it(engine, clock):
    engine.issue_ticket("PKB")  # one counter serves PKB: it calls this one first
    engine.call_next("S1")
    a1 = engine.issue_ticket("PKB")
    clock.advance(minutes=1)
    a2 = engine.issue_ticket("PKB")
    clock.advance(minutes=1)
    priority = engine.issue_ticket("PKB", priority=True)
    engine.issue_ticket("AKTA")  # another service at other counters: not ahead
    snapshot = engine.progress()
    assert snapshot.tickets[priority.token].people_ahead == 0
    assert snapshot.tickets[a1.token].people_ahead == 1
    assert snapshot.tickets[a2.token].people_ahead == 2
    assert snapshot.tickets[a2.token].wait.minutes > snapshot.tickets[a1.token].wait.minutes > 0
    assert engine.progress_of(a2.token) == snapshot.tickets[a2.token]


def test_a_called_ticket_names_its_counter_and_counts_recalls(engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.recall("L1")
    page = engine.progress_of(ticket.token)
    assert page.state == TicketState.CALLED and page.call_count == 2
    assert page.counter_number == "1" and page.people_ahead is None


def test_after_a_transfer_the_same_page_follows_the_number_to_its_new_service(engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.transfer("L1", "AKTA")
    page = engine.progress().tickets[ticket.token]
    assert page.service_code == "AKTA" and page.state == TicketState.WAITING
    assert page.transferred and page.number == ticket.number and page.people_ahead == 0


def test_a_ticket_of_an_earlier_day_is_found_and_says_so(engine, clock):
    ticket = engine.issue_ticket("KTP")
    clock.advance(days=1)
    engine.close_day()
    page = engine.progress_of(ticket.token)
    assert page is not None and not page.today and page.state == TicketState.EXPIRED
    assert ticket.token not in engine.progress().tickets


def test_an_unknown_token_names_no_ticket(engine):
    engine.issue_ticket("KTP")
    assert engine.progress_of("x" * 22) is None
