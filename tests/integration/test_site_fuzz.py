"""Fuzzed site files: whatever the loader accepts fits both databases; the rest is refused plainly.

Hypothesis replaces one value of the small site with any text, number or list it can think
of (NUL, emoji, 10,000 characters, inf, 2**63...). A file that passes validation must load into
SQLite and PostgreSQL alike; one that does not gives a ConfigFileError whose every line names
the file and a line, and leaves the database as it was. The CLI is tried with a corpus of
hostile files in real processes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.engine import QueueEngine
from shared.errors import ConfigFileError
from shared.site_config import parse_site
from tests.conftest import SMALL_SITE

GOOD = SMALL_SITE.read_text(encoding="utf-8")
LINES = GOOD.splitlines()
# every single-line `key = value` of the file: the places a person edits
SLOTS = [i for i, line in enumerate(LINES) if re.match(r"^[a-z_\-]+ = ", line)]


def toml_value(value: object) -> str:
    """A TOML literal for a generated value (json's escapes are TOML's, floats as Python's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=5000),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=600), max_size=120),
)


@pytest.mark.timeout(600)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(slot=st.sampled_from(SLOTS), value=values)
def test_a_site_file_that_passes_validation_loads_into_either_database(
    engine: QueueEngine, slot: int, value: object
) -> None:
    key = LINES[slot].split(" = ", 1)[0]
    lines = list(LINES)
    lines[slot] = f"{key} = {toml_value(value)}"
    text = "\n".join(lines) + "\n"
    before = engine.catalogue()
    try:
        config = parse_site(text, "site.toml")
    except ConfigFileError as error:
        for line in error.line().splitlines():
            assert re.match(r"site\.toml:\d+: ", line), line
        assert engine.catalogue() == before
        return
    engine.load_site(config)  # never a database error: every bound is checked before
    engine.load_site(parse_site(GOOD, "site.toml"))


HOSTILE = {
    "spaces-header": GOOD + "[" + " " * 10_000 + "\n",
    "inf-minutes": GOOD.replace("service_minutes = 8", "service_minutes = inf", 1),
    "nan-minutes": GOOD.replace("service_minutes = 8", "service_minutes = nan", 1),
    "huge-fee": GOOD.replace("fee = 0", "fee = 3000000000", 1),
    "huge-quota": GOOD.replace("service_minutes = 8", "daily_quota = 3000000000", 1),
    "long-name": GOOD.replace('name = "Samsat"', f'name = "{"S" * 300}"', 1),
    "nul-name": GOOD.replace('name = "Samsat"', 'name = "Sam\\u0000sat"', 1),
    "nested": GOOD + "deep = " + "[" * 20_000 + "]" * 20_000 + "\n",
    "same-number": GOOD.replace('number = "2"', 'number = "1"', 1),
    "not-toml": "\x00\xff garbage ]]]\n",
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_cli_refuses_a_hostile_site_file_in_one_plain_line_and_changes_nothing(
    engine: QueueEngine, db_url: str, tmp_path, name: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(HOSTILE[name], encoding="utf-8", errors="surrogateescape")
    before = engine.catalogue()
    result = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "--db", db_url, "site", "load", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 4, result.stderr
    assert engine.catalogue() == before
