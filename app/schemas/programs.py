"""Programmes and organisations in the API."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from app.core.i18n import _
from app.models import Organisation
from app.schemas.common import ReadModel, StrictModel, VersionedUpdate


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it as input instead of failing on save.
    if "\x00" in value:
        raise ValueError(_("The text contains a character that cannot be stored (NUL)."))
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=2_000_000_000)]
Name = Annotated[Text, Field(min_length=1, max_length=200)]
Description = Annotated[Text, Field(max_length=10_000)]


def _dates_ordered(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ValueError("ends_on must not be before starts_on")


class ProgramCreate(StrictModel):
    name: Name
    description: Description = ""
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _check_dates(self) -> "ProgramCreate":
        _dates_ordered(self.starts_on, self.ends_on)
        return self


class ProgramUpdate(VersionedUpdate):
    """Only the fields sent are changed; `version` is the one read (409 if it changed since)."""

    name: Name | None = None
    description: Description | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _check_fields(self) -> "ProgramUpdate":
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name may not be null")
        _dates_ordered(self.starts_on, self.ends_on)
        return self


class ProgramRead(ReadModel):
    id: int
    name: str
    description: str
    starts_on: date | None
    ends_on: date | None
    version: int


class OrganisationCreate(StrictModel):
    name: Name
    municipality: Annotated[Text, Field(max_length=100)] = ""
    kind: Annotated[Text, Field(max_length=50)] = ""
    program_id: Id | None = Field(None, description="Programme it takes part in (required for coordinators).")


class OrganisationRead(ReadModel):
    id: int
    name: str
    municipality: str
    kind: str
    program_ids: list[int]
    version: int

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationRead":
        return cls(
            id=organisation.id,
            name=organisation.name,
            municipality=organisation.municipality,
            kind=organisation.kind,
            program_ids=[p.id for p in organisation.programs],
            version=organisation.version,
        )
