"""A body that is not JSON, not UTF-8 or not an object is invalid input: 422 with field locations (DESIGN §4)."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models.enums import Role
from tests.support.web import WebClient


@pytest.fixture
def headers(db: Session, make: Any) -> dict[str, str]:
    _, token = create_api_token(db, make.user(Role.ADMIN), "test")
    db.commit()
    return {"Authorization": f"Bearer {token}"}


BODIES = [
    pytest.param(b"{bad", "application/json", id="malformed JSON"),
    pytest.param(b'{"name": "\xff\xfe"}', "application/json", id="not UTF-8"),
    pytest.param(b"\xff\xfe{", "application/json", id="binary"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "application/json", id="nested too deeply"),
    pytest.param(b"[1, 2]", "application/json", id="not an object"),
    pytest.param(b'"text"', "application/json", id="a string"),
    pytest.param(b"name=x", "application/x-www-form-urlencoded", id="a form"),
    pytest.param(b'{"name": "x"}', "text/plain", id="JSON as text/plain"),
    pytest.param(b"hello", None, id="no content type"),
]


@pytest.mark.parametrize(("body", "content_type"), BODIES)
def test_unreadable_body_is_422_with_body_location(
    client: WebClient, headers: dict[str, str], body: bytes, content_type: str | None
) -> None:
    sent = {**headers, **({"Content-Type": content_type} if content_type else {})}
    response = client.post("/api/v1/programs", content=body, headers=sent)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail
    for error in detail:
        assert set(error) == {"loc", "msg", "type"}
        assert error["loc"][0] == "body"
        assert isinstance(error["msg"], str)
        assert error["msg"]


def test_undecodable_body_names_the_problem(client: WebClient, headers: dict[str, str]) -> None:
    response = client.patch(
        "/api/v1/programs/1",
        content=b'{"version": 1, "name": "\xe5"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body"],
                "msg": "The body could not be read as JSON (it must be UTF-8 encoded JSON).",
                "type": "json_invalid",
            }
        ]
    }
