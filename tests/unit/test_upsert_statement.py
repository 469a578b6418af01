"""The engine's prepared upserts are cached by everything that shapes their SQL."""

from shared.engine.context import _upsert_statement
from shared.store.tables import daily_counts, login_failures


def test_one_table_with_other_key_columns_gets_its_own_statement():
    by_day = str(_upsert_statement(daily_counts, ("day", "service_id"), "issued"))
    by_service = str(_upsert_statement(daily_counts, ("service_id",), "issued"))
    assert "ON CONFLICT (day, service_id)" in by_day
    assert "ON CONFLICT (service_id)" in by_service


def test_the_same_shape_is_built_once():
    first = _upsert_statement(login_failures, ("scope", "key"), "failures")
    assert _upsert_statement(login_failures, ("scope", "key"), "failures") is first
