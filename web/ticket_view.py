"""What a ticket page says, computed once in Python for the HTML page and its live updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain.states import TicketState
from shared.domain.values import TicketProgress
from shared.i18n import Lang, tr, tr_count, wait_text

LIVE_STATES = frozenset(
    {
        TicketState.WAITING,
        TicketState.CALLED,
        TicketState.SERVING,
        TicketState.NO_SHOW,
        TicketState.PARKED,
    }
)
SYMBOLS = {
    TicketState.WAITING: "◷",
    TicketState.CALLED: "▶",
    TicketState.SERVING: "●",
    TicketState.DONE: "✔",
    TicketState.NO_SHOW: "⚠",
    TicketState.TRANSFERRED: "➜",
    TicketState.CANCELLED: "✖",
    TicketState.EXPIRED: "○",
    TicketState.PARKED: "‖",
}


def ticket_view(
    progress: TicketProgress, lang: Lang, now: datetime, zone: ZoneInfo, online: bool
) -> dict[str, Any]:
    """The page's words and flags; JSON-safe (the live stream sends exactly this)."""
    state = progress.state
    if not progress.today and state == TicketState.WAITING:
        state = TicketState.EXPIRED  # the rollover has not written it yet; it will not be called
    counter = progress.counter_number or ""
    headline, detail = "", ""  # no headline where it would repeat the state's own line
    if not progress.today:
        detail = tr("web_earlier_day", lang, day=progress.day.strftime("%d-%m-%Y"))
    elif state == TicketState.WAITING:
        ahead = progress.people_ahead or 0
        headline = tr_count("web_people_ahead", lang, ahead) if ahead else tr("web_next_up", lang)
        if progress.wait is not None:
            detail = tr("web_wait", lang, wait=wait_text(progress.wait, lang))
            if progress.wait.past_closing:
                detail += ". " + tr("wait_not_today", lang)
        if progress.waits_for:
            detail = ". ".join(
                filter(None, (detail, tr("web_sent_to", lang, counter=progress.waits_for)))
            )
    elif state == TicketState.CALLED:
        headline = tr("web_your_turn", lang)
        detail = tr("web_go_to", lang, counter=counter)
    elif state == TicketState.SERVING:
        detail = tr("web_serving_at", lang, counter=counter)
    elif state == TicketState.DONE:
        detail = tr("web_done", lang)
    elif state == TicketState.NO_SHOW:
        detail = tr("web_no_show", lang)
    elif state == TicketState.PARKED:
        detail = tr("web_parked", lang, counter=counter)
    else:
        detail = tr("web_expired", lang)
    called = progress.today and state == TicketState.CALLED
    return {
        "number": progress.number,
        "state": state.value,
        "symbol": SYMBOLS[state],
        "state_label": tr(f"web_state_{state.value}", lang),
        "headline": headline,
        "detail": detail,
        "called": called,
        "calls": progress.call_count,
        "recall": (
            tr("web_called_again", lang, n=progress.call_count)
            if called and progress.call_count > 1
            else ""
        ),
        "transferred": _transferred(progress, lang),
        "service": progress.service_name.get(lang),
        "agency": progress.agency_name.get(lang),
        "title": (
            tr("web_your_turn_title", lang, counter=counter)
            if called
            else f"{progress.number} · {tr(f'web_state_{state.value}', lang)}"
        ),
        "updated": tr("web_updated", lang, time=now.astimezone(zone).strftime("%H:%M:%S")),
        # the SKM survey is offered once the visit is finished, the same day
        "survey": tr("skm_offer", lang) if progress.today and state == TicketState.DONE else "",
        "online": online,
        # a missed number can still be called again (call specific): its page keeps listening
        "live": progress.today and state in LIVE_STATES,
    }


def _transferred(progress: TicketProgress, lang: Lang) -> str:
    """Where a colleague sent the ticket today: another service, or a counter of its own."""
    if not (progress.transferred and progress.today):
        return ""
    if progress.sent_to:
        return tr("web_transferred_to_counter", lang, counter=progress.sent_to)
    return tr("web_transferred_to", lang, service=progress.service_name.get(lang))
