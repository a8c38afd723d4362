"""Axis arithmetic for the SVG charts: nice ticks, thinned period labels and number formatting."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.analysis.periods import format_period, period_from_index, period_start
from app.analysis.types import Frequency

# Steps of 1, 2, 2.5 and 5 times a power of ten read naturally on an axis.
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
# Label every k-th period; these k keep month labels on quarters, half-years and years.
_MONTH_STRIDES = (1, 2, 3, 6, 12, 24, 60, 120)
_WEEK_STRIDES = (1, 2, 4, 8, 13, 26, 52, 104, 260)
MINUS = "\u2212"  # typographic minus, also right for Swedish
THIN_SPACE = "\u202f"  # Swedish thousands separator (narrow no-break space)


@dataclass(frozen=True, slots=True)
class Ticks:
    low: float
    high: float
    step: float
    decimals: int

    @property
    def values(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + k * self.step for k in range(count + 1)]


def nice_ticks(low: float, high: float, target_count: int = 5) -> Ticks:
    """An axis range covering [low, high] with about `target_count` round ticks."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("axis range must be finite")
    if high < low:
        low, high = high, low
    if high == low:
        # A flat series still needs a visible range around it.
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(target_count - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in _NICE_STEPS if m * magnitude >= raw * (1 - 1e-9))
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if not math.isclose(step, round(step, decimals), rel_tol=1e-9):
        decimals += 1  # 2.5, 0.25 ...
    return Ticks(
        low=math.floor(low / step + 1e-9) * step,
        high=math.ceil(high / step - 1e-9) * step,
        step=step,
        decimals=decimals,
    )


def format_number(value: float, decimals: int, locale: str) -> str:
    """A number as people write it: "1 234,5" in Swedish, "1,234.5" in English, with a real minus."""
    text = f"{abs(value):,.{decimals}f}"
    if locale[:2].lower() == "sv":
        text = text.replace(",", THIN_SPACE).replace(".", ",")
    negative = value < 0 and any(ch not in "0,." for ch in text.replace(THIN_SPACE, ""))
    return MINUS + text if negative else text


def label_stride(frequency: Frequency, slot_width: float, label_width: float) -> int:
    """How many periods apart the x labels must be so they do not touch."""
    strides = _WEEK_STRIDES if frequency == "week" else _MONTH_STRIDES
    for stride in strides:
        if stride * slot_width >= label_width:
            return stride
    return strides[-1] * math.ceil(label_width / (strides[-1] * slot_width))


@dataclass(frozen=True, slots=True)
class PeriodLabel:
    index: int  # period_index of the labelled period
    text: str
    year: str | None  # shown under week labels where the year starts or changes


def period_labels(first: int, last: int, frequency: Frequency, stride: int, locale: str) -> list[PeriodLabel]:
    """Short labels for periods between period indices first and last, `stride` apart or more.

    Months are labelled where the month number fits the stride (January, April, July, October for
    3); weeks where the week number does (weeks 1, 14, 27, 40 for 13). Where a year's last label
    comes too close to the next week 1, week 1 wins. Week labels name the year where it changes.
    """
    if frequency == "month":
        return [
            PeriodLabel(index, format_period(period_from_index(index, "month"), locale, short=True), None)
            for index in range(first, last + 1)
            if index % stride == 0
        ]
    kept: list[tuple[int, str, int]] = []  # (index, text, ISO year)
    for index in range(first, last + 1):
        period = period_from_index(index, frequency)
        year, number, _ = period_start(period).isocalendar()
        if (number - 1) % stride:
            continue
        if kept and index - kept[-1][0] < stride:
            if number != 1:
                continue
            kept.pop()
        kept.append((index, format_period(period, locale, short=True), year))
    return [
        PeriodLabel(index, text, str(year) if k == 0 or kept[k - 1][2] != year else None)
        for k, (index, text, year) in enumerate(kept)
    ]


def text_width(text: str, font_size: float) -> float:
    """Rough rendered width: DejaVu Sans and Arial average about 0.6 em per character."""
    return len(text) * font_size * 0.6
