"""The ticket's layout as a list of plain operations, rendered by escpos_render and preview.

One layout, two renderers: the bytes sent to a printer and the PNG of the preview printer come
from the same operations, so the preview shows what the paper will.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from PIL import Image

from hardware.printing.ticket import Paper, TicketPrint
from shared.i18n import NO_BREAK, NO_BREAK_HYPHEN, Lang, tr, wait_text

Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text; `scale` multiplies the character width and height (1-8)."""

    text: str
    align: Align = "center"
    bold: bool = False
    scale: int = 1
    invert: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A separator line across the paper."""


@dataclass(frozen=True, slots=True)
class Qr:
    payload: str
    module_dots: int  # size of one QR module in dots


@dataclass(frozen=True, slots=True)
class Logo:
    image: Image.Image  # 1-bit, at most the paper's width


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    pass


Op = Text | Rule | Qr | Logo | Feed | Cut


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken at word boundaries but never at an
    unbreakable space or hyphen (printed as plain ones: no code page has to change for them);
    nothing is cut off (a word longer than a line is split across lines)."""
    lines = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)
    return [line.replace(NO_BREAK, " ").replace(NO_BREAK_HYPHEN, "-") for line in lines] or [""]


def fit_logo(image: Image.Image, paper: Paper) -> Image.Image:
    """The logo scaled down (never up) to the paper's width, in black and white."""
    logo = image.convert("L")
    if logo.width > paper.dots:
        height = max(1, round(logo.height * paper.dots / logo.width))
        logo = logo.resize((paper.dots, height), Image.Resampling.LANCZOS)
    return logo.convert("1")


def ticket_layout(
    ticket: TicketPrint, paper: Paper, lang: Lang, logo: Image.Image | None = None
) -> list[Op]:
    cols = paper.columns
    ops: list[Op] = []
    if logo is not None:
        ops += [Logo(fit_logo(logo, paper)), Feed()]
    ops += [Text(line, bold=True) for line in wrap(ticket.site_name, cols)]
    ops += [Feed()]
    ops += [Text(line) for line in wrap(ticket.agency, cols)]
    ops += [Text(line, bold=True) for line in wrap(ticket.service, cols)]
    ops += [Feed(), Text(tr("ticket_heading", lang))]
    scale = max(1, min(paper.number_scale, cols // max(1, len(ticket.number))))
    ops.append(Text(ticket.number, bold=True, scale=scale))
    if ticket.priority:
        ops.append(Text(f" {tr('ticket_priority', lang)} ", bold=True, scale=2, invert=True))
    ops += [Feed(), Text(ticket.issued_at.strftime("%d-%m-%Y  %H:%M"))]
    if ticket.people_ahead is not None:
        ops += [Text(line) for line in wrap(tr("ticket_ahead", lang, n=ticket.people_ahead), cols)]
    if ticket.wait is not None:
        words = tr("ticket_wait", lang, wait=wait_text(ticket.wait, lang))
        if ticket.wait.past_closing:
            words += ". " + tr("wait_not_today", lang)
        ops += [Text(line) for line in wrap(words, cols)]
    if ticket.appointment:
        ops += [Text(line, bold=True) for line in wrap(ticket.appointment, cols)]
    ops.append(Feed())
    standard = tr("ticket_standard", lang, fee=ticket.fee, time=ticket.completion)
    ops += [Text(line) for line in wrap(standard, cols)]
    if ticket.qr_payload:
        ops += [Feed(), Qr(ticket.qr_payload, module_dots=6 if paper.dots >= 512 else 4)]
    for footer in ticket.footer:
        ops += [Text(line) for line in wrap(footer, cols)]
    ops += [Feed(2), Cut()]
    return ops
