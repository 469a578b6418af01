"""What a ticket printer needs to know: a plain ticket value and the paper it prints on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from shared.domain.estimate import WaitEstimate


@dataclass(frozen=True, slots=True)
class Paper:
    """A roll width: characters per line in font A and printable dots."""

    width_mm: int
    columns: int
    dots: int
    number_scale: int  # the big ticket number's character size (1-8)


PAPERS: Final = {
    58: Paper(58, 32, 384, 4),
    80: Paper(80, 48, 576, 6),
}


@dataclass(frozen=True, slots=True)
class TicketPrint:
    """One ticket, already in the citizen's language; times are local to the site."""

    site_name: str
    agency: str
    service: str
    number: str
    priority: bool
    issued_at: datetime
    people_ahead: int | None
    wait: WaitEstimate | None
    qr_payload: str
    fee: str
    completion: str
    footer: tuple[str, ...] = field(default=())
    appointment: str = ""  # a checked-in booking's line (its slot time), in the same language
