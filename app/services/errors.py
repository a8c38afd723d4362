"""Errors raised by services; the web and API layers map them to responses (404, 403, 409, 422)."""

from dataclasses import dataclass, field
from typing import Any


class ServiceError(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """Missing, deleted, or not visible to the user (existence is not revealed)."""


class Forbidden(ServiceError):
    """Visible, but the user may not do this."""


class Conflict(ServiceError):
    """A stale version or a duplicate; `current` is the stored state, to show beside the user's input."""

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class FieldError:
    loc: tuple[str | int, ...]
    msg: str
    type: str = "value_error"


@dataclass
class InvalidInput(ServiceError):
    errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(e.msg for e in self.errors))

    def by_field(self) -> dict[str, str]:
        """First message per top-level field name, for showing next to form fields."""
        result: dict[str, str] = {}
        for error in self.errors:
            key = str(error.loc[-1]) if error.loc else "__all__"
            result.setdefault(key, error.msg)
        return result
