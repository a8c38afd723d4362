"""Detect Swedish personal identity numbers (personnummer, samordningsnummer) in free text.

Improvement data must not identify clients. Text that looks like a valid personnummer
(YYMMDD-NNNN, YYMMDD+NNNN or YYYYMMDDNNNN, with a correct Luhn check digit) is flagged
so the user is warned before it is saved.
"""

import re
from collections.abc import Mapping
from datetime import date

from app.core.i18n import _
from app.services.errors import FieldError, InvalidInput

_PATTERN = re.compile(r"(?<!\d)(?:(?:19|20)(\d{6})-?|(\d{6})[-+]?)(\d{4})(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _date_ok(yymmdd: str) -> bool:
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    try:
        date(2000 + year, month, day)
    except ValueError:
        # 29 February in a year that is a leap year only in the other century
        try:
            date(1900 + year, month, day)
        except ValueError:
            return False
    return True


def find_personnummer(text: str) -> list[str]:
    """Every substring of `text` that is a plausible personnummer."""
    found = []
    for match in _PATTERN.finditer(text or ""):
        yymmdd = match.group(1) or match.group(2)
        if _date_ok(yymmdd) and _luhn_ok(yymmdd + match.group(3)):
            found.append(match.group(0))
    return found


def check_free_text(fields: Mapping[str, str | None], *, confirmed: bool = False) -> None:
    """Raise InvalidInput (type "personal_number") for fields that look like they hold a personnummer.

    `confirmed` is the user's explicit "this is not personal data" after seeing the warning.
    """
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
            "personal_number",
        )
        for name, text in fields.items()
        if text and (hits := find_personnummer(text))
    ]
    if errors:
        raise InvalidInput(errors)
