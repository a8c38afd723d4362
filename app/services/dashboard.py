"""The ledningsgrupp dashboard: one row per initiative with its status, RAG, suggested RAG, progress on
the main outcome measure, the latest signal in words, stale data, MDC icons, reviews and a sparkline.

A fixed number of SQL queries whatever the number of initiatives: initiatives (with their latest
review dates as correlated subqueries), organisations, measures, then one batch analysis
(`analysis.analyse_measures`: measurements and PDSA cycles). Filtering and sorting happen in Python
because the suggested RAG and staleness come from the analysis, not from columns.
"""

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.analysis import AnalysisResult
from app.auth import policy
from app.auth.policy import Principal
from app.charts import render_sparkline
from app.core.i18n import _
from app.models import Initiative, Measure, Organisation, StatusReview
from app.models.enums import InitiativeStatus, MeasureKind
from app.services import analysis
from app.services.errors import InvalidInput
from app.services.programs import ProgramOverview, collation_key, get_organisation, program_overview
from app.services.reviews import latest_review

SortKey = Literal["rag", "suggested", "title", "organisation", "status", "progress", "review", "next"]
SORT_KEYS: tuple[SortKey, ...] = ("rag", "suggested", "title", "organisation", "status", "progress", "review", "next")
RAG_FILTERS = ("red", "amber", "green", "none")
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
        }
        return {k: v for k, v in values.items() if v is not None}

    def query(self, **changes: Any) -> str:
        """ "?status=active&sort=progress" to append to the page's path; "" when nothing is set."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def sort_query(self, key: SortKey) -> str:
        """Link for a column header: sort by `key`, or flip the direction when already sorted by it."""
        return self.query(sort=key, descending=not self.descending if self.sort == key else False)

    @property
    def active(self) -> bool:
        return self.status is not None or self.rag is not None or self.stale is not None


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
    stale_count: int = 0
    organisations: list[Organisation] = field(default_factory=list)  # in scope, for the heading
    show_organisation: bool = False  # more than one organisation: show it in each row


def main_measure(initiative: Initiative) -> Measure | None:
    """The first outcome measure by position; without outcome measures, the first measure."""
    measures = initiative.measures
    return next((m for m in measures if m.kind == MeasureKind.OUTCOME.value), measures[0] if measures else None)


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
            sparkline = render_sparkline(result, width=120, height=32)
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
    if filters.status is not None and row.initiative.status != filters.status:
        return False
    if filters.rag is not None and (row.initiative.rag or "none") != filters.rag:
        return False
    return filters.stale is None or row.stale == filters.stale


def _sort(rows: list[DashboardRow], filters: DashboardFilters) -> list[DashboardRow]:
    """Sort by the chosen key; rows without a value go last in either direction; title breaks ties."""
    key = filters.sort

    def value(row: DashboardRow) -> Any:
        i = row.initiative
        match key:
            case "rag":
                return RAG_ORDER.get(i.rag, 3) if i.rag else None
            case "suggested":
                return RAG_ORDER[row.suggested_rag] if row.suggested_rag else None
            case "title":
                return collation_key(i.title)
            case "organisation":
                return collation_key(i.organisation.name)
            case "status":
                return STATUS_ORDER.get(i.status, 99)
            case "progress":
                return row.progress_pct
            case "review":
                return row.last_review_on
            case "next":
                return row.next_review_on

    rows = sorted(rows, key=lambda r: collation_key(r.initiative.title))
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=filters.descending) + missing


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


def build_dashboard(
    db: Session,
    principal: Principal,
    *,
    title: str,
    organisation_ids: Collection[int] | None = None,
    program_id: int | None = None,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> Dashboard:
    """Rows for the visible initiatives of the given organisations and/or programme."""
    filters = filters or DashboardFilters()
    today = as_of or analysis.today()
    last_on = latest_review(StatusReview.review_date)
    next_on = latest_review(StatusReview.next_review_on)
    query = (
        select(Initiative, last_on, next_on)
        .where(policy.initiatives_visible(principal))
        .options(selectinload(Initiative.organisation), selectinload(Initiative.measures))
    )
    if organisation_ids is not None:
        query = query.where(Initiative.organisation_id.in_(sorted(organisation_ids)))
    if program_id is not None:
        query = query.where(Initiative.program_id == program_id)
    found = db.execute(query).all()
    mains = {initiative.id: main_measure(initiative) for initiative, _last, _next in found}
    measures = [m for m in mains.values() if m is not None]
    results = _analyse(db, measures, today)
    rows = []
    for initiative, last, nxt in found:
        measure = mains[initiative.id]
        result = results.get(measure.id) if measure is not None else None
        rows.append(_row(principal, initiative, last, nxt, measure, result, today))
    organisations = sorted({r.initiative.organisation for r in rows}, key=lambda o: collation_key(o.name))
    rag_counts = Counter(r.initiative.rag or "none" for r in rows)
    status_counts = Counter(r.initiative.status for r in rows)
    return Dashboard(
        title=title,
        rows=_sort([r for r in rows if _keep(r, filters)], filters),
        total=len(rows),
        filters=filters,
        by_rag={k: rag_counts.get(k, 0) for k in RAG_FILTERS},
        by_status={s.value: status_counts.get(s.value, 0) for s in InitiativeStatus},
        stale_count=sum(1 for r in rows if r.stale),
        organisations=organisations,
        show_organisation=len(organisations) > 1,
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
    board = build_dashboard(
        db, principal, title=overview.program.name, program_id=program_id, filters=filters, as_of=as_of
    )
    return ProgramPage(overview=overview, dashboard=board)
