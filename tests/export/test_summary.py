"""build_summary: content, access and a constant number of queries."""

import pytest
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.export.summary import build_summary
from app.services.errors import NotFound
from tests.export.conftest import AS_OF, Programme
from tests.support.queries import count_queries


def test_summary_holds_visible_initiatives_with_measures_and_lessons(
    db: Session, programme: Programme, coordinator
) -> None:
    summary = build_summary(db, Principal.of(coordinator), program_id=programme.program.id, as_of=AS_OF)
    assert summary.title == "Leda för Resultat IV"
    assert [i.title for i in summary.initiatives] == [
        "Mer utevistelse på särskilt boende",  # Falkenberg before Ånge (Swedish order)
        "Färre medarbetare hos varje brukare",
    ]
    outdoor = summary.initiatives[0]
    assert [t.name for t in outdoor.team] == ["Erik Sandberg", "Helena Strand"]
    assert outdoor.lessons[0].text == "Sätt alltid brukaren i fokus."
    main = outdoor.main_measure
    assert main is not None
    assert (main.name, main.baseline, main.target, main.current) == ("Andel nöjda boende", 58, 75, 76)
    assert main.progress_pct == pytest.approx(105.9)
    assert main.signals
    assert main.chart_svg is not None
    assert main.chart_svg.startswith("<svg")
    assert len(main.points) == 14
    other = outdoor.measures[1]
    assert (other.chart_svg, other.points, other.current) == (None, [], None)
    continuity = summary.initiatives[1].main_measure
    assert continuity is not None
    assert continuity.current == 16
    assert continuity.progress_pct == pytest.approx(71.4)


def test_viewer_of_one_organisation_sees_only_its_initiatives(
    db: Session, programme: Programme, falkenberg_viewer
) -> None:
    summary = build_summary(db, Principal.of(falkenberg_viewer), program_id=programme.program.id, as_of=AS_OF)
    assert [i.organisation for i in summary.initiatives] == ["Falkenbergs kommun, Socialförvaltningen"]
    with pytest.raises(NotFound):
        build_summary(db, Principal.of(falkenberg_viewer), organisation_id=programme.ange.id)


def test_organisation_scope_and_constant_queries(db: Session, programme: Programme, coordinator, make) -> None:
    principal = Principal.of(coordinator)
    with count_queries(db) as few:
        build_summary(db, principal, program_id=programme.program.id, as_of=AS_OF)
    for n in range(5):
        extra = make.initiative(programme.ange, programme.program, title=f"Extra {n}")
        measure = make.measure(extra)
        make.measurement(measure, "2024-W10", n)
    with count_queries(db) as many:
        summary = build_summary(db, principal, program_id=programme.program.id, as_of=AS_OF)
    assert len(summary.initiatives) == 7
    assert len(many) == len(few)
    only_ange = build_summary(db, principal, organisation_id=programme.ange.id, as_of=AS_OF, charts=False)
    assert only_ange.title == "Ånge kommun, Socialförvaltningen"
    assert {i.organisation for i in only_ange.initiatives} == {"Ånge kommun, Socialförvaltningen"}
    assert all(m.chart_svg is None for i in only_ange.initiatives for m in i.measures)
