"""Pure helpers for the content's relative time conventions (see ``seed.content.types``).

Nothing here knows about ISO week strings; the loader turns "periods ago" into periods.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from seed.content.types import AIM_DATE_PLACEHOLDER, Frequency, InitiativeSpec, MeasureSpec

# Average number of weeks in a calendar month (365.2425 / 7 / 12).
WEEKS_PER_MONTH: Final = 365.2425 / 7 / 12

MONTHS_SV: Final = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def periods_ago(measure: MeasureSpec, index: int) -> int:
    """How many periods (of the measure's frequency) before the current one series index ``index`` lies.

    1 is the previous completed period, 0 the current period, negative values the future.
    """
    series = measure.series
    return series.ends_periods_ago + series.n_periods - index


def index_for_periods_ago(measure: MeasureSpec, ago: int) -> int:
    series = measure.series
    return series.ends_periods_ago + series.n_periods - ago


def convert_ago(ago: int, source: Frequency, target: Frequency) -> int:
    """Periods ago in one frequency to the other.

    Approximate and conservative both ways: the result lies at or after the start of the source period, so a
    change that starts in a month shows up in a weekly series during or after that month, never before it.
    """
    if source == target:
        return ago
    if source == "month":
        return max(0, round(ago * WEEKS_PER_MONTH) - 1)
    return max(0, int(ago // WEEKS_PER_MONTH))


def convert_index(index: int, *, source: MeasureSpec, target: MeasureSpec) -> int:
    """The series index in ``target`` of the period that ``index`` denotes in ``source``."""
    ago = convert_ago(periods_ago(source, index), source.frequency, target.frequency)
    return index_for_periods_ago(target, ago)


def initiative_ago(initiative: InitiativeSpec, period_index: int) -> int:
    """Periods ago (in the primary measure's frequency) of a PDSA or lesson ``period_index``."""
    return periods_ago(initiative.primary_measure, period_index)


def monday_of_week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_ago_date(weeks_ago: int, today: date) -> date:
    """The Monday of the ISO week ``weeks_ago`` weeks before today's week (negative: in the future)."""
    return monday_of_week(today) - timedelta(weeks=weeks_ago)


def start_date(initiative: InitiativeSpec, today: date) -> date:
    """The Monday of the ISO week ``started_weeks_ago`` weeks before today's week."""
    return weeks_ago_date(initiative.started_weeks_ago, today)


def end_date(initiative: InitiativeSpec, today: date) -> date | None:
    if initiative.ended_weeks_ago is None:
        return None
    return weeks_ago_date(initiative.ended_weeks_ago, today)


def target_date(initiative: InitiativeSpec, measure: MeasureSpec, today: date) -> date | None:
    if measure.target_weeks_from_start is None:
        return None
    return start_date(initiative, today) + timedelta(weeks=measure.target_weeks_from_start)


def format_date_sv(day: date) -> str:
    """E.g. ``den 3 mars 2027``."""
    return f"den {day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def render_aim(initiative: InitiativeSpec, today: date) -> str:
    """The aim with the placeholder replaced by the primary measure's target date."""
    when = target_date(initiative, initiative.primary_measure, today)
    if when is None:
        return initiative.aim
    return initiative.aim.replace(AIM_DATE_PLACEHOLDER, format_date_sv(when))
