"""API and form models of initiatives and their teams (DESIGN.md §1, §4).

The same models validate JSON bodies and web forms: form fields left empty arrive as None, so
optional text fields accept None as "" and required ones report "This field is required."
"""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.core.i18n import _
from app.models import Initiative, Measure
from app.models.enums import DataType, Frequency, InitiativeStatus, MeasureKind, Rag
from app.schemas.common import ReadModel, StrictModel, VersionedUpdate
from seed.content.types import TeamRole

MAX_ID = 2_147_483_647


def _reject_none(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("missing", "Field required")
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def check_dates_ordered(start: date | None, end: date | None) -> date | None:
    if start is not None and end is not None and end < start:
        raise PydanticCustomError("value_error", _("The end date must be on or after the start date."))
    return end


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id: bounded so that no backend overflows on a guessed number."""

NotNull = BeforeValidator(_reject_none)
"""For optional fields of an update: left out means "unchanged", but an explicit null is refused."""

_EmptyIfNone = BeforeValidator(_none_to_empty)

# Required texts: empty (after stripping) is "This field is required."
Title = Annotated[str, NotNull, Field(min_length=1, max_length=200)]
PersonName = Annotated[str, NotNull, Field(min_length=1, max_length=200)]
RequiredText = Annotated[str, NotNull, Field(min_length=1, max_length=20_000)]
# Optional texts: null and an empty form field both mean "".
LongText = Annotated[str, _EmptyIfNone, Field(max_length=20_000)]
ShortText = Annotated[str, _EmptyIfNone, Field(max_length=300)]

CONFIRM_DESCRIPTION = (
    "Set to true after a personal identity number warning (422, type `personal_number`) to confirm that "
    "the text does not identify a client."
)


class TeamMemberIn(StrictModel):
    """A person on the improvement team; `user_id` links an account if the person has one."""

    name: PersonName = Field(examples=["Linnea Bergström"])
    role: TeamRole = Field(examples=["enhetschef"])
    user_id: Id | None = None


class TeamMemberRead(ReadModel):
    id: int
    name: str
    role: str
    user_id: int | None
    position: int


class _InitiativeContent(StrictModel):
    title: Title = Field(examples=["Fler boende rör sig varje dag"])
    problem: LongText = Field("", examples=["Många boende sitter stilla större delen av dagen."])
    rationale: LongText = ""
    target_group: ShortText = Field("", examples=["Boende på två särskilda boenden"])
    aim: LongText = Field(
        "", examples=["Andelen boende som är nöjda med möjligheten till fysisk aktivitet ökar från 58 % till 75 %."]
    )
    started_on: date | None = None
    ends_on: date | None = None
    what_we_did: LongText = ""
    results: LongText = ""
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)

    @field_validator("ends_on")
    @classmethod
    def _dates_ordered(cls, ends_on: date | None, info: ValidationInfo) -> date | None:
        return check_dates_ordered(info.data.get("started_on"), ends_on)


class InitiativeCreate(_InitiativeContent):
    """A new initiative. The creator joins its team (member role) so they can edit it."""

    organisation_id: Id = Field(examples=[1])
    program_id: Id | None = Field(None, examples=[1])
    status: InitiativeStatus = InitiativeStatus.DRAFT
    rag: Rag | None = None
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=100)


class InitiativeUpdate(VersionedUpdate):
    """Fields to change (left out = unchanged). Content needs the member role; status and RAG a leader."""

    title: Annotated[Title | None, NotNull] = None
    problem: LongText | None = None
    rationale: LongText | None = None
    target_group: ShortText | None = None
    aim: LongText | None = None
    started_on: date | None = None
    ends_on: date | None = None
    what_we_did: LongText | None = None
    results: LongText | None = None
    status: Annotated[InitiativeStatus | None, NotNull] = None
    rag: Rag | None = None
    team: Annotated[list[TeamMemberIn] | None, NotNull] = Field(
        None, max_length=100, description="Replaces the whole team, in this order."
    )
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)

    def changes(self) -> dict[str, Any]:
        """The fields that were sent, without the bookkeeping ones."""
        data = self.model_dump(exclude_unset=True, exclude={"version", "confirm_personal_data", "team"})
        # Empty form fields and JSON null mean "" for texts that cannot be null.
        for name in TEXT_FIELDS:
            if name in data and data[name] is None:
                data[name] = ""
        return data


TEXT_FIELDS = ("problem", "rationale", "target_group", "aim", "what_we_did", "results")
FREE_TEXT_FIELDS = ("title", *TEXT_FIELDS)


class MeasureSummary(ReadModel):
    id: int
    name: str
    kind: MeasureKind
    data_type: DataType
    unit: str
    direction: str
    frequency: Frequency
    baseline: float | None
    target: float | None
    target_date: date | None
    latest_period: str | None = None
    latest_value: float | None = None


class InitiativeSummaryRead(ReadModel):
    id: int
    program_id: int | None
    organisation_id: int
    title: str
    problem: str
    rationale: str
    target_group: str
    aim: str
    status: InitiativeStatus
    rag: Rag | None
    started_on: date | None
    ends_on: date | None
    what_we_did: str
    results: str
    version: int
    created_at: datetime
    updated_at: datetime


class InitiativeRead(InitiativeSummaryRead):
    """One initiative with its team and a summary of its measures (latest value per measure)."""

    team: list[TeamMemberRead]
    measures: list[MeasureSummary]

    @classmethod
    def build(
        cls, initiative: Initiative, measures: list[Measure], latest: dict[int, tuple[str, float]]
    ) -> "InitiativeRead":
        summary = InitiativeSummaryRead.model_validate(initiative).model_dump()
        return cls(
            **summary,
            team=[TeamMemberRead.model_validate(m) for m in initiative.team],
            measures=[
                MeasureSummary.model_validate(m).model_copy(
                    update={
                        "latest_period": latest[m.id][0] if m.id in latest else None,
                        "latest_value": latest[m.id][1] if m.id in latest else None,
                    }
                )
                for m in measures
            ],
        )
