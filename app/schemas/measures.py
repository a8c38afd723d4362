"""Measures, measurements and analysis in the API (DESIGN.md §4), and the measure form."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from app.models import Measure, Measurement
from app.models.enums import ChartKind, DataType, Direction, Frequency, MeasureKind
from app.schemas.common import ReadModel, StrictModel
from app.services.measurements import MAX_COMMENT
from app.services.measures import MAX_ABS_NUMBER, MAX_DEFINITION, MAX_FREEZE, MAX_NAME, MAX_RATE_MULTIPLIER, MAX_UNIT

# Finite and bounded, so every stored number stays exact in sums and fits both databases.
Number = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_ABS_NUMBER, le=MAX_ABS_NUMBER)]
NonNegative = Annotated[float, Field(allow_inf_nan=False, ge=0, le=MAX_ABS_NUMBER)]
Freeze = Annotated[int, Field(ge=2, le=MAX_FREEZE, description="Number of baseline points the centre line uses.")]
Multiplier = Annotated[
    float,
    Field(allow_inf_nan=False, gt=0, le=MAX_RATE_MULTIPLIER, description="Rates: value = n / d × multiplier."),
]
Version = Annotated[int, Field(ge=1, le=2_000_000_000)]
PeriodText = Annotated[str, Field(min_length=1, max_length=16, examples=["2024-W07", "2024-03"])]

MEASURE_EXAMPLE: dict[str, JsonValue] = {
    "name": "Handläggningstid till beslut",
    "kind": "outcome",
    "data_type": "value",
    "unit": "dagar",
    "definition": "Antal kalenderdagar från inkommen ansökan till beslut, median per vecka. Enhetschefen "
    "räknar varje måndag ur verksamhetssystemet.",
    "direction": "decrease",
    "frequency": "week",
    "baseline": 21,
    "target": 14,
    "target_date": "2025-06-30",
}


class MeasureCreate(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [MEASURE_EXAMPLE]})

    name: str = Field(min_length=1, max_length=MAX_NAME)
    kind: MeasureKind
    data_type: DataType
    unit: str = Field("", max_length=MAX_UNIT)
    definition: str = Field(
        min_length=1, max_length=MAX_DEFINITION, description="Operational definition: what, how, by whom, how often."
    )
    direction: Direction = Field(description="Which way is better.")
    frequency: Frequency
    baseline: Number | None = None
    target: Number | None = None
    target_date: date | None = None
    chart: ChartKind = ChartKind.AUTO
    freeze: Freeze | None = None
    rate_multiplier: Multiplier = 1.0
    confirm_personal_data: bool = Field(False, description="The text holds no personal identity number.")


# Fields a PATCH may leave out but not set to null.
_REQUIRED = ("name", "kind", "data_type", "unit", "definition", "direction", "frequency", "chart", "rate_multiplier")


class MeasureUpdate(StrictModel):
    """Only the fields sent change; `baseline`, `target`, `target_date` and `freeze` may be set to null."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 3, "target": 12}]})

    version: Version
    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    kind: MeasureKind | None = None
    data_type: DataType | None = None
    unit: str | None = Field(None, max_length=MAX_UNIT)
    definition: str | None = Field(None, min_length=1, max_length=MAX_DEFINITION)
    direction: Direction | None = None
    frequency: Frequency | None = None
    baseline: Number | None = None
    target: Number | None = None
    target_date: date | None = None
    chart: ChartKind | None = None
    freeze: Freeze | None = None
    rate_multiplier: Multiplier | None = None
    confirm_personal_data: bool = False

    @model_validator(mode="after")
    def _no_null_for_required(self) -> "MeasureUpdate":
        nulled = [name for name in _REQUIRED if name in self.model_fields_set and getattr(self, name) is None]
        if nulled:
            raise ValueError(f"{', '.join(nulled)} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields that were sent, as plain values."""
        sent = self.model_dump(exclude_unset=True, exclude={"version", "confirm_personal_data"})
        return {k: v.value if hasattr(v, "value") else v for k, v in sent.items()}


class MeasureRead(ReadModel):
    id: int
    initiative_id: int
    name: str
    kind: MeasureKind
    data_type: DataType
    unit: str
    definition: str
    direction: Direction
    frequency: Frequency
    baseline: float | None
    target: float | None
    target_date: date | None
    chart: ChartKind
    freeze: int | None
    rate_multiplier: float
    position: int
    created_at: datetime
    updated_at: datetime
    version: int


class DefinitionForm(BaseModel):
    """The definition fields a page form shares with the measure library's form: empty fields arrive as
    None and other fields (the CSRF token) are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=MAX_NAME)
    kind: MeasureKind
    data_type: DataType
    unit: str | None = Field(None, max_length=MAX_UNIT)
    definition: str = Field(min_length=1, max_length=MAX_DEFINITION)
    direction: Direction
    frequency: Frequency
    chart: ChartKind = ChartKind.AUTO
    rate_multiplier: Multiplier | None = None
    confirm_personal_data: bool = False


class MeasureForm(DefinitionForm):
    """The measure page form: like MeasureCreate, with the team's own baseline, target and freeze."""

    baseline: Number | None = None
    target: Number | None = None
    target_date: date | None = None
    freeze: Freeze | None = None


_MEASUREMENT_EXAMPLES: list[JsonValue] = [
    {"period": "2024-W07", "value": 16},
    {"period": "2024-03", "numerator": 42, "denominator": 50, "comment": "Två medarbetare sjuka"},
]


class _MeasurementBody(StrictModel):
    value: Number | None = Field(None, description="For value and count measures.")
    numerator: NonNegative | None = Field(None, description="For proportion and rate measures.")
    denominator: NonNegative | None = Field(None, description="For proportion and rate measures; greater than 0.")
    comment: str = Field("", max_length=MAX_COMMENT)
    confirm_personal_data: bool = Field(False, description="The comment holds no personal identity number.")


class MeasurementCreate(_MeasurementBody):
    model_config = ConfigDict(json_schema_extra={"examples": _MEASUREMENT_EXAMPLES})

    period: PeriodText


class MeasurementPut(_MeasurementBody):
    """Create or replace one period; send the `version` you read when replacing a value."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"value": 15, "version": 2}]})

    version: Version | None = None


class MeasurementRead(ReadModel):
    id: int
    measure_id: int
    period: str
    value: float
    numerator: float | None
    denominator: float | None
    comment: str
    created_at: datetime
    updated_at: datetime
    updated_by_id: int | None
    version: int

    @classmethod
    def of(cls, row: Measurement) -> "MeasurementRead":
        return cls.model_validate(row)


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class ImportRowError(BaseModel):
    row: int | None = Field(
        None,
        description="Line number in the file, the header included (0 = the file as a whole); absent for errors "
        "outside the file (e.g. a malformed measure id).",
    )
    msg: str
    loc: list[str | int]
    type: str = "import_row"


class ImportRejectedRead(BaseModel):
    detail: list[ImportRowError]


# --- Analysis (DESIGN §4) --------------------------------------------------------------------


class PointRead(BaseModel):
    period: str
    value: float
    cl: float | None
    lcl: float | None
    ucl: float | None
    phase: int
    signal: bool


class RunsRead(BaseModel):
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool


class IhiRead(BaseModel):
    shifts: list[list[int]] = Field(description="Inclusive, 0-based index ranges into points.")
    trends: list[list[int]]
    runs: int | None
    runs_range: list[int] | None


class ProgressRead(BaseModel):
    baseline: float | None
    target: float | None
    current: float | None
    progress_pct: float | None
    target_met: bool | None
    improving: bool
    stale: bool


class AnalysisRead(BaseModel):
    """The analysis of one measure, exactly as DESIGN §4 describes it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "measure_id": 7,
                    "chart": "run",
                    "rules": "anhoej",
                    "n": 24,
                    "points": [
                        {
                            "period": "2024-W01",
                            "value": 12.0,
                            "cl": 11.5,
                            "lcl": None,
                            "ucl": None,
                            "phase": 1,
                            "signal": False,
                        }
                    ],
                    "runs": {
                        "n_useful": 22,
                        "longest_run": 9,
                        "longest_run_max": 7,
                        "crossings": 4,
                        "crossings_min": 7,
                        "signal": True,
                    },
                    "ihi": {"shifts": [[3, 10]], "trends": [], "runs": 5, "runs_range": [8, 16]},
                    "outside_limits": [],
                    "progress": {
                        "baseline": 21.0,
                        "target": 14.0,
                        "current": 16.0,
                        "progress_pct": 71.4,
                        "target_met": False,
                        "improving": True,
                        "stale": False,
                    },
                    "variation": "improvement",
                    "assurance": "hit_and_miss",
                    "suggested_rag": "amber",
                }
            ]
        }
    )

    measure_id: int
    chart: Literal["run", "i", "p", "u", "c"]
    rules: Literal["anhoej", "ihi", "mdc"]
    n: int
    points: list[PointRead]
    runs: RunsRead
    ihi: IhiRead
    outside_limits: list[int]
    progress: ProgressRead
    variation: Literal["improvement", "concern", "common_cause"] | None
    assurance: Literal["pass", "fail", "hit_and_miss"] | None
    suggested_rag: Literal["green", "amber", "red"] | None

    @classmethod
    def of(cls, measure: Measure, analysis: dict[str, Any]) -> "AnalysisRead":
        keys = cls.model_fields.keys() - {"measure_id"}
        return cls.model_validate({"measure_id": measure.id, **{k: analysis[k] for k in keys}})
