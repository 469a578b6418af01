"""Site-file validation: every mistake named with its line and key, nothing half-loaded."""

from pathlib import Path

import pytest

from shared.errors import ConfigFileError
from shared.site_config import KEYS, load_site_file, parse_site
from tests.conftest import EXAMPLE_SITE, SMALL_SITE

GOOD = SMALL_SITE.read_text(encoding="utf-8")


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        parse_site(text, "site.toml")
    return [line.en for line in caught.value.lines] or [caught.value.text.en]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return found[nth - 1]


def test_the_shipped_example_is_a_realistic_mpp():
    config = load_site_file(EXAMPLE_SITE)
    assert len(config.agencies) >= 17
    assert len(config.services) >= 50
    for service in config.services:
        standard = service.standard
        assert standard.requirements and standard.procedure.id and standard.product.id
        assert standard.completion.id and standard.complaints.id and standard.fee.id


def test_the_example_gives_every_standard_in_english_and_the_small_site_says_what_it_lacks():
    for service in load_site_file(EXAMPLE_SITE).services:
        assert not service.standard.untranslated("en"), service.code
    ktp = next(s for s in load_site_file(SMALL_SITE).services if s.code == "KTP")
    assert ktp.standard.requirements[0].get("en") == "Copy of the family card"
    assert ktp.standard.procedure.lacks("en") and ktp.standard.untranslated("en")
    assert ktp.standard.procedure.get("en") == ktp.standard.procedure.id  # shown as published
    assert not ktp.standard.untranslated("id")


def test_the_small_site_gives_services_their_agencys_or_the_sites_hours():
    config = parse_site(GOOD)
    hours = {s.code: s.hours for s in config.services}
    assert hours["KTP"][4].last_ticket == 15 * 60 + 30  # site's "reguler" Friday
    assert hours["PKB"][0].closes == 12 * 60  # Samsat's "pagi"
    assert 5 not in hours["PKB"]


def test_an_unknown_key_is_named_with_its_line():
    text = GOOD.replace('prefix = "B"', 'prefix = "B"\nprefiks = "B"')
    assert errors_of(text) == [
        f"site.toml:{line_of(text, 'prefiks')}: unknown key 'prefiks' in [[services]] #3"
    ]


def test_a_missing_required_key_names_the_table_and_its_line():
    text = GOOD.replace('product = "Akta kelahiran"\n', "")
    (error,) = errors_of(text)
    header = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[services]]"][2]
    assert error == f"site.toml:{header}: required key 'product' is missing in [[services]] #3"


def test_a_duplicate_code_points_at_both_places():
    text = GOOD.replace('code = "KK"', 'code = "KTP"')
    error = errors_of(text)[0]  # the counters naming "KK" are reported after it
    first, second = line_of(text, 'code = "KTP"'), line_of(text, 'code = "KTP"', 2)
    assert error == (
        f"site.toml:{second}: code 'KTP' is used twice in [[services]] (first on line {first})"
    )


def test_bad_hours_are_refused_with_the_weekday_key():
    text = GOOD.replace(
        'sat = { open = "08:00", close = "12:00" }', 'sat = { open = "12:00", close = "08:00" }'
    )
    (error,) = errors_of(text)
    assert error.startswith(f"site.toml:{line_of(text, 'sat = ')}: bad hours 'sat'")


def test_a_wrong_type_is_named():
    text = GOOD.replace("daily_quota = 3", 'daily_quota = "tiga"')
    assert errors_of(text) == [
        f"site.toml:{line_of(text, 'daily_quota')}: 'daily_quota' must be a whole number"
    ]


def test_references_to_unknown_agencies_and_services_are_errors():
    text = GOOD.replace('services = ["PKB"]', 'services = ["PKB", "SIM"]').replace(
        'agency = "SAMSAT"\nprefix = "C"', 'agency = "POLRI"\nprefix = "C"'
    )
    found = errors_of(text)
    assert any("'agency' names the agency 'POLRI'" in e for e in found)
    assert any("'services' names the service 'SIM'" in e for e in found)


def test_an_active_service_that_no_active_counter_serves_is_refused_with_its_line():
    no_samsat_counter = GOOD.replace('services = ["PKB"]', "services = []")
    line = line_of(GOOD, 'code = "PKB"')
    assert errors_of(no_samsat_counter) == [
        f"site.toml:{line}: no active counter serves the service 'PKB': "
        "add it to a counter's 'services', or set active = false"
    ]
    closed_counter = GOOD.replace('services = ["PKB"]', 'services = ["PKB"]\nactive = false')
    assert len(errors_of(closed_counter)) == 1
    parse_site(no_samsat_counter.replace('code = "PKB"\n', 'code = "PKB"\nactive = false\n'))


def test_every_problem_is_reported_at_once():
    text = GOOD.replace('prefix = "C"', 'prefix = "c1"').replace(
        'selection = "strict"', 'selection = "random"'
    )
    found = errors_of(text)
    assert len(found) == 2
    assert "'prefix' has a bad value" in found[0] and "'selection' has a bad value" in found[1]


def test_a_toml_syntax_error_gives_its_line():
    text = GOOD.replace('name = "MPP Uji"', 'name = "MPP Uji')
    (error,) = errors_of(text)
    assert error.startswith(f"site.toml:{line_of(text, 'MPP Uji')}:")


def test_an_english_list_must_match_the_indonesian_one():
    text = GOOD.replace(
        'requirements_en = ["Copy of the family card", "Cover letter from RT/RW"]',
        'requirements_en = ["Copy of the family card"]',
    )
    (error,) = errors_of(text)
    assert "'requirements_en' must have as many items as 'requirements'" in error


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigFileError, match="tidak dapat dibaca"):
        load_site_file(tmp_path / "nope.toml")


def readme_site_keys() -> dict[str, dict[str, tuple[str, str]]]:
    """The README's reference: table -> key -> (type, required / default)."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("### Every key of the site file", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    current = None
    for line in section.splitlines():
        if line.startswith("`["):
            current = tables.setdefault(line.split("`")[1], {})
        elif line.startswith("| `") and current is not None:
            key, kind, need, meaning = (cell.strip() for cell in line.strip("|").split("|"))
            current[key.strip("`")] = (kind, need)
            if "+ `_en`" in meaning:  # its optional English twin
                current[key.strip("`") + "_en"] = (kind, "none")
    return tables


def test_the_readme_documents_every_key_of_the_site_file_as_the_validator_checks_it():
    words = {
        "text": "text",
        "texts": "list of texts",
        "int": "whole number",
        "number": "number",
        "bool": "true/false",
        "table": "table",
    }
    documented = readme_site_keys()
    assert set(documented) == set(KEYS)
    for table, spec in KEYS.items():
        assert set(documented[table]) == set(spec), table
        for key, field in spec.items():
            kind, need = documented[table][key]
            assert kind == words[field.kind], f"{table} {key}"
            assert (need == "required") == field.required, f"{table} {key}"


def test_a_site_words_its_own_skm_questions_but_not_their_answers_or_elements():
    config = load_site_file(EXAMPLE_SITE)
    wording = dict(config.site.skm_questions)
    assert set(wording) == {"U8"} and "parkir" in wording["U8"].id and wording["U8"].en
    assert config.site.publish_ikm
    (error,) = errors_of(GOOD + '\n[skm]\nU10 = "Apa kabar?"\n')
    assert "'U10'" in error
    (error,) = errors_of(GOOD + '\n[skm]\nU1 = "' + "x" * 600 + '"\n')
    assert "U1" in error
