"""API and form models of lessons learned ("Detta har vi lärt oss")."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from app.core.i18n import _
from app.models import Lesson
from app.schemas.common import ReadModel, StrictModel, VersionedUpdate
from app.schemas.initiatives import CONFIRM_DESCRIPTION, NotNull, RequiredText

MAX_TAGS = 20
MAX_TAG_LENGTH = 50


def split_tags(value: Any) -> Any:
    """Tags from a list or from comma-separated text: stripped, empty ones dropped, duplicates (ignoring
    case) removed, in the order given."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return value  # let the list validator report the type
    tags: list[Any] = []
    seen: set[str] = set()
    for tag in value:
        if not isinstance(tag, str):
            tags.append(tag)
            continue
        cleaned = " ".join(tag.split())
        if any(ord(ch) < 32 for ch in cleaned):
            raise PydanticCustomError("value_error", _("The text contains characters that cannot be stored."))
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            tags.append(cleaned)
    if len(tags) > MAX_TAGS:
        raise PydanticCustomError("value_error", _("Use at most %(n)s tags.") % {"n": MAX_TAGS})
    if any(isinstance(t, str) and len(t) > MAX_TAG_LENGTH for t in tags):
        raise PydanticCustomError("value_error", _("A tag can be at most %(n)s characters.") % {"n": MAX_TAG_LENGTH})
    return tags


Tags = Annotated[
    list[str],
    BeforeValidator(split_tags),
    Field(description="Short keywords; a comma-separated string is accepted too.", examples=[["delaktighet"]]),
]
LessonText = Annotated[RequiredText, Field(max_length=5000)]


class LessonCreate(StrictModel):
    text: LessonText = Field(examples=["Små tester med en avdelning i taget gav snabbare lärande än stora planer."])
    tags: Tags = Field(default_factory=list)
    lesson_date: date | None = Field(None, description="Defaults to today.")
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)


class LessonUpdate(VersionedUpdate):
    text: Annotated[LessonText | None, NotNull] = None
    # An emptied tags field (form) or null means "no tags".
    tags: Annotated[Tags | None, BeforeValidator(split_tags)] = None
    lesson_date: Annotated[date | None, NotNull] = None
    confirm_personal_data: bool = Field(False, description=CONFIRM_DESCRIPTION)


class LessonRead(ReadModel):
    id: int
    initiative_id: int
    text: str
    tags: list[str]
    lesson_date: date
    created_by_id: int | None
    created_by_name: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, lesson: Lesson) -> "LessonRead":
        values = {name: getattr(lesson, name) for name in cls.model_fields if name != "created_by_name"}
        return cls(**values, created_by_name=lesson.created_by.name if lesson.created_by else None)
