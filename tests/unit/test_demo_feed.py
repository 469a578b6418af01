"""The demo's feed lines, as a newcomer reads them in the terminal."""

from datetime import UTC, date, datetime

from shared.demo import FEED_WORDS, describe
from shared.domain.states import WALK_IN_CALL, EventKind
from shared.domain.values import Event

AT = datetime(2026, 11, 30, 2, 15, tzinfo=UTC)


def event(kind, **fields):
    return Event(1, AT, date(2026, 11, 30), kind, "test", number="A001", **fields)


def test_a_transfer_names_the_counter_it_left_and_then_the_service_it_waits_for(monkeypatch):
    monkeypatch.setenv("ANTRIAN_LANG", "id")
    left = describe(event(EventKind.TRANSFERRED, service_code="KTP-EL", counter_code="L01"), UTC)
    moved = describe(
        event(EventKind.ISSUED, service_code="KK", counter_code="L01", related_ticket_id=7), UTC
    )
    assert left.endswith("A001   dialihkan dari L01")
    assert moved.endswith("A001   menunggu sekarang di KK")
    assert describe(event(EventKind.ISSUED, service_code="KK"), UTC).endswith("ambil nomor KK")


def test_a_walk_in_reads_as_served_at_once_not_as_called(monkeypatch):
    monkeypatch.setenv("ANTRIAN_LANG", "id")
    served = describe(event(EventKind.CALLED, counter_code="L01", detail=WALK_IN_CALL), UTC)
    assert served.endswith("A001   tanpa tiket, langsung di L01")
    assert describe(event(EventKind.CALLED, counter_code="L01"), UTC).endswith("dipanggil ke L01")


def test_every_kind_of_event_reads_in_the_persons_language(monkeypatch):
    assert set(FEED_WORDS) == {kind.value for kind in EventKind} | {"moved", "walked_in"}
    monkeypatch.setenv("ANTRIAN_LANG", "id")
    expired = describe(event(EventKind.EXPIRED, counter_code="L17"), UTC)
    assert expired.endswith("A001   kedaluwarsa (hari sebelumnya) di L17")
    monkeypatch.setenv("ANTRIAN_LANG", "en")
    assert describe(event(EventKind.COUNTER_PAUSED, counter_code="L17"), UTC).endswith(
        "counter paused: L17"
    )


def test_a_site_file_loaded_says_how_many_changes_it_made(monkeypatch):
    monkeypatch.setenv("ANTRIAN_LANG", "id")
    loaded = Event(1, AT, date(2026, 11, 30), EventKind.SITE_LOADED, "cli", detail="3")
    assert describe(loaded, UTC).endswith("berkas situs dimuat, perubahan: 3")
