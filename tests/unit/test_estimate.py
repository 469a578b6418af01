"""The shown wait: one figure when the spread is narrow, a range when it is wide, and "more
than" the time left when the projection passes the service's closing."""

from shared.domain.estimate import WaitEstimate, shown_wait
from shared.i18n import NO_BREAK, NO_BREAK_HYPHEN, wait_text


def test_nobody_ahead_and_a_free_counter_means_no_wait():
    assert shown_wait(0.0, 0, 2, 10.0, 0.5, None) == WaitEstimate(0, 0, 0)


def test_a_ticket_with_people_ahead_is_never_told_zero_minutes():
    wait = shown_wait(0.2, 1, 2, 1.0, 0.1, None)
    assert wait.minutes >= 1


def test_a_short_wait_is_one_figure_and_a_long_uncertain_one_a_range_around_it():
    short = shown_wait(4.0, 1, 3, 4.0, 0.3, None)
    assert not short.is_range and short.minutes == 4
    long = shown_wait(60.0, 12, 2, 10.0, 0.5, None)
    assert long.is_range
    assert long.low < 60 < long.high
    assert long.low % 5 == 0 and long.high % 5 == 0 and long.low < 60


def test_the_range_widens_with_the_spread_of_visits():
    steady = shown_wait(60.0, 12, 2, 10.0, 0.1, None)
    erratic = shown_wait(60.0, 12, 2, 10.0, 0.8, None)
    assert erratic.high - erratic.low > steady.high - steady.low


def test_the_range_widens_with_the_tickets_expected_to_cut_in():
    # the mean cut-ins are in the projected call already; their Poisson count spreads it
    alone = shown_wait(60.0, 5, 1, 10.0, 0.4, None)
    cut_into = shown_wait(60.0, 5, 1, 10.0, 0.4, None, cut_in=0.25)
    assert cut_into.minutes == alone.minutes
    assert cut_into.high - cut_into.low > alone.high - alone.low


def test_a_wait_of_a_few_long_visits_spreads_wider_than_one_of_many_short_ones():
    # the projection gives the calling desk's visits: a 5-minute ticket behind 20-minute ones
    among_short = shown_wait(50.0, 9, 1, 5.0, 0.5, None)
    among_long = shown_wait(50.0, 2, 1, 20.0, 0.5, None)
    assert among_long.high - among_long.low > among_short.high - among_short.low


def test_a_call_projected_after_closing_says_more_than_the_time_left():
    wait = shown_wait(200.0, 30, 2, 12.0, 0.5, closes_in=130.0)
    assert wait.past_closing and wait.low == 130
    assert words(wait, "id") == "lebih dari 2 jam"
    assert words(wait, "en") == "more than 2 hours"
    assert words(shown_wait(80.0, 9, 1, 8.0, 0.5, closes_in=45.5), "id") == "lebih dari 45 menit"


def words(wait: WaitEstimate, lang: str) -> str:
    """The wait's text with its unbreakable spaces and hyphens as plain ones."""
    return wait_text(wait, lang).replace(NO_BREAK, " ").replace(NO_BREAK_HYPHEN, "-")


def test_the_words_of_a_wait_in_both_languages():
    assert words(WaitEstimate(0, 0, 0), "id") == "sebentar lagi"
    assert words(WaitEstimate(12, 12, 12), "id") == "12 menit"
    assert words(WaitEstimate(27, 20, 35), "id") == "20-35 menit"
    assert words(WaitEstimate(27, 20, 35), "en") == "20-35 min"


def test_a_range_an_hour_or_more_away_is_told_in_half_hours():
    far = shown_wait(300.0, 30, 1, 10.0, 0.5, None)
    assert far.low >= 60 and far.low % 30 == 0 and far.high % 30 == 0
    assert far.low < 300 < far.high
    assert words(WaitEstimate(300, 210, 390), "id") == "3,5-6,5 jam"
    assert words(WaitEstimate(300, 210, 390), "en") == "3.5-6.5 hours"
    assert words(WaitEstimate(100, 60, 150), "id") == "1-2,5 jam"
    # a range made elsewhere, not on half hours, is widened to them, never narrowed
    assert words(WaitEstimate(245, 200, 290), "id") == "3-5 jam"
    # one that starts within the hour stays in minutes, however far it ends
    assert words(WaitEstimate(70, 45, 95), "id") == "45-95 menit"


def test_a_range_from_nought_reads_as_under_its_top():
    assert words(WaitEstimate(6, 0, 15), "id") == "< 15 menit"
    assert words(WaitEstimate(6, 0, 15), "en") == "< 15 min"


def test_a_wait_is_never_broken_across_lines():
    for wait in (WaitEstimate(12, 12, 12), WaitEstimate(27, 20, 35), WaitEstimate(6, 0, 15)):
        assert " " not in wait_text(wait, "id") and NO_BREAK in wait_text(wait, "id")
    assert "-" not in wait_text(WaitEstimate(50, 25, 75), "id")  # a browser breaks after "25-"
    assert " " not in wait_text(WaitEstimate(200, 130, 200, past_closing=True), "en")
