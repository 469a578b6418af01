"""What the display says: numbers in words or digits, letters one by one, the templates."""

import pytest

from display.phrases import call_phrase, number_words, valid_template


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("1", "satu"),
        ("10", "sepuluh"),
        ("11", "sebelas"),
        ("12", "dua belas"),
        ("100", "seratus"),
        ("101", "seratus satu"),
        ("123", "seratus dua puluh tiga"),
    ],
)
def test_numbers_read_as_indonesian_words(number, words):
    assert " ".join(number_words(number, "id", "words")) == words


def test_digits_mode_reads_each_digit_and_letters_one_by_one():
    assert number_words("A001", "id") == ["a", "nol", "nol", "satu"]
    assert number_words("AB12", "id") == ["a", "b", "satu", "dua"]


def test_zero_can_be_read_as_kosong():
    assert number_words("A001", "id", zero="kosong") == ["a", "kosong", "kosong", "satu"]


def test_a_call_and_a_recall_in_bahasa_indonesia():
    text = call_phrase("A001", "3").text
    assert text == "nomor antrian a nol nol satu, silakan menuju loket tiga"
    assert call_phrase("B012", "12", recall=True).text == (
        "sekali lagi nomor antrian b nol satu dua, silakan menuju loket dua belas"
    )


def test_a_call_in_english_and_in_words_mode():
    assert call_phrase("A001", "3", lang="en").text == (
        "queue number a zero zero one, please go to counter three"
    )
    assert call_phrase("C123", "2", mode="words").words[2:6] == ("c", "seratus", "dua", "puluh")


def test_a_site_can_word_the_call_its_own_way():
    templates = {"call": "antrian {number} ke loket {counter}"}
    assert call_phrase("A001", "3", templates=templates).text == (
        "antrian a nol nol satu ke loket tiga"
    )
    assert call_phrase("A001", "3", recall=True, templates=templates).words[:2] == (
        "sekali",
        "lagi",
    )  # no recall wording given: the language's own


def test_a_phrase_template_must_name_the_number_and_the_counter():
    assert valid_template("nomor {number} loket {counter}")
    assert not valid_template("nomor {number}")
    assert not valid_template("nomor {nomor} loket {counter}")
