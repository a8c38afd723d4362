"""Schemathesis over the whole JSON API (every operation in /api/v1/openapi.json).

Each operation gets a bounded number of generated requests (valid and invalid input, from the schema's
examples and from Hypothesis), sent in-process through the ASGI transport with an administrator's bearer
token. Checks: never a 5xx, only documented status codes, the documented content type and a body that
matches the response schema.

Runs against a database of its own (seeded through the API, committed there), so the other tests' data
stays as it is. Path ids are mostly folded onto the small ids of the seeded rows so that requests reach
real objects instead of answering 404 every time.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.core.db import session_factory, session_scope
from app.main import create_app
from app.models.enums import Role
from app.web.deps import get_db
from tests.support.databases import drop_database, migrated_engine, new_database_url
from tests.support.factories import Factories

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

ENGINES: list[Engine] = []  # the fuzz database's engine, once the fixture made it


def _cache_reader() -> AbstractContextManager[Session]:
    return session_scope(ENGINES[0])


app = create_app(cache_reader=_cache_reader)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)

CASES: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()


def _seed(client: TestClient) -> None:
    """Two of everything the API knows (ids 1 and 2 of most tables), through the API itself."""

    def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/api/v1" + url, json=body)
        assert response.status_code == 201, (url, response.text)
        result: dict[str, Any] = response.json()
        return result

    for n in (1, 2):
        program = post("/programs", {"name": f"Leda för resultat {n}", "starts_on": "2024-01-01"})
        organisation = post("/organisations", {"name": f"Kommun {n}", "program_id": program["id"]})
        initiative = post(
            "/initiatives",
            {"title": f"Kortare väntetid {n}", "program_id": program["id"], "organisation_id": organisation["id"]},
        )
        weekly = post(
            f"/initiatives/{initiative['id']}/measures",
            {
                "name": f"Handläggningstid {n}",
                "kind": "outcome",
                "data_type": "value",
                "definition": "Dagar från ansökan till beslut, median per vecka.",
                "direction": "decrease",
                "frequency": "week",
                "baseline": 21,
                "target": 14,
            },
        )
        monthly = post(
            f"/initiatives/{initiative['id']}/measures",
            {
                "name": f"Andel nöjda {n}",
                "kind": "outcome",
                "data_type": "proportion",
                "unit": "%",
                "definition": "Täljare: nöjda. Nämnare: alla som svarat.",
                "direction": "increase",
                "frequency": "month",
            },
        )
        for week in range(1, 13):
            post(f"/measures/{weekly['id']}/measurements", {"period": f"2024-W{week:02d}", "value": 20 - week % 5})
        for month in range(1, 7):
            post(
                f"/measures/{monthly['id']}/measurements",
                {"period": f"2024-{month:02d}", "numerator": 10 + month, "denominator": 30},
            )
        post(f"/initiatives/{initiative['id']}/pdsa-cycles", {"title": f"Test {n}", "measure_ids": [weekly["id"]]})
        post(f"/initiatives/{initiative['id']}/lessons", {"text": f"Detta har vi lärt oss {n}", "tags": ["flöde"]})
        post(
            f"/initiatives/{initiative['id']}/reviews",
            {"review_date": "2024-03-01", "rag": "amber", "assessment": "På väg", "decision": "Fortsätt"},
        )
        post(
            f"/programs/{program['id']}/library-measures",
            {
                "name": f"Andel i tid {n}",
                "kind": "process",
                "data_type": "proportion",
                "definition": "Täljare: beslut i tid. Nämnare: alla beslut.",
                "direction": "increase",
                "frequency": "month",
            },
        )
        post(f"/programs/{program['id']}/workshops", {"title": f"Lärandeseminarium {n}", "held_on": "2024-02-01"})
        post("/tokens", {"name": f"script {n}"})


@pytest.fixture(scope="module")
def token(request: pytest.FixtureRequest) -> Iterator[str]:
    url = new_database_url("fuzz")
    engine = migrated_engine(url)
    ENGINES[:] = [engine]
    sessions = session_factory(engine)

    def override() -> Iterator[Session]:
        with session_scope(engine) as session:  # the app's own per-request transaction, on this database
            yield session

    with sessions() as db:
        admin = Factories(db).user(Role.ADMIN)
        _row, plain = create_api_token(db, admin, "fuzz")
        db.commit()
    app.dependency_overrides[get_db] = override
    with TestClient(app, headers={"Authorization": f"Bearer {plain}"}) as client:
        _seed(client)
    yield plain
    app.dependency_overrides.clear()
    engine.dispose()
    drop_database(url)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            statuses = ", ".join(f"{code}: {n}" for code, n in sorted(STATUSES.items()))
            reporter.write_line(f"schemathesis: {sum(CASES.values())} cases over {len(CASES)} operations ({statuses})")


def _fold_ids(case: Any) -> None:
    """Point most generated ids at seeded rows (1-3); leave every fifth one as generated (mostly 404).

    Token ids go to the seeded tokens 2 and 3 only: revoking token 1 would log the test itself out.
    """
    for name, value in (case.path_parameters or {}).items():
        number = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value
        if name.endswith("_id") and type(number) is int and number % 5:
            case.path_parameters[name] = number % 2 + 2 if name == "token_id" else number % 3 + 1


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, token: str) -> None:
    CASES[case.operation.label] += 1
    _fold_ids(case)
    # Always the valid token (also in place of credentials generated from the security scheme).
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    response = case.call_and_validate(checks=CHECKS)
    STATUSES[response.status_code] += 1
    # The token stays valid throughout: a 401 would mean the run tested nothing but the login check.
    assert response.status_code != 401, response.text
