"""Stored text with control characters (the API accepts them in comments and lessons) exports in every format."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.export.formats import SPECS
from app.models.enums import Role
from tests.support.web import WebClient


@pytest.mark.parametrize("fmt", sorted(SPECS))
def test_export_with_control_characters(client: WebClient, db: Session, make: Any, fmt: str) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    make.measurement(measure, "2024-W07", 4.0, comment="bell\x07 and escape\x1b")
    _, token = create_api_token(db, make.user(Role.MEMBER, initiative), "export")
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    lesson = {"text": "Vertical\x0btab and form\x0cfeed", "tags": ["x\x01"]}
    created = client.post(f"/api/v1/initiatives/{initiative.id}/lessons", json=lesson, headers=headers)
    assert created.status_code in (201, 422), created.text
    response = client.get(f"/api/v1/programs/{initiative.program_id}/export", params={"format": fmt}, headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert response.content
