"""Helpers for analysis tests: build monthly or weekly series and analyse them with defaults."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pytest

from app.analysis import AnalysisResult, Observation, analyse, period_frequency, period_from_index, period_index

Values = Sequence[float | None]
MakeObservations = Callable[..., list[Observation]]
Analyse = Callable[..., AnalysisResult]


def observations(values: Values, *, first: str = "2023-01", denominators: Values | None = None) -> list[Observation]:
    """One observation per consecutive period from `first`; None values are explicit gaps.

    With `denominators`, `values` are numerators and the value is their percentage.
    """
    frequency = period_frequency(first)
    start = period_index(first)
    result = []
    for offset, value in enumerate(values):
        period = period_from_index(start + offset, frequency)
        if denominators is None:
            result.append(Observation(period, value))
        else:
            den = denominators[offset]
            percent = 100 * value / den if value is not None and den is not None else None
            result.append(Observation(period, percent, value, den))
    return result


@pytest.fixture
def make_observations() -> MakeObservations:
    return observations


@pytest.fixture
def run_analysis() -> Analyse:
    """`analyse` with monthly values from 2023-01 and neutral defaults; keywords override them."""

    def run(values: Values, **options: Any) -> AnalysisResult:
        settings: dict[str, Any] = {
            "data_type": "value",
            "direction": "increase",
            "frequency": "month",
            "as_of": date(2030, 1, 1),
        }
        settings.update(options)
        first = "2023-W01" if settings["frequency"] == "week" else "2023-01"
        return analyse(observations(values, first=first), **settings)

    return run
