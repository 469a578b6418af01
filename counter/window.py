"""The counter app's windows (Qt Widgets): login, and the work view with keyboard shortcuts.

Thin: it shows the view model and calls its actions. Every action has a shortcut shown on its
button (keyboard-wedge call buttons simply type these keys); actions that make no sense now are
disabled, not hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import zip_longest
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.viewmodel import CounterViewModel
from shared.domain.states import CounterState, TicketSource, TicketState
from shared.domain.values import Ticket
from shared.engine.reads import CALL_BACK_LIMIT
from shared.i18n import tr

W = TypeVar("W", bound=QWidget)
L = TypeVar("L", bound=QLabel)
LONG_WORD = re.compile(r"\S{25,}")  # longer than a line of the narrowest label holds
ACTIONS = (  # action, label key, shortcut
    ("next", "counter_next", "F1"),
    ("recall", "counter_recall", "F2"),
    ("start", "counter_start", "F3"),
    ("finish", "counter_finish", "F4"),
    ("skip", "counter_skip", "F5"),
    ("transfer", "counter_transfer", "F6"),
    ("specific", "counter_specific", "F7"),
    ("pause", "counter_pause", "F8"),
    ("resume", "counter_resume", "F9"),
    ("walk_in", "counter_walk_in", "F10"),
    ("park", "counter_park", "F11"),
    ("logout", "counter_logout", "Ctrl+Q"),
)
COMPACT = ("next", "recall", "finish", "skip")
CALL_BACK_COLUMNS = 4  # the parked and the latest no-shows (CALL_BACK_LIMIT), a button each
GROUPS = (  # the work view's rows below the primary action, by how often they are pressed
    ("", ("start", "finish")),
    ("counter_group_ticket", ("recall", "skip", "park", "transfer")),
    ("counter_group_more", ("specific", "walk_in", "pause", "resume")),
)
STATE_LABELS = {
    CounterState.OPEN: "counter_state_open",
    CounterState.PAUSED: "display_paused",
    CounterState.CLOSED: "display_closed",
}
LIKELY = {TicketState.CALLED: "start", TicketState.SERVING: "finish"}  # the next press, by state
BLUE, GREEN, AMBER = "#0B3D91", "#1B7F3B", "#B26A00"
STYLE = f"""
QWidget {{ font-size: 17px; color: #1a1a1a; }}
QMainWindow, QDialog {{ background: #F3F5F9; }}
QFrame#topBar {{ background: {BLUE}; }}
QFrame#topBar QLabel {{ color: white; }}
QLabel#counterName {{ font-size: 22px; font-weight: bold; }}
QLabel#stateChip {{ border-radius: 10px; padding: 2px 12px; font-weight: bold; color: white; }}
QLabel#stateChip[state="open"] {{ background: {GREEN}; }}
QLabel#stateChip[state="paused"] {{ background: {AMBER}; }}
QLabel#stateChip[state="closed"] {{ background: #6b7280; }}
QFrame#ticketCard, QFrame#figuresCard {{ background: white; border: 1px solid #D6DCE5;
    border-radius: 12px; }}
QLabel#number {{ font-size: 96px; font-weight: bold; color: {BLUE}; }}
QLabel#service {{ font-size: 22px; font-weight: bold; }}
QLabel#priorityChip {{ background: #7A3E00; color: white; border-radius: 8px; padding: 2px 10px;
    font-weight: bold; }}
QLabel#details, QLabel#groupTitle, QLabel#hint {{ color: #4B5563; }}
QLabel#groupTitle {{ font-size: 14px; font-weight: bold; }}
QPushButton {{ min-height: 46px; padding: 4px 14px; border: 1px solid #9AA5B8; border-radius: 8px;
    background: white; }}
QPushButton:hover {{ background: #E8EEF8; }}
QLineEdit, QComboBox {{ min-height: 38px; padding: 0 8px; border: 1px solid #9AA5B8;
    border-radius: 6px; background: white; }}
QPushButton#loginButton {{ background: {BLUE}; color: white; font-weight: bold; border: none; }}
QPushButton:focus {{ border: 3px solid #FFB300; }}
QPushButton:disabled {{ color: #9AA0A6; background: #EEF0F4; border-color: #D6DCE5; }}
QPushButton#next {{ background: {GREEN}; color: white; font-size: 26px; font-weight: bold;
    min-height: 80px; border: none; }}
QPushButton#next:disabled {{ background: #A7C8B2; color: #F3F5F9; }}
QPushButton[likely="true"] {{ background: {BLUE}; color: white; font-weight: bold; border: none; }}
QPushButton[parked="true"] {{ border: 2px solid {AMBER}; color: {AMBER}; font-weight: bold; }}
QFrame#topBar QPushButton {{ min-height: 36px; background: transparent; color: white;
    border: 1px solid #8FA8D6; }}
QFrame#topBar QPushButton:checked {{ background: #2A5BB8; }}
QTableWidget {{ background: white; border: 1px solid #D6DCE5; border-radius: 8px;
    gridline-color: #EEF0F4; }}
QHeaderView::section {{ background: #EEF0F4; border: none; padding: 6px; font-weight: bold; }}
QListWidget#serviceList {{ background: white; font-size: 18px; }}
QListWidget#serviceList::item {{ padding: 8px; }}
QLabel#banner {{ background: #8A1C1C; color: white; padding: 8px; font-weight: bold; }}
QLabel#notice {{ background: #FFE08A; color: #1a1a1a; padding: 8px; }}
QLabel#message {{ color: #0B3D91; font-weight: bold; }}
QLabel#message[error="true"] {{ color: #8A1C1C; }}
"""


def named(widget: W, name: str) -> W:
    """The widget with an object name (what the style sheet and the tests select it by)."""
    widget.setObjectName(name)
    return widget


@contextmanager
def asked(dialog: W) -> Iterator[W]:
    """A dialog for one question, deleted once answered: a child of the window would
    otherwise live as long as the window, one more with every question of the day."""
    try:
        yield dialog
    finally:
        dialog.deleteLater()


def whole_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end`, never below nought: an appointment queues from its
    slot's start, which may be still to come, and the PC that called may keep a clock a moment
    ahead of this one."""
    return max(0, int((end - start).total_seconds() // 60))


def breakable(text: str) -> str:
    """`text` with a zero-width space between the letters of each word longer than LONG_WORD,
    where a label may break it (a label breaks lines only between words)."""
    return LONG_WORD.sub(lambda word: "\u200b".join(word.group()), text)


def site_text(label: L) -> L:
    """A label of names from the site file or the database (of any length): wrapped, and never
    widening the window (a word longer than the label, unless made `breakable`, is cut)."""
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a style property and re-apply the style sheet rules that select on it."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class HeaderLabel(QLabel):
    """The top bar's counter and staff member: wrapped in the full window; in the small one on
    one line, cut with "…" (a long name made the bar two lines high), the whole in its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self._whole = ""
        self._one_line = False

    def show_text(self, text: str) -> None:
        self._whole = text
        self.setToolTip(text)
        self._fit()

    def set_one_line(self, one_line: bool) -> None:
        self._one_line = one_line
        self.setWordWrap(not one_line)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        text = self._whole
        if self._one_line:
            elide = Qt.TextElideMode.ElideRight
            text = self.fontMetrics().elidedText(text, elide, self.contentsRect().width())
        if self.text() != text:
            self.setText(text)


class ServiceDialog(QDialog):
    """Choose a service (to transfer the ticket to, or to serve a walk-in in), keyboard first:
    typing filters the list, the arrows move through it, Enter confirms, Escape goes back."""

    def __init__(
        self,
        vm: CounterViewModel,
        action: str,
        services: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        lang = vm.lang
        self.setWindowTitle(tr(f"counter_{action}_to", lang))
        self.setMinimumSize(620, 520)
        title = QLabel(f"<b>{tr(f'counter_{action}_to', lang)}</b>")
        self.search = QLineEdit(placeholderText=tr("counter_search", lang))
        self.search.setObjectName("serviceSearch")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("serviceList")
        self.list.setWordWrap(True)  # long service names are wrapped, never cut
        for code, name in services:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        hint = named(QLabel(tr(f"counter_{action}_hint", lang)), "hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(
            tr(f"counter_{action}_confirm", lang), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(tr("counter_cancel", lang), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.accept)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        for widget in (title, self.search, self.list, hint, buttons):
            layout.addWidget(widget)
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and down in the search field move through the list."""
        arrows = (Qt.Key.Key_Up, Qt.Key.Key_Down)
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in arrows
        ):
            self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        at = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + delta))])

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not all(w in item.text().lower() for w in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        if first_visible is not None:
            self.list.setCurrentItem(first_visible)
        self.ok.setEnabled(first_visible is not None)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)


class CounterWindow(QMainWindow):
    def __init__(self, vm: CounterViewModel) -> None:
        super().__init__()
        self.vm = vm
        self.setStyleSheet(STYLE)
        self.setWindowTitle(tr("counter_title", vm.lang))
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.buttons: dict[str, QPushButton] = {}
        self.changing = False  # the login page changes one's own password instead
        self.pages.addWidget(self._login_page())
        self.pages.addWidget(self._work_page())
        self.compact = vm.settings.window == "compact"
        for action, _label, key in ACTIONS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda action=action: self.trigger(action))
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.show_state)
        self._tick.start()
        vm.changed.connect(self.show_state)
        self.set_compact(self.compact)
        self.show_state()

    # --------------------------------------------------------------------------- pages

    def _login_page(self) -> QWidget:
        lang = self.vm.lang
        page = QWidget()
        outer = QVBoxLayout(page)
        box = named(QFrame(), "ticketCard")
        box.setMaximumWidth(520)
        form = QFormLayout(box)
        form.setContentsMargins(28, 24, 28, 24)
        form.setVerticalSpacing(14)
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # changing one's own password: the same page, with the new password twice
        self.new_password = named(QLineEdit(), "newPassword")
        self.new_again = named(QLineEdit(), "newPasswordAgain")
        for field in (self.new_password, self.new_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.counter_choice = named(QComboBox(), "counterChoice")
        self.login_button = named(QPushButton(tr("counter_login", lang)), "loginButton")
        self.login_button.clicked.connect(self._login)
        self.change_toggle = named(QPushButton(), "changePassword")
        self.change_toggle.clicked.connect(lambda: self._show_password_change(not self.changing))
        self.vm.password_changed.connect(lambda: self._show_password_change(False))
        self.vm.password_change_needed.connect(lambda: self._show_password_change(True))
        # Enter goes on to the next field, and submits from the last
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(
            lambda: self.new_password.setFocus() if self.changing else self._login()
        )
        self.new_password.returnPressed.connect(self.new_again.setFocus)
        self.new_again.returnPressed.connect(self._login)
        self.login_message = named(QLabel(), "message")
        self.login_message.setWordWrap(True)
        title = named(QLabel(tr("counter_title", lang)), "service")
        form.addRow(title)
        form.addRow(tr("counter_username", lang), self.username)
        form.addRow(tr("counter_password", lang), self.password)
        form.addRow(tr("console_new_password", lang), self.new_password)
        form.addRow(tr("console_repeat_password", lang), self.new_again)
        form.addRow(tr("counter_choose", lang), self.counter_choice)
        form.addRow(self.login_button)
        form.addRow(self.change_toggle)
        form.addRow(self.login_message)
        self.login_form = form
        self._show_password_change(False)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        return page

    def _work_page(self) -> QWidget:
        lang = self.vm.lang
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._top_bar())
        self.banner = named(QLabel(), "banner")
        self.notice = named(QLabel(), "notice")
        for widget in (self.banner, self.notice):
            widget.setWordWrap(True)
            layout.addWidget(widget)
        body = QHBoxLayout()
        body.setContentsMargins(16, 16, 16, 16)
        body.setSpacing(20)
        layout.addLayout(body, 1)

        work = QVBoxLayout()
        work.setSpacing(10)
        card = named(QFrame(), "ticketCard")
        card_layout = QVBoxLayout(card)
        self.number = named(QLabel(), "number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = site_text(named(QLabel(), "service"))
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority = named(QLabel("♿ " + tr("ticket_priority", lang)), "priorityChip")
        self.details = site_text(named(QLabel(), "details"))
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card_layout.addWidget(self.number)
        card_layout.addWidget(self.service)
        card_layout.addWidget(self.priority, 0, Qt.AlignmentFlag.AlignHCenter)
        card_layout.addWidget(self.details)
        work.addWidget(card)
        work.addWidget(self._button("next"))
        self.group_titles: list[QLabel] = []
        for title, actions in GROUPS:
            if title:
                label = named(QLabel(tr(title, lang).upper()), "groupTitle")
                self.group_titles.append(label)
                work.addWidget(label)
            row = QHBoxLayout()
            for action in actions:
                row.addWidget(self._button(action))
            work.addLayout(row)
        self.message = site_text(named(QLabel(), "message"))
        work.addWidget(self.message)
        work.addStretch(1)
        body.addLayout(work, 3)

        self.side = QWidget()
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        self.waiting_title = named(QLabel(), "service")
        self.waiting = named(QTableWidget(0, 3), "waitingList")
        self.waiting.setHorizontalHeaderLabels(
            [tr(k, lang) for k in ("counter_column_number", "counter_column_service")]
            + [tr("counter_column_waited", lang)]
        )
        header = self.waiting.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.waiting.verticalHeader().setVisible(False)
        self.waiting.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.waiting.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.waiting.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.waiting.setWordWrap(True)
        figures = named(QFrame(), "figuresCard")
        self.figures = site_text(named(QLabel(), "figures"))
        QVBoxLayout(figures).addWidget(self.figures)
        side.addWidget(self.waiting_title)
        side.addWidget(self.waiting, 1)
        side.addWidget(self._call_back_list())
        side.addWidget(figures)
        body.addWidget(self.side, 2)
        return page

    def _call_back_list(self) -> QWidget:
        """The tickets parked here, then today's no-shows of the counter's services, each
        called back with one touch (the citizen sent to fetch or complete a paper is back)
        instead of typing its number."""
        self.call_back = QWidget()
        layout = QVBoxLayout(self.call_back)
        layout.setContentsMargins(0, 8, 0, 8)
        self.call_back_title = site_text(named(QLabel(), "groupTitle"))
        layout.addWidget(self.call_back_title)
        grid = QGridLayout()
        self.call_back_buttons: list[QPushButton] = []
        for i in range(CALL_BACK_LIMIT):
            button = named(QPushButton(), f"call_back_{i}")
            button.clicked.connect(
                lambda _checked=False, b=button: self._call_back(b.property("number"))
            )
            grid.addWidget(button, i // CALL_BACK_COLUMNS, i % CALL_BACK_COLUMNS)
            self.call_back_buttons.append(button)
        for column in range(CALL_BACK_COLUMNS):
            grid.setColumnStretch(column, 1)  # a button a quarter wide, however few there are
        layout.addLayout(grid)
        return self.call_back

    def _show_call_back(self, parked: Sequence[Ticket], skipped: Sequence[Ticket]) -> None:
        lang = self.vm.lang
        lists = [("counter_parked_list", parked), ("counter_skipped_list", skipped)]
        titles = [tr(key, lang, n=len(tickets)) for key, tickets in lists if tickets]
        self.call_back.setVisible(bool(titles))
        hint = tr("counter_call_back_hint", lang)
        self.call_back_title.setText(f"{' · '.join(titles)}: {hint}".upper())
        shown = [(t, True) for t in parked] + [(t, False) for t in skipped]
        for button, entry in zip_longest(self.call_back_buttons, shown[:CALL_BACK_LIMIT]):
            button.setVisible(entry is not None)
            if entry is not None:
                ticket, is_parked = entry
                button.setProperty("number", ticket.number)
                button.setText(ticket.number + ("  ♿" if ticket.priority else ""))
                state = tr(f"ticket_{ticket.state.value}", lang)
                button.setToolTip(f"{ticket.service_name.get(lang)} ({state})")
                button.setEnabled(self.vm.enabled("specific"))
                restyle(button, "parked", is_parked)

    def _call_back(self, number: str) -> None:
        self.vm.act("specific", number)
        self._take_focus_back()

    def _top_bar(self) -> QFrame:
        bar = named(QFrame(), "topBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 16, 8)
        self.header = site_text(named(HeaderLabel(), "counterName"))
        self.state_chip = named(QLabel(), "stateChip")
        fixed = QSizePolicy.Policy.Fixed
        self.state_chip.setSizePolicy(fixed, fixed)  # a pill as high as its words, not a button
        self.clock = QLabel()
        self.compact_toggle = QPushButton(tr("counter_compact", self.vm.lang))
        self.compact_toggle.setCheckable(True)
        self.compact_toggle.toggled.connect(self.set_compact)
        row.addWidget(self.header, 1)
        row.addWidget(self.state_chip)
        self.clock.setContentsMargins(12, 0, 12, 0)  # its room goes with it in the small window
        row.addWidget(self.clock)
        row.addWidget(self.compact_toggle)
        row.addWidget(self._button("logout"))
        return bar

    def _button(self, action: str) -> QPushButton:
        label, key = next((label, key) for a, label, key in ACTIONS if a == action)
        button = named(QPushButton(f"{tr(label, self.vm.lang)}   {key}"), action)
        button.clicked.connect(lambda _checked=False: self.trigger(action))
        self.buttons[action] = button
        return button

    def set_compact(self, compact: bool) -> None:
        """A small window that stays on top beside other software, or the full view."""
        self.compact = compact
        self.compact_toggle.setChecked(compact)
        for action, button in self.buttons.items():
            button.setVisible(not compact or action in COMPACT or action == "logout")
        for widget in (self.side, self.details, self.priority, self.clock, *self.group_titles):
            widget.setVisible(not compact)
        self.number.setStyleSheet("font-size: 56px;" if compact else "")
        self.header.setStyleSheet("font-size: 16px;" if compact else "")
        self.header.set_one_line(compact)
        on_top = Qt.WindowType.WindowStaysOnTopHint
        flags = self.windowFlags() | on_top if compact else self.windowFlags() & ~on_top
        self.overrideWindowFlags(flags)  # without hiding the window, as setWindowFlag would
        if (window := self.windowHandle()) is not None:
            window.setFlags(flags)  # and the window system told
        self._fit((640, 480) if compact else (1366, 768))

    def _fit(self, size: tuple[int, int], tries: int = 10) -> None:
        """Take `size`, or the nearest the window's minimum allows, again while that minimum
        shrinks: the layouts let go of widgets just hidden over a few turns of the event loop."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if (layout := self.layout()) is not None:
            layout.activate()
        before = self.minimumSize()
        self.resize(*size)

        def again() -> None:
            if self.minimumSize() != before:
                self._fit(size, tries - 1)

        if tries > 1:
            QTimer.singleShot(50, self, again)  # not after the window is gone

    # ------------------------------------------------------------------------- actions

    def _show_password_change(self, changing: bool) -> None:
        """The login page as the form that changes one's own password, or back."""
        lang, form = self.vm.lang, self.login_form
        self.changing = changing
        for field in (self.new_password, self.new_again):
            field.clear()
            form.setRowVisible(field, changing)
        form.setRowVisible(self.counter_choice, not changing)
        label = form.labelForField(self.password)
        if isinstance(label, QLabel):
            label.setText(
                tr("console_current_password", lang) if changing else tr("counter_password", lang)
            )
        self.login_button.setText(
            tr("console_set_password", lang) if changing else tr("counter_login", lang)
        )
        self.change_toggle.setText(
            tr("counter_back_to_login", lang) if changing else tr("counter_change_password", lang)
        )

    def _login(self) -> None:
        if self.vm.locked:
            return
        username, password = self.username.text().strip(), self.password.text()
        if self.changing:
            self.vm.change_password(
                username, password, self.new_password.text(), self.new_again.text()
            )
            self.new_password.clear()
            self.new_again.clear()
        else:
            self.vm.login(username, password, self.counter_choice.currentData())
        self.password.clear()

    def trigger(self, action: str) -> None:
        vm = self.vm
        if vm.member is None:
            return
        if action == "logout" and not vm.enabled(action) and vm.current() is not None:
            self._offer_finish_then_logout()
            return
        if not vm.enabled(action):
            return
        if action == "logout":
            vm.logout()
        elif action in ("transfer", "walk_in"):
            services = vm.transfer_choices() if action == "transfer" else vm.own_services()
            with asked(ServiceDialog(vm, action, services, self)) as dialog:
                if dialog.exec() and dialog.chosen():
                    vm.act(action, dialog.chosen())
            self._take_focus_back()
        elif action == "specific":
            number = self.ask_number()
            self._take_focus_back()
            if number:
                vm.act("specific", number)
        else:
            vm.act(action)

    def ask_number(self) -> str:
        """The ticket number to call out of order, asked in the app's language ("" if none)."""
        lang = self.vm.lang
        with asked(QInputDialog(self)) as dialog:
            dialog.setWindowTitle(tr("counter_specific", lang))
            dialog.setLabelText(tr("counter_number_prompt", lang))
            dialog.setOkButtonText(tr("counter_call", lang))
            dialog.setCancelButtonText(tr("counter_cancel", lang))
            return dialog.textValue().strip() if dialog.exec() else ""

    def _offer_finish_then_logout(self) -> None:
        """Ctrl+Q with a ticket held: say why not, and offer to finish it first."""
        vm, lang = self.vm, self.vm.lang
        ticket = vm.current()
        assert ticket is not None
        with asked(QMessageBox(self)) as box:
            box.setWindowTitle(tr("counter_logout", lang))
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(tr("counter_held_logout", lang, number=ticket.number))
            finish = None
            if vm.enabled("finish"):
                finish = box.addButton(
                    tr("counter_finish_logout", lang), QMessageBox.ButtonRole.AcceptRole
                )
            stay = box.addButton(tr("counter_stay", lang), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(stay)
            box.exec()
            if finish is not None and box.clickedButton() is finish:
                vm.finish_then_logout()
        self._take_focus_back()

    def _take_focus_back(self) -> None:
        """After a dialog, the work view has the keyboard again: F1 works without a click."""
        self.activateWindow()
        self.raise_()
        self.setFocus()

    # --------------------------------------------------------------------------- render

    def show_state(self) -> None:
        vm, lang = self.vm, self.vm.lang
        if vm.member is None:
            self.pages.setCurrentIndex(0)
            self._render_login()
            return
        self.pages.setCurrentIndex(1)
        view = vm.view
        counter = view.counter if view else None
        name = counter.name if counter else vm.counter_code
        self.header.show_text(f"{name}  ·  {vm.member.display_name}")
        state = counter.state if counter else CounterState.OPEN
        restyle(self.state_chip, "state", state.value)
        self.state_chip.setText("● " + tr(STATE_LABELS[state], lang))
        self.clock.setText(vm.local_time())
        self.banner.setVisible(vm.offline)
        self.banner.setText(tr("counter_offline", lang))
        notices = []
        if counter and counter.state != CounterState.OPEN:
            notices.append(tr("counter_paused_banner", lang))
        if vm.buttons_connected is False:
            notices.append(tr("counter_buttons_lost", lang))
        self.notice.setVisible(bool(notices))
        self.notice.setText(" · ".join(notices))
        ticket = vm.current()
        self.number.setText(ticket.number if ticket else "—")
        self.service.setText(breakable(ticket.service_name.get(lang)) if ticket else "")
        self.priority.setVisible(bool(ticket and ticket.priority) and not self.compact)
        self.details.setText(self._ticket_text(ticket) if ticket else tr("counter_no_ticket", lang))
        likely = LIKELY.get(ticket.state) if ticket else None
        for action, button in self.buttons.items():
            button.setEnabled(vm.enabled(action) or (action == "logout" and ticket is not None))
            restyle(button, "likely", action == likely)
        self.message.setText(vm.message)
        restyle(self.message, "error", vm.message_is_error)
        self._render_waiting()

    def _render_login(self) -> None:
        fixed = self.vm.settings.counter
        if self.counter_choice.count() != len(self.vm.counters):
            self.counter_choice.clear()
            for code, name in self.vm.counters:
                self.counter_choice.addItem(f"{name} ({code})", code)
        if fixed:
            index = self.counter_choice.findData(fixed)
            self.counter_choice.setCurrentIndex(max(0, index))
        self.counter_choice.setEnabled(not fixed)
        self.login_button.setEnabled(not self.vm.busy and not self.vm.locked)
        self.login_message.setText(
            self.vm.login_message() if not self.vm.offline else tr("counter_offline", self.vm.lang)
        )
        restyle(self.login_message, "error", self.vm.message_is_error or self.vm.offline)

    def _ticket_text(self, ticket: Ticket) -> str:
        lang, now = self.vm.lang, self.vm.engine_time()
        if ticket.source == TicketSource.WALK_IN:
            parts = [tr("counter_walked_in", lang)]
        else:
            waited = whole_minutes(ticket.original_issued_at, ticket.called_at or now)
            parts = [tr("counter_waited", lang, minutes=waited)]
        if ticket.state == TicketState.SERVING and ticket.started_at:
            parts.append(
                tr("counter_since_start", lang, minutes=whole_minutes(ticket.started_at, now))
            )
        elif ticket.called_at:
            parts.append(
                tr("counter_since_call", lang, minutes=whole_minutes(ticket.called_at, now))
            )
        return " · ".join(parts)

    def _render_waiting(self) -> None:
        view, lang = self.vm.view, self.vm.lang
        waiting = view.waiting if view else ()
        kept = view.kept if view else frozenset()
        self.waiting_title.setText(tr("counter_waiting_list", lang, n=len(waiting)))
        now = self.vm.engine_time()
        rows = [
            (
                t.number + ("  ♿" if t.priority else ""),
                t.service_name.get(lang)
                + (f" · {tr('counter_kept_here', lang)}" if t.number in kept else ""),
                tr(
                    "counter_minutes",
                    lang,
                    minutes=whole_minutes(t.original_issued_at, now),
                ),
                t.priority,
            )
            for t in waiting
        ]
        self.waiting.setRowCount(len(rows))
        for r, (number, service, waited, priority) in enumerate(rows):
            for c, value in enumerate((number, service, waited)):
                cell = self.waiting.item(r, c)
                if cell is None:
                    cell = QTableWidgetItem()
                    self.waiting.setItem(r, c, cell)
                if cell.text() != value:
                    cell.setText(value)
                cell.setBackground(QColor("#FFF4E0") if priority else QColor("white"))
                if c == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
        self.waiting.resizeRowsToContents()
        self._show_call_back(view.parked if view else (), view.skipped if view else ())
        if view:
            f = view.figures
            if f.average_service_minutes is None:  # nothing finished here yet today
                line = tr("counter_today_none", lang, no_shows=f.no_shows)
            else:
                standard = f"{f.standard_minutes:.0f}" if f.standard_minutes else "-"
                line = tr(
                    "counter_today",
                    lang,
                    served=f.served,
                    no_shows=f.no_shows,
                    avg=f"{f.average_service_minutes:.0f}",
                    standard=standard,
                )
            self.figures.setText(line)
