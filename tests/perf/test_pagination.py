"""The programme page at scale: its table is paginated (only one page is loaded and analysed), and the
pages put together are exactly the unpaginated table, for every sort key and filter."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import StatusReview
from app.models.enums import Role
from app.services import analysis, dashboard, programs
from app.services.dashboard import SORT_KEYS, DashboardFilters, build_dashboard
from tests.support.web import WebClient

AS_OF = date(2024, 4, 10)  # in 2024-W15


def _programme(db: Session, make: Any, n: int = 7) -> tuple[Any, Principal]:
    program = make.program()
    orgs = [make.organisation(program, name=f"{name} kommun") for name in ("Ånge", "Borås", "Älvdalen")]
    for k in range(n):
        initiative = make.initiative(
            orgs[k % 3],
            program,
            title=f"Arbete {'ÅBCÖDEF'[k]}{k}",
            rag=(None, "red", "amber", "green")[k % 4],
            status=("active", "sustaining", "draft")[k % 3],
        )
        if k % 3 != 2:
            measure = make.measure(initiative, kind="outcome", baseline=20, target=10)
            last = 14 if k % 2 else 9  # some stale
            for week in range(3, last + 1):
                make.measurement(measure, f"2024-W{week:02d}", 20 - week + k % 3)
        if k % 2:
            db.add(
                StatusReview(
                    initiative_id=initiative.id,
                    review_date=date(2024, 3, k + 1),
                    rag="amber",
                    next_review_on=date(2024, 5, 10 - k),
                )
            )
    db.flush()
    return program, Principal.of(make.user(Role.COORDINATOR, program))


def _titles(board: dashboard.Dashboard) -> list[str]:
    return [r.initiative.title for r in board.rows]


FILTERS = [
    {},
    {"status": "active"},
    {"rag": "none"},
    {"stale": "1"},
    {"rag": "green", "status": "sustaining"},
]


@pytest.mark.parametrize("descending", [False, True])
def test_pages_put_together_are_the_whole_table(db: Session, make: Any, descending: bool) -> None:
    program, coordinator = _programme(db, make)
    for params in FILTERS:
        for sort in SORT_KEYS:
            filters = DashboardFilters.from_params({**params, "sort": sort, "dir": "desc" if descending else ""})
            whole = build_dashboard(db, coordinator, title="T", program_id=program.id, filters=filters, as_of=AS_OF)
            pages: list[str] = []
            first = build_dashboard(
                db, coordinator, title="T", program_id=program.id, filters=filters, as_of=AS_OF, page_size=3
            )
            assert first.matching == len(whole.rows)
            for page in range(1, first.pages + 1):
                board = build_dashboard(
                    db,
                    coordinator,
                    title="T",
                    program_id=program.id,
                    filters=DashboardFilters.from_params(
                        {**params, "sort": sort, "dir": "desc" if descending else "", "page": str(page)}
                    ),
                    as_of=AS_OF,
                    page_size=3,
                )
                assert board.page == page
                assert len(board.rows) <= 3
                assert (board.by_rag, board.by_status, board.total) == (whole.by_rag, whole.by_status, whole.total)
                pages += _titles(board)
            assert pages == _titles(whole), (params, sort)


def test_only_the_page_is_analysed(db: Session, make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    program, coordinator = _programme(db, make, n=7)
    analysed: list[int] = []
    real = analysis.analyse_measures

    def counting(db: Session, measures: Any, **kw: Any) -> Any:
        analysed.append(len(measures))
        return real(db, measures, **kw)

    monkeypatch.setattr(analysis, "analyse_measures", counting)
    board = build_dashboard(db, coordinator, title="T", program_id=program.id, as_of=AS_OF, page_size=2)
    assert len(board.rows) == 2
    assert sum(analysed) <= 2
    assert board.stale_count is None  # not computed on the paginated path
    # Sorting by progress needs every row's analysis: the full path, cut to the page.
    analysed.clear()
    by_progress = DashboardFilters.from_params({"sort": "progress"})
    board = build_dashboard(
        db, coordinator, title="T", program_id=program.id, filters=by_progress, as_of=AS_OF, page_size=2
    )
    assert len(board.rows) == 2
    assert sum(analysed) > 2
    assert board.stale_count is not None


def test_page_numbers_are_lenient(db: Session, make: Any) -> None:
    program, coordinator = _programme(db, make, n=5)
    for text, expected in (("x", 1), ("-3", 1), ("0", 1), ("2", 2), ("99999999999", 3)):
        filters = DashboardFilters.from_params({"page": text})
        board = build_dashboard(
            db, coordinator, title="T", program_id=program.id, filters=filters, as_of=AS_OF, page_size=2
        )
        assert board.page == expected, text
        assert board.pages == 3
    assert DashboardFilters(page=3).query() == "?page=3"
    assert "page" not in DashboardFilters(page=3).sort_query("title")
    assert DashboardFilters().query(page=1) == ""


def test_programme_page_links_to_the_next_page(client: WebClient, db: Session, make: Any) -> None:
    program, _ = _programme(db, make, n=3)
    coordinator = make.user(Role.COORDINATOR, program)
    for k in range(dashboard.PROGRAM_PAGE_SIZE):
        make.initiative(program=program, title=f"Extra {k:03d}")
    client.login(coordinator.email)
    first = client.get(f"/programs/{program.id}?sort=title")
    assert first.status_code == 200
    assert 'rel="next"' in first.text
    assert "page=2" in first.text
    assert "Extra 000" in first.text
    second = client.htmx("GET", f"/programs/{program.id}?sort=title&page=2")
    assert second.status_code == 200
    assert second.text.lstrip().startswith('<div id="dashboard-table"')
    assert 'rel="prev"' in second.text
    assert "Extra 000" not in second.text
    assert f"Extra {dashboard.PROGRAM_PAGE_SIZE - 1:03d}" in second.text
    assert client.get(f"/programs/{program.id}?page=abc").status_code == 200


def test_overview_lists_initiatives_of_small_programmes_only(
    db: Session, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    program, coordinator = _programme(db, make, n=3)
    overview = programs.program_overview(db, coordinator, program_id=program.id, as_of=AS_OF)
    assert overview.lists_initiatives
    assert overview.initiative_count == 3
    assert {i.title for g in overview.groups for i in g.initiatives} == {"Arbete Å0", "Arbete B1", "Arbete C2"}
    monkeypatch.setattr(programs, "LIST_INITIATIVES_UP_TO", 2)
    assert not programs.program_overview(db, coordinator, program_id=program.id, as_of=AS_OF).lists_initiatives


def test_team_activity_ignores_deleted_values(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    make.measurement(measure, "2024-W10", 3)
    make.measurement(measure, "2024-W14", 3, deleted_at=datetime(2024, 4, 9, 12, 0, tzinfo=UTC))
    activity = programs.team_activity(db, [initiative.id], as_of=AS_OF)[initiative.id]
    assert activity.last_period == "2024-W10"
    assert activity.periods_silent == 4  # W11..W14 complete since then
