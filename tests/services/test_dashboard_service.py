"""Dashboard rows: main measure, analysis, reviews, filters, sorting and a constant number of queries."""

from datetime import date

from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.core.i18n import _
from app.models import StatusReview
from app.models.enums import Role
from app.services.dashboard import DashboardFilters, build_dashboard, home_dashboard
from tests.support.queries import count_queries

AS_OF = date(2024, 4, 10)  # in 2024-W15: W13 and W14 are the last two complete weeks


def _weeks(n: int, last: int = 14) -> list[str]:
    return [f"2024-W{w:02d}" for w in range(last - n + 1, last + 1)]


def _initiative_with_data(make, org, program, title: str, values: list[float], **kw):  # type: ignore[no-untyped-def]
    initiative = make.initiative(org, program, title=title, **kw)
    make.measure(initiative, kind="process", name="Processmått")  # not the main measure
    main = make.measure(initiative, kind="outcome", name="Resultatmått", position=1, baseline=20, target=10)
    for period, value in zip(_weeks(len(values)), values, strict=True):
        make.measurement(main, period, value)
    return initiative


def test_rows_describe_main_outcome_measure(db: Session, make) -> None:
    program = make.program()
    org = make.organisation(program)
    improving = _initiative_with_data(
        make, org, program, "Kortare väntetid", [20, 19, 21, 20, 19, 20, 12, 11, 13, 12, 11, 12, 13, 12], rag="amber"
    )
    make.initiative(org, program, title="Utan mått")
    db.add(StatusReview(initiative_id=improving.id, review_date=date(2024, 2, 1), rag="amber",
                        next_review_on=date(2024, 3, 1)))  # fmt: skip
    db.flush()
    leader = Principal.of(make.user(Role.LEADER, org))
    board = build_dashboard(db, leader, title="T", organisation_ids=[org.id], as_of=AS_OF)
    assert board.total == 2
    row = next(r for r in board.rows if r.initiative.id == improving.id)
    assert row.measure is not None
    assert row.measure.name == "Resultatmått"
    assert row.progress_pct == 80.0
    assert row.signal is not None
    assert row.signal.startswith(_("Improvement: %(what)s").split("%")[0])
    assert row.sparkline is not None
    assert row.sparkline.startswith("<svg")
    assert (row.last_review_on, row.next_review_on, row.review_overdue) == (date(2024, 2, 1), date(2024, 3, 1), True)
    assert row.can_review
    assert not row.stale
    empty = next(r for r in board.rows if r.initiative.title == "Utan mått")
    assert (empty.measure, empty.sparkline, empty.suggested_rag) == (None, None, None)


def test_query_count_does_not_grow_with_initiatives(db: Session, make) -> None:
    program = make.program()
    org = make.organisation(program)
    leader = Principal.of(make.user(Role.LEADER, org))

    def count() -> int:
        with count_queries(db) as queries:
            board = build_dashboard(db, leader, title="T", organisation_ids=[org.id], as_of=AS_OF)
            assert all(r.result is not None for r in board.rows)
        return len(queries)

    _initiative_with_data(make, org, program, "A", [5, 6, 7])
    small = count()
    for n in range(6):
        _initiative_with_data(make, org, program, f"B{n}", [5, 6, 7, 8, 9])
    assert count() == small
    assert small <= 6


def test_filters_and_sorting(db: Session, make) -> None:
    program = make.program()
    org = make.organisation(program)
    red = _initiative_with_data(make, org, program, "Röd", [15, 15, 15], rag="red")
    green = _initiative_with_data(make, org, program, "Grön", [10, 10, 10], rag="green", status="sustaining")
    stale = make.initiative(org, program, title="Tyst")
    stale_measure = make.measure(stale, kind="outcome", baseline=20, target=10)
    make.measurement(stale_measure, "2024-W02", 18)
    admin = Principal.of(make.user(admin=True))

    def titles(**params: str) -> list[str]:
        filters = DashboardFilters.from_params(params)
        board = build_dashboard(db, admin, title="T", organisation_ids=[org.id], filters=filters, as_of=AS_OF)
        return [r.initiative.title for r in board.rows]

    assert titles() == ["Röd", "Grön", "Tyst"]  # by RAG: red first, not assessed last
    assert titles(rag="red") == ["Röd"]
    assert titles(rag="none") == ["Tyst"]
    assert titles(status="sustaining") == ["Grön"]
    assert titles(stale="1") == ["Tyst"]
    assert titles(stale="0") == ["Röd", "Grön"]
    assert titles(sort="progress", dir="desc") == ["Grön", "Röd", "Tyst"]
    assert titles(sort="progress") == ["Tyst", "Röd", "Grön"]
    assert titles(sort="title") == ["Grön", "Röd", "Tyst"]
    assert titles(rag="purple", status="x", stale="maybe", sort="nonsense") == ["Röd", "Grön", "Tyst"]
    assert red.id != green.id


def test_filter_links_keep_other_filters() -> None:
    filters = DashboardFilters.from_params({"rag": "red", "sort": "progress"})
    assert filters.query(status="active") == "?status=active&rag=red&sort=progress"
    assert filters.query(rag=None, sort="rag") == ""
    assert filters.sort_query("progress") == "?rag=red&sort=progress&dir=desc"
    assert filters.sort_query("title") == "?rag=red&sort=title"


def test_home_dashboard_for_leader_and_choice_for_coordinator(db: Session, make) -> None:
    program = make.program()
    org = make.organisation(program)
    make.initiative(org, program)
    leader = Principal.of(make.user(Role.LEADER, org))
    home = home_dashboard(db, leader, as_of=AS_OF)
    assert home.dashboard is not None
    assert home.dashboard.total == 1
    assert list(home.choices) == []
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    home = home_dashboard(db, coordinator, as_of=AS_OF)
    assert home.dashboard is None
    assert [o.id for o in home.choices] == [org.id]
