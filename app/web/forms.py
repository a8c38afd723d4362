"""Form handling for pages: validate with a Pydantic model, return field messages in the user's language.

A form that fails validation is rendered again with the user's input and a message next to
each field; nothing is lost.
"""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.core.i18n import _
from app.core.text import unstorable_message
from app.services.errors import InvalidInput


def _message(error: Any) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short") and ctx.get("min_length", 1) <= 1:
        return _("This field is required.")
    if kind == "string_too_short":
        return _("Enter at least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "finite_number"):
        return _("Enter a number, for example 4,2.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("The value must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of the options.")
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return str(error.get("msg", _("Invalid value.")))


def parse_number(text: str | None) -> float | None:
    """Numbers as people type them: "4,2", "4.2", "1 234,5"; empty means None; bad text raises ValueError."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def blank_to_none(data: dict[str, Any]) -> dict[str, Any]:
    """Empty form fields mean "not given", so optional fields validate as None."""
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()}


M = TypeVar("M", bound=BaseModel)


def validate_form(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The model, or None and {field: message} for every invalid field."""
    # A field error, not a failed save (NUL on PostgreSQL) or a broken export later.
    errors: dict[str, str] = {
        name: message
        for name, value in data.items()
        if name in model.model_fields and isinstance(value, str) and (message := unstorable_message(value))
    }
    try:
        validated = model.model_validate(blank_to_none(data))
    except ValidationError as exc:
        for error in exc.errors():
            loc = error.get("loc") or ("__all__",)
            errors.setdefault(str(loc[0]), _message(error))
        return None, errors
    return (None, errors) if errors else (validated, {})


def errors_of(exc: InvalidInput) -> dict[str, str]:
    return exc.by_field()
