"""The Core tables the engine queries (the models' tables, typed as `Table`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, literal_column

from shared.store import models


def _table(model: type[models.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def text_length(column: Column[Any]) -> int:
    """How many characters a text column holds: the limit every input is checked against."""
    length = getattr(column.type, "length", None)
    assert isinstance(length, int), column
    return length


site = _table(models.Site)
agencies = _table(models.Agency)
services = _table(models.Service)
counters = _table(models.Counter)
counter_services = _table(models.CounterService)
staff = _table(models.Staff)
staff_agencies = _table(models.StaffAgency)
login_failures = _table(models.LoginFailure)
staff_sessions = _table(models.StaffSession)
number_sequences = _table(models.NumberSequence)
daily_counts = _table(models.DailyCount)
tickets = _table(models.Ticket)
events = _table(models.EventRow)
survey_responses = _table(models.SurveyResponse)
complaints = _table(models.ComplaintRow)
complaint_steps = _table(models.ComplaintStep)
bookings = _table(models.Booking)
slot_counts = _table(models.SlotCount)
report_months = _table(models.ReportMonth)
report_rollups = _table(models.ReportRollup)
report_counts = _table(models.ReportCount)

# The predicates of the partial indexes, written literally: with a bound parameter in their place
# SQLite re-plans the query on every run before it can use the partial index (3x slower).
IS_WAITING = tickets.c.state == literal_column("'waiting'")
IS_DONE = tickets.c.state == literal_column("'done'")
