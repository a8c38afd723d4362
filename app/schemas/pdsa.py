"""API and form models of PDSA cycles ("PGSA-cykler": plan, do, study, act)."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from app.models import PdsaCycle
from app.models.enums import PdsaAct, PdsaStatus
from app.schemas.common import ReadModel, StrictModel, VersionedUpdate
from app.schemas.initiatives import CONFIRM_DESCRIPTION, Id, LongText, NotNull, Title, check_dates_ordered

TEXT_FIELDS = ("change_idea", "plan", "prediction", "do_notes", "study_notes")
FREE_TEXT_FIELDS = ("title", *TEXT_FIELDS)

MeasureIds = Annotated[list[Id], Field(max_length=100)]


class PdsaCycleCreate(StrictModel):
    """A test of change. `act` is decided once the cycle is studied; a done cycle needs one."""

    title: Title = Field(examples=["Rörelsepass efter lunch på avdelning Solen"])
    change_idea: LongText = Field("", examples=["Ett kort, schemalagt rörelsepass varje dag efter lunch."])
    plan: LongText = ""
    prediction: LongText = Field("", examples=["Minst 8 av 12 boende deltar, och fler är nöjda nästa månad."])
    do_notes: LongText = ""
    study_notes: LongText = ""
    act: PdsaAct | None = None
    status: PdsaStatus = PdsaStatus.PLANNED
    started_on: date | None = None
    ended_on: date | None = None
    new_phase: bool = Field(False, description="The change starts a new phase on the linked measures' charts.")
    measure_ids: MeasureIds = Field(default_factory=list, description="Measures of the same initiative.")
    previous_cycle_id: Id | None = Field(None, description="The cycle this one builds on (a ramp of cycles).")
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)

    @field_validator("ended_on")
    @classmethod
    def _dates_ordered(cls, ended_on: date | None, info: ValidationInfo) -> date | None:
        return check_dates_ordered(info.data.get("started_on"), ended_on)


class PdsaCycleUpdate(VersionedUpdate):
    """Fields to change (left out = unchanged)."""

    title: Annotated[Title | None, NotNull] = None
    change_idea: LongText | None = None
    plan: LongText | None = None
    prediction: LongText | None = None
    do_notes: LongText | None = None
    study_notes: LongText | None = None
    act: PdsaAct | None = None
    status: Annotated[PdsaStatus | None, NotNull] = None
    started_on: date | None = None
    ended_on: date | None = None
    new_phase: Annotated[bool | None, NotNull] = None
    measure_ids: Annotated[MeasureIds | None, NotNull] = None
    previous_cycle_id: Id | None = None
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)

    def changes(self) -> dict[str, Any]:
        data = self.model_dump(exclude_unset=True, exclude={"version", "confirm_personal_data"})
        for name in TEXT_FIELDS:
            if name in data and data[name] is None:
                data[name] = ""
        return data


class PdsaAdvance(StrictModel):
    """Move a cycle one step forward: planned → running → studied → done (done needs `act`)."""

    version: int = Field(ge=1, le=2_000_000_000)
    act: PdsaAct | None = None


class PdsaCycleRead(ReadModel):
    id: int
    initiative_id: int
    previous_cycle_id: int | None
    title: str
    change_idea: str
    plan: str
    prediction: str
    do_notes: str
    study_notes: str
    act: PdsaAct | None
    status: PdsaStatus
    started_on: date | None
    ended_on: date | None
    new_phase: bool
    measure_ids: list[int]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, cycle: PdsaCycle) -> "PdsaCycleRead":
        values = {name: getattr(cycle, name) for name in cls.model_fields if name != "measure_ids"}
        return cls(**values, measure_ids=[m.id for m in cycle.measures])
