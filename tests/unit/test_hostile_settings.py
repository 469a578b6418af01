"""Hostile and absurd settings files: refused plainly, in linear time, with the file, line and key.

Each test is one class of input a person or a broken editor can produce; the property tests
that load what passes into both databases are in tests/integration/test_site_fuzz.py.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.device_settings import Option, load_app_settings
from shared.errors import ConfigFileError
from shared.site_config import load_site_file, parse_site
from shared.store.tables import agencies, text_length
from tests.conftest import SMALL_SITE

GOOD = SMALL_SITE.read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    """The English lines of the error that `text` gets; fails if it is accepted."""
    with pytest.raises(ConfigFileError) as caught:
        parse_site(text, "site.toml")
    return caught.value.line().splitlines()


def with_value(key: str, value: str, nth: int = 1) -> str:
    """The small site with the `nth` `key = ...` line's value replaced by the TOML `value`."""
    lines = GOOD.splitlines()
    hits = [i for i, line in enumerate(lines) if re.match(rf"{key}\s*=", line)]
    lines[hits[nth - 1]] = f"{key} = {value}"
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "junk",
    ["[" + " " * 100_000, "[[" + " " * 100_000 + "x", "[" + "a " * 50_000, "x" * 100_000],
    ids=["bracket-spaces", "array-spaces", "many-words", "long-word"],
)
def test_the_line_scan_before_parsing_is_linear_in_hostile_lines(junk: str) -> None:
    assert len(problems(GOOD + junk + "\n")) == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("service_minutes", "inf"),
        ("service_minutes", "nan"),
        ("service_minutes", "-inf"),
        ("service_minutes", "1e308"),
        ("service_minutes", "0"),
        ("daily_quota", "3000000000"),
        ("fee", "3000000000"),
        ("fee", "-1"),
        ("completion_minutes", "99999999999"),
    ],
)
def test_numbers_that_are_not_finite_or_not_sane_are_refused_with_line_and_key(
    key: str, value: str
) -> None:
    text = with_value(key, value)
    [line] = problems(text)
    assert line.startswith(f"site.toml:{line_of(text, f'{key} = {value}')}: ")
    assert f"'{key}'" in line


def test_a_name_as_long_as_its_column_is_accepted_and_one_more_character_is_not() -> None:
    limit = text_length(agencies.c.name_id)
    assert parse_site(with_value("name", f'"{"n" * limit}"', nth=2))
    text = with_value("name", f'"{"n" * (limit + 1)}"', nth=2)
    line = problems(text)[0]  # then the agency's services name an agency that is not loaded
    where = line_of(text, 'name = "nnn')
    assert line.startswith(f"site.toml:{where}: ")
    assert f"at most {limit}" in line


def test_every_text_field_is_bounded_even_without_a_column() -> None:
    [line] = problems(with_value("procedure", f'"{"p" * 5000}"'))
    assert "'procedure' is too long" in line


@pytest.mark.parametrize("escape", ["\\u0000", "\\u001b", "\\b"])
def test_control_characters_such_as_nul_are_refused_in_any_text(escape: str) -> None:
    [line] = problems(with_value("name", f'"KTP{escape}Elektronik"', nth=4))
    assert "control character" in line


def test_control_characters_inside_a_list_are_refused() -> None:
    lines = problems(with_value("requirements", '["Fotokopi KK", "Surat\\u0000"]'))
    assert "'requirements' holds a control character" in lines[0]


def test_a_deeply_nested_array_is_one_plain_syntax_error() -> None:
    [line] = problems(GOOD + "deep = " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert "nested too deeply" in line


def test_a_file_with_a_byte_order_mark_loads_as_notepad_writes_it(tmp_path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_site_file(path).site.name == "MPP Uji"


def test_a_huge_file_is_refused_before_it_is_read_whole(tmp_path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(GOOD + "# " + "x" * 3_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigFileError, match="bytes"):
        load_site_file(path)


def test_two_counters_with_one_number_are_refused() -> None:
    text = with_value("number", '"1"', nth=2)
    [line] = problems(text)
    assert "counter number '1' is used twice" in line
    assert f"(also on line {line_of(GOOD, 'number = ')})" in line


def test_counter_numbers_are_compared_as_the_board_shows_them() -> None:
    [line] = problems(with_value("number", '" 1 "', nth=2))
    assert "used twice" in line


@pytest.mark.parametrize(
    "number",
    ["Loket 3", "LOKET3", "Counter 1", "Ⅻ", "Ö", "3½", "#5", "-3", "3/"],
)
def test_a_counter_number_the_voice_cannot_say_whole_is_refused(number: str) -> None:
    # said after "loket": "Ⅻ" or "Ö" would be silent, "Loket 3" "loket loket tiga"
    [line] = problems(with_value("number", f'"{number}"'))
    assert f"counter number '{number}' cannot be spoken by the display" in line
    assert f":{line_of(GOOD, 'number = ')}:" in line


def test_a_counter_number_is_kept_without_the_spaces_around_it() -> None:
    site = parse_site(with_value("number", '"  30 "'), "site.toml")
    assert (site.counters[0].number, site.counters[0].name) == ("30", "Loket 30")


@pytest.mark.parametrize("number", ["30", "12A", "L-01", "B.2", "3/4", "A  1", "loketa"])
def test_counter_numbers_of_letters_and_digits_load(number: str) -> None:
    site = parse_site(with_value("number", f'"{number}"'), "site.toml")
    assert site.counters[0].number == number


OPTIONS = {
    "timeout": Option("number", 45, low=5, high=3600),
    "copies": Option("int", 1, low=1, high=9),
    "name": Option("text", ""),
}


@pytest.mark.parametrize(
    "line",
    ["timeout = inf", "timeout = nan", "timeout = 1", "copies = 3000000000", 'name = "a\\u0000"'],
)
def test_device_settings_refuse_what_is_out_of_range_or_not_text(tmp_path, line: str) -> None:
    path = tmp_path / "pc.toml"
    path.write_text(f"[kiosk]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_app_settings(path, "kiosk", OPTIONS)
    assert caught.value.line().startswith(f"{path}:2: ")


def test_device_settings_accept_a_byte_order_mark(tmp_path) -> None:
    path = tmp_path / "pc.toml"
    path.write_bytes(b'\xef\xbb\xbfdatabase = "sqlite:///x.db"\n[kiosk]\ncopies = 2\n')
    assert load_app_settings(path, "kiosk", OPTIONS) == (
        "sqlite:///x.db",
        {"timeout": 45, "copies": 2, "name": ""},
    )


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from(sorted(OPTIONS)),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.text(max_size=2000),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
    ),
)
def test_any_device_setting_is_accepted_in_bounds_or_refused_with_its_line(key, value):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pc.toml"
        rendered = (
            json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
        )
        path.write_text(f"[kiosk]\n{key} = {rendered}\n", encoding="utf-8")
        try:
            _url, values = load_app_settings(path, "kiosk", OPTIONS)
        except ConfigFileError as error:
            assert all(line.startswith(f"{path}:") for line in error.line().splitlines())
            return
    option = OPTIONS[key]
    if option.kind in ("int", "number"):
        assert option.low <= values[key] <= option.high
    else:
        assert isinstance(values[key], str) and "\x00" not in values[key]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('"0\\nAsia/Jakarta\\r"', "0\\nAsia/Jakarta\\r"),
        ('"0\\u0085Asia\\u2028Jakarta\\u2029"', "0\\x85Asia\\u2028Jakarta\\u2029"),  # Unicode's
    ],
)
def test_a_value_with_line_breaks_is_still_one_line_per_problem(written, shown) -> None:
    [line] = problems(with_value("timezone", written))
    assert "'timezone'" in line and shown in line
