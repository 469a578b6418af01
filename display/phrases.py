"""What the loudspeaker says for a call, as words (for clips) and as text (for speech synthesis).

"Nomor antrian A nol nol satu, silakan menuju loket tiga"; a recall starts "Sekali lagi".
Letters are read one by one; numbers digit by digit ("nol nol satu") or as words ("seratus dua
puluh tiga"), a setting. Zero is "nol" (or "kosong", also a setting).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from num2words import num2words

from shared.i18n import Lang

# Phrase templates per language; {number} and {counter} are filled with spoken words.
TEMPLATES: Final[dict[Lang, dict[str, str]]] = {
    "id": {
        "call": "nomor antrian {number} silakan menuju loket {counter}",
        "recall": "sekali lagi nomor antrian {number} silakan menuju loket {counter}",
    },
    "en": {
        "call": "queue number {number} please go to counter {counter}",
        "recall": "once again queue number {number} please go to counter {counter}",
    },
}
DIGITS: Final[dict[Lang, tuple[str, ...]]] = {
    "id": ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}
# Spoken forms of the letters where a clip pack names them differently from the letter.
_CHUNK: Final = re.compile(r"[A-Za-z]|\d+")


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]  # clip names, in order: "nomor", "antrian", "a", "nol", ...

    @property
    def text(self) -> str:
        """For a speech synthesiser: the words with the pause after the number."""
        return " ".join(self.words).replace(" silakan", ", silakan").replace(" please", ", please")


def valid_template(template: str) -> bool:
    """A phrase template names both the number and the counter, and nothing else."""
    try:
        template.format(number="", counter="")
    except (KeyError, IndexError, ValueError):
        return False
    return "{number}" in template and "{counter}" in template


def number_words(text: str, lang: Lang, mode: str = "digits", zero: str = "nol") -> list[str]:
    """A ticket or counter number as spoken words: letters one by one, then the digits."""
    words: list[str] = []
    for chunk in _CHUNK.findall(text):
        if chunk.isalpha():
            words.append(chunk.lower())
        elif mode == "digits":
            digits = DIGITS[lang]
            words += [zero if d == "0" and lang == "id" else digits[int(d)] for d in chunk]
        else:
            words += (
                num2words(int(chunk), lang="id" if lang == "id" else "en")
                .replace("-", " ")
                .replace(",", "")
                .split()
            )
    return words


def call_phrase(
    number: str,
    counter: str,
    *,
    recall: bool = False,
    lang: Lang = "id",
    mode: str = "digits",
    zero: str = "nol",
    templates: Mapping[str, str] | None = None,
) -> Phrase:
    """The words announcing `number` at counter `counter` (its display number); `templates`
    ("call", "recall") replace the language's own (a site's wording)."""
    kind = "recall" if recall else "call"
    template = (templates or {}).get(kind) or TEMPLATES[lang][kind]
    counter_words = number_words(counter, lang, "words", zero)
    filled = template.format(
        number=" ".join(number_words(number, lang, mode, zero)), counter=" ".join(counter_words)
    )
    return Phrase(tuple(filled.split()))
