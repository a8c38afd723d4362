"""Property-based check of the programme-structure API: no input makes it answer 500 or break its schema.

Runs against a database of its own (data is committed there), so the other tests' data stays as it is.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.auth.sessions import create_api_token
from app.core.db import session_factory
from app.main import create_app
from app.models.enums import Role
from app.services import library, workshops
from app.services.library import DefinitionData
from app.services.workshops import WorkshopData
from app.web.deps import get_db
from tests.support.databases import drop_database, migrated_engine, new_database_url
from tests.support.factories import Factories

app = create_app()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app).include(
    path_regex=r"library-measures|/workshops|/measures/adopt|/stage$"
)


def _seed(db: Session) -> str:
    make = Factories(db)
    program = make.program()
    make.initiative(program=program)
    admin = make.user(Role.ADMIN)
    principal = Principal.of(admin)
    definition = DefinitionData(
        name="Andel nöjda",
        kind="outcome",
        data_type="proportion",
        definition="Täljare: nöjda. Nämnare: alla som svarat.",
        direction="increase",
        frequency="month",
    )
    library.create_library_measure(db, principal, program_id=program.id, data=definition)
    workshops.create_workshop(
        db, principal, program_id=program.id, data=WorkshopData(title="Workshop 1", held_on=program.starts_on)
    )
    _row, plain = create_api_token(db, admin, "fuzz")
    return plain


@pytest.fixture(scope="module")
def token() -> Iterator[str]:
    url = new_database_url("fuzz")
    engine = migrated_engine(url)
    sessions = session_factory(engine)

    def override() -> Iterator[Session]:
        session = sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    with sessions() as db:
        plain = _seed(db)
        db.commit()
    app.dependency_overrides[get_db] = override
    yield plain
    app.dependency_overrides.clear()
    engine.dispose()
    drop_database(url)


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, token: str) -> None:
    # No 500, and every answer has the documented content type and shape. (Status codes are not
    # checked: FastAPI answers a body that is not JSON at all with 400, app-wide.)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
    )
