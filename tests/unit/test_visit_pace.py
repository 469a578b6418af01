"""The pace of visits learned from the visits seen (shared.domain.visit_pace)."""

import random

import pytest

from shared.domain.visit_pace import (
    DEFAULT_WEIGHT,
    WEIGHT_RANGE,
    Line,
    learned_minutes,
    prior_weight,
    site_line,
)

CONFIGURED = {"A": 5.0, "B": 10.0, "C": 20.0}


def test_the_site_line_finds_a_fixed_overhead_and_a_share_of_the_configured_minutes():
    # every visit: 1.5 minutes to call and walk up, then 1.1 x the configured minutes
    visits = {s: [1.5 + 1.1 * m] * 4 for s, m in CONFIGURED.items()}
    line = site_line(visits, CONFIGURED, Line())
    assert line.overhead == pytest.approx(1.5) and line.scale == pytest.approx(1.1)


def test_a_line_seen_only_on_short_services_is_scaled_not_stretched_beyond_them():
    # 3 minutes of overhead plus half the configured minutes, seen on 4- and 6-minute services
    configured = {"A": 4.0, "B": 6.0, "LONG": 60.0, "QUICK": 1.0}
    line = site_line({"A": [5.0] * 3, "B": [6.0] * 3}, configured, Line())
    assert line.minutes(5.0) == pytest.approx(5.5)  # between them: the line
    assert line.minutes(60.0) == pytest.approx(60.0)  # 6 minutes for 6 at the end: x1, not 33
    assert line.minutes(1.0) == pytest.approx(1.25)  # 5 minutes for 4 at the end: x1.25


def test_services_configured_alike_give_a_share_of_the_configured_minutes():
    configured = {"A": 10.0, "B": 10.0}
    line = site_line({"A": [12.0, 14.0, 13.0], "B": [11.0, 15.0]}, configured, Line())
    assert line == Line(0.0, pytest.approx(1.3))


def test_a_line_that_would_start_below_nought_becomes_a_share():
    # short services far quicker than configured, long ones slower: the line crosses below 0
    visits = {"A": [0.5] * 3, "C": [30.0] * 3}
    line = site_line(visits, CONFIGURED, Line())
    assert line.overhead == 0.0 and line.scale == pytest.approx((0.1 + 1.5) / 2)


def test_too_few_visits_keep_the_line_given():
    fallback = Line(2.0, 0.9)
    assert site_line({"A": [6.0], "B": [12.0, 11.0, 13.0]}, CONFIGURED, fallback) is fallback


def test_services_that_keep_to_their_priors_make_the_prior_count_the_most():
    rng = random.Random(4)
    priors = {f"S{n}": 4.0 + 2 * n for n in range(8)}
    # visits scattered about their prior (mean 1 x the prior), no service truly off it
    visits = {s: [rng.lognormvariate(-0.08, 0.4) * p for _ in range(40)] for s, p in priors.items()}
    assert prior_weight(visits, priors) >= 50  # the scatter of their means is noise


def test_services_that_stray_from_their_priors_make_their_own_visits_count():
    rng = random.Random(4)
    truth = {"A": 0.5, "B": 1.0, "C": 2.0}  # configured minutes off both ways
    visits = {
        s: [rng.lognormvariate(0, 0.4) * truth[s] * m for _ in range(40)]
        for s, m in CONFIGURED.items()
    }
    weight = prior_weight(visits, CONFIGURED)
    assert WEIGHT_RANGE[0] <= weight < 2


def test_the_prior_weight_needs_three_services_with_five_visits():
    visits = {"A": [5.0] * 10, "B": [10.0] * 10, "C": [20.0] * 4}
    assert prior_weight(visits, CONFIGURED) == DEFAULT_WEIGHT


def test_each_service_is_its_mean_drawn_towards_its_prior():
    learned = learned_minutes({"A": [8.0, 10.0]}, {"A": 5.0, "B": 10.0}, weight=2.0)
    assert learned == {"A": pytest.approx((18.0 + 2 * 5.0) / 4), "B": 10.0}
