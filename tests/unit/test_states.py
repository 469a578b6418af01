from shared.domain.states import (
    FINAL_STATES,
    OPEN_STATES,
    TICKET_ACTIONS,
    Action,
    CounterState,
    TicketState,
    allowed_actions,
    counter_actions,
    next_state,
)

S, A = TicketState, Action


def test_a_waiting_ticket_can_only_be_called_cancelled_or_expired():
    assert allowed_actions(S.WAITING) == {A.CALL, A.CANCEL, A.EXPIRE}
    assert next_state(S.WAITING, A.CALL) == S.CALLED


def test_recall_keeps_a_called_ticket_called():
    assert next_state(S.CALLED, A.RECALL) == S.CALLED


def test_a_ticket_being_served_cannot_be_recalled_or_skipped():
    assert next_state(S.SERVING, A.RECALL) is None
    assert next_state(S.SERVING, A.SKIP) is None


def test_finishing_works_from_called_and_serving_but_not_waiting():
    assert next_state(S.CALLED, A.FINISH) == S.DONE
    assert next_state(S.SERVING, A.FINISH) == S.DONE
    assert next_state(S.WAITING, A.FINISH) is None


def test_final_states_have_no_way_out_except_calling_a_no_show_again():
    for state in FINAL_STATES:
        expected = {A.CALL} if state == S.NO_SHOW else set()
        assert allowed_actions(state) == expected, state


def test_every_open_state_can_expire_at_the_day_rollover():
    for state in OPEN_STATES:
        assert next_state(state, A.EXPIRE) == S.EXPIRED


def test_a_called_or_served_ticket_is_parked_and_comes_back_only_by_a_call():
    assert next_state(S.CALLED, A.PARK) == S.PARKED
    assert next_state(S.SERVING, A.PARK) == S.PARKED
    assert next_state(S.WAITING, A.PARK) is None
    assert allowed_actions(S.PARKED) == {A.CALL, A.EXPIRE}
    assert S.PARKED in OPEN_STATES and S.PARKED not in FINAL_STATES


def test_the_counter_apps_buttons_follow_the_ticket_state_machine():
    for counter in CounterState:
        assert counter_actions(None, counter).isdisjoint(a.value for a in TICKET_ACTIONS)
        for ticket in TicketState:
            offered = counter_actions(ticket, counter)
            for action in TICKET_ACTIONS:
                assert (action.value in offered) == (next_state(ticket, action) is not None)
    assert counter_actions(None, CounterState.OPEN) == {
        "next",
        "specific",
        "walk_in",
        "pause",
        "logout",
    }
    assert counter_actions(TicketState.CALLED, CounterState.OPEN) == {
        "recall",
        "start",
        "finish",
        "skip",
        "park",
        "transfer",
        "next",
        "specific",
        "walk_in",
    }
    assert counter_actions(TicketState.SERVING, CounterState.PAUSED) == {
        "finish",
        "park",
        "transfer",
        "resume",
    }
