"""Shapes shared by every API resource (DESIGN.md §4)."""

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.text import unstorable_message

MAX_LIMIT = 500


def _unstorable(value: Any) -> str | None:
    if isinstance(value, str):
        return unstorable_message(value)
    if isinstance(value, list | tuple | set):
        return next((message for item in value if (message := _unstorable(item))), None)
    return None


class StrictModel(BaseModel):
    """Input models: unknown fields are rejected, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_unstorable(cls, value: Any) -> Any:
        # A field error now instead of a failed save (NUL on PostgreSQL) or a broken export later.
        message = _unstorable(value)
        if message:
            raise ValueError(message)
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
