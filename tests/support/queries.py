"""Count the SQL statements a block of code sends, to pin query counts (no N+1)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


@contextmanager
def count_queries(db: Session) -> Iterator[list[str]]:
    """Collects every statement executed on the session's connection while the block runs."""
    statements: list[str] = []
    bind = db.get_bind()
    engine = getattr(bind, "engine", bind)

    def listener(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
