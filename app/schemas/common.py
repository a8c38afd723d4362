"""Shapes shared by every API resource (DESIGN.md §4)."""

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.i18n import _

MAX_LIMIT = 500


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_contains_nul(item) for item in value)
    return False


class StrictModel(BaseModel):
    """Input models: unknown fields are rejected, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text: refuse it as a field error instead of failing on save.
        if _contains_nul(value):
            raise ValueError(_("The text contains a character that cannot be stored (NUL)."))
        return value


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Pagination(BaseModel):
    limit: int = 50
    offset: int = 0


def pagination(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (max 500).")] = 50,
    offset: Annotated[int, Query(ge=0, le=2_000_000_000, description="Items to skip.")] = 0,
) -> Pagination:
    return Pagination(limit=limit, offset=offset)


class VersionedUpdate(StrictModel):
    """Every PATCH/PUT carries the version it read; a stale version is a 409."""

    version: int = Field(ge=1, le=2_000_000_000)
