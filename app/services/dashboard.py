"""The ledningsgrupp dashboard: one row per initiative with its status, RAG, suggested RAG, progress on
the main outcome measure, the latest signal in words, stale data, MDC icons, reviews and a sparkline.

A fixed number of SQL queries whatever the number of initiatives: initiatives (with their latest
review dates as correlated subqueries), organisations, measures, then one batch analysis
(`analysis.analyse_measures`: measurements and PDSA cycles). Filtering and sorting happen in Python
because the suggested RAG and staleness come from the analysis, not from columns.
"""

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, selectinload

from app.analysis import AnalysisResult
from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Measure, Organisation, Program, StatusReview
from app.models.enums import InitiativeStatus, MeasureKind
from app.services import analysis
from app.services.errors import InvalidInput
from app.services.programs import (
    ProgramOverview,
    collation_key,
    get_organisation,
    get_program,
    program_overview,
)
from app.services.reviews import latest_review

SortKey = Literal["rag", "suggested", "title", "organisation", "status", "progress", "review", "next"]
SORT_KEYS: tuple[SortKey, ...] = ("rag", "suggested", "title", "organisation", "status", "progress", "review", "next")
RAG_FILTERS = ("red", "amber", "green", "none")
PROGRAM_PAGE_SIZE = 50  # rows per page of the programme's table (a programme may have thousands)
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, None: 3}
STATUS_ORDER = {s.value: i for i, s in enumerate(InitiativeStatus)}


@dataclass(frozen=True)
class DashboardFilters:
    """What the table shows and in which order; parsed leniently from the URL (bad values are ignored)."""

    status: str | None = None
    rag: str | None = None  # "red", "amber", "green" or "none" (not assessed)
    stale: bool | None = None
    sort: SortKey = "rag"
    descending: bool = False
    page: int = 1  # only paginated tables (the programme page) use it

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "DashboardFilters":
        status = params.get("status") or None
        rag = params.get("rag") or None
        stale = {"1": True, "yes": True, "true": True, "0": False, "no": False, "false": False}.get(
            (params.get("stale") or "").lower()
        )
        sort = params.get("sort") or "rag"
        return cls(
            status=status if status in STATUS_ORDER else None,
            rag=rag if rag in RAG_FILTERS else None,
            stale=stale,
            sort=next((k for k in SORT_KEYS if k == sort), "rag"),
            descending=params.get("dir") == "desc",
            page=_page_number(params.get("page")),
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """Query parameters of these filters with `changes` applied (None removes a filter)."""
        state = replace(self, **changes)
        values = {
            "status": state.status,
            "rag": state.rag,
            "stale": None if state.stale is None else ("1" if state.stale else "0"),
            "sort": None if state.sort == "rag" else state.sort,
            "dir": "desc" if state.descending else None,
            "page": str(state.page) if state.page > 1 else None,
        }
        return {k: v for k, v in values.items() if v is not None}

    def query(self, **changes: Any) -> str:
        """ "?status=active&sort=progress" to append to the page's path; "" when nothing is set."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def sort_query(self, key: SortKey) -> str:
        """Link for a column header: sort by `key`, or flip the direction when already sorted by it."""
        return self.query(sort=key, descending=not self.descending if self.sort == key else False, page=1)

    @property
    def needs_analysis(self) -> bool:
        """Sorting or filtering by something only the analysis of every row knows."""
        return self.sort in ("suggested", "progress") or self.stale is not None

    @property
    def active(self) -> bool:
        return self.status is not None or self.rag is not None or self.stale is not None


MAX_PAGE = 100_000


def _page_number(text: str | None) -> int:
    try:
        number = int(text or "1")
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass(frozen=True)
class DashboardRow:
    initiative: Initiative
    measure: Measure | None  # the main outcome measure (first outcome measure by position)
    result: AnalysisResult | None
    signal: str | None  # the latest signal, in words
    progress_bar: float | None  # 0..100 for a bar; None when progress is undefined
    last_period: str | None  # the main measure's latest measured period
    last_review_on: date | None
    next_review_on: date | None
    review_overdue: bool
    can_review: bool
    sparkline: str | None  # SVG markup

    @property
    def suggested_rag(self) -> str | None:
        return self.result.suggested_rag if self.result and self.result.n else None

    @property
    def progress_pct(self) -> float | None:
        return self.result.progress.progress_pct if self.result else None

    @property
    def stale(self) -> bool:
        return bool(self.result and self.result.progress.stale)


@dataclass(frozen=True)
class Dashboard:
    title: str
    rows: list[DashboardRow]
    total: int  # initiatives in scope before filtering
    filters: DashboardFilters
    by_rag: dict[str, int] = field(default_factory=dict)  # over all initiatives in scope
    by_status: dict[str, int] = field(default_factory=dict)
    stale_count: int | None = 0
    organisations: list[Organisation] = field(default_factory=list)  # in scope, for the heading
    show_organisation: bool = False  # more than one organisation: show it in each row
    # Paginated tables: `rows` is one page of `matching` rows; stale_count is None when not computed.
    matching: int | None = None
    page: int = 1
    pages: int = 1
    page_size: int | None = None

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * (self.page_size or 0) + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.rows) - 1 if self.rows else 0


def main_measure(initiative: Initiative) -> Measure | None:
    """The first outcome measure by position; without outcome measures, the first measure."""
    measures = initiative.measures
    return next((m for m in measures if m.kind == MeasureKind.OUTCOME.value), measures[0] if measures else None)


def _main_measures(db: Session, initiative_ids: Sequence[int]) -> dict[int, Measure]:
    """`main_measure` of each initiative in one query, loading only those measures (not all of them).

    The first live outcome measure by (position, id), else the first live measure: a window over the
    initiatives' measures (index on measures.initiative_id) keeps one per initiative.
    """
    if not initiative_ids:
        return {}
    ranked = (
        select(
            Measure.id,
            func.row_number()
            .over(
                partition_by=Measure.initiative_id,
                order_by=(
                    case((Measure.kind == MeasureKind.OUTCOME.value, 0), else_=1),
                    Measure.position,
                    Measure.id,
                ),
            )
            .label("rank"),
        )
        .where(Measure.initiative_id.in_(sorted(set(initiative_ids))), Measure.deleted_at.is_(None))
        .subquery()
    )
    found = db.scalars(select(Measure).join(ranked, ranked.c.id == Measure.id).where(ranked.c.rank == 1))
    return {m.initiative_id: m for m in found}


def _row(
    principal: Principal,
    initiative: Initiative,
    last_on: date | None,
    next_on: date | None,
    measure: Measure | None,
    result: AnalysisResult | None,
    today: date,
) -> DashboardRow:
    signal = last_period = sparkline = None
    bar = None
    if measure is not None and result is not None:
        sentences = analysis.signal_sentences(measure, result)
        signal = sentences[0] if sentences else None
        progress = result.progress
        if progress.target_met:
            bar = 100.0
        elif progress.progress_pct is not None:
            bar = min(100.0, max(0.0, progress.progress_pct))
        if result.points:
            last_period = result.points[-1].period
            sparkline = analysis.sparkline_svg(result, width=120, height=32)
    return DashboardRow(
        initiative=initiative,
        measure=measure,
        result=result,
        signal=signal,
        progress_bar=bar,
        last_period=last_period,
        last_review_on=last_on,
        next_review_on=next_on,
        review_overdue=next_on is not None and next_on < today,
        can_review=policy.can_review(principal, initiative),
        sparkline=sparkline,
    )


def _keep(row: DashboardRow, filters: DashboardFilters) -> bool:
    if not _keep_brief(_brief(row), filters):
        return False
    return filters.stale is None or row.stale == filters.stale


@dataclass(frozen=True)
class _Brief:
    """What filtering and sorting by a column needs of a row, read without the ORM (paginated tables)."""

    id: int
    title: str
    status: str
    rag: str | None
    organisation_name: str
    last_review_on: date | None
    next_review_on: date | None


def _sort_value(key: SortKey, brief: _Brief, suggested: str | None = None, progress: float | None = None) -> Any:
    match key:
        case "rag":
            return RAG_ORDER.get(brief.rag, 3) if brief.rag else None
        case "suggested":
            return RAG_ORDER[suggested] if suggested else None
        case "title":
            return collation_key(brief.title)
        case "organisation":
            return collation_key(brief.organisation_name)
        case "status":
            return STATUS_ORDER.get(brief.status, 99)
        case "progress":
            return progress
        case "review":
            return brief.last_review_on
        case "next":
            return brief.next_review_on


def _brief(row: DashboardRow) -> _Brief:
    i = row.initiative
    return _Brief(i.id, i.title, i.status, i.rag, i.organisation.name, row.last_review_on, row.next_review_on)


T = TypeVar("T")


def _ordered(
    items: list[T], filters: DashboardFilters, value: Callable[[T], Any], title: Callable[[T], str]
) -> list[T]:
    """Sort by the chosen key; items without a value go last in either direction; title breaks ties."""
    items = sorted(items, key=lambda item: collation_key(title(item)))
    present = [item for item in items if value(item) is not None]
    missing = [item for item in items if value(item) is None]
    return sorted(present, key=value, reverse=filters.descending) + missing


def _sort(rows: list[DashboardRow], filters: DashboardFilters) -> list[DashboardRow]:
    return _ordered(
        rows,
        filters,
        lambda r: _sort_value(filters.sort, _brief(r), r.suggested_rag, r.progress_pct),
        lambda r: r.initiative.title,
    )


def _analyse(db: Session, measures: Sequence[Measure], as_of: date) -> dict[int, AnalysisResult]:
    """Batch analysis; should one measure's stored settings not fit its data, the others still show."""
    if not measures:
        return {}
    try:
        return analysis.analyse_measures(db, measures, as_of=as_of)
    except InvalidInput:
        results: dict[int, AnalysisResult] = {}
        for measure in measures:
            with suppress(InvalidInput):
                results.update(analysis.analyse_measures(db, [measure], as_of=as_of))
        return results


def _scope(
    principal: Principal, organisation_ids: Collection[int] | None, program_id: int | None
) -> list[ColumnElement[bool]]:
    conditions = [policy.initiatives_visible(principal)]
    if organisation_ids is not None:
        conditions.append(Initiative.organisation_id.in_(sorted(organisation_ids)))
    if program_id is not None:
        conditions.append(Initiative.program_id == program_id)
    return conditions


def _rows(
    db: Session,
    principal: Principal,
    conditions: Sequence[ColumnElement[bool]],
    today: date,
    ids: Sequence[int] | None = None,
) -> list[DashboardRow]:
    """Full rows (initiative, main measure analysed, sparkline) for the initiatives in scope, or those of `ids`."""
    last_on = latest_review(StatusReview.review_date)
    next_on = latest_review(StatusReview.next_review_on)
    query = select(Initiative, last_on, next_on).where(*conditions).options(selectinload(Initiative.organisation))
    if ids is not None:
        query = query.where(Initiative.id.in_(ids))
    found = db.execute(query).all()
    mains = _main_measures(db, [initiative.id for initiative, _last, _next in found])
    measures = list(mains.values())
    results = _analyse(db, measures, today)
    rows = []
    for initiative, last, nxt in found:
        measure = mains.get(initiative.id)
        result = results.get(measure.id) if measure is not None else None
        rows.append(_row(principal, initiative, last, nxt, measure, result, today))
    return rows


def _briefs(db: Session, conditions: Sequence[ColumnElement[bool]], *, reviews: bool) -> list[_Brief]:
    """Every initiative in scope as plain values, in one query without ORM objects (thousands are cheap).

    The review dates (two correlated subqueries per initiative) are read only with `reviews`, when the
    table is sorted by them; the page's own rows get theirs from `_rows`.
    """
    columns: list[Any] = [Initiative.id, Initiative.title, Initiative.status, Initiative.rag, Organisation.name]
    if reviews:
        columns += [latest_review(StatusReview.review_date), latest_review(StatusReview.next_review_on)]
    found = db.execute(
        select(*columns).join(Organisation, Organisation.id == Initiative.organisation_id).where(*conditions)
    ).all()
    return [
        _Brief(row[0], row[1], row[2], row[3], row[4], row[5] if reviews else None, row[6] if reviews else None)
        for row in found
    ]


def _keep_brief(brief: _Brief, filters: DashboardFilters) -> bool:
    if filters.status is not None and brief.status != filters.status:
        return False
    return filters.rag is None or (brief.rag or "none") == filters.rag


def build_dashboard(
    db: Session,
    principal: Principal,
    *,
    title: str,
    organisation_ids: Collection[int] | None = None,
    program_id: int | None = None,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
    page_size: int | None = None,
) -> Dashboard:
    """Rows for the visible initiatives of the given organisations and/or programme.

    With `page_size`, one page (`filters.page`) of the table: the initiatives in scope are read as plain
    values, filtered and sorted, and only the page's rows are loaded and analysed, so the cost follows
    the page, not the programme (3,000 initiatives). Sorting by the suggested RAG or progress, or
    filtering by new values, needs every row's analysis and takes the full path (then cut to the page).
    The count of initiatives without new values is left out (None) on the paginated path.
    """
    filters = filters or DashboardFilters()
    today = as_of or analysis.today()
    conditions = _scope(principal, organisation_ids, program_id)
    stale_count: int | None
    if page_size is None or filters.needs_analysis:
        rows = _rows(db, principal, conditions, today)
        kept = _sort([r for r in rows if _keep(r, filters)], filters)
        briefs = [_brief(r) for r in rows]
        stale_count = sum(1 for r in rows if r.stale)
        organisations = sorted({r.initiative.organisation for r in rows}, key=lambda o: collation_key(o.name))
        shown_orgs = len(organisations)
        matching = len(kept)
    else:
        briefs = _briefs(db, conditions, reviews=filters.sort in ("review", "next"))
        ordered = _ordered(
            [b for b in briefs if _keep_brief(b, filters)],
            filters,
            lambda b: _sort_value(filters.sort, b),
            lambda b: b.title,
        )
        matching = len(ordered)
        pages = max(1, -(-matching // page_size))
        page = min(filters.page, pages)
        window = ordered[(page - 1) * page_size : page * page_size]
        loaded = {r.initiative.id: r for r in _rows(db, principal, conditions, today, ids=[b.id for b in window])}
        kept = [loaded[b.id] for b in window if b.id in loaded]
        stale_count = None
        organisations = []
        shown_orgs = len({b.organisation_name for b in briefs})
    page, pages = 1, 1
    if page_size is not None:
        pages = max(1, -(-matching // page_size))
        page = min(filters.page, pages)
        if len(kept) > page_size:  # the full path: cut to the page
            kept = kept[(page - 1) * page_size : page * page_size]
    rag_counts = Counter(b.rag or "none" for b in briefs)
    status_counts = Counter(b.status for b in briefs)
    return Dashboard(
        title=title,
        rows=kept,
        total=len(briefs),
        filters=replace(filters, page=page),
        by_rag={k: rag_counts.get(k, 0) for k in RAG_FILTERS},
        by_status={s.value: status_counts.get(s.value, 0) for s in InitiativeStatus},
        stale_count=stale_count,
        organisations=organisations,
        show_organisation=shown_orgs > 1,
        matching=matching if page_size is not None else None,
        page=page,
        pages=pages,
        page_size=page_size,
    )


@dataclass(frozen=True)
class DashboardChoice:
    """/dashboard: the user's own organisations' dashboard, or organisations to choose from."""

    dashboard: Dashboard | None
    choices: Sequence[Organisation]


def home_dashboard(
    db: Session, principal: Principal, *, filters: DashboardFilters | None = None, as_of: date | None = None
) -> DashboardChoice:
    """Leaders and viewers get their organisations' dashboard; admins and coordinators a choice of
    organisations (and, when they also lead an organisation, its dashboard as well)."""
    choices: Sequence[Organisation] = []
    if principal.is_admin or principal.coordinator_programs or not principal.reader_orgs:
        choices = db.scalars(
            select(Organisation)
            .where(policy.organisations_visible(principal))
            .options(selectinload(Organisation.programs))
            .order_by(Organisation.name)
        ).all()
    board = None
    if principal.reader_orgs:
        names = db.scalars(select(Organisation.name).where(Organisation.id.in_(sorted(principal.reader_orgs)))).all()
        board = build_dashboard(
            db,
            principal,
            title=names[0] if len(names) == 1 else _("Management team dashboard"),
            organisation_ids=principal.reader_orgs,
            filters=filters,
            as_of=as_of,
        )
    return DashboardChoice(dashboard=board, choices=choices)


def organisation_dashboard(
    db: Session,
    principal: Principal,
    *,
    organisation_id: int,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> Dashboard:
    """One organisation's dashboard (NotFound when the organisation is not visible)."""
    organisation = get_organisation(db, principal, organisation_id)
    return build_dashboard(
        db, principal, title=organisation.name, organisation_ids=[organisation.id], filters=filters, as_of=as_of
    )


@dataclass(frozen=True)
class ProgramPage:
    """The coordinator's programme page: the overview and the table of all its initiatives."""

    overview: ProgramOverview
    dashboard: Dashboard


def program_page(
    db: Session,
    principal: Principal,
    *,
    program_id: int,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> ProgramPage:
    overview = program_overview(db, principal, program_id=program_id, as_of=as_of)
    board = _program_board(db, principal, overview.program, filters=filters, as_of=as_of)
    return ProgramPage(overview=overview, dashboard=board)


def program_table(
    db: Session,
    principal: Principal,
    *,
    program_id: int,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> Dashboard:
    """Only the programme page's table, for its HTMX swaps (sorting, filters, pages): not the overview."""
    return _program_board(db, principal, get_program(db, principal, program_id), filters=filters, as_of=as_of)


def _program_board(
    db: Session, principal: Principal, program: Program, *, filters: DashboardFilters | None, as_of: date | None
) -> Dashboard:
    return build_dashboard(
        db,
        principal,
        title=program.name,
        program_id=program.id,
        filters=filters,
        as_of=as_of,
        page_size=PROGRAM_PAGE_SIZE,
    )
