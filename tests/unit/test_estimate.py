from shared.domain.estimate import average_service_minutes, estimate_wait_minutes


def test_nobody_ahead_means_no_wait():
    assert estimate_wait_minutes(0, 10, 2) == 0


def test_the_wait_is_people_ahead_times_minutes_over_counters_rounded_up():
    assert estimate_wait_minutes(5, 8, 2) == 20
    assert estimate_wait_minutes(3, 7, 2) == 11


def test_a_service_with_no_open_counter_is_estimated_as_if_one_opens():
    assert estimate_wait_minutes(2, 10, 0) == 20


def test_the_configured_minutes_are_used_until_three_services_were_timed_today():
    assert average_service_minutes([4.0, 6.0], 10.0) == 10.0
    assert average_service_minutes([4.0, 6.0, 8.0], 10.0) == 6.0
