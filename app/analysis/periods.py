"""Measurement periods: ISO weeks (`2024-W07`) and calendar months (`2024-03`).

Periods travel as canonical strings everywhere (database, API, templates). Every function here
accepts such a string and works out the frequency from its shape; `parse_period` is the gate that
checks user input against the measure's frequency.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Literal

from app.analysis.types import Frequency

Locale = Literal["sv", "en"]

_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

_MONTHS: dict[Locale, tuple[str, ...]] = {
    "sv": (
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_MONTHS_SHORT: dict[Locale, tuple[str, ...]] = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEK_PREFIX: dict[Locale, str] = {"sv": "v.", "en": "wk"}

_EXAMPLE: dict[Frequency, str] = {"week": "YYYY-Www, e.g. 2024-W07", "month": "YYYY-MM, e.g. 2024-03"}


class PeriodError(ValueError):
    """A period string that is malformed, invalid or of the wrong frequency."""


@cache  # one entry per year seen
def _iso_weeks(year: int) -> tuple[int, int]:
    """(period index of week 1, number of ISO weeks) of an ISO year."""
    first_monday = date.fromisocalendar(year, 1, 1).toordinal()
    return first_monday // 7, date(year, 12, 28).isocalendar()[1]


def _fields(text: str) -> tuple[Frequency, int, int] | None:
    """(frequency, year, week or month) when `text` has the shape of a period, else None.

    Raises PeriodError for the right shape with impossible numbers (week 53 of a 52-week year).
    """
    if m := _WEEK.fullmatch(text):
        year, week = int(m[1]), int(m[2])
        if year < 1:
            raise PeriodError(f"{text!r} is not a valid ISO week: year 0000 does not exist")
        if not 1 <= week <= _iso_weeks(year)[1]:
            raise PeriodError(f"{text!r} is not a valid ISO week: {year} has no week {week}")
        return "week", year, week
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        if year < 1 or not 1 <= month <= 12:
            raise PeriodError(f"{text!r} is not a valid month")
        return "month", year, month
    return None


def _split(period: str) -> tuple[Frequency, int, int]:
    """(frequency, year, week or month) of a period string of either frequency."""
    fields = _fields(period)
    if fields is None:
        raise PeriodError(f"{period!r} is not a period; expected {_EXAMPLE['week']} or {_EXAMPLE['month']}")
    return fields


def _index(frequency: Frequency, year: int, number: int) -> int:
    return _iso_weeks(year)[0] + number - 1 if frequency == "week" else year * 12 + number - 1


def _parse(text: str, frequency: Frequency) -> tuple[int, int]:
    """(year, week or month) of user input that must be a period of `frequency`."""
    if frequency not in _EXAMPLE:
        raise PeriodError(f"unknown frequency {frequency!r}; expected 'week' or 'month'")
    fields = _fields(text) if isinstance(text, str) else None
    if fields is None:
        raise PeriodError(f"{text!r} is not a {frequency} period; expected {_EXAMPLE[frequency]}")
    found, year, number = fields
    if found != frequency:
        raise PeriodError(
            f"{text!r} is a {found} period but this measure is {frequency}ly; expected {_EXAMPLE[frequency]}"
        )
    return year, number


def parse_period(text: str, frequency: Frequency) -> str:
    """Validate user input as a period of `frequency` and return it (already canonical)."""
    _parse(text, frequency)
    return text


def parse_period_index(text: str, frequency: Frequency) -> int:
    """`period_index(parse_period(text, frequency))` in one step."""
    return _index(frequency, *_parse(text, frequency))


# Every measure uses the same calendar, so a few thousand distinct periods cover all realistic
# data; caching their parse makes re-analysing long series on page views cheap.
_parse_index_cached = lru_cache(maxsize=16384)(parse_period_index)


def parse_period_indices(texts: Sequence[str], frequency: Frequency) -> list[int]:
    """`parse_period_index` of every text, fast for long series (parses are cached)."""
    try:
        return list(map(_parse_index_cached, texts, itertools.repeat(frequency)))
    except TypeError:  # an unhashable text: let the uncached parse explain what is wrong
        return [parse_period_index(t, frequency) for t in texts]


def period_frequency(period: str) -> Frequency:
    return _split(period)[0]


def period_start(period: str) -> date:
    """First day: the Monday of an ISO week, the 1st of a month."""
    frequency, year, number = _split(period)
    return date.fromisocalendar(year, number, 1) if frequency == "week" else date(year, number, 1)


def period_end(period: str) -> date:
    """Last day: the Sunday of an ISO week, the last day of a month."""
    return period_start(next_period(period)) - timedelta(days=1)


def period_for_date(day: date, frequency: Frequency) -> str:
    """The period of `frequency` that contains `day`."""
    if frequency == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if frequency == "month":
        return f"{day.year:04d}-{day.month:02d}"
    raise PeriodError(f"unknown frequency {frequency!r}; expected 'week' or 'month'")


def period_index(period: str) -> int:
    """An integer that grows by exactly one from each period to the next of the same frequency.

    Differences of indices count periods, which is what gap filling and extrapolation need.
    """
    return _index(*_split(period))


def period_from_index(index: int, frequency: Frequency) -> str:
    """Inverse of `period_index`."""
    if frequency == "week":
        try:
            return period_for_date(date.fromordinal(index * 7 + 1), "week")
        except (ValueError, OverflowError):
            raise PeriodError(f"week index {index} is outside the supported calendar") from None
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise PeriodError(f"month index {index} is outside the supported calendar")
    return f"{year:04d}-{month0 + 1:02d}"


def next_period(period: str) -> str:
    return period_from_index(period_index(period) + 1, period_frequency(period))


def previous_period(period: str) -> str:
    return period_from_index(period_index(period) - 1, period_frequency(period))


def period_range(first: str, last: str) -> list[str]:
    """All periods from `first` to `last` inclusive; empty when `last` comes before `first`."""
    frequency = period_frequency(first)
    if period_frequency(last) != frequency:
        raise PeriodError(f"cannot make a range from {first!r} to {last!r}: different frequencies")
    return [period_from_index(i, frequency) for i in range(period_index(first), period_index(last) + 1)]


def _locale(locale: str) -> Locale:
    # Accept "sv", "sv-SE", "en_GB"...: only the language matters for these words.
    language = locale[:2].lower()
    if language == "sv":
        return "sv"
    if language == "en":
        return "en"
    raise ValueError(f"unsupported locale {locale!r}; expected 'sv' or 'en'")


def format_period(period: str, locale: str = "sv", *, short: bool = False) -> str:
    """Human form of a period: "v. 7 2024" / "mars 2024" (sv), "wk 7 2024" / "March 2024" (en).

    `short=True` gives axis labels: "v. 7" / "wk 7" for weeks, "mar 2024" / "Mar 2024" for months.
    """
    lang = _locale(locale)
    frequency, year, number = _split(period)
    if frequency == "week":
        label = f"{_WEEK_PREFIX[lang]} {number}"
        return label if short else f"{label} {year}"
    names = _MONTHS_SHORT if short else _MONTHS
    return f"{names[lang][number - 1]} {year}"
