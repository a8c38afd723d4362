"""Library measures shared across organisations: one name and one operational definition each.

Each organisation that uses a library measure gets its own series, baseline and target, but the name,
definition, unit, kind, data type, direction and frequency are identical, so organisations can be
compared on the measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from seed.content.types import ChartKind, DataType, Direction, Frequency, MeasureKind, MeasureSpec, SeriesSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryMeasure:
    library_key: str
    name: str
    kind: MeasureKind
    data_type: DataType
    unit: str
    definition: str
    direction: Direction
    frequency: Frequency
    chart: ChartKind = "auto"
    rate_multiplier: float = 1.0

    def use(
        self,
        key: str,
        *,
        series: SeriesSpec,
        baseline: float | None,
        target: float | None,
        target_weeks_from_start: int | None,
    ) -> MeasureSpec:
        """This library measure in one initiative, with that organisation's own data."""
        return MeasureSpec(
            key=key,
            name=self.name,
            kind=self.kind,
            data_type=self.data_type,
            unit=self.unit,
            definition=self.definition,
            direction=self.direction,
            frequency=self.frequency,
            baseline=baseline,
            target=target,
            target_weeks_from_start=target_weeks_from_start,
            chart=self.chart,
            series=series,
            rate_multiplier=self.rate_multiplier,
            library_key=self.library_key,
        )


SATISFACTION_WITH_TREATMENT: Final = LibraryMeasure(
    library_key="nojd_bemotande",
    name="Andel brukare som är nöjda med bemötandet",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal brukare som svarar 4 eller 5 på frågan ”Hur nöjd är du med det bemötande du får "
        "av personalen?” (skala 1–5). Nämnare: antal brukare som besvarat frågan under månaden. "
        "Frågan ställs varje månad i en kort intervju, per telefon eller vid hembesök, till slumpvis "
        "valda brukare av en person som inte arbetar i brukarens egen arbetsgrupp. Verksamhetsutvecklaren "
        "eller kvalitetscontrollern sammanställer svaren senast den femte vardagen i påföljande månad."
    ),
    direction="increase",
    frequency="month",
    chart="p",
)

INVESTIGATIONS_WITHIN_FOUR_MONTHS: Final = LibraryMeasure(
    library_key="utredning_inom_fyra_manader",
    name="Andel utredningar om barn och unga klara inom fyra månader",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal utredningar om barn och unga som avslutats under månaden inom fyra månader från "
        "beslutet att inleda utredning. Nämnare: samtliga utredningar om barn och unga som avslutats under "
        "månaden. Utredningar som förlängts genom särskilt beslut räknas inte som klara i tid. Controllern "
        "tar ut uppgifterna ur verksamhetssystemet den första vardagen i påföljande månad."
    ),
    direction="increase",
    frequency="month",
    chart="p",
)

CURRENT_CARE_PLAN: Final = LibraryMeasure(
    library_key="aktuell_genomforandeplan",
    name="Andel brukare med aktuell genomförandeplan",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal brukare med verkställd insats vars genomförandeplan har upprättats eller följts upp "
        "under de senaste sex månaderna. Nämnare: samtliga brukare med verkställd insats den sista dagen i "
        "månaden. Enhetschefen gör uttaget ur verksamhetssystemet och stämmer av tveksamma fall mot "
        "journalen; resultatet redovisas per enhet och totalt."
    ),
    direction="increase",
    frequency="month",
    chart="p",
)

LIBRARY: Final = (SATISFACTION_WITH_TREATMENT, INVESTIGATIONS_WITHIN_FOUR_MONTHS, CURRENT_CARE_PLAN)
