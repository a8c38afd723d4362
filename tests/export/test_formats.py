"""Every export format, opened with its own library and checked for content."""

import csv
import dataclasses
import io
import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.core.i18n import _
from app.export import booklet, csv_export, docx_export, json_export, xlsx
from app.export.formats import export, slug
from app.export.summary import ProgramSummary, build_summary
from tests.export.conftest import AS_OF, Programme

TITLES = ("Mer utevistelse på särskilt boende", "Färre medarbetare hos varje brukare")
LESSONS = ("Sätt alltid brukaren i fokus.", "Små steg ger hållbar förändring.")


@pytest.fixture
def summary(db: Session, programme: Programme, coordinator) -> ProgramSummary:
    return build_summary(db, Principal.of(coordinator), program_id=programme.program.id, as_of=AS_OF)


def test_json(summary: ProgramSummary) -> None:
    data = json.loads(json_export.render_json(summary))
    assert data["program"]["name"] == "Leda för Resultat IV"
    assert [i["title"] for i in data["initiatives"]] == list(TITLES)
    first = data["initiatives"][0]
    assert first["organisation"] == "Falkenbergs kommun, Socialförvaltningen"
    assert first["team"][0] == {"name": "Erik Sandberg", "role": "Controller", "role_code": "controller"}
    assert first["lessons"][0]["text"] == LESSONS[0]
    measure = first["measures"][0]
    assert (measure["baseline"], measure["target"], measure["current"]) == (58, 75, 76)
    assert measure["progress_pct"] == pytest.approx(105.9)
    assert isinstance(measure["signals"], list)
    assert measure["signals"]
    for key in ("problem", "aim", "what_we_did", "results"):
        assert key in first


def test_csv_for_programs_is_rfc4180(summary: ProgramSummary) -> None:
    raw = csv_export.render_csv(summary, flavour="rfc4180")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) == 3  # two measures + one measure
    by_measure = {r["measure"]: r for r in rows}
    staff = by_measure["Antal olika medarbetare per brukare"]
    assert (staff["initiative"], staff["baseline"], staff["current"], staff["progress_pct"]) == (
        TITLES[1],
        "21",
        "16",
        "71.4",
    )
    assert by_measure["Andel nöjda boende"]["organisation"] == "Falkenbergs kommun, Socialförvaltningen"


def test_csv_for_excel_uses_semicolon_decimal_comma_and_bom(summary: ProgramSummary) -> None:
    raw = csv_export.render_csv(summary, flavour="excel")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[0] == _("Programme")
    progress = header.index(_("Progress (%)"))
    assert "71,4" in [r[progress] for r in body]
    assert any(TITLES[0] in r for r in body)


def test_xlsx_sheets_content_and_formatting(summary: ProgramSummary) -> None:
    book = load_workbook(io.BytesIO(xlsx.render_xlsx(summary)))
    assert book.sheetnames == ["Förbättringsarbeten", "Mått", "Mätvärden"]
    initiatives = book["Förbättringsarbeten"]
    assert initiatives.freeze_panes == "A2"
    header = [c.value for c in initiatives[1]]
    assert header[:2] == [_("Organisation"), _("Initiative")]
    assert initiatives["A1"].font.bold
    assert [initiatives.cell(row=r, column=2).value for r in (2, 3)] == list(TITLES)
    progress = header.index(_("Progress (%)")) + 1
    cell = initiatives.cell(row=3, column=progress)
    assert cell.value == pytest.approx(71.4)
    assert cell.number_format == "0.0"
    assert initiatives.column_dimensions["B"].width > 20
    lessons = initiatives.cell(row=2, column=header.index(_("Lessons learned")) + 1).value
    assert LESSONS[0] in lessons
    measurements = book["Mätvärden"]
    assert measurements.max_row == 1 + 14 + 10
    values = [row[6] for row in measurements.iter_rows(min_row=2, values_only=True)]
    assert values[:3] == [58, 57, 60]
    assert measurements.cell(row=2, column=6).number_format == "yyyy-mm-dd"


def test_booklet_html(summary: ProgramSummary) -> None:
    html = booklet.render_html(summary)
    for text in (*TITLES, *LESSONS, _("This is what we have learned"), "Erik Sandberg", "<svg"):
        assert text in html
    assert "@page" in html
    assert 'href="#initiative-' in html


def test_booklet_pdf(summary: ProgramSummary) -> None:
    pdf = booklet.render_pdf(summary)
    assert pdf.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "booklet.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    content = " ".join(text.decode("utf-8").split())
    for expected in ("Leda för Resultat IV", *TITLES, *LESSONS, _("This is what we have learned")):
        assert expected in content, expected
    assert "76" in content  # current level of the main measure
    # The charts are embedded as SVG images and still drawn as vectors with their text (legend).
    assert re.search(rf"\b{_('Value')}\b", content), "chart legend"
    html, charts = booklet.render_part_html(summary, "body")
    assert list(charts) == [booklet.CHART_URL.format(k) for k in range(len(TITLES))]
    assert all(f'src="{url}"' in html and charts[url].startswith("<svg") for url in charts)
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 4  # cover, contents, one page per initiative


def test_docx(summary: ProgramSummary) -> None:
    document = Document(io.BytesIO(docx_export.render_docx(summary)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    for expected in (*TITLES, *LESSONS, _("This is what we have learned"), "Leda för Resultat IV"):
        assert expected in text, expected
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Antal olika medarbetare per brukare" in cells
    assert any(c.startswith("16") for c in cells)  # current level, locale formatted
    assert len(document.sections) == 1 + len(TITLES)


def test_export_entry_point_names_files(db: Session, programme: Programme, coordinator) -> None:
    file = export(db, Principal.of(coordinator), fmt="csv-excel", program_id=programme.program.id, as_of=AS_OF)
    assert file.filename.startswith("leda-for-resultat-iv-")
    assert file.filename.endswith(".csv")
    assert slug("Ånge kommun, Socialförvaltningen") == "ange-kommun-socialforvaltningen"
    assert slug("???") == "framsteg"


def test_office_formats_drop_characters_xml_cannot_hold(summary: ProgramSummary) -> None:
    # Input refuses control characters now, but data stored before, or written by plain SQL, may hold them.
    first = summary.initiatives[0]
    measure = dataclasses.replace(first.measures[0], name="Mått\x1f med\x0b styrtecken", unit="st\x01")
    dirty = dataclasses.replace(
        summary, initiatives=[dataclasses.replace(first, title="Titel\x07 med klocka", measures=[measure])]
    )
    document = Document(io.BytesIO(docx_export.render_docx(dirty)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Titel med klocka" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Mått med styrtecken" in cells
    book = load_workbook(io.BytesIO(xlsx.render_xlsx(dirty)))
    assert book["Förbättringsarbeten"].cell(row=2, column=2).value == "Titel med klocka"
