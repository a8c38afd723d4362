"""Measure library, comparison, workshops and stages in the API, and their page forms."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.models import LibraryMeasureVersion, Workshop
from app.models.enums import ChartKind, DataType, Direction, Frequency, MeasureKind
from app.models.library import Stage, WorkshopKind
from app.schemas.common import ReadModel, StrictModel, VersionedUpdate
from app.schemas.measures import DefinitionForm, MeasureRead, Multiplier
from app.services.library import MAX_CHANGE_NOTE, Adoption, Comparison
from app.services.measures import MAX_DEFINITION, MAX_NAME, MAX_UNIT
from app.services.workshops import MAX_PLACE, MAX_TEXT, MAX_TITLE

LIBRARY_EXAMPLE: dict[str, Any] = {
    "name": "Andel utredningar om barn och unga klara inom fyra månader",
    "kind": "outcome",
    "data_type": "proportion",
    "unit": "%",
    "definition": "Täljare: utredningar avslutade inom fyra månader. Nämnare: alla avslutade utredningar under "
    "månaden. Controllern tar ut uppgifterna den första vardagen i påföljande månad.",
    "direction": "increase",
    "frequency": "month",
    "chart": "p",
}


class LibraryMeasureCreate(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [LIBRARY_EXAMPLE]})

    name: str = Field(min_length=1, max_length=MAX_NAME)
    kind: MeasureKind = Field(description="The usual kind; a team may choose another when it adopts.")
    data_type: DataType
    unit: str = Field("", max_length=MAX_UNIT)
    definition: str = Field(
        min_length=1, max_length=MAX_DEFINITION, description="Operational definition: what, how, by whom, how often."
    )
    direction: Direction
    frequency: Frequency
    chart: ChartKind = ChartKind.AUTO
    rate_multiplier: Multiplier = 1.0
    confirm_personal_data: bool = Field(False, description="The text holds no personal identity number.")


_NOT_NULL = ("name", "kind", "unit", "definition", "direction", "chart", "rate_multiplier")


class LibraryMeasureUpdate(VersionedUpdate):
    """Only the fields sent change. A change adds a new version of the definition; say why in `change_note`.

    The data type and frequency cannot change (422): make a new standard measure instead.
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 1, "unit": "%", "change_note": "Förtydligad nämnare."}]}
    )

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    kind: MeasureKind | None = None
    data_type: DataType | None = None
    unit: str | None = Field(None, max_length=MAX_UNIT)
    definition: str | None = Field(None, min_length=1, max_length=MAX_DEFINITION)
    direction: Direction | None = None
    frequency: Frequency | None = None
    chart: ChartKind | None = None
    rate_multiplier: Multiplier | None = None
    change_note: str = Field("", max_length=MAX_CHANGE_NOTE, description="What changed and why (required).")
    confirm_personal_data: bool = False

    @model_validator(mode="after")
    def _no_null(self) -> "LibraryMeasureUpdate":
        nulled = [name for name in _NOT_NULL if name in self.model_fields_set and getattr(self, name) is None]
        if nulled:
            raise ValueError(f"{', '.join(nulled)} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True, exclude={"version", "change_note", "confirm_personal_data"})
        return {k: v.value if hasattr(v, "value") else v for k, v in sent.items() if v is not None}


class LibraryVersionRead(ReadModel):
    number: int
    name: str
    kind: MeasureKind
    data_type: DataType
    unit: str
    definition: str
    direction: Direction
    frequency: Frequency
    chart: ChartKind
    rate_multiplier: float
    change_note: str
    created_at: datetime

    @classmethod
    def of(cls, version: LibraryMeasureVersion) -> "LibraryVersionRead":
        return cls.model_validate(version)


class LibraryMeasureRead(BaseModel):
    id: int
    program_id: int
    key: str | None
    current_version: int = Field(description="Number of the current definition (1, 2, ...).")
    current: LibraryVersionRead
    versions: list[LibraryVersionRead] = Field(description="Every definition, oldest first.")
    adoptions: int | None = Field(None, description="Measures adopted from it that you may see (in lists).")
    version: int = Field(description="Send this back when changing the definition.")


class AdoptRequest(StrictModel):
    library_measure_id: int = Field(ge=1, le=2_000_000_000)


class AdoptedMeasureRead(MeasureRead):
    library_measure_id: int
    library_version: int = Field(description="The definition version this measure uses.")
    latest_library_version: int

    @classmethod
    def of(cls, adoption: Adoption) -> "AdoptedMeasureRead":
        base = MeasureRead.model_validate(adoption.measure).model_dump()
        return cls(
            **base,
            library_measure_id=adoption.library_measure.id,
            library_version=adoption.version_number,
            latest_library_version=adoption.latest_number,
        )


class ComparisonPointRead(BaseModel):
    measure_id: int
    initiative_id: int
    organisation_id: int
    organisation: str
    label: str
    library_version: int
    numerator: float
    denominator: float
    periods_reported: int
    value: float | None = Field(description="Pooled over the window, on the page scale (% or per multiplier).")
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    band: Literal["inside", "outside_95", "outside_998"] | None
    side: Literal["up", "down"] | None


class ComparisonRead(BaseModel):
    library_measure_id: int
    library_version: int
    chart: Literal["p", "u"] | None = Field(description="null: values and counts have no funnel plot.")
    periods: int
    first_period: str | None
    last_period: str | None
    centre: float | None = Field(description="Programme mean: Σ numerators / Σ denominators, on the page scale.")
    rate_multiplier: float
    z95: float = 1.959964
    z998: float = 3.090232
    organisations: list[ComparisonPointRead]

    @classmethod
    def of(cls, result: Comparison) -> "ComparisonRead":
        items = []
        for unit in result.units:
            point = unit.point
            initiative = unit.initiative
            items.append(
                ComparisonPointRead(
                    measure_id=unit.adoption.measure.id,
                    initiative_id=initiative.id,
                    organisation_id=initiative.organisation_id,
                    organisation=initiative.organisation.name,
                    label=unit.label,
                    library_version=unit.adoption.version_number,
                    numerator=unit.numerator,
                    denominator=unit.denominator,
                    periods_reported=unit.periods_reported,
                    value=point.value if point else None,
                    lower95=point.limits.lower95 if point else None,
                    upper95=point.limits.upper95 if point else None,
                    lower998=point.limits.lower998 if point else None,
                    upper998=point.limits.upper998 if point else None,
                    band=point.band if point else None,
                    side=point.side if point else None,
                )
            )
        return cls(
            library_measure_id=result.library_measure.id,
            library_version=result.current.number,
            chart=result.chart,
            periods=result.periods,
            first_period=result.first_period,
            last_period=result.last_period,
            centre=result.funnel.centre if result.funnel else None,
            rate_multiplier=result.current.rate_multiplier,
            organisations=items,
        )


class WorkshopCreate(StrictModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "workshop",
                    "title": "Workshop 1: utmaning, mål och frågeställningar",
                    "held_on": "2027-04-19",
                    "place": "Stadshuset, Oxelösund",
                    "theme": "Utmaningen ur brukarens perspektiv; mål och frågor att undersöka.",
                    "bring": "Problembeskrivningen och de mätvärden ni har.",
                    "stage": "challenge_and_aim",
                }
            ]
        }
    )

    kind: WorkshopKind = WorkshopKind.WORKSHOP
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    held_on: date
    place: str = Field("", max_length=MAX_PLACE)
    theme: str = Field("", max_length=MAX_TEXT)
    bring: str = Field("", max_length=MAX_TEXT, description="What the teams should bring.")
    stage: Stage | None = Field(None, description="The stage of the process the workshop works on.")
    confirm_personal_data: bool = False


class WorkshopRead(ReadModel):
    id: int
    program_id: int
    kind: WorkshopKind
    title: str
    held_on: date
    place: str
    theme: str
    bring: str
    stage: Stage | None
    version: int

    @classmethod
    def of(cls, workshop: Workshop) -> "WorkshopRead":
        return cls.model_validate(workshop)


class WorkshopForm(BaseModel):
    """The page form: empty fields arrive as None, the CSRF field is ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: WorkshopKind = WorkshopKind.WORKSHOP
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    held_on: date
    place: str | None = Field(None, max_length=MAX_PLACE)
    theme: str | None = Field(None, max_length=MAX_TEXT)
    bring: str | None = Field(None, max_length=MAX_TEXT)
    stage: Stage | None = None
    version: int | None = Field(None, ge=1, le=2_000_000_000)
    confirm_personal_data: bool = False


class LibraryMeasureForm(DefinitionForm):
    """The page form for a new standard measure or a new version of one."""

    change_note: str | None = Field(None, max_length=MAX_CHANGE_NOTE)
    version: int | None = Field(None, ge=1, le=2_000_000_000)


class StageUpdate(VersionedUpdate):
    """Move the initiative to another stage; `version` is the initiative's version."""

    stage: Stage


class StageRead(BaseModel):
    initiative_id: int
    stage: Stage
    stage_number: int = Field(description="1 (preparation) to 7 (sustaining).")
    version: int = Field(description="The initiative's version after the change.")
