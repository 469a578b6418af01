"""Ticket bytes through python-escpos's Dummy printer, against checked-in golden files.

Set ANTRIAN_UPDATE_GOLDEN=1 to write the golden files again after a deliberate layout change
(then look at the preview PNGs before committing them).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from hardware.printing.escpos_render import native_qr_supported
from hardware.printing.layout import Logo, Text, ticket_layout, wrap
from hardware.printing.printer import ThermalPrinter, sample_ticket
from hardware.printing.ticket import PAPERS, TicketPrint
from shared.domain.estimate import WaitEstimate
from shared.i18n import wait_text

GOLDEN = Path(__file__).parent / "golden"
AT = datetime(2026, 11, 30, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
LONG = TicketPrint(
    site_name="Mal Pelayanan Publik Kabupaten Bekasi",
    agency="Badan Pendapatan Daerah dan Pengelolaan Keuangan Kabupaten Bekasi",
    service="Validasi Bea Perolehan Hak atas Tanah dan Bangunan (BPHTB) untuk Transaksi Jual Beli",
    number="ABC1234",
    priority=True,
    issued_at=AT,
    people_ahead=128,
    wait=WaitEstimate(245, 200, 290),
    qr_payload="https://antrian.example.go.id/t/2026-11-30/ABC1234",
    fee="5% x (NPOP - NPOPTKP)",
    completion="1 hari kerja",
    footer=("Simpan tiket ini sampai layanan selesai",),
)
CASES = [
    (width, lang, kind)
    for width in (58, 80)
    for lang in ("id", "en")
    for kind in ("normal", "priority", "long")
]


def ticket_for(kind: str, lang: str) -> TicketPrint:
    return LONG if kind == "long" else sample_ticket(lang, AT, priority=kind == "priority")


@pytest.mark.parametrize(("width", "lang", "kind"), CASES)
def test_ticket_bytes_match_the_golden_file(width, lang, kind):
    printer = ThermalPrinter("dummy:", paper_width=width)
    data = printer.render(ticket_for(kind, lang), lang)
    golden = GOLDEN / f"{width}mm-{lang}-{kind}.bin"
    if os.environ.get("ANTRIAN_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_the_big_number_and_priority_mark_are_in_the_bytes():
    data = ThermalPrinter("dummy:").render(sample_ticket("id", AT, priority=True))
    assert b"\x1d!U" in data and b"A001\n" in data  # GS ! : 6x6 characters on 80 mm
    assert b"\x1dB\x01 PRIORITAS \n" in data  # white on black


def test_an_80mm_ticket_with_native_qr_stays_under_400_bytes():
    assert len(ThermalPrinter("dummy:", paper_width=80).render(sample_ticket("id", AT))) <= 400


def test_native_qr_where_the_profile_has_it_and_an_image_where_it_does_not():
    ticket = sample_ticket("id", AT)
    native = ThermalPrinter("dummy:", paper_width=80, profile="TM-T20II").render(ticket)
    image = ThermalPrinter("dummy:", paper_width=58, profile="POS-5890").render(ticket)
    assert native_qr_supported("TM-T20II") and not native_qr_supported("POS-5890")
    assert b"\x1d(k" in native and b"\x1dv0" not in native
    assert b"\x1d(k" not in image and b"\x1dv0" in image


def test_long_names_wrap_at_word_boundaries_and_lose_nothing():
    for width in (58, 80):
        paper = PAPERS[width]
        lines = [
            op.text
            for op in ticket_layout(LONG, paper, "id")
            if isinstance(op, Text) and op.scale == 1
        ]
        assert all(len(line) <= paper.columns for line in lines)
        printed = " ".join(lines).split()
        for word in (LONG.agency + " " + LONG.service).split():
            assert word in printed


def test_a_word_longer_than_the_line_is_split_not_cut():
    assert "".join(wrap("x" * 70, 32)) == "x" * 70


def test_a_logo_is_scaled_down_to_the_paper_width():
    logo = Image.new("RGB", (1200, 300), "white")
    ops = ticket_layout(sample_ticket("id", AT), PAPERS[58], "id", logo)
    (scaled,) = [op.image for op in ops if isinstance(op, Logo)]
    assert scaled.size == (384, 96) and scaled.mode == "1"
    printer = ThermalPrinter("dummy:", paper_width=58)
    printer.logo = logo
    assert b"\x1dv0" in printer.render(sample_ticket("id", AT))


def test_a_wait_stays_on_one_line_of_a_narrow_ticket_and_prints_plain_spaces():
    wait = wait_text(WaitEstimate(200, 130, 200, past_closing=True), "id")
    lines = wrap(f"Perkiraan tunggu: {wait}", PAPERS[58].columns)
    assert lines == ["Perkiraan tunggu:", "lebih dari 2 jam"]
    wide = wait_text(WaitEstimate(70, 45, 95), "id")
    assert wrap(f"Perkiraan tunggu: {wide}", PAPERS[58].columns) == [
        "Perkiraan tunggu: 45-95 menit"  # a plain hyphen for the printer's code page
    ]
    assert wrap(f"Perkiraan tunggu: {wide}", 22) == ["Perkiraan tunggu:", "45-95 menit"]
