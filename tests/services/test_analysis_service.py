"""The analysis service: loading series and phases from the database, batch loading, sentences."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.analysis import period_from_index, period_index
from app.core.i18n import language
from app.models import Measure, PdsaCycle
from app.services import analysis as service
from app.services.errors import InvalidInput

AS_OF = date(2024, 6, 5)


def weeks(first: str, n: int) -> list[str]:
    start = period_index(first)
    return [period_from_index(start + k, "week") for k in range(n)]


def fill(make: Any, measure: Measure, values: list[float], first: str = "2024-W01") -> None:
    for period, value in zip(weeks(first, len(values)), values, strict=True):
        make.measurement(measure, period, value)


def cycle(db: Session, measure: Measure, started_on: date, *, new_phase: bool, linked: list[Measure]) -> PdsaCycle:
    row = PdsaCycle(
        initiative_id=measure.initiative_id, title="Testa checklista", started_on=started_on, new_phase=new_phase
    )
    row.measures.extend(linked)
    db.add(row)
    db.flush()
    return row


def test_analyse_measure_uses_live_measurements_in_period_order(db: Session, make: Any) -> None:
    measure = make.measure(make.initiative(), baseline=21, target=14)
    fill(make, measure, [20, 22, 21, 19])
    deleted = make.measurement(measure, "2024-W05", 99)
    deleted.deleted_at = deleted.created_at
    db.flush()
    result = service.analyse_measure(db, measure, as_of=AS_OF)
    assert [p.period for p in result.points] == ["2024-W01", "2024-W02", "2024-W03", "2024-W04"]
    assert result.progress.baseline == 21
    assert result.chart == "run"


def test_new_phase_cycle_linked_or_unlinked_splits_phases(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    other = make.measure(initiative)
    fill(make, measure, [10.0] * 6 + [5.0] * 6)
    # Linked to another measure only: no phase here.
    cycle(db, measure, date(2024, 1, 10), new_phase=True, linked=[other])
    # Not a new phase: ignored.
    cycle(db, measure, date(2024, 1, 17), new_phase=False, linked=[measure])
    assert len(service.analyse_measure(db, measure, as_of=AS_OF).phases) == 1
    # Unlinked new-phase cycle starting on Wednesday of week 7 starts phase 2 at 2024-W07.
    cycle(db, measure, date(2024, 2, 14), new_phase=True, linked=[])
    result = service.analyse_measure(db, measure, as_of=AS_OF)
    assert [p.first_period for p in result.phases] == ["2024-W01", "2024-W07"]


def test_chart_that_does_not_fit_is_invalid_input(db: Session, make: Any) -> None:
    measure = make.measure(make.initiative(), data_type="value")
    fill(make, measure, [1, 2, 3])
    with pytest.raises(InvalidInput) as info:
        service.analyse_measure(db, measure, chart="p", as_of=AS_OF)
    assert "chart" in info.value.by_field()


def test_batch_analysis_query_count_does_not_grow_with_measures(db: Session, make: Any) -> None:
    def build(n: int) -> list[Measure]:
        measures = []
        for _ in range(n):
            initiative = make.initiative()
            measure = make.measure(initiative)
            fill(make, measure, [3, 4, 5, 4, 3])
            cycle(db, measure, date(2024, 1, 20), new_phase=True, linked=[measure])
            measures.append(measure)
        return measures

    small, large = build(2), build(20)
    engine = db.get_bind()
    counts = []
    for measures in (small, large):
        statements: list[str] = []

        def listener(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements.append(statement)  # noqa: B023 - bound per loop iteration on purpose

        event.listen(engine, "before_cursor_execute", listener)
        try:
            results = service.analyse_measures(db, measures, as_of=AS_OF)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert set(results) == {m.id for m in measures}
        assert all(len(r.phases) == 2 for r in results.values())
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 2


def test_batch_of_nothing_needs_no_query(db: Session) -> None:
    assert service.analyse_measures(db, []) == {}


def test_sentence_for_improvement(db: Session, make: Any) -> None:
    measure = make.measure(make.initiative(), direction="decrease")
    fill(make, measure, [10, 11, 10, 12, 11, 10, 11, 12, 3, 2, 3, 2, 3, 2, 3, 2])
    result = service.analyse_measure(db, measure, as_of=AS_OF)
    with language("en"):
        sentences = service.signal_sentences(measure, result)
    assert sentences[0] == "Improvement: 8 points in a row below the median"
    with language("sv"):
        assert service.signal_sentences(measure, result)[0] == "Förbättring: 8 punkter i rad under medianen"


def test_sentences_for_concern_and_random_variation(db: Session, make: Any) -> None:
    rising = make.measure(make.initiative(), direction="decrease")
    fill(make, rising, [3, 2, 3, 2, 3, 2, 3, 2, 10, 11, 10, 12, 11, 10, 11, 12])
    with language("en"):
        assert service.signal_sentences(rising, service.analyse_measure(db, rising, as_of=AS_OF))[0].startswith(
            "Concern: 8 points in a row above the median"
        )
    calm = make.measure(make.initiative())
    fill(make, calm, [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 5, 6])
    with language("en"):
        assert service.signal_sentences(calm, service.analyse_measure(db, calm, as_of=AS_OF)) == [
            "No signals: only random variation"
        ]


def test_sentences_for_too_few_and_no_values(db: Session, make: Any) -> None:
    measure = make.measure(make.initiative())
    with language("en"):
        assert service.signal_sentences(measure, service.analyse_measure(db, measure, as_of=AS_OF)) == [
            "No values yet."
        ]
    fill(make, measure, [5, 6, 5, 7])
    with language("en"):
        assert service.signal_sentences(measure, service.analyse_measure(db, measure, as_of=AS_OF)) == [
            "Too few values to judge (4 of 10 needed)"
        ]


def test_points_outside_limits_are_grouped(db: Session, make: Any) -> None:
    measure = make.measure(make.initiative(), direction="increase")
    fill(make, measure, [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 40])
    result = service.analyse_measure(db, measure, chart="i", as_of=AS_OF)
    with language("en"):
        sentences = service.signal_sentences(measure, result)
    assert sentences[0] == "Improvement: A point above the upper control limit (wk 13 2024)"


def test_measure_cards_in_a_fixed_number_of_queries(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measures = [make.measure(initiative, name=f"Mått {k}") for k in range(4)]
    for measure in measures:
        fill(make, measure, [3, 4, 5])
    cycle(db, measures[0], date(2024, 1, 10), new_phase=False, linked=[measures[0]])
    engine = db.get_bind()
    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        cards = service.measure_cards(db, measures, as_of=AS_OF)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 3
    assert [c.measure for c in cards] == measures
    assert "Testa checklista" in cards[0].chart_svg
    assert "Testa checklista" not in cards[1].chart_svg
    assert cards[0].chart_svg.count("<svg") == 2  # wide and narrow
    assert cards[0].sentences
