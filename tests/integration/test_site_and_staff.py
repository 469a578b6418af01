"""Loading the site file into the store, and staff accounts."""

import pytest

from shared.engine.admin import SiteChange
from shared.errors import AuthError, UserError
from shared.site_config import parse_site
from tests.conftest import SMALL_SITE
from tests.integration.helpers import kinds

TEXT = SMALL_SITE.read_text(encoding="utf-8")


def test_loading_the_same_site_twice_changes_nothing(engine):
    report = engine.load_site(parse_site(TEXT))
    assert not report.changed
    assert report.services == (0, 0, 5, 0)


def test_a_site_file_that_changes_something_tells_the_apps_once_and_one_that_does_not_is_silent(
    engine,
):
    def site_events():
        return [e for e in engine.events_after(0) if e.kind == "site_loaded"]

    before = len(site_events())
    engine.load_site(parse_site(TEXT))  # the same file: nothing changed
    assert len(site_events()) == before
    engine.load_site(parse_site(TEXT.replace('name = "MPP Uji"', 'name = "MPP Baru"')))
    (event,) = site_events()[before:]
    assert (event.detail, event.ticket_id, event.counter_code) == ("1", None, None)


def without_akta() -> str:
    """The small site with its AKTA service taken out of the file and the counters."""
    text = TEXT.replace('services = ["KTP", "KK", "AKTA"]', 'services = ["KTP", "KK"]').replace(
        'services = ["AKTA", "KTP"]', 'services = ["KTP"]'
    )
    start = text.index('code = "AKTA"')
    block_start = text.rindex("[[services]]", 0, start)
    block_end = text.index("[[services]]", start)
    return text[:block_start] + text[block_end:]


def test_a_service_removed_from_the_file_is_deactivated_not_deleted(engine):
    engine.issue_ticket("AKTA")
    engine.call_next("L1")
    engine.finish("L1")
    report = engine.load_site(parse_site(without_akta()))
    created, _updated, _unchanged, deactivated = report.services
    assert (created, deactivated) == (0, 1)
    assert report.counters[1] == 2  # L1 and L2 lost AKTA from their profiles
    assert engine.catalogue().service("AKTA") is None
    assert engine.ticket("B001").service_code == "AKTA"  # history stays


def test_a_site_that_strands_waiting_numbers_or_a_held_ticket_is_refused_changing_nothing(
    engine,
):
    engine.issue_ticket("AKTA")
    engine.issue_ticket("AKTA")
    engine.issue_ticket("AKTA")
    engine.call_next("L2")
    engine.park("L2")  # B001 gone to fetch a paper: to be called back, as the others wait
    with pytest.raises(UserError) as refused:
        engine.load_site(parse_site(without_akta()))
    assert "AKTA (3)" in refused.value.message("id")
    assert "serve or transfer them first" in refused.value.message("en")
    assert engine.catalogue().service("AKTA") is not None
    assert engine.call_next("L2").number == "B002"  # still called where it was
    samsat_closed = TEXT.replace('code = "S1"', 'code = "S1"\nactive = false').replace(
        'code = "PKB"\n', 'code = "PKB"\nactive = false\n'
    )
    engine.issue_ticket("KTP")
    engine.call_next("L3")  # L3 holds A001
    closing_l3 = TEXT.replace('code = "L3"', 'code = "L3"\nactive = false')
    with pytest.raises(UserError) as held:
        engine.load_site(parse_site(closing_l3))
    assert "L3 (A001)" in held.value.message("id")
    engine.load_site(parse_site(samsat_closed))  # nothing waits there, nothing is held
    assert engine.catalogue().service("PKB") is None


def test_each_change_is_named_with_what_changed_and_a_counter_counts_once(engine):
    text = without_akta().replace('code = "L1"\n', 'code = "L1"\nname = "Loket Satu"\n', 1)
    report = engine.load_site(parse_site(text.replace('name = "MPP Uji"', 'name = "MPP Baru"')))
    assert report.changes == (
        SiteChange("site", "", "updated", ("name",)),
        SiteChange("service", "PKB", "updated", ("(urutan / order)",)),  # one place up
        SiteChange("service", "LAMA", "updated", ("(urutan / order)",)),
        SiteChange("service", "AKTA", "deactivated"),
        SiteChange("counter", "L1", "updated", ("name", "services")),
        SiteChange("counter", "L2", "updated", ("services",)),
    )
    assert report.counters == (0, 2, 2, 0) and report.services == (0, 2, 2, 1)
    assert engine.catalogue().site_name == "MPP Baru"


def test_the_sites_own_settings_alone_are_a_change_and_are_loaded(engine):
    report = engine.load_site(parse_site(TEXT.replace('name = "MPP Uji"', 'name = "MPP Baru"')))
    assert report.changed and report.changes == (SiteChange("site", "", "updated", ("name",)),)
    assert engine.catalogue().site_name == "MPP Baru"
    assert not engine.load_site(
        parse_site(TEXT.replace('name = "MPP Uji"', 'name = "MPP Baru"'))
    ).changed


def test_a_changed_standard_is_updated_in_place(engine):
    report = engine.load_site(parse_site(TEXT.replace("fee = 50000", "fee = 60000")))
    assert report.services == (0, 1, 4, 0)
    assert engine.catalogue().service("PKB").standard.fee_rupiah == 60000


def test_staff_log_in_with_their_password_at_a_counter(engine):
    engine.add_user("sari", "rahasia123", role="staff", display_name="Sari")
    engine.close_counter("L1")
    member = engine.login("sari", "rahasia123", "L1")
    assert (member.display_name, member.role, member.counter_code) == ("Sari", "staff", "L1")
    view = engine.counter_view("L1").counter
    assert view.staff == "sari" and view.state == "open"
    engine.logout("sari", "L1")
    assert engine.counter_view("L1").counter.state == "closed"
    assert kinds(engine)[-5:] == [
        "counter_closed",
        "counter_opened",
        "staff_login",
        "counter_closed",
        "staff_logout",
    ]


def test_calls_made_at_a_staffed_counter_are_credited_to_that_staff_member(engine):
    engine.add_user("sari", "rahasia123")
    engine.login("sari", "rahasia123", "L1")
    engine.issue_ticket("KTP")
    assert engine.call_next("L1").staff == "sari"


@pytest.mark.parametrize(("username", "password"), [("sari", "salah-salah"), ("budi", "x")])
def test_a_wrong_password_or_unknown_user_gets_the_same_plain_message(engine, username, password):
    engine.add_user("sari", "rahasia123")
    with pytest.raises(AuthError) as caught:
        engine.login(username, password)
    assert caught.value.message("id") == "Nama pengguna atau kata sandi salah"


def test_accounts_need_a_unique_name_a_known_role_and_a_real_password(engine):
    engine.add_user("sari", "rahasia123")
    for kwargs, key in (
        ({"username": "sari", "password": "rahasia123"}, "user_exists"),
        ({"username": "budi", "password": "rahasia123", "role": "raja"}, "bad_role"),
        ({"username": "budi", "password": "123"}, "weak_password"),
    ):
        with pytest.raises(AuthError) as caught:
            engine.add_user(**kwargs)
        assert caught.value.key == key
