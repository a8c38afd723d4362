"""Bulk entry of a measure's values from CSV text or an Excel file, all rows or none.

Reading and checking are pure functions (no database), so they are easy to test with the many
shapes spreadsheets produce: comma or semicolon separated, decimal commas ("4,2"), a header row
in English or Swedish or none, dates where Excel "helpfully" turned 2024-03 into 2024-03-01.
`preview` compares the checked rows with what is stored; `save` writes them in one savepoint, so
a failure leaves every value as it was.

Row numbers are the file's line (or sheet row) numbers, header included, as a spreadsheet shows them.
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import Frequency, period_for_date
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Measure, Measurement
from app.models.enums import DataType
from app.services.analysis import today
from app.services.errors import FieldError, InvalidInput
from app.services.measurements import (
    MAX_COMMENT,
    Reading,
    compute_reading,
    parse_measure_period,
    write_reading,
)
from app.services.measures import get_editable_measure
from app.services.personal_data import check_free_text

# The number rules of the page forms ("4,2", "1 234,5"); a pure function, shared rather than copied.
from app.web.forms import parse_number

MAX_ROWS = 5_000
MAX_BYTES = 2 * 1024 * 1024
Status = Literal["new", "changed", "unchanged", "error"]

_COLUMNS: dict[str, str] = {
    "period": "period",
    "vecka": "period",
    "week": "period",
    "månad": "period",
    "month": "period",
    "value": "value",
    "värde": "value",
    "mätvärde": "value",
    "numerator": "numerator",
    "täljare": "numerator",
    "denominator": "denominator",
    "nämnare": "denominator",
    "comment": "comment",
    "kommentar": "comment",
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One line of the file as text cells, with its line number."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckedRow:
    line: int
    period: str | None
    reading: Reading | None
    comment: str
    error: str | None = None
    raw: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """A checked row compared with the stored value of its period."""

    row: CheckedRow
    status: Status
    old: Measurement | None = None

    @property
    def line(self) -> int:
        return self.row.line


@dataclass
class Preview:
    measure: Measure
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message); line 0 = the file

    @property
    def ok(self) -> bool:
        return not self.errors and any(r.status in ("new", "changed") for r in self.rows)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)


class ImportRejected(InvalidInput):
    """Some rows are bad; nothing was saved. `rows` lists (line, message) for every bad row."""

    def __init__(self, rows: Sequence[tuple[int, str]]) -> None:
        super().__init__([FieldError(("body", line), message) for line, message in rows])
        self.rows = list(rows)


# --- Reading files ----------------------------------------------------------------------------


def read_csv(text: str) -> list[RawRow]:
    """Rows of CSV text; the separator (semicolon, comma or tab) is detected from the first line."""
    text = text.lstrip("\ufeff")  # Excel writes a byte order mark in "CSV UTF-8"
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max((";", "\t", ","), key=first.count) if first else ","
    rows = []
    for line, cells in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
        if any(cell.strip() for cell in cells):
            rows.append(RawRow(line, tuple(cell.strip() for cell in cells)))
    return rows


def decode(data: bytes) -> str:
    """File bytes as text: UTF-8 (with or without BOM), else Windows-1252 as older Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> list[RawRow]:
    """Rows of the first sheet of an Excel workbook (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InvalidInput([FieldError(("file",), _("The file could not be read as an Excel workbook."))]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(_cell_text(v) for v in values)
            if any(cells):
                rows.append(RawRow(line, cells))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_upload(filename: str, data: bytes) -> list[RawRow]:
    if len(data) > MAX_BYTES:
        raise InvalidInput([FieldError(("file",), _("The file is too large (at most 2 MB)."))])
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(decode(data))


# --- Checking rows ----------------------------------------------------------------------------


def _header(cells: Sequence[str]) -> list[str] | None:
    """Column names if the row is a header (its first cell names a column), else None."""
    if cells and cells[0].strip().lower() in _COLUMNS:
        return [_COLUMNS.get(c.strip().lower(), c.strip()) for c in cells]
    return None


def _positional(data_type: str, width: int) -> list[str]:
    """Columns of a file without a header, from the measure's kind of data."""
    if DataType(data_type).is_fraction and width >= 3:
        return ["period", "numerator", "denominator", "comment"][:width]
    return ["period", "value", "comment"][: max(width, 2)]


def _period_text(text: str, frequency: Frequency) -> str:
    # A date (Excel's reading of "2024-03") stands for the period containing it.
    if m := _ISO_DATE.fullmatch(text):
        try:
            return period_for_date(date(int(m[1]), int(m[2]), int(m[3])), frequency)
        except ValueError:
            return text
    return text


def _first_message(exc: InvalidInput) -> str:
    return exc.errors[0].msg if exc.errors else str(exc)


def check_rows(rows: Sequence[RawRow], measure: Measure, *, as_of: date | None = None) -> Preview:
    """Check every row against the measure's rules; the preview's rows have no status from the database yet.

    File-level problems (no rows, unknown columns, too many rows) are reported on line 0 or the
    header's line.
    """
    preview = Preview(measure)
    if not rows:
        preview.errors.append((0, _("The file has no rows.")))
        return preview
    columns = _header(rows[0].cells)
    body = rows[1:] if columns is not None else list(rows)
    if columns is not None:
        unknown = [c for c in columns if c and c not in _COLUMNS.values()]
        if unknown:
            message = _("Unknown column %(name)s. Use period, value or numerator and denominator, and comment.")
            preview.errors.append((rows[0].line, message % {"name": repr(unknown[0])}))
            return preview
        if "period" not in columns:
            preview.errors.append((rows[0].line, _("The file needs a period column.")))
            return preview
    if len(body) > MAX_ROWS:
        preview.errors.append((0, _("At most %(n)s rows at a time.") % {"n": MAX_ROWS}))
        return preview
    if not body:
        preview.errors.append((0, _("The file has no rows.")))
        return preview
    seen: dict[str, int] = {}
    day = as_of or today()
    for raw in body:
        names = columns or _positional(measure.data_type, len(raw.cells))
        checked = _check_row(raw, names, measure, day, seen)
        preview.rows.append(PreviewRow(checked, "error" if checked.error else "new"))
        if checked.error:
            preview.errors.append((raw.line, checked.error))
    return preview


def _check_row(raw: RawRow, names: Sequence[str], measure: Measure, day: date, seen: dict[str, int]) -> CheckedRow:
    cells = dict(zip(names, raw.cells, strict=False))
    extra = [c for c in raw.cells[len(names) :] if c]
    comment = cells.get("comment", "")

    def bad(message: str, period: str | None = None) -> CheckedRow:
        return CheckedRow(raw.line, period, None, comment, message, raw.cells)

    if extra:
        return bad(_("The row has more columns than the header."))
    try:
        period = parse_measure_period(
            measure, _period_text(cells.get("period", ""), cast(Frequency, measure.frequency)), as_of=day
        )
    except InvalidInput as exc:
        return bad(_first_message(exc))
    if period in seen:
        return bad(_("The period appears twice (also on row %(line)s).") % {"line": seen[period]}, period)
    seen[period] = raw.line
    numbers: dict[str, float | None] = {}
    for name in ("value", "numerator", "denominator"):
        try:
            numbers[name] = parse_number(cells.get(name))
        except ValueError:
            return bad(_("%(text)s is not a number.") % {"text": repr(cells.get(name))}, period)
    if len(comment) > MAX_COMMENT:
        return bad(_("The comment is too long (at most %(n)s characters).") % {"n": MAX_COMMENT}, period)
    try:
        check_free_text({"comment": comment})
    except InvalidInput as exc:
        return bad(_first_message(exc), period)
    try:
        reading = compute_reading(measure.data_type, rate_multiplier=measure.rate_multiplier, **numbers)
    except InvalidInput as exc:
        return bad(_first_message(exc), period)
    return CheckedRow(raw.line, period, reading, comment, None, raw.cells)


# --- With the database ------------------------------------------------------------------------


def _same(row: CheckedRow, old: Measurement) -> bool:
    reading = row.reading
    return reading is not None and (reading.value, reading.numerator, reading.denominator, row.comment) == (
        old.value,
        old.numerator,
        old.denominator,
        old.comment,
    )


def preview(db: Session, principal: Principal, *, measure_id: int, rows: Sequence[RawRow]) -> Preview:
    """What saving these rows would do: per row new / changes X → Y / unchanged, or why it is bad."""
    measure = get_editable_measure(db, principal, measure_id)
    checked = check_rows(rows, measure)
    periods = [r.row.period for r in checked.rows if r.row.period and not r.row.error]
    stored = {
        m.period: m
        for m in db.scalars(
            select(Measurement).where(
                Measurement.measure_id == measure.id,
                Measurement.deleted_at.is_(None),
                Measurement.period.in_(periods),
            )
        )
    }
    compared = []
    for item in checked.rows:
        old = stored.get(item.row.period or "")
        if item.status == "error" or old is None:
            compared.append(PreviewRow(item.row, item.status, old))
        else:
            compared.append(PreviewRow(item.row, "unchanged" if _same(item.row, old) else "changed", old))
    checked.rows = compared
    return checked


def save(db: Session, principal: Principal, *, measure_id: int, rows: Sequence[RawRow]) -> Preview:
    """Save every row, or none: any bad row raises ImportRejected listing all bad rows.

    Values that differ from the stored ones are overwritten; the user saw them in the preview
    (and API clients ask for exactly this by sending the file). Unchanged rows are left alone.
    """
    result = preview(db, principal, measure_id=measure_id, rows=rows)
    if result.errors:
        raise ImportRejected(result.errors)
    with db.begin_nested():
        for item in result.rows:
            if item.status in ("new", "changed") and item.row.period and item.row.reading:
                write_reading(
                    db,
                    principal,
                    result.measure,
                    period=item.row.period,
                    reading=item.row.reading,
                    comment=item.row.comment,
                    version=None,
                    replace=True,
                )
    return result
