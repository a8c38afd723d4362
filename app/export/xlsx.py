"""The programme export as an Excel workbook (openpyxl).

Sheets (names fixed in Swedish, as the programme's coordinators know them; headings in the user's
language): "Förbättringsarbeten" (one row per initiative, main measure's figures), "Mått" (one row
per measure with its analysis) and "Mätvärden" (every measurement, with the period's first day as a
real date so Excel can chart it). Header rows are styled, frozen and filtered; column widths follow
the content; numbers keep their number formats (Excel shows the decimal comma in Swedish).
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.analysis import period_start
from app.core.i18n import _
from app.core.text import UNSTORABLE
from app.export.summary import InitiativeSummary, ProgramSummary

SHEET_INITIATIVES = "Förbättringsarbeten"
SHEET_MEASURES = "Mått"
SHEET_MEASUREMENTS = "Mätvärden"

HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_BORDER = Border(bottom=Side(style="thin", color="164767"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
NUMBER = "#,##0.0##"
PERCENT = "0.0"
DATE = "yyyy-mm-dd"
MAX_WIDTH = 60
LONG_TEXT_WIDTH = 50


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[..., Any]
    number_format: str | None = None
    long_text: bool = False


def _initiative_columns() -> list[Column]:
    def main(attr: str) -> Callable[[InitiativeSummary], Any]:
        return lambda i: getattr(m, attr) if (m := i.main_measure) else None

    return [
        Column(_("Organisation"), lambda i: i.organisation),
        Column(_("Initiative"), lambda i: i.title),
        Column(_("Status"), lambda i: i.status),
        Column(_("RAG"), lambda i: i.rag or ""),
        Column(_("Started"), lambda i: i.started_on, DATE),
        Column(_("Ends"), lambda i: i.ends_on, DATE),
        Column(_("Team"), lambda i: "; ".join(f"{t.name} ({t.role})" for t in i.team), long_text=True),
        Column(_("Problem"), lambda i: i.problem, long_text=True),
        Column(_("Aim"), lambda i: i.aim, long_text=True),
        Column(_("What we did"), lambda i: i.what_we_did, long_text=True),
        Column(_("Results"), lambda i: i.results, long_text=True),
        Column(_("Main measure"), main("name")),
        Column(_("Baseline"), main("baseline"), NUMBER),
        Column(_("Current"), main("current"), NUMBER),
        Column(_("Target"), main("target"), NUMBER),
        Column(_("Progress (%)"), main("progress_pct"), PERCENT),
        Column(_("Suggested RAG"), main("suggested_rag")),
        Column(_("Lessons learned"), lambda i: "\n".join(f"• {x.text}" for x in i.lessons), long_text=True),
    ]


def _measure_columns() -> list[Column]:
    return [
        Column(_("Organisation"), lambda i, m: i.organisation),
        Column(_("Initiative"), lambda i, m: i.title),
        Column(_("Measure"), lambda i, m: m.name),
        Column(_("Kind"), lambda i, m: m.kind),
        Column(_("Unit"), lambda i, m: m.unit),
        Column(_("Direction"), lambda i, m: m.direction),
        Column(_("Frequency"), lambda i, m: m.frequency),
        Column(_("Operational definition"), lambda i, m: m.definition, long_text=True),
        Column(_("Number of values"), lambda i, m: len(m.points), "0"),
        Column(_("Latest period"), lambda i, m: m.last_period),
        Column(_("Baseline"), lambda i, m: m.baseline, NUMBER),
        Column(_("Current"), lambda i, m: m.current, NUMBER),
        Column(_("Target"), lambda i, m: m.target, NUMBER),
        Column(_("Target date"), lambda i, m: m.target_date, DATE),
        Column(_("Progress (%)"), lambda i, m: m.progress_pct, PERCENT),
        Column(_("No new values"), lambda i, m: _("yes") if m.stale else _("no")),
        Column(_("Suggested RAG"), lambda i, m: m.suggested_rag),
        Column(_("Signals"), lambda i, m: "\n".join(m.signals), long_text=True),
    ]


def _measurement_columns() -> list[Column]:
    return [
        Column(_("Organisation"), lambda i, m, p: i.organisation),
        Column(_("Initiative"), lambda i, m, p: i.title),
        Column(_("Measure"), lambda i, m, p: m.name),
        Column(_("Unit"), lambda i, m, p: m.unit),
        Column(_("Period"), lambda i, m, p: p.period),
        Column(_("Period starts"), lambda i, m, p: period_start(p.period), DATE),
        Column(_("Value"), lambda i, m, p: p.value, NUMBER),
        Column(_("Numerator"), lambda i, m, p: p.numerator, NUMBER),
        Column(_("Denominator"), lambda i, m, p: p.denominator, NUMBER),
        Column(_("Comment"), lambda i, m, p: p.comment, long_text=True),
    ]


def _cell_value(value: Any) -> Any:
    # Per cell rather than `xml_safe(summary)`: a programme's sheet of measurements has a million rows.
    return UNSTORABLE.sub("", value) if isinstance(value, str) else value


def _fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    """Write the header and rows, then style: header, freeze, filter, widths, formats."""
    sheet.append([c.heading for c in columns])
    widths = [len(c.heading) + 4 for c in columns]
    for args in rows:
        # Control characters (stored text may hold them) are not allowed in a worksheet: drop them.
        values = [_cell_value(c.value(*args)) for c in columns]
        sheet.append(values)
        for k, value in enumerate(values):
            if value is not None and not columns[k].long_text:
                widths[k] = max(widths[k], len(str(value)) + 2)
    for k, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=k)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, HEADER_BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        letter = get_column_letter(k)
        width = LONG_TEXT_WIDTH if column.long_text else min(widths[k - 1], MAX_WIDTH)
        sheet.column_dimensions[letter].width = width
        for (data_cell,) in sheet.iter_rows(min_row=2, min_col=k, max_col=k):
            data_cell.alignment = WRAP if column.long_text else TOP
            if column.number_format:
                data_cell.number_format = column.number_format
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def render_xlsx(summary: ProgramSummary) -> bytes:
    workbook = Workbook()
    initiatives = workbook.active
    assert initiatives is not None
    initiatives.title = SHEET_INITIATIVES
    _fill(initiatives, _initiative_columns(), [(i,) for i in summary.initiatives])
    _fill(
        workbook.create_sheet(SHEET_MEASURES),
        _measure_columns(),
        [(i, m) for i in summary.initiatives for m in i.measures],
    )
    _fill(
        workbook.create_sheet(SHEET_MEASUREMENTS),
        _measurement_columns(),
        [(i, m, p) for i in summary.initiatives for m in i.measures for p in m.points],
    )
    workbook.properties.title = summary.title
    workbook.properties.creator = "Framsteg"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
