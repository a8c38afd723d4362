"""The programme export as CSV: one row per measure per initiative (an initiative without measures
gets one row with empty measure columns, so every initiative is listed).

Two flavours, because spreadsheet users and programs want different things:

* ``csv`` (for programs, RFC 4180): comma-separated, decimal point, English column keys, UTF-8
  without BOM, CRLF line ends, fields quoted when needed.
* ``csv-excel`` (for Swedish Excel): semicolon-separated, decimal comma, column headings in the
  user's language, UTF-8 with BOM (so Excel detects the encoding), CRLF line ends. Opening the file
  in Swedish Excel by double-click gives proper columns and numbers.
"""

import csv
import io
from collections.abc import Callable
from typing import Any, Literal

from app.core.i18n import _
from app.export.summary import InitiativeSummary, MeasureSummary, ProgramSummary

Flavour = Literal["rfc4180", "excel"]


def _columns() -> list[tuple[str, str, Callable[[InitiativeSummary, MeasureSummary | None], Any]]]:
    """(key, heading, value) for every column."""
    return [
        ("program", _("Programme"), lambda i, m: i.program or ""),
        ("organisation", _("Organisation"), lambda i, m: i.organisation),
        ("initiative_id", _("Initiative id"), lambda i, m: i.id),
        ("initiative", _("Initiative"), lambda i, m: i.title),
        ("status", _("Status"), lambda i, m: i.status),
        ("rag", _("RAG"), lambda i, m: i.rag or ""),
        ("measure_id", _("Measure id"), lambda i, m: m.id if m else ""),
        ("measure", _("Measure"), lambda i, m: m.name if m else ""),
        ("kind", _("Kind"), lambda i, m: m.kind if m else ""),
        ("unit", _("Unit"), lambda i, m: m.unit if m else ""),
        ("direction", _("Direction"), lambda i, m: m.direction if m else ""),
        ("frequency", _("Frequency"), lambda i, m: m.frequency if m else ""),
        ("n", _("Number of values"), lambda i, m: len(m.points) if m else ""),
        ("last_period", _("Latest period"), lambda i, m: (m.last_period or "") if m else ""),
        ("baseline", _("Baseline"), lambda i, m: m.baseline if m else None),
        ("target", _("Target"), lambda i, m: m.target if m else None),
        ("target_date", _("Target date"), lambda i, m: m.target_date.isoformat() if m and m.target_date else ""),
        ("current", _("Current"), lambda i, m: m.current if m else None),
        ("progress_pct", _("Progress (%)"), lambda i, m: m.progress_pct if m else None),
        ("target_met", _("Target met"), lambda i, m: m.target_met if m else None),
        ("stale", _("No new values"), lambda i, m: m.stale if m else None),
        ("suggested_rag", _("Suggested RAG"), lambda i, m: (m.suggested_rag or "") if m else ""),
        ("variation", _("Variation"), lambda i, m: (m.variation or "") if m else ""),
        ("assurance", _("Assurance"), lambda i, m: (m.assurance or "") if m else ""),
        ("signals", _("Signals"), lambda i, m: " | ".join(m.signals) if m else ""),
    ]


def _cell(value: Any, flavour: Flavour) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("true" if value else "false") if flavour == "rfc4180" else (_("yes") if value else _("no"))
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        return text.replace(".", ",") if flavour == "excel" else text
    return str(value)


def render_csv(summary: ProgramSummary, *, flavour: Flavour = "rfc4180") -> bytes:
    columns = _columns()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if flavour == "excel" else ",", lineterminator="\r\n")
    writer.writerow([key if flavour == "rfc4180" else heading for key, heading, _value in columns])
    for initiative in summary.initiatives:
        measures: list[MeasureSummary | None] = list(initiative.measures) or [None]
        for measure in measures:
            writer.writerow([_cell(value(initiative, measure), flavour) for _key, _heading, value in columns])
    text = buffer.getvalue()
    return (("\ufeff" + text) if flavour == "excel" else text).encode("utf-8")
