"""The counter app's logic, without any window: login, the actions, the waiting list, the button.

Every engine call runs on a worker thread, one at a time. While one runs, the actions are
disabled and further presses (mouse, keyboard or call button) are ignored: a press is never
doubled. A refusal (the ticket was changed elsewhere, nobody waiting) becomes a plain message
and the view is refreshed; a lost database disables the actions behind a banner until it is
back.
"""

from __future__ import annotations

import logging
import math
import socket
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter.settings import CounterSettings
from hardware.buttons.events import ButtonAction, ButtonEvent
from hardware.buttons.protocols import make_protocol
from hardware.serial_source import SerialSource
from shared.domain.states import CounterState, counter_actions
from shared.domain.values import CounterStatus, CounterView, Ticket
from shared.engine import QueueEngine
from shared.engine.admin import StaffMember
from shared.errors import DatabaseUnavailable, SetupError, UserError
from shared.i18n import Lang, tr, tr_count
from shared.qt.engine_view_model import EngineViewModel

log = logging.getLogger(__name__)

RETRY_MS = 3000
TO_COUNTER = "counter:"  # a transfer choice that names a counter, not a service
REFRESH_DEBOUNCE_MS = 250

BUTTON_ACTIONS = {
    ButtonAction.NEXT: "next",
    ButtonAction.RECALL: "recall",
    ButtonAction.START: "start",
    ButtonAction.FINISH: "finish",
    ButtonAction.SKIP: "skip",
    ButtonAction.PARK: "park",
    ButtonAction.PAUSE: "pause",
}


class CounterViewModel(EngineViewModel):
    changed = Signal()
    password_changed = Signal()  # a person's own, from the login page
    password_change_needed = Signal()  # the password was temporary: the page asks for one
    shown = Signal(str)  # a ticket number now on screen (for the benchmark and tests)
    _buttonPressed = Signal(object)
    _buttonStatus = Signal(bool)

    def __init__(
        self,
        settings: CounterSettings,
        engine_factory: Callable[[], QueueEngine],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(engine_factory, parent)
        self.settings = settings
        self.lang: Lang = settings.language
        self._action_pending = False
        self.member: StaffMember | None = None
        self.counter_code: str | None = settings.counter
        self.counters: list[tuple[str, str]] = []  # (code, name) to choose from at login
        self.view: CounterView | None = None
        self.message = ""
        self.message_is_error = False  # a refusal, not an account of what was done
        self.locked_until: float | None = None  # time.monotonic() when a login may be tried
        self.offline = False
        self.buttons_connected: bool | None = None
        self._buttons: SerialSource[ButtonEvent] | None = None
        self._retry = self._timer(RETRY_MS, self.refresh)
        self._debounce = self._timer(REFRESH_DEBOUNCE_MS, self.refresh)
        self._buttonPressed.connect(self.on_button)
        self._buttonStatus.connect(self._on_button_status)

    # ----------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Load what the login screen offers; start the call-button receiver if set."""
        self._load_counters()
        if self.settings.buttons:
            protocol = make_protocol(
                self.settings.protocol, pattern=self.settings.pattern, keymap=self.settings.keymap
            )
            self._buttons = SerialSource(
                self.settings.buttons,
                protocol,
                self._buttonPressed.emit,
                self._buttonStatus.emit,
                baudrate=self.settings.baud,
            ).start()

    def stop(self) -> None:
        if self._buttons is not None:
            self._buttons.stop()
        super().stop()

    def _load_counters(self) -> None:
        self._run(lambda e: e.board().counters, self._loaded_counters, action=False)

    def _loaded_counters(self, counters: Sequence[CounterStatus]) -> None:
        self.counters = [(c.code, c.name) for c in counters]
        self.changed.emit()

    # ----------------------------------------------------------------------- engine work

    def _run(
        self,
        work: Callable[[QueueEngine], Any],
        done: Callable[[Any], None],
        refresh_after: bool = False,
        failed: Callable[[Exception], None] | None = None,
        action: bool = True,
    ) -> bool:
        """Queue `work(engine)` on the worker. A person's action is ignored (False) while the
        previous one is still running; background reloads just queue behind."""
        if action and self._action_pending:
            return False
        self._action_pending = self._action_pending or action

        def job() -> Any:
            return work(self._engine_now())

        def finished(result: Any) -> None:
            self._settled(action)
            self._back_online()
            done(result)
            if refresh_after:
                self.refresh()

        def refused(error: Exception) -> None:
            self._settled(action)
            (failed or self._failed)(error)

        self._db.run(job, finished, refused)
        return True

    def _settled(self, action: bool) -> None:
        if action:
            self._action_pending = False
            self.changed.emit()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, UserError) and not isinstance(error, SetupError):
            self._say(error.message(self.lang), error=True)
            self.changed.emit()
            self.refresh()
            return
        if not isinstance(error, DatabaseUnavailable | SetupError):
            log.error("counter: unexpected failure", exc_info=error)
        self.offline = True
        self._say("")
        self._retry.start()
        self.changed.emit()

    def _back_online(self) -> None:
        if self.offline:
            self.offline = False
            self.changed.emit()

    def refresh(self) -> None:
        """Reload this counter's view (current ticket, waiting list, today's figures)."""
        if self.member is None or self.counter_code is None:
            if self.offline:
                self._load_counters()  # the login screen's list, once the database is back
            return
        code = self.counter_code
        self._run(lambda e: e.counter_view(code), self._viewed, action=False)

    def _viewed(self, view: CounterView) -> None:
        if self.member is not None and view.counter.staff != self.member.username:
            # the account logged in at another counter (one at a time): this session ended
            self._logged_out()
            self._say(tr("counter_taken_elsewhere", self.lang), error=True)
            self.changed.emit()
            return
        self.view = view
        if not self.following:
            self._follow(
                view.last_event_id, lambda _event: self._debounce.start(), self._feed_online
            )
        self.changed.emit()
        if view.counter.current is not None:
            self.shown.emit(view.counter.current.number)

    def _feed_online(self, online: bool) -> None:
        if not online and not self.offline:
            self.offline = True
            self._retry.start()
            self.changed.emit()

    # ------------------------------------------------------------------------- login

    @property
    def place(self) -> str:
        """This PC, as the engine counts wrong passwords per place."""
        return f"counter:{socket.gethostname()}"

    def login(self, username: str, password: str, counter: str | None) -> None:
        """Log in through the engine, which counts wrong passwords per account and per PC."""
        chosen = self.settings.counter or counter
        self._run(
            lambda e: e.login(username, password, chosen, place=self.place),
            lambda member: self._logged_in(member, chosen),
            failed=self._login_refused,
        )

    def change_password(self, username: str, current: str, new: str, again: str) -> None:
        """A person's own new password, from the login page: the current one is checked as a
        login's is (wrong ones count towards the same waits)."""
        if new != again:
            self._say(tr("password_mismatch", self.lang), error=True)
            self.changed.emit()
            return
        self._run(
            lambda e: e.change_own_password(username, current, new, place=self.place),
            lambda _result: self._password_changed(),
            failed=self._login_refused,
        )

    def _password_changed(self) -> None:
        self._say(tr("counter_password_changed", self.lang))
        self.locked_until = None
        self.password_changed.emit()
        self.changed.emit()

    def _logged_in(self, member: StaffMember, counter: str | None) -> None:
        self.member, self.counter_code = member, counter
        self._say("")
        self.locked_until = None
        self.changed.emit()
        self.refresh()

    def _login_refused(self, error: Exception) -> None:
        if isinstance(error, UserError) and error.key == "login_locked":
            seconds = int(str(error.params.get("seconds", 0)))
            self.locked_until = time.monotonic() + seconds
        if isinstance(error, UserError) and error.key == "password_temporary":
            self.password_change_needed.emit()  # set by an admin: one's own first
        self._failed(error)

    def login_message(self) -> str:
        """What the login page says now: the wait after wrong passwords counts down live."""
        if self.locked_until is not None:
            left = math.ceil(self.locked_until - time.monotonic())
            if left > 0:
                return tr("login_locked", self.lang, seconds=left)
            self.locked_until = None
            self._say("")
        return self.message

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > time.monotonic()

    def logout(self) -> None:
        if self.member is None or not self.enabled("logout"):
            return
        username, counter = self.member.username, self.counter_code
        self._run(lambda e: e.logout(username, counter), lambda _r: self._logged_out())

    def _logged_out(self) -> None:
        self.member, self.view = None, None
        if self.settings.counter is None:
            self.counter_code = None
        self._unfollow()
        self.changed.emit()

    # ----------------------------------------------------------------------- actions

    @property
    def busy(self) -> bool:
        """A person's action is running (background reloads do not count)."""
        return self._action_pending

    def local_time(self) -> str:
        """The site's time of day, for the top bar."""
        if self._engine is None:
            return ""
        return self._engine.clock.now().astimezone(self._engine.zone).strftime("%H:%M")

    def services(self) -> list[tuple[str, str]]:
        """The site's active services as this counter last read them: (code, name (agency))."""
        services = self.view.services if self.view else ()
        return [(s.code, f"{s.name.get(self.lang)} ({s.agency_code})") for s in services]

    def own_services(self) -> list[tuple[str, str]]:
        """The services this counter serves (code, name), in its work profile's order: those
        a walk-in can be served in."""
        names = dict(self.services())
        codes = self.view.counter.services if self.view else ()
        return [(code, names.get(code, code)) for code in codes]

    def current(self) -> Ticket | None:
        return self.view.counter.current if self.view else None

    def enabled(self, action: str) -> bool:
        if self.member is None or self.view is None or self.offline or self.busy:
            return False
        ticket = self.current()
        return action in counter_actions(ticket.state if ticket else None, self.view.counter.state)

    def act(self, action: str, argument: str | None = None) -> bool:
        """Do `action` for this counter; False (and nothing happens) when not possible now."""
        if not self.enabled(action):
            return False
        code = self.counter_code
        assert code is not None
        staff = self.member.username if self.member else None
        work: Callable[[QueueEngine], Any] = {
            "next": lambda e: e.call_next(code, staff=staff),
            "recall": lambda e: e.recall(code),
            "start": lambda e: e.start(code),
            "finish": lambda e: e.finish(code),
            "skip": lambda e: e.skip(code),
            "park": lambda e: e.park(code),
            "transfer": lambda e: self._transfer(e, code, argument or ""),
            "specific": lambda e: e.call_specific(code, argument or "", staff=staff),
            "walk_in": lambda e: e.serve_walk_in(code, argument or "", staff=staff),
            "pause": lambda e: e.pause(code),
            "resume": lambda e: e.resume(code),
        }[action]
        self._say("")
        return self._run(
            work, lambda result: self._acted(action, result, argument), refresh_after=True
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message, self.message_is_error = text, error

    def transfer_choices(self) -> list[tuple[str, str]]:
        """Where the ticket held may go: the site's services, then the other counters serving
        its service that are not closed (it then waits for that counter only)."""
        ticket = self.current()
        colleagues = self.view.colleagues if self.view is not None else {}
        desks = [
            (TO_COUNTER + code, tr("counter_transfer_desk", self.lang, counter=name))
            for code, (name, services) in colleagues.items()
            if ticket is not None and ticket.service_code in services
        ]
        return self.services() + desks

    @staticmethod
    def _transfer(engine: QueueEngine, code: str, choice: str) -> Ticket:
        if choice.startswith(TO_COUNTER):
            return engine.transfer_to_counter(code, choice.removeprefix(TO_COUNTER))
        return engine.transfer(code, choice)

    def _acted(self, action: str, result: Any, argument: str | None = None) -> None:
        if action == "next" and result is None:
            self._say(tr("nobody_waiting", self.lang))
        elif action == "park" and isinstance(result, Ticket):
            self._say(tr("counter_parked", self.lang, number=result.number))
        elif action == "pause" and self.view is not None and self.view.kept:
            self._say(tr_count("counter_paused_keeping", self.lang, len(self.view.kept)))
        elif action == "transfer" and isinstance(result, Ticket) and argument:
            desk = argument.removeprefix(TO_COUNTER)
            self._say(
                tr(
                    "counter_transferred_to_desk",
                    self.lang,
                    number=result.number,
                    counter=dict(self.counters).get(desk, desk),
                )
                if desk != argument
                else tr(
                    "counter_transferred",
                    self.lang,
                    number=result.number,
                    service=result.service_name.get(self.lang),
                )
            )

    def finish_then_logout(self) -> bool:
        """Finish the ticket held (the person asked to leave with it), then log out."""
        if self.member is None or not self.enabled("finish"):
            return False
        username, code = self.member.username, self.counter_code
        assert code is not None

        def work(engine: QueueEngine) -> None:
            engine.finish(code)
            engine.logout(username, code)

        return self._run(work, lambda _r: self._logged_out())

    def on_button(self, event: ButtonEvent) -> None:
        """A call-button press (already on the GUI thread): this counter's buttons only."""
        view = self.view
        if view is None or event.counter not in (view.counter.code, view.counter.number):
            return
        action = BUTTON_ACTIONS.get(event.action)
        if action == "pause" and view.counter.state != CounterState.OPEN:
            action = "resume"
        if action is not None and not self.act(action):
            log.info("counter: button %s ignored (not possible or busy now)", event.action)

    def _on_button_status(self, connected: bool) -> None:
        self.buttons_connected = connected
        self.changed.emit()
