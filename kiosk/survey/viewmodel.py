"""The survey tablet's logic, without any screen: beside a counter it offers the survey for the
visit just finished there; anywhere, a citizen can type their ticket number. Then the nine
questions one at a time, four big answers each, and thanks; an idle tablet starts over. Beside a
counter, where the site publishes it, the start screen says its agency's index (IKM), read
again each hour.

Screens: start -> (number ->) question x 9 -> thanks; "message" says why a number cannot be
rated (unknown, not finished, already answered), "unavailable" while the database is away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.survey.settings import SurveySettings
from shared.domain.skm import ELEMENTS, Element, SkmResult
from shared.domain.states import EventKind
from shared.domain.values import Board, Catalogue
from shared.engine import QueueEngine
from shared.engine.survey import SurveyAnswer, SurveyReceipt
from shared.errors import DatabaseUnavailable, SetupError, UserError
from shared.i18n import Lang, LocalText, as_lang, figure, next_lang, tr, tr_count
from shared.qt.engine_view_model import EngineViewModel
from shared.qt.qml_types import QVARIANT

log = logging.getLogger(__name__)
RETRY_MS = 3000
NUMBER_LENGTH = 6  # a prefix of up to three letters and three digits
IKM_EVERY = timedelta(hours=1)  # the index, a year's answers, is read again after this long


@dataclass(frozen=True, slots=True)
class Published:
    """An agency's index as the site publishes it."""

    agency: LocalText
    result: SkmResult


# the site's name, the questions, the visit to rate, (when, the index) when read, the cursor
Loaded = tuple[
    str,
    tuple[Element, ...],
    SurveyReceipt | None,
    tuple[datetime, Published | None] | None,
    int | None,
]


class SurveyViewModel(EngineViewModel):
    changed = Signal()  # each view model its own: QML binds to the class's own signal

    def __init__(
        self,
        settings: SurveySettings,
        engine_factory: Callable[[], QueueEngine],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(engine_factory, parent)
        self.settings = settings
        self._lang: Lang = settings.language
        self._screen = "start"
        self._offer: SurveyReceipt | None = None  # the visit just finished at this counter
        self._ikm: Published | None = None  # the counter's agency's published index
        self._ikm_read: datetime | None = None  # when it was read (again after IKM_EVERY)
        self._visit: SurveyReceipt | None = None  # the visit being rated
        self._answers: list[int] = []
        self._typed = ""
        self._message = ""
        self._site = ""
        self._elements: tuple[Element, ...] = ELEMENTS  # as the site words them, once loaded
        self._idle = self._timer(int(settings.idle_timeout * 1000), self.startOver)
        self._thanks = self._timer(int(settings.thanks_seconds * 1000), self.startOver)
        self._retry = self._timer(RETRY_MS, self.refresh)

    # ------------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Look again for the visit just finished at this counter (in the background)."""
        counter = self.settings.counter
        need_cursor, ikm_read = not self.following, self._ikm_read

        def load() -> Loaded:
            engine = self._engine_now()
            catalogue = engine.catalogue()
            offer = engine.visit_to_rate(counter) if counter else None
            now = engine.clock.now()
            ikm_due = ikm_read is None or now - ikm_read >= IKM_EVERY
            board = engine.board() if need_cursor or ikm_due else None
            ikm = (
                (now, published(engine, board, catalogue))
                if board is not None and ikm_due
                else None
            )
            cursor = board.last_event_id if board is not None and need_cursor else None
            return catalogue.site_name, engine.questionnaire(), offer, ikm, cursor

        def published(engine: QueueEngine, board: Board, catalogue: Catalogue) -> Published | None:
            agency = next((c.agency_code for c in board.counters if c.code == counter), None)
            names = {a.code: a.name for a in catalogue.agencies}
            result = (engine.published_ikm() or {}).get(agency or "")
            if agency in names and result is not None and result.respondents:
                return Published(names[agency], result)
            return None

        self._db.run(load, self._loaded, self._failed)

    def _loaded(self, result: Loaded) -> None:
        self._site, self._elements, self._offer, ikm, cursor = result
        if ikm is not None:
            self._ikm_read, self._ikm = ikm
        if cursor is not None:
            self._follow(cursor, self._on_event)
        if self._screen == "unavailable":
            self._screen = "start"
        self.changed.emit()

    def _on_event(self, event: Any) -> None:
        if event.kind == EventKind.SITE_LOADED or (
            event.kind == EventKind.FINISHED and event.counter_code == self.settings.counter
        ):
            self.refresh()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, UserError) and not isinstance(error, SetupError):
            self._message = error.message(self._lang)
            self._screen = "message"
            self._idle.start()
        else:
            if not isinstance(error, DatabaseUnavailable | SetupError):
                log.error("survey: unexpected failure", exc_info=error)
            self._screen = "unavailable"
            self._retry.start()
        self.changed.emit()

    # --------------------------------------------------------------------- properties

    @Property(str, notify=changed)
    def screen(self) -> str:
        return self._screen

    @Property(str, notify=changed)
    def lang(self) -> str:
        return self._lang

    @Property(str, notify=changed)
    def nextLanguageName(self) -> str:
        """The language button's label: the next language, in its own words."""
        return tr("language_name", next_lang(self._lang))

    @Property(str, notify=changed)
    def siteName(self) -> str:
        return self._site

    @Property(str, notify=changed)
    def offer(self) -> str:
        """The number just served here, to rate with one tap ("" when none waits)."""
        return self._offer.number if self._offer else ""

    @Property(str, notify=changed)
    def offerText(self) -> str:
        return tr("skm_tablet_rate", self._lang, number=self._offer.number) if self._offer else ""

    @Property(str, notify=changed)
    def ikmText(self) -> str:
        """What citizens said of the counter's agency over the last year, when the site
        publishes it ("" otherwise)."""
        if self._ikm is None:
            return ""
        lang, result = self._lang, self._ikm.result
        grade = result.grade
        assert grade is not None  # published only with respondents
        return tr_count(
            "skm_tablet_ikm",
            lang,
            result.respondents,
            agency=self._ikm.agency.get(lang),
            ikm=figure(result.ikm, lang, 2),
            grade=f"{grade.letter} · {grade.quality.get(lang)}",
        )

    @Property(str, notify=changed)
    def visit(self) -> str:
        """The ticket and service being rated."""
        if self._visit is None:
            return ""
        return f"{self._visit.number} · {self._visit.service.get(self._lang)}"

    @Property(str, notify=changed)
    def typed(self) -> str:
        return self._typed

    @Property(str, notify=changed)
    def message(self) -> str:
        return self._message

    @Property(int, notify=changed)
    def index(self) -> int:
        return len(self._answers)

    @Property(int, constant=True)
    def total(self) -> int:
        return len(self._elements)

    @Property(QVARIANT, notify=changed)
    def question(self) -> dict[str, Any]:
        if len(self._answers) >= len(self._elements):
            return {}
        element = self._elements[len(self._answers)]
        return {
            "code": element.code,
            "text": element.question.get(self._lang),
            "answers": [a.get(self._lang) for a in element.answers],
        }

    @Slot(str, str, result=str)
    def t(self, key: str, lang: str) -> str:
        return tr(key, as_lang(lang))

    # ------------------------------------------------------------------------- actions

    def _touched(self) -> None:
        self._idle.start()

    @Slot()
    def toggleLanguage(self) -> None:
        self._lang = next_lang(self._lang)
        self._touched()
        self.changed.emit()

    @Slot()
    def rateOffered(self) -> None:
        """The citizen at the counter takes the survey of the visit just finished."""
        if self._offer is None:
            return
        self._begin(self._offer)

    @Slot()
    def typeNumber(self) -> None:
        self._typed, self._screen = "", "number"
        self._touched()
        self.changed.emit()

    @Slot(str)
    def key(self, key: str) -> None:
        if len(self._typed) < NUMBER_LENGTH:
            self._typed += key
        self._touched()
        self.changed.emit()

    @Slot()
    def erase(self) -> None:
        self._typed = self._typed[:-1]
        self._touched()
        self.changed.emit()

    @Slot()
    def confirmNumber(self) -> None:
        """Check the typed number can be rated (finished today, not yet rated), then begin."""
        number = self._typed.strip().upper()
        if not number:
            return
        self._touched()
        self._db.run(
            lambda: self._engine_now().visit_to_rate(None, number), self._begin, self._failed
        )

    def _begin(self, visit: SurveyReceipt | None) -> None:
        if visit is None:
            return
        self._visit, self._answers, self._screen = visit, [], "question"
        self._touched()
        self.changed.emit()

    @Slot(int)
    def answer(self, value: int) -> None:
        """One answer (1-4) to the current question; after the ninth, the survey is sent."""
        if self._screen != "question" or self._visit is None or value not in (1, 2, 3, 4):
            return
        self._answers.append(value)
        self._touched()
        if len(self._answers) == len(self._elements):
            self._send()
        self.changed.emit()

    @Slot()
    def back(self) -> None:
        """The previous question again (its answer is taken back); before the first, the
        start screen."""
        if self._answers:
            self._answers.pop()
        else:
            self._screen, self._visit = "start", None
        self._touched()
        self.changed.emit()

    def _send(self) -> None:
        visit, answers = self._visit, tuple(self._answers)
        assert visit is not None
        self._screen = "sending"

        def send() -> SurveyReceipt:
            return self._engine_now().answer_survey(
                SurveyAnswer(answers, "tablet"), number=visit.number, day=visit.day
            )

        self._db.run(send, self._sent, self._failed)

    def _sent(self, _receipt: SurveyReceipt) -> None:
        self._screen, self._visit, self._answers = "thanks", None, []
        self._idle.stop()
        self._thanks.start()
        self.refresh()  # the visit just rated is no longer offered
        self.changed.emit()

    @Slot()
    def startOver(self) -> None:
        self._screen, self._visit, self._answers, self._typed, self._message = (
            "start",
            None,
            [],
            "",
            "",
        )
        self._lang = self.settings.language
        self._idle.stop()
        self._thanks.stop()
        self.changed.emit()
