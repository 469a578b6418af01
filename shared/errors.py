"""Typed errors. A `UserError` is something a person caused and can fix; it changes nothing."""

from __future__ import annotations

import re
from typing import Final

from shared.i18n import Lang, LocalText, tr

# user:password@ in a URL, and password=... in a connection string
_URL_SECRET: Final = re.compile(r"(?P<head>://[^\s:/@]*:)\S*@")
_KEY_SECRET: Final = re.compile(r"(?P<head>password=)[^\s&]*", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`text` with every password in a database URL or connection string replaced by ***."""
    return _KEY_SECRET.sub(r"\g<head>***", _URL_SECRET.sub(r"\g<head>***@", text))


class AntrianError(Exception):
    """Base of the project's errors; carries a message key with both languages.

    Text parameters are masked: no message ever shows a database password.
    """

    key = "db_unavailable"

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.key = key or type(self).key
        self.params = {k: mask_secrets(v) if isinstance(v, str) else v for k, v in params.items()}
        super().__init__(self.message("id"))

    @property
    def text(self) -> LocalText:
        return LocalText(self.message("id"), self.message("en"))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by key and parameters (errors cross process boundaries in the simulator)."""
        return (_rebuild, (type(self), self.key, self.params))

    def message(self, lang: Lang) -> str:
        """The message in `lang`; a LocalText parameter is taken in that language too."""
        params = {k: v.get(lang) if isinstance(v, LocalText) else v for k, v in self.params.items()}
        return tr(self.key, lang, **params)

    def line(self) -> str:
        """One line in both languages, for terminals and logs."""
        text = self.text
        return text.id if text.id == text.en else f"{text.id} / {text.en}"


def _rebuild(cls: type[AntrianError], key: str, params: dict[str, object]) -> AntrianError:
    return cls(key, **params)


class UserError(AntrianError):
    """Bad input or a refused request: exit status 2, nothing changed."""


class ServiceError(UserError):
    """A ticket cannot be issued for this service (unknown, inactive, closed, quota, priority)."""


class CounterError(UserError):
    """A counter action that makes no sense now (unknown counter, not open, no ticket...)."""


class TicketError(UserError):
    """An action on a ticket that its state or owner does not allow."""


class AuthError(UserError):
    """Unknown user, wrong password, bad role."""


class ConfigFileError(UserError):
    """A site or settings file is unreadable or invalid; each line names the file, line, key."""

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.lines: tuple[LocalText, ...] = ()
        super().__init__(key, **params)

    @classmethod
    def from_lines(cls, lines: list[LocalText]) -> ConfigFileError:
        error = cls("site_file_error", path="", line=0, detail="")
        error.lines = tuple(lines)
        error.args = (error.message("id"),)
        return error

    def message(self, lang: Lang) -> str:
        if self.lines:
            return "\n".join(line.get(lang) for line in self.lines)
        return super().message(lang)

    def line(self) -> str:
        """Each problem on its own line, in both languages."""
        if not self.lines:
            return super().line()
        return "\n".join(f"{t.id} / {t.en.split(': ', 1)[-1]}" for t in self.lines)


class SetupError(UserError):
    """The database needs a command before it can be used (upgrade, site load...)."""


class DatabaseUnavailable(AntrianError):
    """The database cannot be reached now; callers retry."""

    key = "db_unavailable"


class DatabaseBroken(AntrianError):
    """The database file is damaged: restore it from a backup (exit status 1)."""

    key = "db_corrupt"
