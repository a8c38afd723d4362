"""Finished exports kept for a short while, so a page can show "Creating PDF…" while the file is made
and then send the browser to download it.

The file is written to a directory every app process on the host shares (several uvicorn workers),
named by a random token and bound to the user who made it. Files older than `KEEP` are removed.
"""

import json
import re
import secrets
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.export.formats import ExportFile, ExportFormat, export

EXPORT_DIR = Path(tempfile.gettempdir()) / "framsteg-exports"
KEEP_SECONDS = 15 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _paths(token: str) -> tuple[Path, Path]:
    return EXPORT_DIR / f"{token}.bin", EXPORT_DIR / f"{token}.json"


def _clean_old(now: float) -> None:
    for path in EXPORT_DIR.glob("*"):
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink()
        except FileNotFoundError:  # another process removed it first
            continue


def store(file: ExportFile, *, user_id: int) -> str:
    """Keep the file for its user; returns the token to fetch it with."""
    EXPORT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    _clean_old(time.time())
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _paths(token)
    data_path.write_bytes(file.content)
    meta = {"user_id": user_id, "media_type": file.media_type, "filename": file.filename, "inline": file.inline}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return token


def fetch(token: str, *, user_id: int) -> ExportFile | None:
    """The stored file, if the token is valid, not expired and belongs to the user."""
    if not _TOKEN.fullmatch(token):
        return None
    data_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("user_id") != user_id or time.time() - meta_path.stat().st_mtime > KEEP_SECONDS:
            return None
        content = data_path.read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    return ExportFile(content=content, media_type=meta["media_type"], filename=meta["filename"], inline=meta["inline"])


def prepare_download(
    db: Session,
    principal: Principal,
    *,
    fmt: ExportFormat,
    program_id: int | None = None,
    organisation_id: int | None = None,
) -> str:
    """Make the export now (in the caller's worker thread) and keep it for the user; returns its token."""
    file = export(db, principal, fmt=fmt, program_id=program_id, organisation_id=organisation_id)
    return store(file, user_id=principal.user_id)
