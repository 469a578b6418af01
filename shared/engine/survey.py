"""The SKM survey in the database: one answered questionnaire per finished visit, and the index
of any period per element, service, agency, counter or staff member."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from shared.domain.skm import (
    CHANNELS,
    PROFILE,
    SUGGESTION_LENGTH,
    Response,
    SkmGroup,
    SkmReport,
    SkmResult,
    from_sums,
    valid_answers,
    valid_profile,
)
from shared.domain.states import TicketState
from shared.engine.context import Context
from shared.engine.reports import MAX_DAYS
from shared.errors import UserError
from shared.i18n import LocalText
from shared.store.tables import agencies, counters, services, staff, survey_responses, tickets

ANSWER_COLUMNS: Final = tuple(survey_responses.c[f"a{i}"] for i in range(1, 10))
SKM_GROUPINGS: Final = ("element", "service", "agency", "counter", "staff")
OFFER_FOR: Final = timedelta(minutes=15)
PUBLISHED_DAYS: Final = (
    365  # the catalogue's IKM: the last year  # the tablet offers a visit finished this recently
)


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """A questionnaire as a respondent filled it in."""

    answers: tuple[int, ...]
    channel: str
    profile: Mapping[str, str | None] = field(default_factory=dict)
    suggestion: str = ""
    entered_by: str | None = None  # the staff member who typed in a paper form


@dataclass(frozen=True, slots=True)
class SurveyReceipt:
    number: str
    day: date
    service: LocalText


def answer(
    ctx: Context,
    answer: SurveyAnswer,
    *,
    token: str | None = None,
    number: str = "",
    day: date | None = None,
    agencies: tuple[str, ...] | None = None,
) -> SurveyReceipt:
    """Record a questionnaire for the visit of a ticket (by its page's token, or its number and
    day): the ticket must be finished, and answered once. `agencies`: only visits of these
    (an agency supervisor typing in paper forms)."""
    if not valid_answers(answer.answers):
        raise UserError("skm_bad_answers")
    if answer.channel not in CHANNELS:
        raise UserError("skm_bad_answers")
    wrong = valid_profile(dict(answer.profile))
    if wrong is not None:
        raise UserError("skm_bad_profile", key=wrong)
    row = _rateable(ctx, token, number, day or ctx.today, agencies)
    if answer.channel == "phone" and row.day != ctx.today:
        raise UserError("skm_too_late", ticket=row.number)
    values: dict[str, Any] = {
        "ticket_id": row.id,
        "day": row.day,
        "service_id": row.service_id,
        "counter_id": row.counter_id,
        "staff_id": row.staff_id,
        "channel": answer.channel,
        "suggestion": _clean(answer.suggestion) or None,
        "entered_by": answer.entered_by,
        "answered_at": ctx.now,
        **{f"a{i}": value for i, value in enumerate(answer.answers, start=1)},
        **{key: answer.profile.get(key) or None for key in PROFILE},
    }
    try:
        ctx.conn.execute(insert(survey_responses).values(**values))
    except IntegrityError:  # the same visit answered at the same instant elsewhere
        raise UserError("skm_already_answered", ticket=row.number) from None
    return _receipt(ctx, row)


def _rateable(
    ctx: Context,
    token: str | None,
    number: str,
    day: date,
    agencies: tuple[str, ...] | None = None,
) -> Any:
    """The visit's ticket row, if it can be rated: found (and of `agencies`), finished, not
    yet rated; else the refusal a person reads."""
    row = _visit(ctx, token, number, day)
    if row is not None and agencies is not None and _agency_of(ctx, row.service_id) not in agencies:
        row = None  # another agency's visit is, to this person, no visit at all
    if row is None:
        raise UserError("skm_unknown_ticket", ticket=(number or "?")[:12])
    if row.state != TicketState.DONE.value:
        raise UserError("skm_not_finished", ticket=row.number)
    taken = ctx.conn.execute(
        select(survey_responses.c.id).where(survey_responses.c.ticket_id == row.id)
    ).first()
    if taken is not None:
        raise UserError("skm_already_answered", ticket=row.number)
    return row


def visit_to_rate(ctx: Context, counter: str | None, number: str = "") -> SurveyReceipt | None:
    """For the survey tablet: by `number`, today's visit if it can be rated (else the refusal);
    by `counter`, the visit finished there in the last minutes and not yet rated (else None)."""
    if counter is None:
        row = _rateable(ctx, None, number, ctx.today)
    else:
        row = ctx.conn.execute(
            select(tickets)
            .join(counters, counters.c.id == tickets.c.counter_id)
            .where(
                counters.c.code == counter,
                tickets.c.day == ctx.today,
                tickets.c.state == TicketState.DONE.value,
                tickets.c.finished_at >= ctx.now - OFFER_FOR,
            )
            .order_by(tickets.c.finished_at.desc())
            .limit(1)
        ).first()
        if row is None or _is_rated(ctx, row.id):
            return None
    return _receipt(ctx, row)


def _is_rated(ctx: Context, ticket_id: int) -> bool:
    found = ctx.conn.execute(
        select(survey_responses.c.id).where(survey_responses.c.ticket_id == ticket_id)
    ).first()
    return found is not None


def _receipt(ctx: Context, row: Any) -> SurveyReceipt:
    name = ctx.conn.execute(
        select(services.c.name_id, services.c.name_en).where(services.c.id == row.service_id)
    ).one()
    return SurveyReceipt(row.number, row.day, LocalText(name.name_id, name.name_en))


def answered(ctx: Context, token: str) -> bool:
    """Whether the visit of this ticket page has been rated."""
    return (
        ctx.conn.execute(
            select(survey_responses.c.id)
            .join(tickets, tickets.c.id == survey_responses.c.ticket_id)
            .where(tickets.c.token == token)
        ).first()
        is not None
    )


def _visit(ctx: Context, token: str | None, number: str, day: date) -> Any:
    """The newest row of the ticket (after transfers, the one that was served)."""
    query = select(tickets).order_by(tickets.c.id.desc()).limit(1)
    if token is not None:
        query = query.where(tickets.c.token == token)
    else:
        query = query.where(tickets.c.day == day, tickets.c.number == number.strip().upper())
    return ctx.conn.execute(query).first()


def _agency_of(ctx: Context, service_id: int) -> str:
    return str(
        ctx.conn.execute(
            select(agencies.c.code)
            .join(services, services.c.agency_id == agencies.c.id)
            .where(services.c.id == service_id)
        ).scalar_one()
    )


def _clean(text: str) -> str:
    """A suggestion as stored: printable characters, trimmed to its column."""
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return kept.strip()[:SUGGESTION_LENGTH]


def report(
    ctx: Context, start: date, end: date, by: str = "element", agency: str | None = None
) -> SkmReport:
    """The index of the period (the visit's day from `start` to `end`), overall and per group;
    `agency` keeps one agency's visits (an agency supervisor's view)."""
    if by not in SKM_GROUPINGS:
        raise UserError("report_bad_grouping", by=by[:20], choices=", ".join(SKM_GROUPINGS))
    if end < start or (end - start).days > MAX_DAYS:
        raise UserError("report_bad_range", max=MAX_DAYS)
    sums = [func.coalesce(func.sum(column), 0) for column in ANSWER_COLUMNS]
    where = [survey_responses.c.day >= start, survey_responses.c.day <= end]
    base = survey_responses.join(services, services.c.id == survey_responses.c.service_id).join(
        agencies, agencies.c.id == services.c.agency_id
    )
    if agency is not None:
        where.append(agencies.c.code == agency)
    overall = ctx.conn.execute(select(func.count(), *sums).select_from(base).where(*where)).one()
    groups: list[SkmGroup] = []
    if by != "element":
        code, name_id, name_en, joined = _grouping(by, base)
        rows = ctx.conn.execute(
            select(code, name_id, name_en, func.count(), *sums)
            .select_from(joined)
            .where(*where)
            .group_by(code, name_id, name_en)
            .order_by(code)
        ).all()
        groups = [
            SkmGroup(r[0] or "-", LocalText(r[1] or "-", r[2] or ""), from_sums(r[3], list(r[4:])))
            for r in rows
        ]
    channels = {
        str(row[0]): int(row[1])
        for row in ctx.conn.execute(
            select(survey_responses.c.channel, func.count())
            .select_from(base)
            .where(*where)
            .group_by(survey_responses.c.channel)
        )
    }
    served_where = [
        tickets.c.day >= start,
        tickets.c.day <= end,
        tickets.c.state == TicketState.DONE.value,
    ]
    served_from = tickets.join(services, services.c.id == tickets.c.service_id).join(
        agencies, agencies.c.id == services.c.agency_id
    )
    if agency is not None:
        served_where.append(agencies.c.code == agency)
    served = ctx.conn.execute(
        select(func.count()).select_from(served_from).where(*served_where)
    ).scalar_one()
    return SkmReport(
        start,
        end,
        by,
        from_sums(overall[0], list(overall[1:])),
        tuple(groups),
        served,
        channels,
    )


def _grouping(by: str, base: Any) -> tuple[Any, Any, Any, Any]:
    """The columns naming a group (code, Indonesian and English name) and the joins they need."""
    if by == "service":
        return services.c.code, services.c.name_id, services.c.name_en, base
    if by == "agency":
        return agencies.c.code, agencies.c.name_id, agencies.c.name_en, base
    if by == "counter":
        joined = base.outerjoin(counters, counters.c.id == survey_responses.c.counter_id)
        return counters.c.code, counters.c.name, counters.c.name, joined
    joined = base.outerjoin(staff, staff.c.id == survey_responses.c.staff_id)
    return staff.c.username, staff.c.display_name, staff.c.display_name, joined


def published_ikm(ctx: Context) -> dict[str, SkmResult] | None:
    """Each agency's IKM over the last year, when the site publishes it (else None)."""
    if not ctx.site.publish_ikm:
        return None
    end = ctx.today
    by_agency = report(ctx, end - timedelta(days=PUBLISHED_DAYS - 1), end, "agency")
    return {group.code: group.result for group in by_agency.groups}


def responses(ctx: Context, start: date, end: date, agency: str | None = None) -> list[Response]:
    """Every questionnaire of the period (the report's recapitulation), in the order answered."""
    query = (
        select(survey_responses, services.c.code.label("service_code"))
        .join(services, services.c.id == survey_responses.c.service_id)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .where(survey_responses.c.day >= start, survey_responses.c.day <= end)
        .order_by(survey_responses.c.day, survey_responses.c.id)
    )
    if agency is not None:
        query = query.where(agencies.c.code == agency)
    return [
        Response(
            row.day,
            row.service_code,
            row.channel,
            tuple(int(row._mapping[f"a{i}"]) for i in range(1, 10)),
            {key: row._mapping[key] for key in PROFILE},
            row.suggestion,
        )
        for row in ctx.conn.execute(query)
    ]
