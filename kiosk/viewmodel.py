"""The kiosk's logic, without any screen: what is shown, and what each tap does.

Screens: home (agencies) -> agency (its services) -> service (the Standar Pelayanan and the
take-a-number button) -> ticket; home -> checkin (a booking's code, scanned or typed on the
screen's keyboard) -> ticket; and "unavailable" while the database cannot be reached. The QML
view only shows these properties and calls these slots; the tests drive the same slots.

A ticket is issued once per confirmed tap: the first tap sets `busy` at once and every tap
after it is ignored until the ticket screen shows. Database work runs on one worker thread and
printing on another, never on the GUI thread.
"""

from __future__ import annotations

import hmac
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from hardware.printing.errors import PrinterError
from hardware.printing.printer import StatusMonitor, ThermalPrinter
from hardware.printing.status import PrinterStatus
from hardware.printing.ticket import TicketPrint
from hardware.scanner import ScanLines
from hardware.serial_source import SerialSource
from kiosk.settings import KioskSettings
from shared.domain.appointments import CODE_LENGTH
from shared.domain.codes import ALPHABET, shown_code
from shared.domain.estimate import WaitEstimate
from shared.domain.hours import Availability
from shared.domain.states import EventKind
from shared.domain.values import Catalogue, ServiceEntry, Ticket
from shared.engine import QueueEngine
from shared.errors import AntrianError, DatabaseUnavailable, SetupError, UserError
from shared.i18n import Lang, as_lang, clock_text, next_lang, tr, tr_count, wait_text, when_text
from shared.qt.engine_view_model import EngineViewModel
from shared.qt.list_model import DictListModel
from shared.qt.qml_types import QVARIANT, QVARIANT_LIST
from shared.qt.runner import OpRunner

log = logging.getLogger(__name__)
OFFLINE_PIN_DELAY_MS = 3000  # a PIN tried while the database is away: one per 3 s

RETRY_MS = 3000
REFRESH_DEBOUNCE_MS = 800
PERIODIC_REFRESH_MS = 30_000
PRIORITY_GROUPS = ("elderly", "disability", "pregnant", "child")
MAX_TYPED = 2 * CODE_LENGTH  # what a scan of something else leaves is refused, not grown


@dataclass(frozen=True, slots=True)
class CheckInRefused:
    """A booking code the engine refused; `late_service`: the booking's service, when it came
    too late (the citizen is offered an ordinary ticket of it)."""

    refusal: UserError
    late_service: str | None


class KioskViewModel(EngineViewModel):
    changed = Signal()
    quitRequested = Signal()
    _printerStatusArrived = Signal(object)
    _scanArrived = Signal(str)

    def __init__(
        self,
        settings: KioskSettings,
        engine_factory: Callable[[], QueueEngine],
        printer: ThermalPrinter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(engine_factory, parent)
        self.settings = settings
        self.printer = printer
        self._printing = OpRunner(self)
        self._monitor: StatusMonitor | None = None
        self._lang: Lang = settings.language
        self._catalogue: Catalogue | None = None
        self._screen = "home"
        self._agency: str | None = None
        self._service: str | None = None
        self._ticket: Ticket | None = None
        self._print_state = ""
        self._print_error: AntrianError | None = None
        self._printer_status: PrinterStatus | None = None
        self._message = ""
        self._issuing = False
        self._pin_visible = False
        self._code = ""  # a booking code, as typed or scanned so far
        self._late_service: str | None = None
        self._scanner: SerialSource[str] | None = None
        # the lists QML shows: changed in place, not rebuilt on every tick of the clock
        self.agency_list = DictListModel(["code", "name", "waiting", "isOpen"], "code", self)
        self.service_list = DictListModel(
            ["code", "name", "status", "canIssue", "waiting"], "code", self
        )
        self.changed.connect(self._sync_lists)
        self._printerStatusArrived.connect(self.apply_printer_status)
        self._scanArrived.connect(self.scanned)
        self._retry = self._timer(RETRY_MS, self.refresh)
        self._debounce = self._timer(REFRESH_DEBOUNCE_MS, self.refresh)
        self._idle = self._timer(int(settings.idle_timeout * 1000), self.goHome)
        self._ticket_timer = self._timer(int(settings.ticket_seconds * 1000), self.goHome)
        self._clock = self._timer(1000, self.changed.emit, repeat=True)
        self._periodic = self._timer(PERIODIC_REFRESH_MS, self.refresh, repeat=True)

    # ------------------------------------------------------------------------- lifecycle

    def start(self, watch_printer: bool = True) -> None:
        self.refresh()
        self._clock.start()
        self._periodic.start()
        if watch_printer:
            self._monitor = StatusMonitor(
                self.printer, self._printerStatusArrived.emit, self.settings.status_interval
            ).start()
        if self.settings.scanner:
            self._scanner = SerialSource(
                self.settings.scanner,
                ScanLines(),
                self._scanArrived.emit,
                baudrate=self.settings.scanner_baud,
                what="scanner",
            ).start()

    def stop(self) -> None:
        if self._monitor is not None:
            self._monitor.stop()
        if self._scanner is not None:
            self._scanner.stop()
        self._printing.close()
        super().stop()

    # ------------------------------------------------------------------ database work

    @Slot()
    def refresh(self) -> None:
        """Reload the catalogue (services, open or not, waiting, estimates) in the background."""
        agencies = list(self.settings.agencies) or None
        need_cursor = not self.following

        def load() -> tuple[Catalogue, int | None]:
            engine = self._engine_now()
            engine.check_clock()  # a clock set back: "unavailable" until it is right
            cursor = engine.board().last_event_id if need_cursor else None
            return engine.catalogue(agencies), cursor

        self._db.run(load, self._loaded, self._failed)

    def _loaded(self, result: tuple[Catalogue, int | None]) -> None:
        catalogue, cursor = result
        self._catalogue = catalogue
        if cursor is not None:
            self._follow(
                cursor,
                lambda _event: self._debounce.start(),
                lambda online: None if online else self._debounce.start(),
            )
        if self._screen == "unavailable":
            self._screen = "home"
        self._retry.stop()
        self.changed.emit()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, UserError) and not isinstance(error, SetupError):
            self._message = error.message(self._lang)
        else:
            if not isinstance(error, DatabaseUnavailable | SetupError):
                log.error("kiosk: unexpected failure", exc_info=error)
            else:
                log.warning("kiosk: %s", error.line())
            self._screen = "unavailable"
            self._retry.start()
        self._issuing = False
        self.changed.emit()

    # -------------------------------------------------------------------- properties

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
        return self._catalogue.site_name if self._catalogue else ""

    @Property(str, notify=changed)
    def now(self) -> str:
        if self._engine is None:
            return ""
        return clock_text(self._engine.clock.now().astimezone(self._engine.zone), self._lang)

    @Property(bool, notify=changed)
    def busy(self) -> bool:
        return self._issuing

    @Property(str, notify=changed)
    def message(self) -> str:
        return self._message

    @Property(str, notify=changed)
    def dayOff(self) -> str:
        """Said on the home screen on a holiday of the site (empty on other days)."""
        day_off = self._catalogue.day_off if self._catalogue else None
        return tr("day_off_today", self._lang, name=day_off.get(self._lang)) if day_off else ""

    @Property(str, notify=changed)
    def printerNotice(self) -> str:
        """Said before a citizen chooses: the printer cannot print now (empty when it can)."""
        problem = self._printer_status.problem if self._printer_status else None
        if problem is None:
            return ""
        advice = "kiosk_printer_stopped" if self._blocked() else "kiosk_screen_only"
        return f"{tr(problem, self._lang)}. {tr(advice, self._lang)}"

    @Property(bool, notify=changed)
    def issuingBlocked(self) -> bool:
        return self._blocked()

    def _blocked(self) -> bool:
        status = self._printer_status
        return bool(status and status.problem and self.settings.printer_failure == "stop")

    @Property(QVARIANT_LIST, notify=changed)
    def agencies(self) -> list[dict[str, Any]]:
        return self._agency_rows()

    def _agency_rows(self) -> list[dict[str, Any]]:
        if self._catalogue is None:
            return []
        return [
            {
                "code": a.code,
                "name": a.name.get(self._lang),
                "waiting": tr("kiosk_waiting", self._lang, n=a.waiting),
                "isOpen": any(s.can_issue for s in a.services),
            }
            for a in self._catalogue.agencies
        ]

    @Property(QObject, constant=True)
    def agencyList(self) -> DictListModel:
        return self.agency_list

    @Property(QObject, constant=True)
    def serviceList(self) -> DictListModel:
        return self.service_list

    def _sync_lists(self) -> None:
        self.agency_list.sync(self._agency_rows())
        self.service_list.sync(self._service_rows())

    @Property(str, notify=changed)
    def agencyName(self) -> str:
        agency = self._agency_entry()
        return agency.name.get(self._lang) if agency else ""

    @Property(QVARIANT_LIST, notify=changed)
    def services(self) -> list[dict[str, Any]]:
        return self._service_rows()

    def _service_rows(self) -> list[dict[str, Any]]:
        agency = self._agency_entry()
        if agency is None:
            return []
        return [
            {
                "code": s.code,
                "name": s.name.get(self._lang),
                "status": self._status_text(s),
                "canIssue": s.can_issue,
            }
            for s in agency.services
        ]

    @Property(QVARIANT, notify=changed)
    def service(self) -> dict[str, Any]:
        entry = self._service_entry()
        if entry is None:
            return {}
        standard, lang = entry.standard, self._lang
        return {
            "code": entry.code,
            "name": entry.name.get(lang),
            "status": self._status_text(entry),
            "canIssue": entry.can_issue and not self._blocked(),
            "priorityAllowed": entry.priority_allowed,
            "untranslated": standard.untranslated(lang),
            "requirements": [r.get(lang) for r in standard.requirements],
            "procedure": standard.procedure.get(lang),
            "completion": standard.completion.get(lang),
            "fee": standard.fee.get(lang),
            "product": standard.product.get(lang),
            "complaints": standard.complaints.get(lang),
        }

    @Property(QVARIANT, notify=changed)
    def ticket(self) -> dict[str, Any]:
        ticket = self._ticket
        if ticket is None:
            return {}
        lang = self._lang
        return {
            "number": ticket.number,
            "service": ticket.service_name.get(lang),
            "agency": ticket.agency_name.get(lang),
            "priority": ticket.priority,
            "ahead": tr_count("kiosk_ahead", lang, ticket.people_ahead or 0),
            "estimate": self._estimate_text(ticket.wait),
            "appointment": self._appointment_text(ticket),
            "qr": self._qr_payload(ticket),
            "printState": self._print_state,
            "printText": self._print_text(),
        }

    @Property(str, notify=changed)
    def checkinCode(self) -> str:
        """The code typed so far, in groups of four as printed."""
        return shown_code(self._code)

    @Property(bool, notify=changed)
    def checkinLate(self) -> bool:
        """The booking came too late: an ordinary ticket of its service is offered."""
        return self._late_service is not None

    @Property(QVARIANT_LIST, constant=True)
    def codeKeys(self) -> list[str]:
        return list(ALPHABET)

    @Property(bool, notify=changed)
    def pinVisible(self) -> bool:
        return self._pin_visible

    @Slot(str, str, result=str)
    def t(self, key: str, lang: str) -> str:
        """A fixed label in `lang` (QML passes vm.lang so the binding follows the switch)."""
        return tr(key, as_lang(lang))

    # ------------------------------------------------------------------------- helpers

    def _agency_entry(self) -> Any:
        if self._catalogue is None:
            return None
        return next((a for a in self._catalogue.agencies if a.code == self._agency), None)

    def _service_entry(self) -> ServiceEntry | None:
        if self._catalogue is None or self._service is None:
            return None
        return self._catalogue.service(self._service)

    def _status_text(self, entry: ServiceEntry) -> str:
        lang = self._lang
        if entry.quota_left == 0:
            return tr("kiosk_quota_reached", lang)
        if entry.availability == Availability.ENDED:
            return tr("kiosk_issuing_ended", lang)
        if entry.availability != Availability.OPEN:
            assert self._catalogue is not None  # an entry comes from the catalogue
            when = when_text(entry.next_open, self._catalogue.day)
            return (
                tr("kiosk_closed_until", lang, when=when.get(lang))
                if when
                else tr("kiosk_closed", lang)
            )
        wait = tr("kiosk_wait", lang, wait=wait_text(entry.wait, lang))
        ahead = tr_count("ahead_now", lang, entry.ahead)  # as the ticket will say, not the queue
        status = f"{tr('kiosk_open', lang)} · {ahead} · {wait}"
        if entry.wait.past_closing:  # said before the citizen takes the ticket
            status += "\n" + tr("wait_not_today", lang)
        return status

    def _estimate_text(self, wait: WaitEstimate | None) -> str:
        if wait is None:
            return ""
        text = tr("kiosk_estimate", self._lang, wait=wait_text(wait, self._lang))
        return f"{text}\n{tr('wait_not_today', self._lang)}" if wait.past_closing else text

    def _appointment_text(self, ticket: Ticket) -> str:
        if ticket.source != "appointment":
            return ""
        zone = self._engine.zone if self._engine else None
        slot = ticket.original_issued_at.astimezone(zone).strftime("%H:%M")
        return tr("kiosk_appointment_at", self._lang, time=slot)

    def _qr_payload(self, ticket: Ticket) -> str:
        if self.settings.qr_payload == "url" and ticket.url:
            return ticket.url
        return f"ANTRIAN|{ticket.day.isoformat()}|{ticket.number}|{ticket.id}"

    def _print_text(self) -> str:
        lang = self._lang
        if self._print_state == "printing":
            return tr("kiosk_printing", lang)
        if self._print_state == "done":
            return tr("kiosk_printed", lang)
        if self._print_state == "screen_only":
            return tr("kiosk_screen_only", lang)
        if self._print_state == "failed":
            detail = self._print_error.message(lang) if self._print_error else ""
            return f"{detail}. {tr('kiosk_print_failed', lang)}"
        return ""

    def ticket_to_print(self, ticket: Ticket) -> TicketPrint:
        lang = self._lang
        zone = self._engine.zone if self._engine else None
        footer = self.settings.footer or (tr("ticket_keep", lang), tr("ticket_complaints", lang))
        standard = ticket.standard
        return TicketPrint(
            site_name=self._catalogue.site_name if self._catalogue else "",
            agency=ticket.agency_name.get(lang),
            service=ticket.service_name.get(lang),
            number=ticket.number,
            priority=ticket.priority,
            issued_at=ticket.issued_at.astimezone(zone),
            people_ahead=ticket.people_ahead,
            wait=ticket.wait,
            qr_payload=self._qr_payload(ticket),
            fee=standard.fee.get(lang) if standard else "",
            completion=standard.completion.get(lang) if standard else "",
            footer=tuple(footer),
            appointment=self._appointment_text(ticket),
        )

    # ---------------------------------------------------------------------- taps

    def _show(self, screen: str) -> None:
        self._screen = screen
        self._message = ""
        self.touched()
        self.changed.emit()

    @Slot()
    def touched(self) -> None:
        """Any tap: the idle timeout starts again."""
        self._idle.start()

    @Slot(str)
    def setLanguage(self, lang: str) -> None:
        self._lang = as_lang(lang)
        self.touched()
        self.changed.emit()

    @Slot()
    def nextLanguage(self) -> None:
        self.setLanguage(next_lang(self._lang))

    @Slot(str)
    def chooseAgency(self, code: str) -> None:
        if self._issuing:
            return
        self._agency = code
        self._show("agency")

    @Slot(str)
    def chooseService(self, code: str) -> None:
        if self._issuing:
            return
        self._service = code
        self._show("service")

    @Slot()
    def goBack(self) -> None:
        if self._issuing:
            return
        self._show({"service": "agency", "agency": "home"}.get(self._screen, "home"))

    @Slot()
    def goHome(self) -> None:
        if self._issuing:
            return
        self._ticket_timer.stop()
        self._agency = self._service = None
        self._code, self._late_service = "", None
        self._pin_visible = False
        if self._screen != "unavailable":
            self._show("home")
        self._ticket = None
        self._idle.stop()
        self.changed.emit()

    @Slot(str)
    def takeTicket(self, group: str) -> None:
        """Issue a ticket for the shown service; `group` is a priority group or ""."""
        entry = self._service_entry()
        if self._issuing or self._screen != "service" or entry is None or self._blocked():
            return
        self._issuing = True
        self.touched()
        self.changed.emit()
        code, priority = entry.code, group in PRIORITY_GROUPS
        self._db.run(
            lambda: self._engine_now().issue_ticket(code, priority=priority, source="kiosk"),
            self._issued,
            self._failed,
        )

    def _issued(self, ticket: Ticket) -> None:
        self._issuing = False
        self._ticket = ticket
        status = self._printer_status
        if status is not None and status.problem:
            self._print_state = "screen_only"
            self._ticket_timer.start()
        else:
            self._print(ticket)
        self._show("ticket")
        self._debounce.start()

    def _print(self, ticket: Ticket) -> None:
        self._print_state, self._print_error = "printing", None
        job = self.ticket_to_print(ticket)
        lang = self._lang
        self._printing.run(
            lambda: self.printer.print_ticket(job, lang), self._printed, self._print_failed
        )

    def _printed(self, _result: object) -> None:
        self._print_state = "done"
        self._ticket_timer.start()
        self.changed.emit()

    def _print_failed(self, error: Exception) -> None:
        self._print_state = "failed"
        self._print_error = (
            error if isinstance(error, AntrianError) else PrinterError(detail=str(error))
        )
        ticket = self._ticket
        log.error(
            "kiosk: ticket %s issued but not printed: %s",
            ticket.number if ticket else "?",
            self._print_error.line(),
        )
        self.changed.emit()

    @Slot()
    def reprint(self) -> None:
        if self._ticket is not None and self._print_state in ("failed", "done"):
            self.touched()
            self._ticket_timer.stop()
            self._print(self._ticket)
            self.changed.emit()

    @Slot(object)
    def apply_printer_status(self, status: PrinterStatus) -> None:
        self._printer_status = status
        self.changed.emit()

    # -------------------------------------------------------------------- check-in

    @Slot()
    def openCheckin(self) -> None:
        if self._issuing or self._screen == "unavailable":
            return
        self._code, self._late_service = "", None
        self._show("checkin")

    @Slot(str)
    def typeKey(self, key: str) -> None:
        """One character of a booking code (the screen's keyboard, or a key of a scanner)."""
        if self._issuing or self._screen != "checkin":
            return
        key = key.upper()
        if len(key) == 1 and key in ALPHABET and len(self._code) < MAX_TYPED:
            self._code += key
        self._message, self._late_service = "", None
        self.touched()
        self.changed.emit()

    @Slot()
    def eraseKey(self) -> None:
        self._code = self._code[:-1]
        self.touched()
        self.changed.emit()

    @Slot(str)
    def keyTyped(self, text: str) -> None:
        """A key reaching the window: a scanner typing (from the home screen too)."""
        if self._screen in ("home", "agency", "service") and not self._issuing:
            self.openCheckin()
        for key in text:
            self.typeKey(key)

    @Slot()
    def keyEnter(self) -> None:
        if self._screen == "checkin":
            self.submitCode()

    @Slot(str)
    def scanned(self, text: str) -> None:
        """A whole scan from a serial scanner: checked in at once, from any browsing screen."""
        if self._issuing or self._screen in ("ticket", "unavailable") or self._pin_visible:
            return
        self.openCheckin()
        self.keyTyped(text)
        self.submitCode()

    @Slot()
    def submitCode(self) -> None:
        """Check the booking in: inside its window the ticket is issued and printed as usual."""
        if self._issuing or self._screen != "checkin" or self._blocked():
            return
        code = self._code
        if not code:
            return
        self._issuing = True
        self.touched()
        self.changed.emit()

        def check_in() -> Ticket | CheckInRefused:
            engine = self._engine_now()
            try:
                return engine.check_in(code)[1]
            except UserError as refused:
                booking = engine.booking(code) if refused.key == "booking_too_late" else None
                return CheckInRefused(refused, booking.service if booking else None)

        self._db.run(check_in, self._checked_in, self._failed)

    def _checked_in(self, result: Ticket | CheckInRefused) -> None:
        if isinstance(result, Ticket):
            self._code = ""
            self._issued(result)
            return
        self._issuing = False
        self._message = result.refusal.message(self._lang)
        self._late_service = result.late_service
        self._code = ""
        self.changed.emit()

    @Slot()
    def takeOrdinary(self) -> None:
        """Too late for the booking: the service's own screen, to take an ordinary ticket."""
        service = self._late_service
        entry = self._catalogue.service(service) if self._catalogue and service else None
        if entry is None or self._issuing:
            return
        self._agency, self._service = entry.agency_code, entry.code
        self._late_service = None
        self._show("service")

    # ------------------------------------------------------------------------- admin

    @Slot()
    def adminRequest(self) -> None:
        """The hidden gesture: ask for the PIN (only when the site set one)."""
        if self.settings.admin_pin:
            self._pin_visible = True
            self._message = ""
            self.changed.emit()

    @Slot(str)
    def checkPin(self, pin: str) -> None:
        """Wrong PINs are counted and logged in the database (per kiosk PC): after a few,
        every try waits, doubling, so that 10,000 PINs cannot be tried."""
        place = f"kiosk:{socket.gethostname()}"

        def check() -> int | None:
            engine = self._engine_now()
            wait = engine.guess_wait("pin", place)
            if wait:
                return wait
            if self._pin_matches(pin):
                engine.guess_succeeded("pin", place)
                return None
            return engine.guess_failed("pin", place, EventKind.PIN_FAILED) or 0

        def unchecked(error: Exception) -> None:
            # no database to count tries in: check it here, slowly
            log.warning("kiosk: PIN checked without the database (%s)", error)
            QTimer.singleShot(
                OFFLINE_PIN_DELAY_MS,
                lambda: self._pin_checked(None if self._pin_matches(pin) else 0),
            )

        self._db.run(check, self._pin_checked, unchecked)

    def _pin_matches(self, pin: str) -> bool:
        return hmac.compare_digest(pin.encode(), self.settings.admin_pin.encode())

    def _pin_checked(self, wait: int | None) -> None:
        """None: the PIN was right; else the seconds before the next try (0: try again)."""
        if wait is None:
            self.quitRequested.emit()
            return
        log.warning("kiosk: wrong admin PIN")
        self._message = (
            tr("login_locked", self._lang, seconds=wait)
            if wait
            else tr("kiosk_wrong_pin", self._lang)
        )
        self.changed.emit()

    @Slot()
    def cancelPin(self) -> None:
        self._pin_visible = False
        self.changed.emit()
