"""The translation layer: every user-visible string, Bahasa Indonesia first, English second.

The messages live in gettext catalogues, one per language: `shared/locale/<lang>/LC_MESSAGES/
antrian.po`, whose message ids are the keys the code names (`tr("quota_reached", lang)`) and
whose texts use str.format placeholders. They are compiled to `.mo` files by the build (and by
`make setup` in a source tree) and read here with the standard library's gettext. A language is
added without code: a folder with its translated copy of `id/LC_MESSAGES/antrian.po`, compiled.
"""

from __future__ import annotations

import gettext
import math
import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Final, TypeAlias

from babel import UnknownLocaleError
from babel.numbers import format_decimal

from shared.domain.estimate import LONG_FROM, LONG_STEP, WaitEstimate

Lang: TypeAlias = str  # a language with a catalogue: "id", "en", ...
DEFAULT_LANG: Final[Lang] = "id"
LOCALE_DIR: Final = Path(__file__).with_name("locale")
DOMAIN: Final = "antrian"
NO_BREAK: Final = "\u00a0"  # a space a line is never broken at
NO_BREAK_HYPHEN: Final = "\u2011"  # a hyphen a line is never broken after ("20-35")


def languages() -> tuple[Lang, ...]:
    """The languages with a catalogue, Bahasa Indonesia and English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    first = [lang for lang in (DEFAULT_LANG, "en") if lang in found]
    return (*first, *(lang for lang in found if lang not in first))


LANGS: Final[tuple[Lang, ...]] = languages()


@cache
def catalogue(lang: Lang) -> gettext.NullTranslations:
    """The compiled catalogue of `lang`, falling back to Bahasa Indonesia's."""
    try:
        found = gettext.translation(DOMAIN, LOCALE_DIR, [lang])
    except FileNotFoundError:
        if lang in LANGS:  # a source tree whose catalogues were never compiled
            raise RuntimeError(
                f"{LOCALE_DIR}/{lang}/LC_MESSAGES/{DOMAIN}.mo is missing: run `make setup`"
            ) from None
        return catalogue(DEFAULT_LANG)
    if lang != DEFAULT_LANG:
        found.add_fallback(catalogue(DEFAULT_LANG))
    return found


@dataclass(frozen=True, slots=True)
class LocalText:
    """A text in both languages of the product."""

    id: str
    en: str

    def get(self, lang: Lang) -> str:
        """The text in `lang`; Bahasa Indonesia where no English was given."""
        return self.en if lang == "en" and self.en else self.id

    def lacks(self, lang: Lang) -> bool:
        """Whether `get(lang)` falls back to Bahasa Indonesia for want of an English text."""
        return lang == "en" and bool(self.id) and not self.en


def as_lang(value: str | None) -> Lang:
    """Map a language setting ("en", "en_US.UTF-8", "id") to a language with a catalogue
    (Bahasa Indonesia when there is none)."""
    code = (value or "").lower().replace("-", "_").split(".")[0]
    for lang in (code, code.split("_")[0]):
        if lang in LANGS:
            return lang
    return DEFAULT_LANG


def next_lang(lang: Lang) -> Lang:
    """The language after `lang` among those with a catalogue: what an app's language button
    switches to (Bahasa Indonesia, English, then any regional one, round again)."""
    index = LANGS.index(lang) if lang in LANGS else -1
    return LANGS[(index + 1) % len(LANGS)]


def env_lang() -> Lang:
    """The language for terminal output: ANTRIAN_LANG, else Bahasa Indonesia."""
    return as_lang(os.environ.get("ANTRIAN_LANG", DEFAULT_LANG))


def tr(message: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
    """The message `message` in `lang`, formatted with `params` (str.format placeholders); a
    message its catalogue lacks is given in Bahasa Indonesia, one no catalogue has is a bug."""
    text = catalogue(lang).gettext(message)
    if text is message:  # gettext hands back the id itself when no catalogue has it
        raise KeyError(message)
    return text.format(**params)


def tr_count(message: str, lang: Lang, n: int, /, **params: object) -> str:
    """`message` about `n` of something, in its "_one" form for exactly one: English says
    "1 person ahead of you" where Bahasa Indonesia says "1 orang" as it says "2 orang"."""
    return tr(f"{message}_one" if n == 1 else message, lang, n=n, **params)


def figure(value: float, lang: Lang, digits: int = 1) -> str:
    """A number as `lang` writes it: "87,18" and "1.234" in Bahasa Indonesia (where "3.462"
    would read as three thousand), "87.18" and "1,234" in English; a whole number (an int)
    without decimals, a fraction with `digits` of them."""
    pattern = "#,##0" if isinstance(value, int) or digits <= 0 else "#,##0." + "0" * digits
    try:
        return format_decimal(value, format=pattern, locale=lang)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know: as Indonesian
        return format_decimal(value, format=pattern, locale=DEFAULT_LANG)


def both(message: str, /, **params: object) -> LocalText:
    """The message `message` in both languages."""
    return LocalText(tr(message, "id", **params), tr(message, "en", **params))


def wait_text(wait: WaitEstimate, lang: Lang) -> str:
    """A wait as people read it: "15 menit", "20-35 menit", "< 15 menit" (a range from nought:
    never "0-15" to a citizen with people ahead), a range an hour or more away in half hours
    ("3,5-6 jam", not "210-360 menit"), "sebentar lagi", and past the service's
    closing, "lebih dari 2 jam" (the time left until closing). Its spaces and a range's hyphen
    do not break: a narrow phone or paper never leaves "25-" on one line and "75 menit" on the
    next."""
    return _wait_words(wait, lang).replace(" ", NO_BREAK).replace("-", NO_BREAK_HYPHEN)


def _wait_words(wait: WaitEstimate, lang: Lang) -> str:
    if wait.past_closing:
        if wait.low >= 60:
            return tr("wait_more_hours", lang, h=wait.low // 60)
        if wait.low > 0:
            return tr("wait_more_minutes", lang, m=wait.low)
        return tr("wait_unknown", lang)
    if wait.is_range:
        if wait.low == 0:
            return tr("wait_under", lang, high=wait.high)
        if wait.low >= LONG_FROM:
            low = _hours(LONG_STEP * math.floor(wait.low / LONG_STEP), lang)
            high = _hours(LONG_STEP * math.ceil(wait.high / LONG_STEP), lang)
            return tr("wait_range_hours", lang, low=low, high=high)
        return tr("wait_range", lang, low=wait.low, high=wait.high)
    if wait.minutes == 0:
        return tr("wait_soon", lang)
    return tr("wait_minutes", lang, m=wait.minutes)


def _hours(minutes: int, lang: Lang) -> str:
    """Whole or half hours as a language writes them: "3", "3,5" ("3.5" in English)."""
    return figure(minutes / 60, lang) if minutes % 60 else figure(minutes // 60, lang)


def when_text(moment: datetime | None, today: date) -> LocalText | None:
    """When something opens, as people say it: "hari ini pukul 08:00", "Senin pukul 08:00"."""
    if moment is None:
        return None
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return both("today_at", time=clock)
    weekday = both(f"weekday_{moment.weekday()}")
    return LocalText(
        tr("weekday_at", "id", weekday=weekday.id, time=clock),
        tr("weekday_at", "en", weekday=weekday.en, time=clock),
    )


def clock_text(moment: datetime, lang: Lang) -> str:
    """The date and time the screens show: "Senin, 30-11-2026  09:30"."""
    return f"{tr(f'weekday_{moment.weekday()}', lang)}, {moment:%d-%m-%Y  %H:%M}"


def rupiah(amount: int) -> LocalText:
    """A fee as people read it: "Gratis" for 0, else "Rp 50.000"."""
    if amount <= 0:
        return both("fee_free")
    text = f"Rp {amount:,}".replace(",", ".")
    return LocalText(text, text)
