"""The booklet as a Word document (python-docx), with the same structure as the PDF.

Charts: python-docx cannot embed SVG, and turning SVG into PNG would need another native library
(cairosvg) or a browser. Instead each initiative's main measure gets a table of its latest values
and the signals in words, and every measure's baseline → now → target and progress are in a table.
That is also what a coordinator editing the text further in Word can use. The contents list has no
page numbers (Word would only fill in a TOC field after "Update field"); the footer numbers pages.
"""

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from app.analysis import format_period
from app.core.i18n import _, format_day, format_number, get_language, ngettext
from app.export.summary import InitiativeSummary, MeasureSummary, ProgramSummary, xml_safe

BRAND = RGBColor(0x1F, 0x5F, 0x8B)
MUTED = RGBColor(0x52, 0x60, 0x6D)
RECENT_VALUES = 12


def _status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"),
        "active": _("Active"),
        "sustaining": _("Sustaining"),
        "completed": _("Completed"),
        "stopped": _("Stopped"),
    }
    return labels.get(status, status)


def _rag_label(rag: str | None) -> str:
    return {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}.get(rag or "", _("Not assessed"))


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{format_number(value)}\u00a0{unit}" if unit else format_number(value)


def _page_number_field(paragraph: Any) -> None:
    """Append a PAGE field, which Word and LibreOffice fill in on every page."""
    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = "PAGE"
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run._r.append(element)


def _heading(document: Any, text: str, level: int) -> None:
    heading = document.add_heading(text, level=level)
    for run in heading.runs:
        run.font.color.rgb = BRAND


def _section_text(document: Any, heading: str, text: str) -> None:
    if text:
        _heading(document, heading, 3)
        document.add_paragraph(text)


def _table(document: Any, header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for k, title in enumerate(header):
        cell = table.rows[0].cells[k]
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(8.5)
    for values in rows:
        cells = table.add_row().cells
        for k, value in enumerate(values):
            cells[k].text = value
            paragraph = cells[k].paragraphs[0]
            if k in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8.5)
    document.add_paragraph()


def _measures(document: Any, initiative: InitiativeSummary) -> None:
    header = [_("Measure"), _("Baseline"), _("Now"), _("Target"), _("Progress"), _("Latest signal")]
    rows = [
        [
            m.name,
            _amount(m.baseline, m.unit),
            _amount(m.current, m.unit),
            _amount(m.target, m.unit),
            _("Target reached")
            if m.target_met
            else (f"{format_number(m.progress_pct, 0)} %" if m.progress_pct is not None else "–"),
            m.signals[0] if m.signals else "–",
        ]
        for m in initiative.measures
    ]
    _table(document, header, rows, numeric={1, 2, 3, 4})


def _recent_values(document: Any, measure: MeasureSummary) -> None:
    """The main measure's latest values as a small table, instead of the chart."""
    points = measure.points[-RECENT_VALUES:]
    if not points:
        return
    caption = document.add_paragraph()
    caption.add_run(_("Latest values: %(measure)s") % {"measure": measure.name}).bold = True
    lang = get_language()
    _table(
        document,
        [format_period(p.period, lang, short=True) for p in points],
        [[format_number(p.value) for p in points]],
        numeric=set(range(len(points))),
    )
    for sentence in measure.signals:
        document.add_paragraph(sentence, style="List Bullet")


def _initiative(document: Any, initiative: InitiativeSummary) -> None:
    _heading(document, initiative.organisation, 1)
    _heading(document, initiative.title, 2)
    status = document.add_paragraph()
    status.add_run(
        f"{_('Status')}: {_status_label(initiative.status)} · {_('RAG')}: {_rag_label(initiative.rag)}"
    ).font.color.rgb = MUTED
    if initiative.team:
        team = ", ".join(f"{t.name} ({t.role.lower()})" for t in initiative.team)
        document.add_paragraph().add_run(f"{_('Improvement team')}: {team}.").italic = True
    _section_text(document, _("What is the problem?"), initiative.problem)
    _section_text(document, _("Why does it matter?"), initiative.rationale)
    _section_text(document, _("Aim"), initiative.aim)
    _section_text(document, _("What we did"), initiative.what_we_did)
    _heading(document, _("Results"), 3)
    if initiative.results:
        document.add_paragraph(initiative.results)
    if initiative.measures:
        _measures(document, initiative)
    if (main := initiative.main_measure) is not None:
        _recent_values(document, main)
    _heading(document, _("This is what we have learned"), 3)
    for lesson in initiative.lessons:
        document.add_paragraph(lesson.text, style="List Bullet")
    if not initiative.lessons:
        document.add_paragraph(_("No lessons written down yet."))


def _cover(document: Any, summary: ProgramSummary) -> None:
    document.add_paragraph().add_run("\n" * 6)
    title = document.add_paragraph(summary.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    subtitle = document.add_paragraph()
    run = subtitle.add_run(_("Short summaries of the participating organisations' improvement work").upper())
    run.font.size, run.font.color.rgb = Pt(13), BRAND
    meta = document.add_paragraph()
    if summary.starts_on or summary.ends_on:
        meta.add_run(f"{format_day(summary.starts_on)} – {format_day(summary.ends_on)}\n")
    count = len(summary.initiatives)
    meta.add_run(
        ngettext("%(num)s improvement initiative", "%(num)s improvement initiatives", count) % {"num": count} + "\n"
    )
    meta.add_run(_("Compiled %(date)s") % {"date": format_day(summary.generated_at.date(), "long")})
    meta.add_run().add_break(WD_BREAK.PAGE)


def _front(document: Any, summary: ProgramSummary) -> None:
    if summary.description:
        _heading(document, _("Foreword"), 1)
        document.add_paragraph(summary.description)
    _heading(document, _("Contents"), 1)
    for initiative in summary.initiatives:
        entry = document.add_paragraph()
        entry.add_run(initiative.organisation).bold = True
        entry.add_run(f"\n{initiative.title}")
    if not summary.initiatives:
        document.add_paragraph(_("No initiatives to show."))


def render_docx(summary: ProgramSummary) -> bytes:
    summary = xml_safe(summary)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    document.core_properties.title = summary.title
    document.core_properties.author = "Framsteg"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = f"{summary.title}\t\t"
    _page_number_field(footer)
    _cover(document, summary)
    _front(document, summary)
    for initiative in summary.initiatives:
        document.add_section(WD_SECTION.NEW_PAGE)
        _initiative(document, initiative)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
