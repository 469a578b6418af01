"""The message catalogues (`shared/locale/<lang>/LC_MESSAGES/antrian.po`): every message in
every language with the same placeholders, every key the code names present, the compiled
catalogues current, and a language added without code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from shared import i18n
from shared.i18n import LANGS, LOCALE_DIR, as_lang, next_lang, tr

ROOT = Path(__file__).parents[2]
PARTS = ("shared", "hardware", "kiosk", "display", "counter", "web")
ERRORS = ("UserError", "ServiceError", "CounterError", "TicketError", "AuthError")
COUNTED = {name: None for name in ("tr_count", "counted")}  # the message about n of something
KEYWORDS = {name: None for name in ("tr", "both", "_", "AntrianError", *ERRORS)} | COUNTED
KEYWORDS |= {"ConfigFileError": None, "SetupError": None}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def texts(lang: str) -> dict[str, str]:
    """A catalogue's messages, read from its .po file."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "antrian.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def named_in_code(keywords: dict[str, None] = KEYWORDS, qml: bool = True) -> set[str]:
    """The message keys the code names literally: tr("..."), both("..."), an error's key,
    _("...") in the web's templates, t("...") in the apps' QML."""
    found: set[str] = set()
    for part in PARTS:
        method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
        options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / part, method_map, options, keywords=keywords
        ):
            # ("kiosk_priority_" + kind: a prefix the code completes, not a key)
            if isinstance(message, str) and re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", message):
                found.add(message)
        for file in (ROOT / part).rglob("*.qml") if qml else ():
            found |= set(re.findall(r'\bt\("([a-z][a-z0-9_]*[a-z0-9])"', file.read_text()))
    return found


def test_a_message_about_a_number_of_things_has_its_form_for_one():
    counted = named_in_code(COUNTED, qml=False)
    assert {"web_people_ahead", "kiosk_ahead", "booking_places"} <= counted  # (found at all)
    assert {f"{key}_one" for key in counted} <= set(texts("id"))


def test_bahasa_indonesia_and_english_are_shipped():
    assert LANGS[:2] == ("id", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_only_the_placeholders_the_code_gives(lang):
    """(The code gives what Bahasa Indonesia and English name: an English text may take
    `expected_en` where the Indonesian one takes `expected`.)"""
    source, english, translated = texts("id"), texts("en"), texts(lang)
    assert set(translated) == set(source)
    for key, text in source.items():
        assert translated[key].strip(), f"{lang}: {key} has no text"
        given = set(PLACEHOLDER.findall(text)) | set(PLACEHOLDER.findall(english[key]))
        assert set(PLACEHOLDER.findall(translated[key])) <= given, key


def test_every_key_the_code_names_is_in_the_catalogue():
    named = named_in_code()
    assert len(named) > 300  # the extraction found the code's messages
    assert sorted(named - set(texts("id"))) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_is_the_current_one(lang):
    """(`make setup` compiles a changed .po; a stale .mo would show yesterday's words.)"""
    for key, text in texts(lang).items():
        assert i18n.catalogue(lang).gettext(key) == text, key


def test_a_key_no_catalogue_has_is_an_error_not_a_key_on_screen():
    with pytest.raises(KeyError):
        tr("no_such_message", "en")


def test_a_regional_language_is_added_with_a_catalogue_alone(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    with (LOCALE_DIR / "id" / "LC_MESSAGES" / "antrian.po").open("rb") as po:
        javanese = read_po(po, locale="jv")
    javanese["unknown_service"].string = "Layanan ora dikenal: {service}"
    del javanese["quota_reached"]  # not translated yet: said in Bahasa Indonesia
    folder = locale / "jv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "antrian.mo").open("wb") as mo:
        write_mo(mo, javanese)
    (folder / "antrian.po").write_text("")  # its source, as a translator leaves it
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "LANGS", i18n.languages())
    i18n.catalogue.cache_clear()
    try:
        assert i18n.LANGS == ("id", "en", "jv")
        assert as_lang("jv_ID.UTF-8") == "jv"
        # the apps' language button goes round every language
        assert [next_lang(lang) for lang in ("id", "en", "jv")] == ["en", "jv", "id"]
        assert tr("unknown_service", "jv", service="X") == "Layanan ora dikenal: X"
        said = {"service": "KTP", "quota": 5}
        assert tr("quota_reached", "jv", **said) == tr("quota_reached", "id", **said)
    finally:
        i18n.catalogue.cache_clear()


def test_a_language_without_a_catalogue_is_bahasa_indonesia():
    assert as_lang("fr_FR.UTF-8") == "id"
    assert as_lang("en-US") == "en"
    assert as_lang(None) == "id"
