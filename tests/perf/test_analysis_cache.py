"""The analysis caches (services.analysis.Memo) save work without ever serving a stale result.

Pages analyse the same series again and again, so analyses, charts, sparklines and sentences are kept
by their complete inputs. A changed value, setting, PDSA phase, day or language must give a fresh
result; the same inputs give the very same object (the engine did not run again).
"""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.analysis import Observation
from app.core.i18n import language
from app.services import analysis
from app.services.dashboard import build_dashboard

AS_OF = date(2024, 6, 5)


def _series(measure: Any, make: Any, weeks: int = 14) -> None:
    for week in range(1, weeks + 1):
        make.measurement(measure, f"2024-W{week:02d}", 20.0 - (week > 7) * 6 + week % 3)


def test_same_inputs_give_the_same_result_object(db: Session, make: Any) -> None:
    analysis.clear_caches()
    measure = make.measure(make.initiative(), baseline=20, target=10)
    _series(measure, make)
    first = analysis.analyse_measure(db, measure, as_of=AS_OF)
    again = analysis.analyse_measure(db, measure, as_of=AS_OF)
    assert again is first
    assert analysis.chart_svg(db, measure, result=first, cycles=[]) == analysis.chart_svg(
        db, measure, result=again, cycles=[]
    )


def test_any_changed_input_gives_a_fresh_analysis(db: Session, make: Any) -> None:
    analysis.clear_caches()
    initiative = make.initiative()
    measure = make.measure(initiative, baseline=20, target=10)
    _series(measure, make)
    before = analysis.analyse_measure(db, measure, as_of=AS_OF)

    row = make.measurement(measure, "2024-W15", 40.0)  # a new value
    with_value = analysis.analyse_measure(db, measure, as_of=AS_OF)
    assert with_value is not before
    assert with_value.n == before.n + 1

    row.value = 2.0  # a corrected value
    db.flush()
    corrected = analysis.analyse_measure(db, measure, as_of=AS_OF)
    assert corrected.points[-1].value == 2.0

    measure.target = 5  # a changed setting
    db.flush()
    retargeted = analysis.analyse_measure(db, measure, as_of=AS_OF)
    assert retargeted is not corrected
    assert retargeted.progress.target == 5

    later = analysis.analyse_measure(db, measure, as_of=date(2024, 9, 1))  # another day
    assert later is not retargeted

    points = [Observation(f"2024-W{w:02d}", float(w)) for w in range(1, 13)]
    assert analysis.analyse_points(measure, points, phase_starts=("2024-W07",), as_of=AS_OF) is not (
        analysis.analyse_points(measure, points, as_of=AS_OF)
    )


def test_sentences_follow_the_language(db: Session, make: Any) -> None:
    analysis.clear_caches()
    measure = make.measure(make.initiative(), baseline=20, target=10)
    _series(measure, make, weeks=4)
    result = analysis.analyse_measure(db, measure, as_of=AS_OF)
    with language("sv"):
        swedish = analysis.signal_sentences(measure, result)
    with language("en"):
        english = analysis.signal_sentences(measure, result)
    assert swedish != english
    assert english == ["Too few values to judge (4 of 10 needed)"]


def test_dashboard_shows_a_changed_value_at_once(db: Session, make: Any) -> None:
    from app.auth.policy import Principal
    from app.models.enums import Role

    analysis.clear_caches()
    program = make.program()
    organisation = make.organisation(program)
    initiative = make.initiative(organisation, program)
    measure = make.measure(initiative, baseline=20, target=10)
    _series(measure, make)
    leader = Principal.of(make.user(Role.LEADER, organisation))
    board = build_dashboard(db, leader, title="t", organisation_ids=[organisation.id], as_of=AS_OF)
    make.measurement(measure, "2024-W15", 1.0)
    again = build_dashboard(db, leader, title="t", organisation_ids=[organisation.id], as_of=AS_OF)
    assert board.rows[0].result is not None
    assert again.rows[0].result is not None
    assert again.rows[0].result.n == board.rows[0].result.n + 1
    assert again.rows[0].last_period == "2024-W15"
    assert again.rows[0].sparkline != board.rows[0].sparkline
