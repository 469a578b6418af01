"""The SKM arithmetic of PermenPAN-RB 14/2017: NRR, IKM, grades and the minimum sample."""

import pytest

from shared.domain.skm import (
    CODES,
    ELEMENTS,
    from_sums,
    grade_of,
    minimum_sample,
    summarise,
    valid_answers,
)

WORKED = [  # five respondents, by hand: sums 18 17 15 19 16 18 19 16 17 = 155
    (4, 4, 3, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 3, 3, 3, 3, 3, 3),
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
]


def test_a_worked_example_gives_the_nrr_ikm_and_grade_computed_by_hand():
    result = summarise(WORKED)
    assert result.respondents == 5
    assert result.nrr == pytest.approx((3.6, 3.4, 3.0, 3.8, 3.2, 3.6, 3.8, 3.2, 3.4))
    assert result.ikm == pytest.approx(155 / 45 * 25)  # 86.11
    assert round(result.ikm, 2) == 86.11
    assert result.regulation_ikm == pytest.approx(31.0 * 0.111 * 25)  # 86.03
    assert result.grade.letter == "B" and result.grade.quality.id == "Baik"
    assert result.lowest() == ("U3", "U5", "U8")


def test_on_a_grade_boundary_the_exact_ninth_keeps_the_grade_the_regulation_weight_would_drop():
    result = from_sums(2500, [7661] * 9)  # every NRR 3.0644: the lowest B
    assert round(result.ikm, 2) == 76.61 and result.grade.letter == "B"
    assert (
        round(result.regulation_ikm, 2) == 76.53 and grade_of(result.regulation_ikm).letter == "C"
    )


@pytest.mark.parametrize(
    ("ikm", "letter"),
    [
        (100, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (88.305, "A"),
        (76.61, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.99, "D"),
        (25, "D"),
    ],
)
def test_grades_follow_the_regulations_intervals_at_two_decimals(ikm, letter):
    assert grade_of(ikm).letter == letter


def test_all_fours_is_100_and_a_in_nrr_terms_too():
    assert summarise([(4,) * 9] * 3).ikm == 100
    assert summarise([(3,) * 9]).grade.letter == "C"  # NRR 3.0 is under B's 3.0644


def test_no_respondents_has_no_grade_and_no_weak_elements():
    empty = summarise([])
    assert (empty.respondents, empty.ikm, empty.grade, empty.lowest()) == (0, 0.0, None, ())


@pytest.mark.parametrize(
    ("population", "sample"),  # Krejcie & Morgan (1970), Table 1
    [
        (10, 10),
        (30, 28),
        (50, 44),
        (75, 63),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (10_000, 370),
        (20_000, 377),
        (50_000, 381),
        (75_000, 382),
        (1_000_000, 384),
    ],
)
def test_the_minimum_sample_matches_krejcie_and_morgans_table(population, sample):
    assert minimum_sample(population) == sample


@pytest.mark.parametrize(
    "answers",
    [(4,) * 8, (4,) * 10, (4, 4, 4, 4, 4, 4, 4, 4, 5), (0,) * 9, (4.0,) * 9, ("4",) * 9],
)
def test_anything_but_nine_answers_of_1_to_4_is_refused(answers):
    assert not valid_answers(answers)


def test_the_questionnaire_has_the_nine_elements_each_with_four_answers_in_both_languages():
    assert tuple(f"U{i}" for i in range(1, 10)) == CODES
    for element in ELEMENTS:
        assert element.question.id and element.question.en
        assert len({a.id for a in element.answers}) == 4 and all(a.en for a in element.answers)
    assert [a.id for a in ELEMENTS[3].answers] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
