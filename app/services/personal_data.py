"""Detect Swedish personal identity numbers (personnummer, samordningsnummer) in free text.

Improvement data must not identify clients. Text that looks like a valid personnummer
(YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN, with a real date and a
correct Luhn check digit) is flagged so the user is warned before it is saved.

Formatted phone numbers ("070-123 45 67", "+46 70 123 45 67") are not flagged. A bare 10-digit
number that happens to be a valid date with a valid check digit is indistinguishable from a
personnummer and is flagged; the user can confirm that it is not one.

Forms: see templates/_personal_data.html for the warning and the confirmation checkbox.
"""

import re
from collections.abc import Mapping
from datetime import date

from app.core.i18n import _
from app.core.text import unstorable_message
from app.services.errors import FieldError, InvalidInput

_PATTERN = re.compile(r"(?<!\d)(?:(?:19|20)(\d{6})-?|(\d{6})[-+]?)(\d{4})(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _date_ok(years: tuple[int, ...], mmdd: str) -> bool:
    """A real date in one of the candidate years; samordningsnummer add 60 to the day."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    if day > 60:
        day -= 60
    for year in years:
        try:
            date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def _candidate_years(match: re.Match[str]) -> tuple[int, ...]:
    if match.group(1):  # YYYYMMDD: the full year is written
        century = int(match.group(0)[:2])
        return (century * 100 + int(match.group(1)[:2]),)
    yy = int(match.group(2)[:2])
    if "+" in match.group(0):  # "+" means 100 years or older
        return (1800 + yy, 1900 + yy)
    return (1900 + yy, 2000 + yy)


def find_personnummer(text: str) -> list[str]:
    """Every substring of `text` that is a plausible personnummer."""
    found = []
    for match in _PATTERN.finditer(text or ""):
        yymmdd = match.group(1) or match.group(2)
        if _date_ok(_candidate_years(match), yymmdd[2:]) and _luhn_ok(yymmdd + match.group(3)):
            found.append(match.group(0))
    return found


PERSONAL_NUMBER = "personal_number"
CONFIRM_FIELD = "confirm_personal_data"


def flagged_fields(exc: InvalidInput) -> list[str]:
    """Names of the fields that failed only because they look like they hold a personnummer."""
    return [str(e.loc[-1]) for e in exc.errors if e.type == PERSONAL_NUMBER and e.loc]


def is_confirmed(value: object) -> bool:
    """The confirmation checkbox as a form sends it ("1", "on", "true") or as JSON (true)."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "on", "true", "yes"}
    return value is True


def check_free_text(fields: Mapping[str, str | None], *, confirmed: bool = False) -> None:
    """Raise InvalidInput (type "personal_number") for fields that look like they hold a personnummer.

    `confirmed` is the user's explicit "this is not personal data" after seeing the warning. Control
    characters (NUL above all, which PostgreSQL cannot store) are refused whatever the confirmation.
    """
    unstorable = [
        FieldError((name,), message, "value_error")
        for name, text in fields.items()
        if text and (message := unstorable_message(text))
    ]
    if unstorable:
        raise InvalidInput(unstorable)
    if confirmed:
        return
    errors = [
        FieldError(
            (name,),
            _(
                "This looks like a personal identity number (%(found)s). Do not record information "
                "that identifies a client. Remove it, or confirm that it is not a personal identity number."
            )
            % {"found": hits[0]},
            PERSONAL_NUMBER,
        )
        for name, text in fields.items()
        if text and (hits := find_personnummer(text))
    ]
    if errors:
        raise InvalidInput(errors)
