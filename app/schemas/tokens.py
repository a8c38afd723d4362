"""Personal API tokens in the API."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.schemas.common import ReadModel, StrictModel


class TokenCreate(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=100, description="Where the token is used.")]


class TokenRead(ReadModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The token itself. Shown only in this response; store it now.")
