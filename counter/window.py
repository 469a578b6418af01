"""The counter app's windows (Qt Widgets): login, and the work view with keyboard shortcuts.

Thin: it shows the view model and calls its actions. Every action has a shortcut shown on its
button (keyboard-wedge call buttons simply type these keys); actions that make no sense now are
disabled, not hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.viewmodel import CounterViewModel
from shared.domain.states import CounterState, TicketState
from shared.domain.values import Ticket
from shared.i18n import tr

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
    ("logout", "counter_logout", "Ctrl+Q"),
)
COMPACT = ("next", "recall", "finish", "skip")
STYLE = """
QWidget { font-size: 15px; }
QPushButton { min-height: 44px; padding: 4px 10px; }
QPushButton:disabled { color: #6b7280; }
QLabel#number { font-size: 64px; font-weight: bold; color: #0B3D91; }
QLabel#banner { background: #8A1C1C; color: white; padding: 6px; font-weight: bold; }
QLabel#notice { background: #FFE08A; color: #1a1a1a; padding: 6px; }
QLabel#message { color: #8A1C1C; font-weight: bold; }
"""


class TransferDialog(QDialog):
    """Choose the service to send the ticket to; typing filters the list."""

    def __init__(self, vm: CounterViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("counter_transfer_to", vm.lang))
        self.search = QLineEdit(placeholderText=tr("counter_search", vm.lang))
        self.search.setObjectName("transferSearch")
        self.list = QListWidget()
        self.list.setObjectName("transferList")
        for code, name in vm.services:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        self.search.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        for widget in (self.search, self.list, buttons):
            layout.addWidget(widget)

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
        self.pages.addWidget(self._login_page())
        self.pages.addWidget(self._work_page())
        self.compact = vm.settings.window == "compact"
        self.buttons: dict[str, QPushButton] = {}
        self._make_buttons()
        for action, _label, key in ACTIONS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda action=action: self.trigger(action))
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.render)
        self._tick.start()
        vm.changed.connect(self.render)
        self.set_compact(self.compact)
        self.render()

    # --------------------------------------------------------------------------- pages

    def _login_page(self) -> QWidget:
        lang = self.vm.lang
        page = QWidget()
        form = QFormLayout(page)
        self.username = QLineEdit(objectName="username")
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.counter_choice = QComboBox(objectName="counterChoice")
        self.login_button = QPushButton(tr("counter_login", lang), objectName="loginButton")
        self.login_button.clicked.connect(self._login)
        self.password.returnPressed.connect(self._login)
        self.login_message = QLabel(objectName="message")
        form.addRow(QLabel(f"<h2>{tr('counter_title', lang)}</h2>"))
        form.addRow(tr("counter_username", lang), self.username)
        form.addRow(tr("counter_password", lang), self.password)
        form.addRow(tr("counter_choose", lang), self.counter_choice)
        form.addRow(self.login_button)
        form.addRow(self.login_message)
        return page

    def _work_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.banner = QLabel(objectName="banner")
        self.notice = QLabel(objectName="notice")
        self.header = QLabel()
        self.number = QLabel(objectName="number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = QLabel(objectName="details")
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        self.grid = QGridLayout()
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        self.waiting_title = QLabel()
        self.waiting = QListWidget(objectName="waitingList")
        self.figures = QLabel(objectName="figures")
        self.figures.setWordWrap(True)
        self.compact_toggle = QPushButton(tr("counter_compact", self.vm.lang))
        self.compact_toggle.setCheckable(True)
        self.compact_toggle.toggled.connect(self.set_compact)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.compact_toggle)
        for widget in (self.banner, self.notice):
            layout.addWidget(widget)
        layout.addLayout(top)
        layout.addWidget(self.number)
        layout.addWidget(self.details)
        layout.addLayout(self.grid)
        layout.addWidget(self.message)
        for widget in (self.waiting_title, self.waiting, self.figures):
            layout.addWidget(widget)
        return page

    def _make_buttons(self) -> None:
        for i, (action, label, key) in enumerate(ACTIONS):
            button = QPushButton(f"{tr(label, self.vm.lang)}  [{key}]", objectName=action)
            button.clicked.connect(lambda _checked=False, action=action: self.trigger(action))
            self.buttons[action] = button
            self.grid.addWidget(button, i // 3, i % 3)

    def set_compact(self, compact: bool) -> None:
        """A small window that stays on top beside other software, or the full view."""
        self.compact = compact
        self.compact_toggle.setChecked(compact)
        for action, button in self.buttons.items():
            button.setVisible(not compact or action in COMPACT)
        for widget in (self.waiting_title, self.waiting, self.figures, self.details):
            widget.setVisible(not compact)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, compact)
        self.resize(420, 330) if compact else self.resize(900, 760)
        if self.isVisible() is False:
            return
        self.show()

    # ------------------------------------------------------------------------- actions

    def _login(self) -> None:
        self.vm.login(
            self.username.text().strip(), self.password.text(), self.counter_choice.currentData()
        )
        self.password.clear()

    def trigger(self, action: str) -> None:
        vm = self.vm
        if vm.member is None or not vm.enabled(action):
            return
        if action == "logout":
            vm.logout()
        elif action == "transfer":
            dialog = TransferDialog(vm, self)
            if dialog.exec() and dialog.chosen():
                vm.act("transfer", dialog.chosen())
        elif action == "specific":
            number, ok = QInputDialog.getText(
                self, tr("counter_specific", vm.lang), tr("counter_number_prompt", vm.lang)
            )
            if ok and number.strip():
                vm.act("specific", number.strip())
        else:
            vm.act(action)

    # --------------------------------------------------------------------------- render

    def render(self) -> None:
        vm, lang = self.vm, self.vm.lang
        if vm.member is None:
            self.pages.setCurrentIndex(0)
            self._render_login()
            return
        self.pages.setCurrentIndex(1)
        view = vm.view
        counter = view.counter if view else None
        self.header.setText(
            f"<b>{counter.name if counter else vm.counter_code}</b> · {vm.member.display_name}"
        )
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
        self.details.setText(self._ticket_text(ticket) if ticket else tr("counter_no_ticket", lang))
        for action, button in self.buttons.items():
            button.setEnabled(vm.enabled(action))
        self.message.setText(vm.message)
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
        self.login_button.setEnabled(not self.vm.busy)
        self.login_message.setText(
            self.vm.message if not self.vm.offline else tr("counter_offline", self.vm.lang)
        )

    def _ticket_text(self, ticket) -> str:
        lang, now = self.vm.lang, self.vm.now()
        parts = [ticket.service_name.get(lang)]
        if ticket.priority:
            parts.append("♿ " + tr("ticket_priority", lang))
        waited = ((ticket.called_at or now) - ticket.original_issued_at).total_seconds() // 60
        parts.append(tr("counter_waited", lang, minutes=int(waited)))
        if ticket.state == TicketState.SERVING and ticket.started_at:
            since = (now - ticket.started_at).total_seconds() // 60
            parts.append(tr("counter_since_start", lang, minutes=int(since)))
        elif ticket.called_at:
            since = (now - ticket.called_at).total_seconds() // 60
            parts.append(tr("counter_since_call", lang, minutes=int(since)))
        return " · ".join(parts)

    def _render_waiting(self) -> None:
        view, lang = self.vm.view, self.vm.lang
        waiting = view.waiting if view else ()
        self.waiting_title.setText(tr("counter_waiting_list", lang, n=len(waiting)))
        now = self.vm.now()

        def line(t: Ticket) -> str:
            minutes = int((now - t.original_issued_at).total_seconds() // 60)
            mark = "   ♿" if t.priority else ""
            return (
                f"{t.number}   {t.service_name.get(lang)}{mark}   "
                f"{tr('counter_waited', lang, minutes=minutes)}"
            )

        lines = [line(t) for t in waiting]
        if [self.waiting.item(i).text() for i in range(self.waiting.count())] != lines:
            self.waiting.clear()
            self.waiting.addItems(lines)
        if view:
            f = view.figures
            avg = f"{f.average_service_minutes:.0f}" if f.average_service_minutes else "-"
            standard = f"{f.standard_minutes:.0f}" if f.standard_minutes else "-"
            self.figures.setText(
                tr(
                    "counter_today",
                    lang,
                    served=f.served,
                    no_shows=f.no_shows,
                    avg=avg,
                    standard=standard,
                )
            )
