"""The programme summary every export renders: plain dataclasses, built once with access checks.

`build_summary` collects one entry per initiative the user may see (in a programme or an
organisation): who the team is, the problem, aim, what was done, results, lessons learned, and for
each measure the baseline, target, current level, progress, signals in words, a chart (SVG) and
its measurements. The renderers (JSON, CSV, XLSX, booklet HTML/PDF, DOCX) only format this; they
never query. A fixed number of queries whatever the number of initiatives.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.analysis import AnalysisResult
from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import get_language
from app.core.text import UNSTORABLE
from app.models import Initiative, Measure, Measurement, Program
from app.models.base import utcnow
from app.services import analysis
from app.services.dashboard import main_measure
from app.services.initiatives import team_role_label
from app.services.programs import collation_key, get_organisation, get_program

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TeamMemberSummary:
    name: str
    role: str  # label in the export's language, e.g. "Enhetschef"
    role_code: str


@dataclass(frozen=True, slots=True)
class PointSummary:
    period: str
    value: float
    numerator: float | None = None
    denominator: float | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class MeasureSummary:
    id: int
    name: str
    kind: str
    data_type: str
    unit: str
    definition: str
    direction: str
    frequency: str
    baseline: float | None
    target: float | None
    target_date: date | None
    current: float | None
    progress_pct: float | None
    target_met: bool | None
    improving: bool
    stale: bool
    suggested_rag: str | None
    variation: str | None
    assurance: str | None
    chart: str  # run, i, p, u, c
    signals: list[str]  # in words, most recent first
    chart_svg: str | None = None
    points: list[PointSummary] = field(default_factory=list)

    @property
    def last_period(self) -> str | None:
        return self.points[-1].period if self.points else None


@dataclass(frozen=True, slots=True)
class LessonSummary:
    text: str
    tags: list[str]
    date: date


@dataclass(frozen=True, slots=True)
class InitiativeSummary:
    id: int
    title: str
    organisation: str
    organisation_id: int
    municipality: str
    program: str | None
    status: str
    rag: str | None
    started_on: date | None
    ends_on: date | None
    problem: str
    rationale: str
    target_group: str
    aim: str
    what_we_did: str
    results: str
    team: list[TeamMemberSummary]
    measures: list[MeasureSummary]
    lessons: list[LessonSummary]

    @property
    def main_measure(self) -> MeasureSummary | None:
        """The first outcome measure by position; without outcome measures, the first measure."""
        return next((m for m in self.measures if m.kind == "outcome"), self.measures[0] if self.measures else None)


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    title: str  # the programme's or the organisation's name
    program: Program | None
    organisation_name: str | None
    description: str
    starts_on: date | None
    ends_on: date | None
    generated_at: datetime
    language: str
    initiatives: list[InitiativeSummary]

    @property
    def measure_count(self) -> int:
        return sum(len(i.measures) for i in self.initiatives)


def _points(db: Session, measure_ids: Sequence[int]) -> dict[int, list[PointSummary]]:
    """Every live measurement of the measures, in period order, in one query."""
    grouped: dict[int, list[PointSummary]] = defaultdict(list)
    rows = analysis.live_value_rows(db, measure_ids, Measurement.comment)
    for measure_id, period, value, numerator, denominator, comment in rows:
        grouped[measure_id].append(PointSummary(period, value, numerator, denominator, comment or ""))
    return grouped


def _measure(
    measure: Measure, result: AnalysisResult, signals: list[str], svg: str | None, points: list[PointSummary]
) -> MeasureSummary:
    progress = result.progress
    return MeasureSummary(
        id=measure.id,
        name=measure.name,
        kind=measure.kind,
        data_type=measure.data_type,
        unit=measure.unit,
        definition=measure.definition,
        direction=measure.direction,
        frequency=measure.frequency,
        baseline=measure.baseline,
        target=measure.target,
        target_date=measure.target_date,
        current=progress.current,
        progress_pct=progress.progress_pct,
        target_met=progress.target_met,
        improving=progress.improving,
        stale=progress.stale,
        suggested_rag=result.suggested_rag if result.n else None,
        variation=result.variation,
        assurance=result.assurance,
        chart=result.chart,
        signals=signals,
        chart_svg=svg,
        points=points,
    )


CHART_SIZE = (720, 290)


def _analyse(
    db: Session, initiatives: Sequence[Initiative], *, as_of: date | None, charts: bool
) -> dict[int, tuple[AnalysisResult, list[str], str | None]]:
    """(analysis, signals in words, chart SVG or None) per measure, in batches whatever the number.

    Only each initiative's main measure is charted (the booklet shows one chart per initiative).
    """
    measures = [m for i in initiatives for m in i.measures]
    results = analysis.analyse_measures(db, measures, as_of=as_of) if measures else {}
    charted = [m for i in initiatives if (m := main_measure(i)) is not None] if charts else []
    # PDSA cycles of all charted initiatives in one query (the service's batch loader).
    cycles = analysis.cycles_by_initiative(db, (m.initiative_id for m in charted), new_phase_only=False)
    svgs = {
        m.id: analysis.chart_svg(
            db,
            m,
            result=results[m.id],
            cycles=cycles[m.initiative_id],
            width=CHART_SIZE[0],
            height=CHART_SIZE[1],
            id_prefix=f"booklet-{m.id}",
            tooltips=False,  # a booklet is read on paper
        )
        for m in charted
    }
    return {m.id: (results[m.id], analysis.signal_sentences(m, results[m.id]), svgs.get(m.id)) for m in measures}


def build_summary(
    db: Session,
    principal: Principal,
    *,
    program_id: int | None = None,
    organisation_id: int | None = None,
    as_of: date | None = None,
    charts: bool = True,
) -> ProgramSummary:
    """The summary of the visible initiatives of a programme and/or an organisation.

    NotFound when the programme or organisation is not visible. `charts=True` adds an SVG chart of each
    initiative's main measure (for the booklet; the other formats do not need it).
    """
    program = get_program(db, principal, program_id) if program_id is not None else None
    organisation = get_organisation(db, principal, organisation_id) if organisation_id is not None else None
    query = (
        select(Initiative)
        .where(policy.initiatives_visible(principal))
        .options(
            selectinload(Initiative.organisation),
            selectinload(Initiative.program),
            selectinload(Initiative.team),
            selectinload(Initiative.measures),
            selectinload(Initiative.lessons),
        )
    )
    if program is not None:
        query = query.where(Initiative.program_id == program.id)
    if organisation is not None:
        query = query.where(Initiative.organisation_id == organisation.id)
    initiatives = db.scalars(query).all()
    initiatives = sorted(initiatives, key=lambda i: (collation_key(i.organisation.name), collation_key(i.title)))
    measures = [m for i in initiatives for m in i.measures]
    analysed = _analyse(db, initiatives, as_of=as_of, charts=charts)
    points = _points(db, [m.id for m in measures])
    entries = [
        InitiativeSummary(
            id=i.id,
            title=i.title,
            organisation=i.organisation.name,
            organisation_id=i.organisation_id,
            municipality=i.organisation.municipality,
            program=i.program.name if i.program else None,
            status=i.status,
            rag=i.rag,
            started_on=i.started_on,
            ends_on=i.ends_on,
            problem=i.problem,
            rationale=i.rationale,
            target_group=i.target_group,
            aim=i.aim,
            what_we_did=i.what_we_did,
            results=i.results,
            team=[TeamMemberSummary(t.name, team_role_label(t.role), t.role) for t in i.team],
            measures=[_measure(m, *analysed[m.id], points.get(m.id, [])) for m in i.measures],
            lessons=[LessonSummary(x.text, list(x.tags or []), x.lesson_date) for x in i.lessons],
        )
        for i in initiatives
    ]
    scope = program or organisation
    return ProgramSummary(
        title=scope.name if scope is not None else "",
        program=program,
        organisation_name=organisation.name if organisation is not None else None,
        description=program.description if program is not None else "",
        starts_on=program.starts_on if program is not None else None,
        ends_on=program.ends_on if program is not None else None,
        generated_at=utcnow(),
        language=get_language(),
        initiatives=entries,
    )


def xml_safe(value: T) -> T:
    """`value` (a summary or any part of it) with the characters XML cannot hold removed from every text: the
    ones input refuses (app.core.text), which data saved before that check or written by plain SQL may still
    hold, and on which the Office formats would fail."""
    cleaned: Any = value
    if isinstance(value, str):
        cleaned = UNSTORABLE.sub("", value)
    elif isinstance(value, list):
        cleaned = [xml_safe(item) for item in value]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
        cleaned = dataclasses.replace(value, **changes)
    return cleaned  # type: ignore[no-any-return]
