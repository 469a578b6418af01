"""`QueueEngine`: the one writer. Each operation is one transaction returning immutable values."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TypeVar
from weakref import WeakSet
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shared.clock import Clock, SystemClock, clock_from_env
from shared.domain.appointments import CODE_LENGTH
from shared.domain.codes import typed_code
from shared.domain.complaints import Complaint, ComplaintStep, MonthFigures, Status
from shared.domain.holidays import Holidays
from shared.domain.report import Report
from shared.domain.skm import Element, Response, SkmReport, SkmResult, questionnaire
from shared.domain.states import Action, CounterState, EventKind
from shared.domain.values import (
    Board,
    Catalogue,
    CounterView,
    Event,
    ProgressSnapshot,
    Ticket,
    TicketProgress,
)
from shared.engine import (
    accounts,
    admin,
    bookings,
    calling,
    issuing,
    progress,
    reads,
    report_rollups,
    reports,
    survey,
    throttle,
)
from shared.engine import complaints as register
from shared.engine.complaints import NewComplaint, PublicComplaint
from shared.engine.context import Context, read_site, zone
from shared.engine.feed import Follower, Subscription
from shared.engine.forecast import Forecaster
from shared.engine.server_clock import ServerClock
from shared.errors import AuthError, ServiceError
from shared.passwords import verify_password
from shared.site_config import SiteConfig
from shared.store import schema
from shared.store.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")


class QueueEngine:
    """The queue engine over one database (SQLite file or PostgreSQL server).

    Open it with `QueueEngine.open(url)`; the URL defaults to `ANTRIAN_DB`, then to the SQLite
    file in the user data directory. Time comes from `clock`, else `ANTRIAN_NOW`, else the system
    on SQLite and the database server (`ServerClock`) on PostgreSQL.
    """

    def __init__(self, db: Database, clock: Clock, actor: str = "system") -> None:
        self.db = db
        self.clock = clock
        self.actor = actor
        self.forecaster = Forecaster()
        self._followers: WeakSet[Follower] = WeakSet()  # stopped by close()
        self._closed = False
        with db.read() as conn:
            self.zone: ZoneInfo = zone(read_site(conn).timezone)
        """The site's time zone; the engine's values carry UTC instants, shown in this zone."""

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        clock: Clock | None = None,
        actor: str = "system",
        check_schema: bool = True,
    ) -> QueueEngine:
        db = Database(url, application=f"antrian {actor}")
        try:
            if check_schema:
                schema.check(db)
            engine = cls(db, SystemClock(), actor)
            engine.clock = clock or clock_from_env(engine.zone)
            if isinstance(engine.clock, SystemClock) and not db.is_sqlite:
                engine.clock = ServerClock()
                with db.read() as conn:
                    engine.clock.measure(conn)
        except Exception:
            db.dispose()
            raise
        return engine

    def close(self) -> None:
        """Stop every follower of the change feed it handed out (and any it is asked for
        later: they end at once), then close its connections."""
        self._closed = True
        for follower in list(self._followers):
            follower.stop()
        self.db.dispose()

    def __enter__(self) -> QueueEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------ plumbing

    def _write(self, work: Callable[[Context], T], *, roll_day: bool = True) -> T:
        """Run `work` in one write transaction, after the day rollover when the day changed."""

        def run(conn: Connection) -> T:
            ctx = self._context(conn)
            if roll_day:
                ctx.roll_day()
            result = work(ctx)
            ctx.done()
            return result

        return self.db.run_write(run)

    def _read(self, work: Callable[[Context], T]) -> T:
        with self.db.read() as conn:
            return work(self._context(conn))

    def _context(self, conn: Connection) -> Context:
        if isinstance(self.clock, ServerClock) and self.clock.due():
            self.clock.measure(conn)
        return Context.start(conn, self.db, self.clock, self.actor)

    # ---------------------------------------------------------------------- operations

    def issue_ticket(
        self, service_code: str, *, priority: bool = False, source: str = "kiosk"
    ) -> Ticket:
        """A new waiting ticket, with people ahead, estimated wait and the standard summary.

        A refusal because the service is closed or its quota is reached is logged (`refused`).
        """
        try:
            return self._write(
                lambda ctx: issuing.issue_ticket(
                    ctx, service_code, priority, source, self.forecaster
                )
            )
        except ServiceError as error:
            reason = issuing.REFUSALS.get(error.key)
            if reason is not None:
                self._write(lambda ctx: issuing.record_refusal(ctx, service_code, reason))
            raise

    def call_next(self, counter_code: str, *, staff: str | None = None) -> Ticket | None:
        """End the counter's current ticket, then call the next by its work profile."""
        return self._write(lambda ctx: calling.call_next(ctx, counter_code, staff))

    def call_specific(self, counter_code: str, number: str, *, staff: str | None = None) -> Ticket:
        """Call a waiting or skipped number out of order."""
        return self._write(lambda ctx: calling.call_specific(ctx, counter_code, number, staff))

    def serve_walk_in(
        self, counter_code: str, service_code: str, *, staff: str | None = None
    ) -> Ticket:
        """Serve someone at the counter without a ticket: a number issued and served at once."""
        return self._write(
            lambda ctx: calling.serve_walk_in(ctx, counter_code, service_code, staff)
        )

    def recall(self, counter_code: str) -> Ticket:
        return self._write(lambda ctx: calling.act(ctx, counter_code, Action.RECALL))

    def start(self, counter_code: str) -> Ticket:
        return self._write(lambda ctx: calling.act(ctx, counter_code, Action.START))

    def finish(self, counter_code: str) -> Ticket:
        return self._write(lambda ctx: calling.act(ctx, counter_code, Action.FINISH))

    def skip(self, counter_code: str) -> Ticket:
        """The called citizen did not come: a no-show (staff can still call the number later)."""
        return self._write(lambda ctx: calling.act(ctx, counter_code, Action.SKIP))

    def park(self, counter_code: str) -> Ticket:
        """Set the current ticket aside until the citizen is ready (a paper to fetch or copy):
        the counter is free for the next; the number is called back by number, never by next."""
        return self._write(lambda ctx: calling.act(ctx, counter_code, Action.PARK))

    def transfer(self, counter_code: str, to_service_code: str) -> Ticket:
        """Send the current ticket to another service; returns the ticket waiting there."""
        return self._write(lambda ctx: calling.transfer(ctx, counter_code, to_service_code))

    def transfer_to_counter(self, counter_code: str, to_counter_code: str) -> Ticket:
        """Send the current ticket to a colleague's counter serving its service: it waits for
        that counter only, keeping its place in time; returns the ticket waiting there."""
        return self._write(
            lambda ctx: calling.transfer_to_counter(ctx, counter_code, to_counter_code)
        )

    def pause(self, counter_code: str) -> CounterState:
        return self.set_counter_state(counter_code, CounterState.PAUSED)

    def resume(self, counter_code: str) -> CounterState:
        return self.set_counter_state(counter_code, CounterState.OPEN)

    def close_counter(self, counter_code: str) -> CounterState:
        return self.set_counter_state(counter_code, CounterState.CLOSED)

    def set_counter_state(
        self, counter_code: str, state: CounterState, by: str | None = None
    ) -> CounterState:
        """Open (resume), pause or close a counter; `by`: a supervisor acting from elsewhere.
        Closed from here, whoever was logged in there is logged out."""
        if state == CounterState.CLOSED:
            return self._write(lambda ctx: admin.close_and_release(ctx, counter_code, by))
        return self._write(lambda ctx: calling.set_state(ctx, counter_code, state, by))

    def close_day(self) -> int:
        """Expire what earlier days left open now; returns how many tickets expired."""
        return self._write(lambda ctx: ctx.roll_day(), roll_day=False)

    # --------------------------------------------------------------------- read models

    def board(self, zone: str | None = None, *, recent: int = 10) -> Board:
        return self._read(lambda ctx: reads.board(ctx, zone, recent, self.forecaster))

    def counter_view(self, counter_code: str) -> CounterView:
        return self._read(lambda ctx: reads.counter_view(ctx, counter_code))

    def business_day(self) -> date | None:
        """The site's business day (None before the first write): no ticket is issued for a
        day before it, whatever a clock set back says."""
        return self._read(lambda ctx: ctx.site.current_day)

    def holidays(self) -> Holidays:
        """The site's days off: its own and the national ones it observes."""
        return self._read(lambda ctx: ctx.site.holidays)

    def reset_business_day(self) -> date | None:
        """Bring the site's business day back to the clock's day (`antrian day reset`), after a
        clock that ran ahead; the day it held, or None when it was not ahead."""
        return self._write(lambda ctx: ctx.reset_day(), roll_day=False)

    def check_clock(self) -> None:
        """Raise the SetupError that issuing would on a clock set back before that day."""
        self._read(lambda ctx: ctx.check_day())

    def database_time(self) -> datetime | None:
        """The database server's clock, to compare with this PC's (None on SQLite)."""
        return self._read(reads.database_time)

    def connection_use(self) -> tuple[int, int] | None:
        """The database server's connections in use and at most (None on SQLite)."""
        return self._read(reads.connection_use)

    def catalogue(self, agencies: Sequence[str] | None = None) -> Catalogue:
        return self._read(lambda ctx: reads.catalogue(ctx, agencies, self.forecaster))

    def ticket(self, number: str) -> Ticket | None:
        """Today's ticket with this number (its latest, after transfers)."""
        return self._read(lambda ctx: reads.ticket_by_number(ctx, number))

    def progress(self) -> ProgressSnapshot:
        """Every ticket page of today, by token (the web server reads this once per change)."""
        return self._read(lambda ctx: progress.snapshot(ctx, self.forecaster))

    # ------------------------------------------------------------------------ the survey

    def answer_survey(
        self,
        answer: survey.SurveyAnswer,
        *,
        token: str | None = None,
        number: str = "",
        day: date | None = None,
        agencies: tuple[str, ...] | None = None,
    ) -> survey.SurveyReceipt:
        """Record an SKM questionnaire for a finished visit (by its page's token, or its number
        and day); once per visit; `agencies` limits it to their visits."""
        return self._write(
            lambda ctx: survey.answer(
                ctx, answer, token=token, number=number, day=day, agencies=agencies
            )
        )

    def visit_to_rate(self, counter: str | None, number: str = "") -> survey.SurveyReceipt | None:
        """The survey tablet's visit: the one just finished at `counter` (None when none is
        waiting to be rated), or today's `number` when it can be rated (else the refusal)."""
        return self._read(lambda ctx: survey.visit_to_rate(ctx, counter, number))

    def questionnaire(self) -> tuple[Element, ...]:
        """The nine elements as this site words its questions."""
        return self._read(lambda ctx: questionnaire(ctx.site.skm_wording))

    def published_ikm(self) -> dict[str, SkmResult] | None:
        """Each agency's IKM over the last year for the public catalogue, if the site
        publishes it."""
        return self._read(survey.published_ikm)

    def skm_responses(self, start: date, end: date, agency: str | None = None) -> list[Response]:
        """Every questionnaire of the period, for the report's recapitulation."""
        return self._read(lambda ctx: survey.responses(ctx, start, end, agency))

    def survey_answered(self, token: str) -> bool:
        return self._read(lambda ctx: survey.answered(ctx, token))

    def skm_report(
        self, start: date, end: date, by: str = "element", agency: str | None = None
    ) -> SkmReport:
        """The IKM of the period, overall and per group, with its sample against the visits."""
        return self._read(lambda ctx: survey.report(ctx, start, end, by, agency))

    # -------------------------------------------------------------------- appointments

    def booking_slots(self, service_code: str, day: date) -> list[bookings.Slot]:
        """The slots still to come on `day` and the places each has left."""
        return self._read(lambda ctx: bookings.slots(ctx, service_code, day))

    def booking_days(self, service_code: str) -> list[tuple[date, int]]:
        """The days that can be booked from today and the places left on each."""
        return self._read(lambda ctx: bookings.days(ctx, service_code))

    def booking(self, code: str) -> bookings.Booking | None:
        """One booking by its code as typed (its phone hidden), or None."""
        typed = typed_code(code, CODE_LENGTH)
        if typed is None:
            return None
        found = self._read(lambda ctx: bookings.listing(ctx, code=typed))
        return found[0] if found else None

    def book(
        self,
        service_code: str,
        day: date,
        at: time,
        name: str,
        phone: str,
        *,
        by: str | None = None,
    ) -> bookings.Booking:
        """Book a slot (its last place goes to one citizen only, however many press at once);
        `by`: the staff member booking for a caller."""
        return self._write(lambda ctx: bookings.book(ctx, service_code, day, at, name, phone, by))

    def cancel_booking(self, code: str) -> bookings.Booking:
        return self._write(lambda ctx: bookings.cancel(ctx, code))

    def check_in(self, code: str) -> tuple[bookings.Booking, Ticket]:
        """Inside its window, a booking's ticket: issued now, queued from the slot's start."""
        return self._write(lambda ctx: bookings.check_in(ctx, code, self.forecaster))

    def booking_outcomes(self, query: reports.ReportQuery) -> list[bookings.Outcomes]:
        """Per service, what became of the bookings for the report's days and agencies."""

        def work(ctx: Context) -> list[bookings.Outcomes]:
            bookings.mark_no_shows(ctx)
            return bookings.outcomes(
                ctx, query.date_from, query.date_to, query.agencies, query.service
            )

        return self._write(work)

    def bookings(
        self, day: date | None = None, *, with_phone: bool = False
    ) -> list[bookings.Booking]:
        """A day's bookings by slot (those past their check-in window marked no-shows first)."""

        def work(ctx: Context) -> list[bookings.Booking]:
            bookings.mark_no_shows(ctx)
            return bookings.listing(ctx, day, with_phone)

        return self._write(work)

    # ---------------------------------------------------------------------- complaints

    def file_complaint(self, new: NewComplaint) -> Complaint:
        """Record a complaint with its deadlines (working days); it carries its reference."""
        return self._write(lambda ctx: register.file(ctx, new))

    def move_complaint(
        self,
        reference: str,
        to: Status,
        note: str | None = None,
        agencies_of: tuple[str, ...] | None = None,
        by: str | None = None,
    ) -> Complaint:
        """One step of a complaint, logged with who took it (`by`, else the engine's actor)."""
        return self._write(lambda ctx: register.move(ctx, reference, to, note, agencies_of, by))

    def complaints(
        self,
        *,
        agencies_of: tuple[str, ...] | None = None,
        with_contact: bool = False,
        open_only: bool = False,
        reference: str | None = None,
    ) -> list[Complaint]:
        return self._read(
            lambda ctx: register.listing(
                ctx,
                reference=reference,
                agencies_of=agencies_of,
                with_contact=with_contact,
                open_only=open_only,
            )
        )

    def complaint_report(
        self, start: date, end: date, agencies_of: tuple[str, ...] | None = None
    ) -> list[MonthFigures]:
        """Complaints received in the period, per month, agency and category: answered on
        time, resolved on time or late, still open, overdue."""
        return self._read(lambda ctx: register.monthly(ctx, start, end, agencies_of))

    def complaint_steps(self, reference: str) -> list[ComplaintStep]:
        return self._read(lambda ctx: register.steps(ctx, reference))

    def public_complaint(self, reference: str) -> PublicComplaint | None:
        """What the citizen's status page may show for a reference code."""
        return self._read(lambda ctx: register.public(ctx, reference))

    def progress_of(self, token: str) -> TicketProgress | None:
        """One ticket page of any day by its token; None when no ticket has it."""
        return self._read(lambda ctx: progress.by_token(ctx, token, self.forecaster))

    def events_after(self, cursor: int = 0, limit: int = 500) -> list[Event]:
        with self.db.read() as conn:
            return reads.events_after(conn, cursor, limit)

    # -------------------------------------------------------------------- change feed

    def follow(
        self, cursor: int = 0, *, on_status: Callable[[bool], None] | None = None
    ) -> Follower:
        """A blocking iterator over events after `cursor`; call its `stop()` (or close the
        engine) to end it."""
        follower = Follower(self.db, self.events_after, cursor, on_status)
        self._followers.add(follower)
        if self._closed:  # e.g. a view's late reply after its app stopped
            follower.stop()
        return follower

    def subscribe(
        self,
        callback: Callable[[Event], None],
        cursor: int = 0,
        *,
        on_status: Callable[[bool], None] | None = None,
    ) -> Subscription:
        """Run `callback(event)` on a background thread for each new event."""
        return Subscription(self.follow(cursor, on_status=on_status), callback)

    # ------------------------------------------------------------------ site and staff

    def preview_site(self, config: SiteConfig) -> admin.LoadReport:
        """What `load_site(config)` would change, changing nothing."""

        def run(conn: Connection) -> admin.LoadReport:
            return admin.load_site(self._context(conn), config)

        return self.db.run_rolled_back(run)

    def load_site(self, config: SiteConfig) -> admin.LoadReport:
        report = self._write(lambda ctx: admin.load_site(ctx, config))
        self.zone = zone(config.site.timezone)
        return report

    def add_user(
        self,
        username: str,
        password: str,
        *,
        role: str = "staff",
        display_name: str = "",
        agencies: Sequence[str] = (),
        temporary: bool = False,
    ) -> None:
        """A new account; `agencies` limits the counters it may log in at (none: every one);
        a `temporary` password serves only to choose its own at the first login."""
        self._write(
            lambda ctx: admin.add_user(
                ctx, username, display_name, role, password, agencies, temporary
            )
        )

    def login(
        self,
        username: str,
        password: str,
        counter_code: str | None = None,
        *,
        place: str | None = None,
    ) -> admin.StaffMember:
        """Check the password (outside any transaction: argon2 is slow on purpose), log it.

        Wrong tries are counted per account and per `place` (the PC or client address; the
        engine's actor by default) in the database; after a few, every try waits, doubling.
        """
        keys, temporary = self._check_password(username, password, place)

        def record(ctx: Context) -> admin.StaffMember:
            throttle.succeeded(ctx, keys)
            return admin.record_login(ctx, username, counter_code)

        if temporary:  # right, but someone else's choice: it only lets one choose one's own
            self._write(lambda ctx: throttle.succeeded(ctx, keys))
            raise AuthError("password_temporary")
        return self._write(record)

    def change_own_password(
        self,
        username: str,
        current: str,
        new: str,
        *,
        place: str | None = None,
        keep_session: str | None = None,
    ) -> None:
        """A person's new password, given with their current one, checked as a login is (a
        wrong one counts towards the same waits). Their console sessions end but
        `keep_session`, the one they changed it from."""
        keys, _temporary = self._check_password(username, current, place)
        if new == current:
            raise AuthError("password_unchanged")

        def change(ctx: Context) -> None:
            throttle.succeeded(ctx, keys)
            accounts.change_own_password(ctx, username, new, keep_session)

        self._write(change)

    def _check_password(
        self, username: str, password: str, place: str | None
    ) -> tuple[list[tuple[str, str]], bool]:
        """Check an account's password, counting wrong tries per account and per `place` (a
        wait once there were a few): the throttle's keys, for a success to clear, and whether
        the password is a temporary one."""
        keys = [("account", username), ("place", place or self.actor)]
        wait = self._read(lambda ctx: throttle.wait_seconds(ctx, keys))
        if wait:
            raise AuthError("login_locked", seconds=wait)
        known = admin.USERNAME_RE.fullmatch(username) is not None
        stored = self._read(lambda ctx: admin.stored_password(ctx, username)) if known else None
        if stored is None or not verify_password(stored[0], password):
            self._write(
                lambda ctx: throttle.failed(
                    ctx, keys, EventKind.LOGIN_FAILED, staff=username if known else None
                )
            )
            log.warning("failed login for %r from %s", username[:64], place or self.actor)
            raise AuthError("wrong_password")
        return keys, stored[1]

    def report(self, query: reports.ReportQuery) -> Report:
        """Performance against the service standards over days (see shared.domain.report),
        counted by the database."""
        return self.grouped_reports(query, (query.by,))[query.by]

    def grouped_reports(
        self,
        query: reports.ReportQuery,
        groupings: Sequence[str],
        spread: Sequence[str] | None = None,
    ) -> dict[str, Report]:
        """The same days and filters in several groupings, its tickets read once; percentiles
        for the groupings in `spread` (all when None). Whole months that have ended are counted
        once and kept (one write transaction each, the first time a report spans them)."""
        self.keep_report_months(query)
        return self._read(lambda ctx: reports.compute(ctx, query, groupings, spread))

    def keep_ended_report_months(self) -> list[str]:
        """Count and keep every ended month a report may still span (MAX_DAYS back)."""
        today = self.clock.now().astimezone(self.zone).date()
        since = today - timedelta(days=reports.MAX_DAYS)
        return self.keep_report_months(reports.ReportQuery(since, today))

    def keep_report_months(self, query: reports.ReportQuery) -> list[str]:
        """Count and keep the ended whole months of the query's days not kept yet (or kept
        under other definitions); returns them."""
        query.check()

        def missing(ctx: Context) -> list[tuple[str, date, date]]:
            whole = report_rollups.whole_months(query.date_from, query.date_to, ctx.today)
            done = report_rollups.kept(ctx, [m for m, _, _ in whole])
            return [m for m in whole if m[0] not in done]

        counted = []
        for month in self._read(missing):
            try:
                self._write(partial(report_rollups.keep, month=month))
            except IntegrityError:  # another process kept it at the same moment
                continue
            counted.append(month[0])
        return counted

    def arrival_grid(self, query: reports.ReportQuery) -> dict[tuple[int, int], int]:
        """Arrivals by (ISO weekday, hour) over the query's days: the report's heatmap."""
        return self._read(lambda ctx: reports.arrival_grid(ctx, query))

    # ------------------------------------------------------------------- accounts

    def list_accounts(self) -> tuple[accounts.Account, ...]:
        return self._read(accounts.list_accounts)

    def set_account_active(self, username: str, active: bool) -> None:
        """Disable (out everywhere at once) or enable an account; never the last admin."""
        self._write(lambda ctx: accounts.set_active(ctx, username, active))

    def set_password(self, username: str, password: str, *, temporary: bool = False) -> None:
        """A new password (its console sessions end); a `temporary` one, set for someone by an
        admin, serves only to choose their own at their next login."""
        self._write(lambda ctx: accounts.set_password(ctx, username, password, temporary))

    def set_role(self, username: str, role: str) -> None:
        self._write(lambda ctx: accounts.set_role(ctx, username, role))

    def set_agencies(self, username: str, agencies: Sequence[str]) -> None:
        """The account's agencies (none: every agency); see `add_user`."""
        self._write(lambda ctx: accounts.set_agencies(ctx, username, agencies))

    def open_console_session(self, username: str, place: str) -> tuple[str, str]:
        """After `login`: a console session, (token for the cookie, token for the forms)."""
        return self._write(lambda ctx: accounts.open_session(ctx, username, place))

    def console_session(self, token: str) -> accounts.ConsoleSession | None:
        return self._write(lambda ctx: accounts.session(ctx, token), roll_day=False)

    def close_console_session(self, token: str) -> None:
        self._write(lambda ctx: accounts.close_session(ctx, token), roll_day=False)

    def guess_wait(self, scope: str, key: str) -> int:
        """Seconds before another try of a secret (a kiosk's admin PIN...) is allowed."""
        return self._read(lambda ctx: throttle.wait_seconds(ctx, [(scope, key)]))

    def guess_failed(self, scope: str, key: str, kind: EventKind) -> int:
        """Count and log a wrong try; the wait it earned."""
        return self._write(lambda ctx: throttle.failed(ctx, [(scope, key)], kind))

    def guess_succeeded(self, scope: str, key: str) -> None:
        self._write(lambda ctx: throttle.succeeded(ctx, [(scope, key)]))

    def logout(self, username: str, counter_code: str | None = None) -> None:
        self._write(lambda ctx: admin.record_logout(ctx, username, counter_code))
