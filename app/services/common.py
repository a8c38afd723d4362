"""Helpers every service uses: optimistic concurrency, soft delete, plain-value records of a form's fields."""

from collections.abc import Mapping
from dataclasses import Field, fields
from typing import Any, ClassVar, Protocol, Self

from app.core.i18n import _
from app.models import User
from app.models.base import utcnow
from app.services.errors import Conflict


class Versioned(Protocol):
    version: int


def check_version(obj: Versioned, version: int | None, current: dict[str, Any] | None = None) -> None:
    """Refuse an edit based on an older version than the stored one (409, nothing is overwritten)."""
    if version is None or version != obj.version:
        raise Conflict(
            _("Someone else changed this in the meantime (your version %(yours)s, now %(now)s).")
            % {"yours": version, "now": obj.version},
            current=current,
        )


class SoftDeletable(Protocol):
    deleted_at: Any
    deleted_by_id: int | None


def soft_delete(obj: SoftDeletable, user: User) -> None:
    obj.deleted_at = utcnow()
    obj.deleted_by_id = user.id


class FieldRecord:
    """Base for frozen dataclasses of plain values: built from a model's attributes or from a mapping
    that may carry extra keys (`version`, `confirm_personal_data`) and enum members."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @classmethod
    def of(cls, source: object) -> Self:
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Self:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v.value if hasattr(v, "value") else v for k, v in data.items() if k in names})
