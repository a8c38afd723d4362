"""The JSON API against DESIGN.md §4, one test per row of its endpoint table.

`ROWS` is the table copied here (method and path, and the status codes each method answers). Every row's
test drives the endpoint through each of those status codes — and only those — with real users and data:
field names of the answers as DESIGN names them, the list shape `{"items", "total", "limit", "offset"}`,
401 without a token, 404 for what the caller may not see, 409 for a stale `version`, 422 with field
locations. Each observed status must also be documented in /api/v1/openapi.json.

When DESIGN.md is at hand (shared/ beside the work tree, or FRAMSTEG_SHARED_DIR), its table is read at
test time: `ROWS` must match it row for row, and every method and path of it must be a route of the app.
"""

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from httpx import Response
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import Initiative, Measure, User
from app.models.enums import Role
from tests.support.web import WebClient

DESIGN_FILE = "DESIGN.md"
API = "/api/v1"


@dataclass(frozen=True)
class Row:
    """One row of the §4 table: its methods, its path (ids as `{id}`) and the statuses per method."""

    methods: str
    path: str
    statuses: dict[str, frozenset[int]] = field(hash=False)

    @property
    def key(self) -> str:
        return f"{self.methods} {self.path}"


def _row(methods: str, path: str, **statuses: set[int]) -> Row:
    return Row(methods, path, {m: frozenset(s) for m, s in statuses.items()})


READ = {200, 401, 404, 422}
LIST_IN = {200, 401, 404, 422}
CREATE_IN = {201, 401, 403, 404, 422}
UPDATE = {200, 401, 403, 404, 409, 422}
DELETE = {204, 401, 403, 404}

ROWS = [
    _row("GET", "/api/v1/health", GET={200}),
    _row("GET, POST", "/api/v1/programs", GET={200, 401, 422}, POST={201, 401, 403, 409, 422}),
    _row("GET, PATCH", "/api/v1/programs/{id}", GET=READ, PATCH=UPDATE),
    _row("GET", "/api/v1/programs/{id}/export", GET=READ),
    _row("GET, POST", "/api/v1/organisations", GET={200, 401, 422}, POST={201, 401, 403, 422}),
    _row("GET, POST", "/api/v1/initiatives", GET={200, 401, 422}, POST={201, 401, 403, 422}),
    _row("GET, PATCH, DELETE", "/api/v1/initiatives/{id}", GET=READ, PATCH=UPDATE, DELETE=DELETE),
    _row("GET, POST", "/api/v1/initiatives/{id}/measures", GET=LIST_IN, POST=CREATE_IN),
    _row("GET, PATCH, DELETE", "/api/v1/measures/{id}", GET=READ, PATCH=UPDATE, DELETE=DELETE),
    _row("GET", "/api/v1/measures/{id}/measurements", GET=LIST_IN),
    _row("POST", "/api/v1/measures/{id}/measurements", POST={201, 401, 403, 404, 409, 422}),
    _row("PUT", "/api/v1/measures/{id}/measurements/{period}", PUT={200, 401, 403, 404, 409, 422}),
    _row("DELETE", "/api/v1/measures/{id}/measurements/{period}", DELETE=DELETE),
    _row("POST", "/api/v1/measures/{id}/measurements/import", POST={200, 401, 403, 404, 422}),
    _row("GET", "/api/v1/measures/{id}/analysis", GET=READ),
    _row("GET", "/api/v1/measures/{id}/chart.svg", GET=READ),
    _row("GET, POST", "/api/v1/initiatives/{id}/pdsa-cycles", GET=LIST_IN, POST=CREATE_IN),
    _row("GET, PATCH, DELETE", "/api/v1/pdsa-cycles/{id}", GET=READ, PATCH=UPDATE, DELETE=DELETE),
    _row("GET, POST", "/api/v1/initiatives/{id}/lessons", GET=LIST_IN, POST=CREATE_IN),
    _row("GET, POST", "/api/v1/initiatives/{id}/reviews", GET=LIST_IN, POST=CREATE_IN),
    _row("GET", "/api/v1/lessons", GET={200, 401, 422}),
]

PAGE_KEYS = {"items", "total", "limit", "offset"}
PROGRAM_KEYS = {"id", "name", "description", "starts_on", "ends_on", "version"}
ORGANISATION_KEYS = {"id", "name", "municipality", "kind", "version"}
INITIATIVE_KEYS = {
    "id",
    "program_id",
    "organisation_id",
    "title",
    "problem",
    "rationale",
    "target_group",
    "aim",
    "status",
    "rag",
    "started_on",
    "ends_on",
    "what_we_did",
    "results",
    "version",
}
MEASURE_KEYS = {
    "id",
    "name",
    "kind",
    "data_type",
    "unit",
    "definition",
    "direction",
    "frequency",
    "baseline",
    "target",
    "target_date",
    "chart",
    "freeze",
    "version",
}
MEASUREMENT_KEYS = {"period", "value", "numerator", "denominator", "comment", "version"}
CYCLE_KEYS = {
    "id",
    "title",
    "change_idea",
    "plan",
    "prediction",
    "do_notes",
    "study_notes",
    "act",
    "status",
    "started_on",
    "ended_on",
    "measure_ids",
    "previous_cycle_id",
    "version",
}
LESSON_KEYS = {"id", "text", "tags", "created_by_id", "lesson_date", "version"}
REVIEW_KEYS = {"id", "review_date", "rag", "assessment", "decision", "next_review_on", "reviewer_id"}
ANALYSIS_KEYS = {
    "measure_id",
    "chart",
    "rules",
    "n",
    "points",
    "runs",
    "ihi",
    "outside_limits",
    "progress",
    "variation",
    "assurance",
    "suggested_rag",
}
POINT_KEYS = {"period", "value", "cl", "lcl", "ucl", "phase", "signal"}
RUNS_KEYS = {"n_useful", "longest_run", "longest_run_max", "crossings", "crossings_min", "signal"}
IHI_KEYS = {"shifts", "trends", "runs", "runs_range"}
PROGRESS_KEYS = {"baseline", "target", "current", "progress_pct", "target_met", "improving", "stale"}
EXPORT_INITIATIVE_KEYS = {"organisation", "team", "problem", "aim", "what_we_did", "results", "lessons"}
EXPORT_MEASURE_KEYS = {"baseline", "target", "current", "progress_pct", "signals"}

MEASURE_BODY = {
    "name": "Handläggningstid",
    "kind": "outcome",
    "data_type": "value",
    "unit": "dagar",
    "definition": "Dagar från ansökan till beslut, median per vecka.",
    "direction": "decrease",
    "frequency": "week",
    "baseline": 21,
    "target": 14,
}


# --- the DESIGN table at test time ----------------------------------------------------------------


def _design_path() -> Path | None:
    configured = os.environ.get("FRAMSTEG_SHARED_DIR")
    candidates = [Path(configured)] if configured else []
    root = Path(__file__).resolve().parents[2]
    candidates += [root.parent / "shared", root / "shared"]
    for directory in candidates:
        if (directory / DESIGN_FILE).is_file():
            return directory / DESIGN_FILE
    return None


def design_rows(text: str) -> list[tuple[str, str]]:
    """(methods, path) of every row of the §4 table, paths without their query strings."""
    section = text.split("## 4.", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"\|\s*((?:GET|POST|PUT|PATCH|DELETE)(?:,\s*(?:GET|POST|PUT|PATCH|DELETE))*)\s+(\S+)", line)
        if match:
            rows.append((match.group(1), match.group(2).split("?", 1)[0]))
    return rows


def _shape(path: str) -> str:
    """A path with every parameter as `{}`: `/measures/{id}` and `/measures/{measure_id}` compare equal."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every API route, also inside included routers (FastAPI keeps those nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            for method in route.methods:
                yield method, prefix + route.path
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def _app_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {(method, _shape(path)) for method, path in _walk(app.routes)}


def test_rows_are_the_design_table() -> None:
    path = _design_path()
    if path is None:
        pytest.skip("shared/DESIGN.md not available (set FRAMSTEG_SHARED_DIR)")
    table = design_rows(path.read_text(encoding="utf-8"))
    assert len(table) >= 20, "the §4 table was not found"
    assert [(r.methods, r.path) for r in ROWS] == table


def test_every_row_of_the_design_table_is_a_route(app: FastAPI) -> None:
    path = _design_path()
    table = design_rows(path.read_text(encoding="utf-8")) if path else [(r.methods, r.path) for r in ROWS]
    routes = _app_routes(app)
    missing = [
        f"{method} {route_path}"
        for methods, route_path in table
        for method in methods.split(", ")
        if (method, _shape(route_path)) not in routes
    ]
    assert not missing, f"DESIGN §4 rows without a route: {missing}"


def test_rows_match_their_statuses() -> None:
    for row in ROWS:
        assert set(row.statuses) == set(row.methods.split(", ")), row.key


# --- a small world and a recording client ---------------------------------------------------------


@dataclass
class World:
    initiative: Initiative
    measure: Measure
    proportion: Measure
    other_initiative: Initiative
    tokens: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def world(db: Session, make: Any) -> World:
    initiative = make.initiative(problem="Lång väntan", aim="Kortare väntan")
    other = make.initiative()  # another programme and organisation
    measure = make.measure(initiative, baseline=21.0, target=14.0)
    for week, value in enumerate([21, 20, 22, 19, 18, 17, 16, 17, 15, 16, 15, 14], start=1):
        make.measurement(measure, f"2024-W{week:02d}", value)
    proportion = make.measure(initiative, data_type="proportion", unit="%", frequency="month", direction="increase")
    users: dict[str, User] = {
        "admin": make.user(Role.ADMIN),
        "member": make.user(Role.MEMBER, initiative),
        "leader": make.user(Role.LEADER, initiative.organisation),
        "viewer": make.user(Role.VIEWER, initiative.organisation),
        "coordinator": make.user(Role.COORDINATOR, initiative.program),
        "stranger": make.user(Role.MEMBER, other),
    }
    tokens = {name: create_api_token(db, user, "contract")[1] for name, user in users.items()}
    db.commit()
    return World(initiative, measure, proportion, other, tokens)


class Contract:
    """Calls the API as a role (or anonymously) and records every (method, status) it saw."""

    def __init__(self, client: WebClient, world: World, row: Row) -> None:
        self.client = client
        self.world = world
        self.row = row
        self.pattern = re.compile("[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]+\}", row.path)))
        self.seen: dict[str, set[int]] = defaultdict(set)

    def call(self, role: str | None, method: str, path: str, expect: int, **kwargs: Any) -> Response:
        headers = dict(kwargs.pop("headers", {}))
        if role is not None:
            headers["Authorization"] = f"Bearer {self.world.tokens[role]}"
        response = self.client.request(method, API + path, headers=headers, **kwargs)
        assert response.status_code == expect, f"{method} {path} as {role}: {response.status_code} {response.text}"
        if self.pattern.fullmatch(API + path.split("?", 1)[0]):
            self.seen[method].add(response.status_code)  # calls to other rows' paths only prepare or check
        if expect == 401:
            assert response.json() == {"detail": "Not authenticated"}
        elif expect == 422:
            detail = response.json()["detail"]
            assert detail
            assert all({"loc", "msg", "type"} <= set(e) for e in detail), detail
        elif expect in (403, 404, 409):
            assert isinstance(response.json()["detail"], str)
        return response

    def get(self, role: str | None, path: str, expect: int = 200, **kw: Any) -> Any:
        response = self.call(role, "GET", path, expect, **kw)
        return response.json() if response.headers["content-type"].startswith("application/json") else response

    def send(self, role: str | None, method: str, path: str, body: Any, expect: int, **kw: Any) -> Any:
        return self.call(role, method, path, expect, json=body, **kw).json()

    def invalid(self, role: str, method: str, path: str, body: Any, field_name: str) -> None:
        """422 whose errors point at `field_name` of the body: `["body", name]` from the schema, `[name]`
        from the rules a service checks."""
        detail = self.call(role, method, path, 422, json=body).json()["detail"]
        locations = [e["loc"] for e in detail]
        assert any(loc[:2] == ["body", field_name] or loc[:1] == [field_name] for loc in locations), detail

    def page(self, role: str, path: str, **params: Any) -> dict[str, Any]:
        body: dict[str, Any] = self.get(role, path, params=params)
        assert set(body) == PAGE_KEYS, body
        assert (body["limit"], body["offset"]) == (params.get("limit", 50), params.get("offset", 0))
        assert len(body["items"]) <= body["limit"]
        return body

    def list_rules(self, path: str, role: str = "member") -> dict[str, Any]:
        """Pagination: shape, defaults, limit/offset, the 500 maximum; 401 without a token."""
        body = self.page(role, path)
        if body["total"] > 1:
            second = self.page(role, path, limit=1, offset=1)
            assert second["items"] == body["items"][1:2]
        self.get(role, path, 422, params={"limit": 501})
        self.get(role, path, 422, params={"offset": -1})
        self.get(None, path, 401)
        return body


def keys_of(body: dict[str, Any], expected: set[str]) -> None:
    missing = expected - set(body)
    assert not missing, f"fields missing: {missing} in {sorted(body)}"


# --- one scenario per row -------------------------------------------------------------------------


def health(c: Contract) -> None:
    assert c.get(None, "/health") == {"status": "ok", "database": "ok"}


def programs(c: Contract) -> None:
    body = c.list_rules("/programs")
    keys_of(body["items"][0], PROGRAM_KEYS)
    created = c.send("admin", "POST", "/programs", {"name": "Leda för resultat V", "starts_on": "2025-01-01"}, 201)
    keys_of(created, PROGRAM_KEYS)
    assert created["version"] == 1
    c.send("admin", "POST", "/programs", {"name": "Leda för resultat V"}, 409)
    c.send("member", "POST", "/programs", {"name": "Ett eget program"}, 403)
    c.invalid("admin", "POST", "/programs", {"name": ""}, "name")
    c.invalid("admin", "POST", "/programs", {"name": "X", "colour": "red"}, "colour")
    c.call(None, "POST", "/programs", 401, json={"name": "Y"})


def program(c: Contract) -> None:
    pid = c.world.initiative.program_id
    read = c.get("member", f"/programs/{pid}")
    keys_of(read, PROGRAM_KEYS)
    c.get("stranger", f"/programs/{pid}", 404)
    c.get("member", "/programs/1999999999", 404)
    c.get("member", "/programs/abc", 422)
    c.get(None, f"/programs/{pid}", 401)
    version = read["version"]
    changed = c.send("coordinator", "PATCH", f"/programs/{pid}", {"version": version, "description": "Omgång 5"}, 200)
    assert (changed["description"], changed["version"]) == ("Omgång 5", version + 1)
    c.send("admin", "PATCH", f"/programs/{pid}", {"version": version, "description": "Gammal"}, 409)
    c.send("member", "PATCH", f"/programs/{pid}", {"version": version + 1, "description": "Nej"}, 403)
    c.send("stranger", "PATCH", f"/programs/{pid}", {"version": version + 1, "description": "Nej"}, 404)
    c.invalid("admin", "PATCH", f"/programs/{pid}", {"description": "utan version"}, "version")
    c.call(None, "PATCH", f"/programs/{pid}", 401, json={"version": 1})


def program_export(c: Contract) -> None:
    pid = c.world.initiative.program_id
    body = c.get("coordinator", f"/programs/{pid}/export", params={"format": "json"})
    entries = next(v for v in body.values() if isinstance(v, list)) if isinstance(body, dict) else body
    mine = [e for e in entries if e.get("title") == c.world.initiative.title]
    assert mine, body
    keys_of(mine[0], EXPORT_INITIATIVE_KEYS)
    keys_of(mine[0]["measures"][0], EXPORT_MEASURE_KEYS)
    for fmt, media in [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("html", "text/html"), ("docx", "word")]:
        response = c.get("coordinator", f"/programs/{pid}/export", params={"format": fmt})
        assert media in response.headers["content-type"]
    c.get("coordinator", f"/programs/{pid}/export", 422, params={"format": "odt"})
    c.get("stranger", f"/programs/{pid}/export", 404)
    c.get(None, f"/programs/{pid}/export", 401)


def organisations(c: Contract) -> None:
    body = c.list_rules("/organisations", role="admin")
    keys_of(body["items"][0], ORGANISATION_KEYS)
    # Lists never leak: the stranger sees only their own organisation.
    names = {o["name"] for o in c.page("stranger", "/organisations")["items"]}
    assert c.world.initiative.organisation.name not in names
    pid = c.world.initiative.program_id
    created = c.send("coordinator", "POST", "/organisations", {"name": "Ny kommun", "program_id": pid}, 201)
    keys_of(created, ORGANISATION_KEYS)
    c.send("member", "POST", "/organisations", {"name": "Min kommun"}, 403)
    c.invalid("admin", "POST", "/organisations", {"name": "x" * 1000}, "name")
    c.call(None, "POST", "/organisations", 401, json={"name": "Z"})


def initiatives(c: Contract) -> None:
    w = c.world
    body = c.list_rules("/initiatives")
    assert [i["id"] for i in body["items"]] == [w.initiative.id]
    keys_of(body["items"][0], INITIATIVE_KEYS)
    for name, value in [
        ("program_id", w.initiative.program_id),
        ("organisation_id", w.initiative.organisation_id),
        ("status", "active"),
        ("q", "väntan"),
    ]:
        assert c.page("member", "/initiatives", **{name: value})["total"] == 1, name
    c.page("leader", "/initiatives", rag="green")
    c.get("member", "/initiatives", 422, params={"status": "sleeping"})
    new = {
        "title": "Fler i arbete",
        "program_id": w.initiative.program_id,
        "organisation_id": w.initiative.organisation_id,
    }
    created = c.send("leader", "POST", "/initiatives", new, 201)
    keys_of(created, INITIATIVE_KEYS | {"team", "measures"})
    c.send("viewer", "POST", "/initiatives", new, 403)
    c.invalid("leader", "POST", "/initiatives", {**new, "status": "sleeping"}, "status")
    c.call(None, "POST", "/initiatives", 401, json=new)


def initiative(c: Contract) -> None:
    iid = c.world.initiative.id
    read = c.get("viewer", f"/initiatives/{iid}")
    keys_of(read, INITIATIVE_KEYS | {"team", "measures"})
    assert {m["id"] for m in read["measures"]} == {c.world.measure.id, c.world.proportion.id}
    c.get("stranger", f"/initiatives/{iid}", 404)
    c.get("member", "/initiatives/0", 422)
    c.get(None, f"/initiatives/{iid}", 401)
    version = read["version"]
    changed = c.send("member", "PATCH", f"/initiatives/{iid}", {"version": version, "aim": "Halverad väntan"}, 200)
    assert (changed["aim"], changed["version"]) == ("Halverad väntan", version + 1)
    c.send("member", "PATCH", f"/initiatives/{iid}", {"version": version, "aim": "Gammal"}, 409)
    c.send("viewer", "PATCH", f"/initiatives/{iid}", {"version": version + 1, "aim": "Nej"}, 403)
    c.send("stranger", "PATCH", f"/initiatives/{iid}", {"version": version + 1, "aim": "Nej"}, 404)
    c.invalid("member", "PATCH", f"/initiatives/{iid}", {"version": version + 1, "rag": "purple"}, "rag")
    c.call(None, "PATCH", f"/initiatives/{iid}", 401, json={"version": 1})
    c.call("member", "DELETE", f"/initiatives/{iid}", 403)
    c.call("stranger", "DELETE", f"/initiatives/{iid}", 404)
    c.call(None, "DELETE", f"/initiatives/{iid}", 401)
    c.call("leader", "DELETE", f"/initiatives/{iid}", 204)
    c.get("leader", f"/initiatives/{iid}", 404)


def initiative_measures(c: Contract) -> None:
    iid = c.world.initiative.id
    body = c.list_rules(f"/initiatives/{iid}/measures")
    assert body["total"] == 2
    keys_of(body["items"][0], MEASURE_KEYS)
    c.get("stranger", f"/initiatives/{iid}/measures", 404)
    created = c.send("member", "POST", f"/initiatives/{iid}/measures", MEASURE_BODY, 201)
    keys_of(created, MEASURE_KEYS)
    assert created["version"] == 1
    c.send("viewer", "POST", f"/initiatives/{iid}/measures", MEASURE_BODY, 403)
    c.send("stranger", "POST", f"/initiatives/{iid}/measures", MEASURE_BODY, 404)
    c.invalid("member", "POST", f"/initiatives/{iid}/measures", {**MEASURE_BODY, "kind": "feeling"}, "kind")
    c.invalid("member", "POST", f"/initiatives/{iid}/measures", {**MEASURE_BODY, "definition": ""}, "definition")
    c.call(None, "POST", f"/initiatives/{iid}/measures", 401, json=MEASURE_BODY)


def measure(c: Contract) -> None:
    mid = c.world.measure.id
    read = c.get("viewer", f"/measures/{mid}")
    keys_of(read, MEASURE_KEYS)
    c.get("stranger", f"/measures/{mid}", 404)
    c.get("member", "/measures/x", 422)
    c.get(None, f"/measures/{mid}", 401)
    version = read["version"]
    changed = c.send("member", "PATCH", f"/measures/{mid}", {"version": version, "target": 12}, 200)
    assert (changed["target"], changed["version"]) == (12, version + 1)
    c.send("member", "PATCH", f"/measures/{mid}", {"version": version, "target": 10}, 409)
    c.send("viewer", "PATCH", f"/measures/{mid}", {"version": version + 1, "target": 10}, 403)
    c.send("stranger", "PATCH", f"/measures/{mid}", {"version": version + 1, "target": 10}, 404)
    c.invalid("member", "PATCH", f"/measures/{mid}", {"version": version + 1, "chart": "pie"}, "chart")
    c.call(None, "PATCH", f"/measures/{mid}", 401, json={"version": 1})
    c.call("viewer", "DELETE", f"/measures/{mid}", 403)
    c.call("stranger", "DELETE", f"/measures/{mid}", 404)
    c.call(None, "DELETE", f"/measures/{mid}", 401)
    c.call("member", "DELETE", f"/measures/{mid}", 204)
    c.get("member", f"/measures/{mid}", 404)


def measurements_list(c: Contract) -> None:
    mid = c.world.measure.id
    body = c.list_rules(f"/measures/{mid}/measurements")
    periods = [m["period"] for m in body["items"]]
    assert periods == sorted(periods)
    assert body["total"] == 12
    keys_of(body["items"][0], MEASUREMENT_KEYS)
    c.get("stranger", f"/measures/{mid}/measurements", 404)


def measurements_create(c: Contract) -> None:
    w = c.world
    url = f"/measures/{w.measure.id}/measurements"
    created = c.send("member", "POST", url, {"period": "2024-W20", "value": 13.5, "comment": "Ny rutin"}, 201)
    keys_of(created, MEASUREMENT_KEYS)
    assert (created["period"], created["value"], created["version"]) == ("2024-W20", 13.5, 1)
    proportion = c.send(
        "member",
        "POST",
        f"/measures/{w.proportion.id}/measurements",
        {"period": "2024-03", "numerator": 3, "denominator": 4},
        201,
    )
    assert proportion["value"] == 75
    c.send("member", "POST", url, {"period": "2024-W20", "value": 1}, 409)
    c.send("viewer", "POST", url, {"period": "2024-W21", "value": 1}, 403)
    c.send("stranger", "POST", url, {"period": "2024-W21", "value": 1}, 404)
    c.invalid("member", "POST", url, {"period": "2024-03", "value": 1}, "period")
    c.invalid("member", "POST", url, {"period": "2024-W21", "value": "many"}, "value")
    c.call(None, "POST", url, 401, json={"period": "2024-W21", "value": 1})


def measurement_put(c: Contract) -> None:
    url = f"/measures/{c.world.measure.id}/measurements"
    created = c.send("member", "PUT", f"{url}/2024-W30", {"value": 9}, 200)
    assert created["version"] == 1
    replaced = c.send("member", "PUT", f"{url}/2024-W30", {"value": 8, "version": 1}, 200)
    assert (replaced["value"], replaced["version"]) == (8, 2)
    c.send("member", "PUT", f"{url}/2024-W30", {"value": 7, "version": 1}, 409)
    c.send("viewer", "PUT", f"{url}/2024-W30", {"value": 7, "version": 2}, 403)
    c.send("stranger", "PUT", f"{url}/2024-W30", {"value": 7, "version": 2}, 404)
    c.invalid("member", "PUT", f"{url}/2024-W30", {"value": 7, "version": 2, "unit": "st"}, "unit")
    c.call("member", "PUT", f"{url}/2024-13", 422, json={"value": 7})
    c.call(None, "PUT", f"{url}/2024-W30", 401, json={"value": 7})


def measurement_delete(c: Contract) -> None:
    url = f"/measures/{c.world.measure.id}/measurements"
    c.call("viewer", "DELETE", f"{url}/2024-W01", 403)
    c.call("stranger", "DELETE", f"{url}/2024-W01", 404)
    c.call(None, "DELETE", f"{url}/2024-W01", 401)
    c.call("member", "DELETE", f"{url}/2024-W01", 204)
    c.call("member", "DELETE", f"{url}/2024-W01", 404)
    assert c.page("member", url)["total"] == 11


def measurement_import(c: Contract) -> None:
    url = f"/measures/{c.world.measure.id}/measurements/import"
    csv = {"headers": {"Content-Type": "text/csv"}}
    done = c.call("member", "POST", url, 200, content="period,value\n2024-W40,12\n2024-W41,11\n", **csv).json()
    assert done == {"created": 2, "updated": 0, "unchanged": 0}
    bad = "period,value\n2024-W42,10\n2024-13,9\n2024-W43,x\n"
    detail = c.call("member", "POST", url, 422, content=bad, **csv).json()["detail"]
    assert [(e["row"], bool(e["msg"])) for e in detail] == [(3, True), (4, True)]
    assert c.page("member", f"/measures/{c.world.measure.id}/measurements")["total"] == 14  # nothing of it saved
    c.call("viewer", "POST", url, 403, content="period,value\n2024-W44,1\n", **csv)
    c.call("stranger", "POST", url, 404, content="period,value\n2024-W44,1\n", **csv)
    c.call(None, "POST", url, 401, content="period,value\n2024-W44,1\n", **csv)


def analysis(c: Contract) -> None:
    mid = c.world.measure.id
    body = c.get("viewer", f"/measures/{mid}/analysis")
    keys_of(body, ANALYSIS_KEYS)
    assert (body["measure_id"], body["rules"], body["n"]) == (mid, "anhoej", 12)
    keys_of(body["points"][0], POINT_KEYS)
    keys_of(body["runs"], RUNS_KEYS)
    keys_of(body["ihi"], IHI_KEYS)
    keys_of(body["progress"], PROGRESS_KEYS)
    for rules in ("anhoej", "ihi", "mdc"):
        for chart in ("auto", "run", "i"):
            assert (
                c.get("viewer", f"/measures/{mid}/analysis", params={"rules": rules, "chart": chart})["rules"] == rules
            )
    c.get("viewer", f"/measures/{mid}/analysis", 422, params={"rules": "western-electric"})
    c.get("stranger", f"/measures/{mid}/analysis", 404)
    c.get(None, f"/measures/{mid}/analysis", 401)


def chart_svg(c: Contract) -> None:
    mid = c.world.measure.id
    response = c.get("viewer", f"/measures/{mid}/chart.svg", params={"rules": "ihi", "chart": "i"})
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<svg")
    c.get("viewer", f"/measures/{mid}/chart.svg", 422, params={"chart": "pie"})
    c.get("stranger", f"/measures/{mid}/chart.svg", 404)
    c.get(None, f"/measures/{mid}/chart.svg", 401)


def pdsa_cycles(c: Contract) -> None:
    iid = c.world.initiative.id
    url = f"/initiatives/{iid}/pdsa-cycles"
    body = {"title": "Rörelsepass efter lunch", "measure_ids": [c.world.measure.id]}
    created = c.send("member", "POST", url, body, 201)
    keys_of(created, CYCLE_KEYS)
    assert created["measure_ids"] == [c.world.measure.id]
    listed = c.list_rules(url)
    assert listed["total"] == 1
    c.get("stranger", url, 404)
    c.send("viewer", "POST", url, body, 403)
    c.send("stranger", "POST", url, body, 404)
    c.invalid("member", "POST", url, {**body, "act": "ignore"}, "act")
    c.call(None, "POST", url, 401, json=body)


def pdsa_cycle(c: Contract) -> None:
    iid = c.world.initiative.id
    cycle = c.send("member", "POST", f"/initiatives/{iid}/pdsa-cycles", {"title": "Test 1"}, 201)
    url = f"/pdsa-cycles/{cycle['id']}"
    keys_of(c.get("viewer", url), CYCLE_KEYS)
    c.get("stranger", url, 404)
    c.get("member", "/pdsa-cycles/-1", 422)
    c.get(None, url, 401)
    changed = c.send("member", "PATCH", url, {"version": 1, "plan": "Två veckor på Solen"}, 200)
    assert (changed["plan"], changed["version"]) == ("Två veckor på Solen", 2)
    c.send("member", "PATCH", url, {"version": 1, "plan": "Gammal"}, 409)
    c.send("viewer", "PATCH", url, {"version": 2, "plan": "Nej"}, 403)
    c.send("stranger", "PATCH", url, {"version": 2, "plan": "Nej"}, 404)
    c.invalid("member", "PATCH", url, {"version": 2, "status": "forgotten"}, "status")
    c.call(None, "PATCH", url, 401, json={"version": 2})
    c.call("viewer", "DELETE", url, 403)
    c.call("stranger", "DELETE", url, 404)
    c.call(None, "DELETE", url, 401)
    c.call("member", "DELETE", url, 204)
    c.get("member", url, 404)


def lessons_of_initiative(c: Contract) -> None:
    url = f"/initiatives/{c.world.initiative.id}/lessons"
    body = {"text": "Små tester gav snabbare lärande.", "tags": ["PDSA", "team"]}
    created = c.send("member", "POST", url, body, 201)
    keys_of(created, LESSON_KEYS)
    assert created["tags"] == ["PDSA", "team"]
    assert c.list_rules(url)["total"] == 1
    c.get("stranger", url, 404)
    c.send("viewer", "POST", url, body, 403)
    c.send("stranger", "POST", url, body, 404)
    c.invalid("member", "POST", url, {"text": ""}, "text")
    c.call(None, "POST", url, 401, json=body)


def reviews(c: Contract) -> None:
    url = f"/initiatives/{c.world.initiative.id}/reviews"
    body = {"review_date": "2024-04-02", "rag": "amber", "assessment": "På väg", "decision": "Fortsätt"}
    created = c.send("leader", "POST", url, body, 201)
    keys_of(created, REVIEW_KEYS)
    assert c.get("member", f"/initiatives/{c.world.initiative.id}")["rag"] == "amber"
    assert c.list_rules(url)["total"] == 1
    c.get("stranger", url, 404)
    c.send("member", "POST", url, body, 403)
    c.send("stranger", "POST", url, body, 404)
    c.invalid("leader", "POST", url, {**body, "rag": "blue"}, "rag")
    c.invalid("leader", "POST", url, {"rag": "red"}, "review_date")
    c.call(None, "POST", url, 401, json=body)


def lessons_search(c: Contract) -> None:
    iid = c.world.initiative.id
    c.send("member", "POST", f"/initiatives/{iid}/lessons", {"text": "Daglig avstämning hjälpte.", "tags": []}, 201)
    c.send("member", "POST", f"/initiatives/{iid}/lessons", {"text": "Mät varje vecka.", "tags": []}, 201)
    body = c.list_rules("/lessons")
    assert body["total"] == 2
    keys_of(body["items"][0], LESSON_KEYS)
    assert c.page("member", "/lessons", q="avstämning")["total"] == 1
    assert c.page("member", "/lessons", program_id=c.world.initiative.program_id)["total"] == 2
    assert c.page("stranger", "/lessons")["total"] == 0  # lists never leak
    c.get("member", "/lessons", 422, params={"q": "x" * 201})


SCENARIOS: dict[str, Callable[[Contract], None]] = {
    "GET /api/v1/health": health,
    "GET, POST /api/v1/programs": programs,
    "GET, PATCH /api/v1/programs/{id}": program,
    "GET /api/v1/programs/{id}/export": program_export,
    "GET, POST /api/v1/organisations": organisations,
    "GET, POST /api/v1/initiatives": initiatives,
    "GET, PATCH, DELETE /api/v1/initiatives/{id}": initiative,
    "GET, POST /api/v1/initiatives/{id}/measures": initiative_measures,
    "GET, PATCH, DELETE /api/v1/measures/{id}": measure,
    "GET /api/v1/measures/{id}/measurements": measurements_list,
    "POST /api/v1/measures/{id}/measurements": measurements_create,
    "PUT /api/v1/measures/{id}/measurements/{period}": measurement_put,
    "DELETE /api/v1/measures/{id}/measurements/{period}": measurement_delete,
    "POST /api/v1/measures/{id}/measurements/import": measurement_import,
    "GET /api/v1/measures/{id}/analysis": analysis,
    "GET /api/v1/measures/{id}/chart.svg": chart_svg,
    "GET, POST /api/v1/initiatives/{id}/pdsa-cycles": pdsa_cycles,
    "GET, PATCH, DELETE /api/v1/pdsa-cycles/{id}": pdsa_cycle,
    "GET, POST /api/v1/initiatives/{id}/lessons": lessons_of_initiative,
    "GET, POST /api/v1/initiatives/{id}/reviews": reviews,
    "GET /api/v1/lessons": lessons_search,
}


def test_every_row_has_a_scenario() -> None:
    assert list(SCENARIOS) == [r.key for r in ROWS]


def _documented(openapi: dict[str, Any], method: str, path: str) -> set[int]:
    shape = _shape(path)
    for route_path, operations in openapi["paths"].items():
        if _shape(route_path) == shape and method.lower() in operations:
            return {int(code) for code in operations[method.lower()]["responses"]}
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


@pytest.mark.parametrize("row", ROWS, ids=[r.key for r in ROWS])
def test_design_row(row: Row, client: WebClient, world: World, app: FastAPI) -> None:
    api = Contract(client, world, row)
    SCENARIOS[row.key](api)
    observed = {method: frozenset(codes) for method, codes in api.seen.items()}
    assert observed == row.statuses, f"{row.key}: statuses seen {observed}"
    openapi = app.openapi()
    for method, codes in row.statuses.items():
        undocumented = codes - _documented(openapi, method, row.path)
        assert not undocumented, f"{method} {row.path}: {sorted(undocumented)} not in the OpenAPI document"
