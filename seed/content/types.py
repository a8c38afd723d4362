"""Typed, database-free specifications of the demo programme's content.

The loader maps these frozen dataclasses to ORM rows. Time is expressed relative to "today" so the demo
always looks current:

* A measure's series index ``i`` (0-based) lies ``ends_periods_ago + n_periods - i`` periods before the
  current period, in the measure's own frequency. With ``ends_periods_ago = 0`` the last index is the
  previous completed ISO week or calendar month.
* PDSA cycles and lessons use ``period_index`` values in the frame of the initiative's *primary measure*
  (``InitiativeSpec.measures[0]``): the same index counts as the same period there. Indices past the
  primary series' end lie in the current period (``n_periods + ends_periods_ago``) or the future.
* ``started_weeks_ago``, ``ended_weeks_ago`` and ``ReviewSpec.weeks_ago`` count ISO weeks back from the
  current week (``seed.content.timeline.weeks_ago_date`` gives the Monday of that week);
  ``target_weeks_from_start`` counts weeks forward from the initiative's start.

See ``seed.content.timeline`` for pure helpers that implement exactly these conventions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

MeasureKind = Literal["outcome", "process", "balancing"]
DataType = Literal["value", "proportion", "rate", "count"]
Direction = Literal["increase", "decrease"]
Frequency = Literal["week", "month"]
ChartKind = Literal["auto", "run", "i", "p", "u", "c"]
PdsaAct = Literal["adopt", "adapt", "abandon"]
PdsaStatus = Literal["planned", "running", "studied", "done"]
Rag = Literal["green", "amber", "red"]
InitiativeStatus = Literal["draft", "active", "sustaining", "completed", "stopped"]
OrganisationKind = Literal[
    "socialforvaltning",
    "vard_och_omsorg",
    "individ_och_familjeomsorg",
    "funktionsstod",
    "aldreomsorg",
    "arbetsmarknad",
    "kommunledning",
]
PlatformRole = Literal["admin", "coordinator", "leader", "member", "viewer"]
TeamRole = Literal[
    "enhetschef",
    "socialsekreterare",
    "mas",
    "controller",
    "socialchef",
    "verksamhetsutvecklare",
    "processledare",
    "brukarrepresentant",
    "brukarutvecklare",
    "anhorig",
    "medarbetare",
    "bistandshandlaggare",
    "sjukskoterska",
    "arbetsterapeut",
    "fysioterapeut",
    "underskoterska",
]

TEAM_ROLES: Final[tuple[str, ...]] = get_args(TeamRole)

TEAM_ROLE_LABELS_SV: Final[dict[str, str]] = {
    "enhetschef": "Enhetschef",
    "socialsekreterare": "Socialsekreterare",
    "mas": "Medicinskt ansvarig sjuksköterska (MAS)",
    "controller": "Controller",
    "socialchef": "Socialchef",
    "verksamhetsutvecklare": "Verksamhetsutvecklare",
    "processledare": "Processledare",
    "brukarrepresentant": "Brukarrepresentant",
    "brukarutvecklare": "Brukarutvecklare",
    "anhorig": "Anhörig",
    "medarbetare": "Medarbetare",
    "bistandshandlaggare": "Biståndshandläggare",
    "sjukskoterska": "Sjuksköterska",
    "arbetsterapeut": "Arbetsterapeut",
    "fysioterapeut": "Fysioterapeut",
    "underskoterska": "Undersköterska",
}

ORGANISATION_KIND_LABELS_SV: Final[dict[str, str]] = {
    "socialforvaltning": "Socialförvaltning",
    "vard_och_omsorg": "Vård och omsorg",
    "individ_och_familjeomsorg": "Individ- och familjeomsorg",
    "funktionsstod": "Funktionsstöd",
    "aldreomsorg": "Äldreomsorg",
    "arbetsmarknad": "Arbetsmarknad",
    "kommunledning": "Kommunledning",
}

# Placeholder in InitiativeSpec.aim, replaced by the primary measure's target date
# (see seed.content.timeline.render_aim), e.g. "den 3 mars 2027".
AIM_DATE_PLACEHOLDER: Final = "{maldatum}"


@dataclass(frozen=True, slots=True)
class PersonSpec:
    """A fictional person. ``key`` is referenced by teams, lessons, reviews and demo accounts."""

    key: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class TeamMemberSpec:
    person: str
    role: TeamRole


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    key: str
    name: str
    municipality: str
    kind: OrganisationKind


@dataclass(frozen=True, slots=True)
class LevelSpec:
    """The process level from ``from_period`` on (until the next level): mean, spread and drift.

    Units of ``mean``/``sd``: value and count as logged; proportion in percent (0-100);
    rate per ``rate_multiplier`` units of the denominator (e.g. falls per 1,000 care days).
    """

    from_period: int
    mean: float
    sd: float
    drift_per_period: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesSpec:
    """Deterministic generator parameters for one measure's demo measurements."""

    n_periods: int
    levels: tuple[LevelSpec, ...]
    seed: int
    ends_periods_ago: int = 0
    denominator_mean: float | None = None
    denominator_sd: float = 0.0
    gaps: tuple[int, ...] = ()
    integer: bool = False
    decimals: int = 1
    clip_min: float | None = None
    clip_max: float | None = None
    # Optional measurement comments, as (period index, text).
    comments: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class GeneratedPoint:
    """One generated measurement. Proportion and rate carry numerator and denominator too."""

    index: int
    value: float | None
    numerator: float | None
    denominator: float | None
    comment: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureSpec:
    key: str
    name: str
    kind: MeasureKind
    data_type: DataType
    unit: str
    definition: str
    direction: Direction
    frequency: Frequency
    baseline: float | None
    target: float | None
    target_weeks_from_start: int | None
    chart: ChartKind
    series: SeriesSpec
    rate_multiplier: float = 1.0
    freeze: int | None = None
    # Set on measures taken from the shared library (seed.content.library); equal keys mean the
    # same name, definition, unit and data type in every organisation that uses the measure.
    library_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PdsaSpec:
    key: str
    title: str
    change_idea: str
    plan: str
    prediction: str
    do_notes: str
    study_notes: str
    act: PdsaAct | None
    status: PdsaStatus
    start_period_index: int
    end_period_index: int | None
    linked_measures: tuple[str, ...]
    previous: str | None = None
    new_phase: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonSpec:
    text: str
    tags: tuple[str, ...]
    author: str
    period_index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewSpec:
    weeks_ago: int
    rag: Rag
    assessment: str
    decision: str
    next_review_in_weeks: int
    reviewer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InitiativeSpec:
    key: str
    organisation: OrganisationSpec
    title: str
    problem: str
    rationale: str
    target_group: str
    aim: str
    status: InitiativeStatus
    rag: Rag | None
    what_we_did: str
    results: str
    team: tuple[TeamMemberSpec, ...]
    measures: tuple[MeasureSpec, ...]
    pdsa_cycles: tuple[PdsaSpec, ...]
    lessons: tuple[LessonSpec, ...]
    reviews: tuple[ReviewSpec, ...]
    started_weeks_ago: int
    # Weeks before today that a completed or stopped initiative ended (None: no end date yet).
    ended_weeks_ago: int | None = None

    @property
    def primary_measure(self) -> MeasureSpec:
        """The measure whose period frame PDSA cycles and lessons use."""
        return self.measures[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramSpec:
    key: str
    name: str
    description: str
    coordinators: tuple[str, ...]
    # Weeks before today that the programme started and (negative = in the future) ends.
    started_weeks_ago: int = 96
    ends_weeks_ago: int = -8


@dataclass(frozen=True, slots=True)
class DemoAccountSpec:
    """A demo login. ``scope`` is the programme key (coordinator), an organisation key (leader, viewer),
    an initiative key (member) or None (admin)."""

    person: str
    role: PlatformRole
    scope: str | None
