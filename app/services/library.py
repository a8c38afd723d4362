"""The programme's measure library: standard measures with one shared operational definition each.

Coordinators of a programme (and admins) define standard measures. A team adopts one into its
initiative: that creates an ordinary measure with the library's definition, linked to the library
version it adopted. Changing a library definition adds a new version and keeps the old ones;
initiatives still on an older version see so and can move to the newest when they are ready (their
earlier values stay, and the move is recorded in the audit trail).

Who may see the library: anyone who may see the programme (policy.programs_visible). Adopting is
team work (policy.can_edit on the initiative) and only into initiatives of the same programme.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.analysis import AnalysisResult, Frequency, Side, format_period, period_for_date
from app.analysis.funnel import FunnelChart, FunnelInput, FunnelPoint, FunnelResult, funnel
from app.analysis.periods import period_from_index, period_index
from app.auth import policy
from app.auth.policy import Principal
from app.charts.funnel import FunnelLabels, render_funnel
from app.charts.svg import render_chart, render_sparkline
from app.core.i18n import _, format_number, get_language
from app.models import Initiative, LibraryMeasure, LibraryMeasureVersion, Measure, Measurement, Program, User
from app.services import analysis as analysis_service
from app.services import audit
from app.services import measures as measure_service
from app.services.common import FieldRecord, check_version
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.initiatives import get_editable, get_visible
from app.services.personal_data import check_free_text
from app.services.programs import get_program

MAX_CHANGE_NOTE = 2_000
# The definition fields that make a measure comparable; a team moving to a new version takes these.
DEFINITION_FIELDS = ("name", "unit", "definition", "direction", "rate_multiplier")


@dataclass(frozen=True)
class DefinitionData(FieldRecord):
    """A library definition as plain values (from a form, the API or seed content)."""

    name: str
    kind: str
    data_type: str
    definition: str
    direction: str
    frequency: str
    unit: str = ""
    chart: str = "auto"
    rate_multiplier: float = 1.0

    def as_measure(self) -> measure_service.MeasureData:
        return measure_service.MeasureData(**asdict(self))


def validate(data: DefinitionData) -> DefinitionData:
    """The measure rules (measures.validate) apply to library definitions too; returns it normalised."""
    checked = measure_service.validate(data.as_measure())
    return DefinitionData(**{f.name: getattr(checked, f.name) for f in fields(DefinitionData)})


def _actor(db: Session, principal: Principal) -> User | None:
    return db.get(User, principal.user_id)


# --- reading -------------------------------------------------------------------------------------------


def get_library_measure(db: Session, principal: Principal, library_measure_id: int) -> LibraryMeasure:
    """A library measure of a programme the user may see; otherwise NotFound."""
    found = db.scalar(
        select(LibraryMeasure)
        .join(Program, Program.id == LibraryMeasure.program_id)
        .where(LibraryMeasure.id == library_measure_id, policy.programs_visible(principal))
    )
    if found is None:
        raise NotFound(_("Standard measure not found"))
    return found


def get_in_program(db: Session, principal: Principal, program_id: int, library_measure_id: int) -> LibraryMeasure:
    """As get_library_measure, and NotFound unless it belongs to `program_id` (for nested page URLs)."""
    found = get_library_measure(db, principal, library_measure_id)
    if found.program_id != program_id:
        raise NotFound(_("Standard measure not found"))
    return found


def _adoptions(principal: Principal, library_ids: Sequence[int]) -> Any:
    """Query: (measure, library measure id, version number) of live adopting measures the user may see."""
    return (
        select(Measure, LibraryMeasureVersion.library_measure_id, LibraryMeasureVersion.number)
        .join(LibraryMeasureVersion, LibraryMeasureVersion.id == Measure.library_version_id)
        .join(Initiative, Initiative.id == Measure.initiative_id)
        .where(
            LibraryMeasureVersion.library_measure_id.in_(library_ids),
            Measure.deleted_at.is_(None),
            policy.initiatives_visible(principal),
        )
    )


@dataclass(frozen=True)
class LibraryEntry:
    library_measure: LibraryMeasure
    adoptions: int  # adopting measures the user may see
    on_older_version: int

    @property
    def current(self) -> LibraryMeasureVersion:
        return self.library_measure.current


def list_library(db: Session, principal: Principal, *, program_id: int) -> list[LibraryEntry]:
    """The programme's standard measures by name, with how many visible teams use each (two queries)."""
    get_program(db, principal, program_id)
    items = list(db.scalars(select(LibraryMeasure).where(LibraryMeasure.program_id == program_id)).all())
    counts: Counter[int] = Counter()
    older: Counter[int] = Counter()
    current = {item.id: item.current_number for item in items}
    if items:
        for _measure, library_id, number in db.execute(_adoptions(principal, list(current))).all():
            counts[library_id] += 1
            if number < current[library_id]:
                older[library_id] += 1
    entries = [LibraryEntry(item, counts[item.id], older[item.id]) for item in items]
    return sorted(entries, key=lambda e: e.current.name.lower())


def can_manage(principal: Principal, library_measure: LibraryMeasure) -> bool:
    return policy.can_manage_program(principal, library_measure.program_id)


@dataclass(frozen=True)
class LibraryIndex:
    program: Program
    entries: list[LibraryEntry]
    can_manage: bool
    # Library measures used by initiatives whose team the user is on.
    used_by_my_teams: frozenset[int]


def library_index(db: Session, principal: Principal, *, program_id: int, for_manage: bool = False) -> LibraryIndex:
    """The library page: entries, whether the user may add to it (`for_manage`: require that)."""
    program = get_program(db, principal, program_id)
    if for_manage:
        _require_manage(principal, program_id)
    entries = list_library(db, principal, program_id=program_id)
    mine = {i.id for i in _editable_initiatives(db, principal, program_id)}
    used: set[int] = set()
    if mine and entries:
        rows = db.execute(
            _adoptions(principal, [e.library_measure.id for e in entries]).where(Measure.initiative_id.in_(mine))
        ).all()
        used = {library_id for _measure, library_id, _number in rows}
    return LibraryIndex(program, entries, policy.can_manage_program(principal, program_id), frozenset(used))


def get_for_change(db: Session, principal: Principal, *, program_id: int, library_measure_id: int) -> LibraryMeasure:
    """A library measure the user may change (NotFound when invisible, Forbidden for non-coordinators)."""
    library_measure = get_in_program(db, principal, program_id, library_measure_id)
    _require_manage(principal, program_id)
    return library_measure


@dataclass(frozen=True)
class Adoption:
    """One initiative's measure adopted from the library, and how its definition relates to the library's."""

    measure: Measure
    library_measure: LibraryMeasure
    version_number: int

    @property
    def latest_number(self) -> int:
        return self.library_measure.current_number

    @property
    def up_to_date(self) -> bool:
        return self.version_number >= self.latest_number

    @property
    def version(self) -> LibraryMeasureVersion:
        return next(v for v in self.library_measure.versions if v.number == self.version_number)

    @property
    def differs(self) -> bool:
        """The team has edited the definition since adopting it: the values may not be comparable."""
        version = self.version
        return any(getattr(self.measure, name) != getattr(version, name) for name in (*DEFINITION_FIELDS, "data_type"))


@dataclass(frozen=True)
class LibraryDetail:
    library_measure: LibraryMeasure
    program: Program
    adoptions: list[Adoption]
    can_manage: bool
    # Initiatives of the programme the user may adopt into that have not adopted this measure yet.
    can_adopt_into: list[Initiative]


def _editable_initiatives(db: Session, principal: Principal, program_id: int) -> list[Initiative]:
    """Live initiatives of the programme whose team the user is on (all of them for admins)."""
    query = (
        select(Initiative)
        .where(Initiative.program_id == program_id, policy.initiatives_visible(principal))
        .options(selectinload(Initiative.organisation))
        .order_by(Initiative.title)
    )
    if not principal.is_admin:
        if not principal.member_initiatives:
            return []
        query = query.where(Initiative.id.in_(principal.member_initiatives))
    return list(db.scalars(query).all())


def library_detail(db: Session, principal: Principal, *, program_id: int, library_measure_id: int) -> LibraryDetail:
    library_measure = get_in_program(db, principal, program_id, library_measure_id)
    rows = db.execute(
        _adoptions(principal, [library_measure.id]).options(
            selectinload(Measure.initiative).selectinload(Initiative.organisation)
        )
    ).all()
    adoptions = sorted(
        (Adoption(measure, library_measure, number) for measure, _id, number in rows),
        key=lambda a: (a.measure.initiative.organisation.name, a.measure.initiative.title),
    )
    adopted = {a.measure.initiative_id for a in adoptions}
    return LibraryDetail(
        library_measure=library_measure,
        program=library_measure.program,
        adoptions=adoptions,
        can_manage=can_manage(principal, library_measure),
        can_adopt_into=[i for i in _editable_initiatives(db, principal, program_id) if i.id not in adopted],
    )


@dataclass(frozen=True)
class InitiativeLibrary:
    """The library as one initiative sees it: what it uses (and on which version) and what it could adopt."""

    initiative: Initiative
    can_edit: bool
    adopted: list[Adoption]
    available: list[LibraryMeasure]


def adoptions_of(db: Session, measures: Sequence[Measure]) -> dict[int, Adoption]:
    """Library links of the given measures, keyed by measure id (one query)."""
    version_ids = {m.library_version_id for m in measures if m.library_version_id is not None}
    if not version_ids:
        return {}
    versions = {
        v.id: v
        for v in db.scalars(
            select(LibraryMeasureVersion)
            .where(LibraryMeasureVersion.id.in_(version_ids))
            .options(selectinload(LibraryMeasureVersion.library_measure))
        ).all()
    }
    return {
        m.id: Adoption(m, versions[m.library_version_id].library_measure, versions[m.library_version_id].number)
        for m in measures
        if m.library_version_id in versions
    }


def initiative_library(db: Session, principal: Principal, *, initiative_id: int) -> InitiativeLibrary:
    initiative = get_visible(db, principal, initiative_id)
    live = list(
        db.scalars(select(Measure).where(Measure.initiative_id == initiative.id, Measure.deleted_at.is_(None))).all()
    )
    adopted = adoptions_of(db, live)
    used = {a.library_measure.id for a in adopted.values()}
    available: list[LibraryMeasure] = []
    if initiative.program_id is not None:
        library = db.scalars(select(LibraryMeasure).where(LibraryMeasure.program_id == initiative.program_id)).all()
        available = sorted((lm for lm in library if lm.id not in used), key=lambda lm: lm.current.name.lower())
    return InitiativeLibrary(
        initiative=initiative,
        can_edit=policy.can_edit(principal, initiative),
        adopted=sorted(adopted.values(), key=lambda a: a.measure.position),
        available=available,
    )


def measure_adoption(db: Session, principal: Principal, *, measure_id: int) -> Adoption | None:
    """The library link of a measure the user may see (None when it is not from the library)."""
    measure = measure_service.get_visible_measure(db, principal, measure_id)
    return adoptions_of(db, [measure]).get(measure.id)


@dataclass(frozen=True)
class MeasureNotice:
    """What the measure page says about its library definition, and whether the user may move it on."""

    adoption: Adoption
    can_edit: bool


def measure_notice(db: Session, principal: Principal, *, measure_id: int) -> MeasureNotice | None:
    adoption = measure_adoption(db, principal, measure_id=measure_id)
    if adoption is None:
        return None
    return MeasureNotice(adoption, policy.can_edit(principal, adoption.measure.initiative))


# --- changing the library ------------------------------------------------------------------------------


def _require_manage(principal: Principal, program_id: int) -> None:
    policy.require(
        policy.can_manage_program(principal, program_id),
        _("Only the programme's coordinators can change its measure library."),
    )


def _check_unique_name(db: Session, program_id: int, name: str, *, other_than: int | None = None) -> None:
    for item in db.scalars(select(LibraryMeasure).where(LibraryMeasure.program_id == program_id)).all():
        if item.id != other_than and item.current.name.casefold() == name.casefold():
            raise InvalidInput([FieldError(("name",), _("The library already has a standard measure with this name."))])


def _new_version(number: int, data: DefinitionData, change_note: str, actor: User | None) -> LibraryMeasureVersion:
    return LibraryMeasureVersion(
        number=number,
        change_note=change_note,
        created_by_id=actor.id if actor else None,
        **asdict(data),
    )


def _snapshot(library_measure: LibraryMeasure) -> dict[str, Any]:
    """The library measure with its current definition, for the audit trail and conflict views."""
    return {
        "id": library_measure.id,
        "version": library_measure.version,
        "current_number": library_measure.current_number,
        **asdict(DefinitionData.of(library_measure.current)),
    }


def create_library_measure(
    db: Session,
    principal: Principal,
    *,
    program_id: int,
    data: DefinitionData,
    key: str | None = None,
    confirm_personal_data: bool = False,
) -> LibraryMeasure:
    """Add a standard measure (version 1) to the programme's library (coordinators, admins)."""
    get_program(db, principal, program_id)
    _require_manage(principal, program_id)
    data = validate(data)
    check_free_text({"name": data.name, "definition": data.definition}, confirmed=confirm_personal_data)
    _check_unique_name(db, program_id, data.name)
    actor = _actor(db, principal)
    library_measure = LibraryMeasure(
        program_id=program_id,
        key=key,
        current_number=1,
        created_by_id=actor.id if actor else None,
        versions=[_new_version(1, data, "", actor)],
    )
    db.add(library_measure)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="create",
        entity="library_measure",
        entity_id=library_measure.id,
        after=_snapshot(library_measure),
    )
    return library_measure


def update_library_measure(
    db: Session,
    principal: Principal,
    *,
    library_measure_id: int,
    version: int | None,
    changes: Mapping[str, Any],
    change_note: str,
    confirm_personal_data: bool = False,
) -> LibraryMeasure:
    """Change the definition: adds version n + 1 (the earlier versions stay as they were).

    Based on the `version` the user read (stale → Conflict). The data type and frequency cannot
    change: values logged under the old definition would no longer fit; make a new standard measure.
    Nothing happens when the definition is unchanged. `change_note` says what changed and why.
    """
    library_measure = get_library_measure(db, principal, library_measure_id)
    _require_manage(principal, library_measure.program_id)
    check_version(library_measure, version, current=_snapshot(library_measure))
    old = DefinitionData.of(library_measure.current)
    names = {f.name for f in fields(DefinitionData)}
    wanted = replace(old, **{k: v for k, v in changes.items() if k in names})
    errors = [
        FieldError((name,), _("This cannot change in a new version. Create a new standard measure instead."))
        for name in ("data_type", "frequency")
        if getattr(wanted, name) != getattr(old, name)
    ]
    if errors:
        raise InvalidInput(errors)
    data = validate(wanted)
    if data == old:
        return library_measure
    change_note = change_note.strip()
    if not change_note:
        raise InvalidInput([FieldError(("change_note",), _("Say what changed and why, so teams can decide."))])
    if len(change_note) > MAX_CHANGE_NOTE:
        raise InvalidInput(
            [FieldError(("change_note",), _("Enter at most %(n)s characters.") % {"n": MAX_CHANGE_NOTE})]
        )
    check_free_text(
        {"name": data.name, "definition": data.definition, "change_note": change_note}, confirmed=confirm_personal_data
    )
    if data.name != old.name:
        _check_unique_name(db, library_measure.program_id, data.name, other_than=library_measure.id)
    actor = _actor(db, principal)
    before = _snapshot(library_measure)
    number = library_measure.current_number + 1
    library_measure.versions.append(_new_version(number, data, change_note, actor))
    library_measure.current_number = number
    try:
        db.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this standard measure in the meantime. Reload and try again.")) from exc
    audit.record(
        db,
        actor=actor,
        action="update",
        entity="library_measure",
        entity_id=library_measure.id,
        before=before,
        after=_snapshot(library_measure),
    )
    return library_measure


# --- adopting ------------------------------------------------------------------------------------------


def adopt(db: Session, principal: Principal, *, initiative_id: int, library_measure_id: int) -> Adoption:
    """Add the library measure's current definition to the initiative as a measure of its own.

    The team sets its own baseline and target afterwards. NotFound when the initiative or library
    measure is not visible, Forbidden unless the user is on the team, InvalidInput when the
    library belongs to another programme, Conflict when the initiative already uses the measure.
    """
    initiative = get_editable(db, principal, initiative_id)
    library_measure = get_library_measure(db, principal, library_measure_id)
    if library_measure.program_id != initiative.program_id:
        raise InvalidInput(
            [FieldError(("library_measure_id",), _("This standard measure belongs to another programme."))]
        )
    live = db.scalars(select(Measure).where(Measure.initiative_id == initiative.id, Measure.deleted_at.is_(None)))
    if any(a.library_measure.id == library_measure.id for a in adoptions_of(db, list(live)).values()):
        raise Conflict(_("The initiative already uses this standard measure."))
    current = library_measure.current
    # The library's text was checked for personal identity numbers when it was written.
    measure = measure_service.create_measure(
        db,
        principal,
        initiative_id=initiative.id,
        data=DefinitionData.of(current).as_measure(),
        confirm_personal_data=True,
    )
    _link_to_version(db, principal, measure, current, library_measure_id=library_measure.id)
    return Adoption(measure, library_measure, current.number)


def _link_to_version(
    db: Session,
    principal: Principal,
    measure: Measure,
    version: LibraryMeasureVersion,
    *,
    library_measure_id: int | None = None,
) -> None:
    """Point a measure at a library version, with an audit event of the link's change."""
    previous = measure.library_version_id
    measure.library_version_id = version.id
    db.flush()
    after: dict[str, Any] = {"id": measure.id, "library_version_id": version.id}
    if library_measure_id is not None:
        after["library_measure_id"] = library_measure_id
    audit.record(
        db,
        actor=_actor(db, principal),
        action="update",
        entity="measure",
        entity_id=measure.id,
        initiative_id=measure.initiative_id,
        before={"id": measure.id, "library_version_id": previous},
        after=after,
    )


def move_to_latest(db: Session, principal: Principal, *, measure_id: int, version: int | None) -> Adoption:
    """Move an adopted measure to the library's newest definition (its team; stale version → Conflict).

    The measure takes the new name, unit, definition, direction and rate multiplier; its own kind,
    chart, baseline and target stay. Values logged so far stay as they are.
    """
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    adoption = adoptions_of(db, [measure]).get(measure.id)
    if adoption is None:
        raise InvalidInput([FieldError(("measure_id",), _("This measure is not from the measure library."))])
    check_version(measure, version, current=measure_service.snapshot(measure))
    if adoption.up_to_date:
        return adoption
    latest = adoption.library_measure.current
    changes = {name: getattr(latest, name) for name in DEFINITION_FIELDS}
    measure = measure_service.update_measure(
        db, principal, measure_id=measure.id, version=version, changes=changes, confirm_personal_data=True
    )
    _link_to_version(db, principal, measure, latest)
    return Adoption(measure, adoption.library_measure, latest.number)


# --- comparing organisations ---------------------------------------------------------------------------

# The default comparison window: a quarter of monthly values or twelve weeks. Long enough that a
# small organisation has a denominator worth comparing, short enough to show the current level.
DEFAULT_WINDOW = {"month": 3, "week": 12}
MAX_WINDOW = {"month": 24, "week": 104}
FUNNEL_CHARTS: dict[str, FunnelChart] = {"proportion": "p", "rate": "u"}


@dataclass(frozen=True)
class ComparisonUnit:
    """One adopting team in the comparison: its chart, and its totals over the window."""

    adoption: Adoption
    label: str  # short, for the funnel plot (the municipality where that is unique)
    full_label: str  # organisation (and initiative where one organisation has several)
    result: AnalysisResult
    numerator: float
    denominator: float
    periods_reported: int
    comparable: bool  # same data type and frequency as the library definition
    point: FunnelPoint | None

    @property
    def initiative(self) -> Initiative:
        return self.adoption.measure.initiative


@dataclass(frozen=True)
class Comparison:
    library_measure: LibraryMeasure
    program: Program
    chart: FunnelChart | None  # None: values and counts get small multiples only
    periods: int
    first_period: str | None
    last_period: str | None
    funnel: FunnelResult | None
    units: list[ComparisonUnit]

    @property
    def current(self) -> LibraryMeasureVersion:
        return self.library_measure.current

    @property
    def on_older_version(self) -> list[ComparisonUnit]:
        return [u for u in self.units if not u.adoption.up_to_date]


def _labels(adoptions: Sequence[Adoption]) -> list[tuple[str, str]]:
    """(short, full) label per adoption: municipality, else organisation, plus the title when needed."""
    orgs = [a.measure.initiative.organisation for a in adoptions]
    municipality_counts = Counter((o.municipality or o.name) for o in orgs)
    org_counts = Counter(o.id for o in orgs)
    labels = []
    for adoption, org in zip(adoptions, orgs, strict=True):
        short = org.municipality or org.name
        if municipality_counts[short] > 1:
            short = org.name
        full = org.name
        if org_counts[org.id] > 1:
            short = f"{short}: {adoption.measure.initiative.title}"
            full = f"{full}: {adoption.measure.initiative.title}"
        labels.append((short, full))
    return labels


def window_size(frequency: str, periods: int | None) -> int:
    """The number of periods to pool; InvalidInput outside 1..24 months or 1..104 weeks."""
    if periods is None:
        return DEFAULT_WINDOW[frequency]
    if not 1 <= periods <= MAX_WINDOW[frequency]:
        raise InvalidInput(
            [FieldError(("periods",), _("Choose between 1 and %(n)s periods.") % {"n": MAX_WINDOW[frequency]})]
        )
    return periods


def _window_totals(
    db: Session, measure_ids: Sequence[int], first: str, last: str
) -> dict[int, list[tuple[float, float]]]:
    """(numerator, denominator) of every live measurement in the window, per measure (one query)."""
    totals: dict[int, list[tuple[float, float]]] = {m: [] for m in measure_ids}
    if not measure_ids:
        return totals
    rows = db.execute(
        select(Measurement.measure_id, Measurement.numerator, Measurement.denominator).where(
            Measurement.measure_id.in_(measure_ids),
            Measurement.deleted_at.is_(None),
            Measurement.numerator.is_not(None),
            Measurement.period >= first,
            Measurement.period <= last,
        )
    )
    for measure_id, numerator, denominator in rows:
        if numerator is not None and denominator is not None:
            totals[measure_id].append((numerator, denominator))
    return totals


def _analyse(db: Session, measures: Sequence[Measure], *, as_of: date | None) -> dict[int, AnalysisResult]:
    """Each measure's analysis; a measure without values (just adopted) gets an empty chart."""
    ids = [m.id for m in measures]
    with_values = set(
        db.scalars(
            select(Measurement.measure_id)
            .where(Measurement.measure_id.in_(ids), Measurement.deleted_at.is_(None))
            .distinct()
        )
    )
    results = analysis_service.analyse_measures(db, [m for m in measures if m.id in with_values], as_of=as_of)
    for measure in measures:
        if measure.id not in results:
            results[measure.id] = analysis_service.analyse_points(measure, [], chart="auto", as_of=as_of)
    return results


def comparison(
    db: Session,
    principal: Principal,
    *,
    program_id: int,
    library_measure_id: int,
    periods: int | None = None,
    as_of: date | None = None,
) -> Comparison:
    """Every visible adopting team's chart, and for proportions and rates a funnel plot.

    The window is the last `periods` periods (default 3 months or 12 weeks) ending at the latest
    period, up to the current one, in which any team has a value, so that a finished programme can
    still be compared. Each team's value pools its numerators and denominators over the window; the
    programme mean pools all teams'. Teams whose measure no longer has the library's data type or
    frequency are shown but left out of the funnel. A fixed number of queries, whatever the number
    of teams.
    """
    library_measure = get_in_program(db, principal, program_id, library_measure_id)
    current = library_measure.current
    size = window_size(current.frequency, periods)
    rows = db.execute(
        _adoptions(principal, [library_measure.id]).options(
            selectinload(Measure.initiative).selectinload(Initiative.organisation)
        )
    ).all()
    adoptions = sorted(
        (Adoption(measure, library_measure, number) for measure, _id, number in rows),
        key=lambda a: (a.measure.initiative.organisation.name, a.measure.initiative.title),
    )
    results = _analyse(db, [a.measure for a in adoptions], as_of=as_of)
    frequency = cast(Frequency, current.frequency)
    now = period_index(period_for_date(as_of or analysis_service.today(), frequency))
    comparable = {
        a.measure.id: a.measure.data_type == current.data_type and a.measure.frequency == current.frequency
        for a in adoptions
    }
    latest = [
        period_index(p.period)
        for a in adoptions
        if comparable[a.measure.id]
        for p in results[a.measure.id].points
        if period_index(p.period) <= now
    ]
    first_period = last_period = None
    totals: dict[int, list[tuple[float, float]]] = {}
    chart = FUNNEL_CHARTS.get(current.data_type)
    if latest:
        last_index = max(latest)
        first_period = period_from_index(last_index - size + 1, frequency)
        last_period = period_from_index(last_index, frequency)
        if chart is not None:
            ids = [a.measure.id for a in adoptions if comparable[a.measure.id]]
            totals = _window_totals(db, ids, first_period, last_period)
    labels = _labels(adoptions)
    funnel_result = None
    points: dict[str, FunnelPoint] = {}
    if chart is not None and totals:
        funnel_result = funnel(
            [
                FunnelInput(
                    str(a.measure.id),
                    short,
                    math.fsum(n for n, _d in totals[a.measure.id]),
                    math.fsum(d for _n, d in totals[a.measure.id]),
                )
                for a, (short, _full) in zip(adoptions, labels, strict=True)
                if a.measure.id in totals
            ],
            chart=chart,
            multiplier=current.rate_multiplier,
        )
        points = {p.key: p for p in funnel_result.points}
    units = [
        ComparisonUnit(
            adoption=a,
            label=short,
            full_label=full,
            result=results[a.measure.id],
            numerator=math.fsum(n for n, _d in totals.get(a.measure.id, [])),
            denominator=math.fsum(d for _n, d in totals.get(a.measure.id, [])),
            periods_reported=len(totals.get(a.measure.id, [])),
            comparable=comparable[a.measure.id],
            point=points.get(str(a.measure.id)),
        )
        for a, (short, full) in zip(adoptions, labels, strict=True)
    ]
    return Comparison(
        library_measure=library_measure,
        program=library_measure.program,
        chart=chart,
        periods=size,
        first_period=first_period,
        last_period=last_period,
        funnel=funnel_result,
        units=units,
    )


def favourable_side(direction: str) -> Side:
    return "up" if direction == "increase" else "down"


def funnel_svg(result: Comparison, *, width: int = 720, height: int = 460) -> str:
    """The comparison's funnel plot as SVG, in the user's language (empty without a funnel)."""
    if result.funnel is None:
        return ""
    lang = get_language()
    current = result.current
    unit = (
        current.unit
        if current.data_type == "proportion"
        else _("per %(n)s") % {"n": format_number(current.rate_multiplier, 0)}
    )
    outside = [p for p in result.funnel.points if p.band != "inside"]
    summary = _("Funnel plot of %(n)s organisations from %(first)s to %(last)s. Programme mean %(mean)s %(unit)s.") % {
        "n": len(result.funnel.points),
        "first": format_period(result.first_period or "", lang),
        "last": format_period(result.last_period or "", lang),
        "mean": format_number(result.funnel.centre),
        "unit": unit,
    }
    details = [
        _("%(organisation)s: %(value)s, %(where)s.")
        % {"organisation": p.label, "value": format_number(p.value), "where": band_text(p)}
        for p in outside
    ]
    if not outside:
        details.append(_("Every organisation is within the 95 % limits."))
    return render_funnel(
        result.funnel,
        title=current.name,
        labels=FunnelLabels(
            x_axis=_("Denominator over the period (number)"),
            centre=_("Programme mean"),
            limits95=_("95 % limits"),
            limits998=_("99.8 % limits"),
            inside=_("Within the limits"),
            outside95=_("Outside the 95 % limits"),
            outside998=_("Outside the 99.8 % limits"),
            above95=_("above 95 %"),
            below95=_("below 95 %"),
            above998=_("above 99.8 %"),
            below998=_("below 99.8 %"),
            description=" ".join([summary, *details]),
            no_data=_("No values in the period."),
            favourable=_("Better than expected"),
            unfavourable=_("Worse than expected"),
        ),
        unit=unit,
        favourable_side=favourable_side(current.direction),
        locale=lang,
        width=width,
        height=height,
        id_prefix=f"funnel-{result.library_measure.id}",
    )


def band_text(point: FunnelPoint) -> str:
    """Where the point lies, in words (used by the chart's description and the table)."""
    texts = {
        ("outside_998", "up"): _("above the 99.8 % limit"),
        ("outside_998", "down"): _("below the 99.8 % limit"),
        ("outside_95", "up"): _("above the 95 % limit"),
        ("outside_95", "down"): _("below the 95 % limit"),
    }
    return texts.get((point.band, point.side or ""), _("within the limits"))


def unit_chart_svg(result: Comparison, unit: ComparisonUnit, *, width: int = 420, height: int = 240) -> str:
    """A small multiple: one team's own chart, titled with its organisation."""
    measure = unit.adoption.measure
    return render_chart(
        unit.result,
        title=unit.full_label,
        labels=analysis_service.chart_labels(measure, unit.result),
        target=measure.target,
        unit=measure.unit,
        locale=get_language(),
        width=width,
        height=height,
        id_prefix=f"compare-{result.library_measure.id}-{measure.id}",
    )


def unit_sparkline(unit: ComparisonUnit) -> str:
    """A tiny trend line for the comparison table (hidden from screen readers: the table has the numbers)."""
    return render_sparkline(unit.result, width=96, height=28)
