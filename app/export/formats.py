"""Export formats and the one entry point pages and the API call: `export(...) -> ExportFile`.

| format    | what                                                                  |
|-----------|-----------------------------------------------------------------------|
| json      | DESIGN §4 programme summary                                           |
| csv       | RFC 4180 for programs: `,`, decimal point, English keys, UTF-8         |
| csv-excel | Swedish Excel: `;`, decimal comma, translated headings, UTF-8 with BOM |
| xlsx      | workbook: Förbättringsarbeten, Mått, Mätvärden                        |
| html      | the booklet as a printable web page                                   |
| pdf       | the booklet (WeasyPrint)                                              |
| docx      | the booklet for Word (tables instead of charts)                       |

Rendering a PDF takes seconds and much memory, so at most `HEAVY_CONCURRENCY` heavy exports run at
once per process; routes call `export` from a worker thread so the event loop keeps serving.
"""

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import policy
from app.auth.policy import Principal
from app.export import booklet, csv_export, docx_export, json_export, xlsx
from app.export.summary import ProgramSummary, build_summary
from app.models import Initiative, Organisation, Program
from app.services.programs import get_organisation, get_program

ExportFormat = Literal["json", "csv", "csv-excel", "xlsx", "html", "pdf", "docx"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
HEAVY_CONCURRENCY = 2
_heavy = threading.BoundedSemaphore(HEAVY_CONCURRENCY)


@dataclass(frozen=True)
class FormatSpec:
    media_type: str
    extension: str
    render: Callable[[ProgramSummary], bytes]
    charts: bool = False
    heavy: bool = False
    inline: bool = False  # shown in the browser rather than downloaded


SPECS: dict[ExportFormat, FormatSpec] = {
    "json": FormatSpec("application/json", "json", json_export.render_json),
    "csv": FormatSpec("text/csv; charset=utf-8", "csv", lambda s: csv_export.render_csv(s, flavour="rfc4180")),
    "csv-excel": FormatSpec("text/csv; charset=utf-8", "csv", lambda s: csv_export.render_csv(s, flavour="excel")),
    "xlsx": FormatSpec("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", xlsx.render_xlsx),
    "html": FormatSpec(
        "text/html; charset=utf-8",
        "html",
        lambda s: booklet.render_html(s).encode("utf-8"),
        charts=True,
        inline=True,
    ),
    "pdf": FormatSpec("application/pdf", "pdf", booklet.render_pdf, charts=True, heavy=True),
    "docx": FormatSpec(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        docx_export.render_docx,
        heavy=True,
    ),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    inline: bool = False


def slug(text: str) -> str:
    """ASCII file name part: "Leda för Resultat IV" -> "leda-for-resultat-iv"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "framsteg"


def export(
    db: Session,
    principal: Principal,
    *,
    fmt: ExportFormat,
    program_id: int | None = None,
    organisation_id: int | None = None,
    as_of: date | None = None,
) -> ExportFile:
    """Build the summary of what the user may see and render it (NotFound for an invisible scope)."""
    spec = SPECS[fmt]
    summary = build_summary(
        db, principal, program_id=program_id, organisation_id=organisation_id, as_of=as_of, charts=spec.charts
    )
    if spec.heavy:
        with _heavy:
            content = spec.render(summary)
    else:
        content = spec.render(summary)
    filename = f"{slug(summary.title)}-{summary.generated_at.date().isoformat()}.{spec.extension}"
    return ExportFile(content=content, media_type=spec.media_type, filename=filename, inline=spec.inline)


@dataclass(frozen=True)
class ExportScope:
    """What the export page offers: the programme or organisation, and how many initiatives it holds."""

    title: str
    path: str  # "/programs/3" or "/organisations/5"
    initiative_count: int


def export_scope(
    db: Session, principal: Principal, *, program_id: int | None = None, organisation_id: int | None = None
) -> ExportScope:
    query = select(func.count(Initiative.id)).where(policy.initiatives_visible(principal))
    if program_id is not None:
        scope: Program | Organisation = get_program(db, principal, program_id)
        path = f"/programs/{scope.id}"
        query = query.where(Initiative.program_id == scope.id)
    elif organisation_id is not None:
        scope = get_organisation(db, principal, organisation_id)
        path = f"/organisations/{scope.id}"
        query = query.where(Initiative.organisation_id == scope.id)
    else:
        raise ValueError("a programme or an organisation is required")
    return ExportScope(title=scope.name, path=path, initiative_count=db.scalar(query) or 0)
