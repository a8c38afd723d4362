"""Track whether a transaction changed data, and move the data version forward when it commits.

Every ORM session in the app (web, API, CLI, imports, seed) is covered by listeners on the Session class:
a flush that inserts, updates or deletes rows, or an ORM-enabled INSERT/UPDATE/DELETE statement, marks
the session; `before_commit` then adds one to `data_version.version` in the same transaction, so the new
number becomes visible exactly when the changed rows do. Readers that keep derived results (the page
cache) compare this number: equal means nothing they read can have changed.

Bookkeeping tables that change while pages are only read (the session's last-seen time, an API token's
last use, failed logins) do not move the version: the page cache checks credentials itself on every hit.
Pages that show those tables must not be cached.
"""

from typing import Any

from sqlalchemy import Connection, event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.models import ApiToken, DataVersion, LoginAttempt, UserSession

UNTRACKED_TABLES = frozenset(model.__tablename__ for model in (ApiToken, DataVersion, LoginAttempt, UserSession))
_CHANGED = "data_version_changed"


def bump(conn: Connection | Session) -> None:
    """Move the version forward; for writes that bypass the ORM session (a backup restore)."""
    conn.execute(update(DataVersion).values(version=DataVersion.version + 1))


def _tracked(table_name: str | None) -> bool:
    return table_name not in UNTRACKED_TABLES


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = list(session.new) + list(session.deleted) + [obj for obj in session.dirty if session.is_modified(obj)]
    if any(_tracked(getattr(obj, "__tablename__", None)) for obj in changed):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_select:
        return
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if not _tracked(getattr(table, "name", None)):
            return
    # Any other statement (text SQL) may write: assume it did.
    state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes only after this hook: changes still pending must count too
    if session.info.pop(_CHANGED, False):
        bump(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session, *_: Any) -> None:
    session.info.pop(_CHANGED, None)
