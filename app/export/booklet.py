"""The booklet ("sammanställning"): HTML from `templates/export/booklet.html`, and PDF via WeasyPrint.

The HTML is a standalone, printable document (A4 page rules, page numbers and running heads in
page-margin boxes, a cover, a table of contents with page numbers, one section per initiative);
charts are inline SVG in the HTML file (screen readers get their title and description). Fonts:
DejaVu Sans (Debian's fonts-dejavu-core), named in the page-margin boxes too, since they do not
inherit from the body.

The PDF is the same document rendered in parts (app.export.pdf): the initiatives in runs, on up to
`FRAMSTEG_PDF_PROCESSES` processes, then the cover and contents, whose page numbers are known by
then. Each chart is an <img> of its SVG, which WeasyPrint draws as vectors far more cheaply than it
lays out inline SVG as HTML (bench/results.md).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from markupsafe import Markup

from app.core.config import get_settings
from app.core.i18n import get_language
from app.export import pdf
from app.export.summary import InitiativeSummary, ProgramSummary
from app.web.templating import env

TEMPLATE = "export/booklet.html"
FOOTER_TEMPLATE = "export/booklet_footer.html"
CHART_URL = "chart:{}"  # the <img> address of a part's n-th chart in the PDF
MIN_PER_PART = 8  # fewer initiatives than this per process are not worth a second process
FRONT_SHARE = 5  # laying out the cover and contents takes about as long as this many initiatives
MAX_FRONT_ATTEMPTS = 3
ANCHOR_PREFIX = "initiative-"  # the id of each initiative's section


def _inline_chart(svg: str, _label: str) -> Markup:
    return Markup(svg)  # server-rendered SVG built by app.charts: trusted markup


def _render(
    summary: ProgramSummary,
    chart: Callable[[str, str], Markup],
    part: str | None = None,
    toc_pages: Mapping[int, int | str] | None = None,
) -> str:
    return env.get_template(TEMPLATE).render(
        s=summary,
        lang=get_language(),
        generated=summary.generated_at.date(),
        chart=chart,
        part=part,
        toc_pages=toc_pages,
    )


def render_html(summary: ProgramSummary) -> str:
    return _render(summary, _inline_chart)


def render_part_html(
    summary: ProgramSummary, part: str, toc_pages: Mapping[int, int | str] | None = None
) -> tuple[str, dict[str, str]]:
    """The HTML of one PDF part ("front" or "body"), and the SVG of each chart by its <img> address.

    Charts are handed over by address rather than as data: URIs, which would add 1.5 MB of base64 for
    50 charts that WeasyPrint's HTML parser reads character by character.
    """
    charts: dict[str, str] = {}

    def chart_image(svg: str, label: str) -> Markup:
        url = CHART_URL.format(len(charts))
        charts[url] = svg
        return Markup('<img alt="{}" src="{}">').format(label, url)

    return _render(summary, chart_image, part, toc_pages), charts


def split(initiatives: Sequence[InitiativeSummary], processes: int) -> list[list[InitiativeSummary]]:
    """Consecutive runs of initiatives, one per process worth starting (at least one run). The first
    run, rendered by the app process, is shorter by FRONT_SHARE: that process lays out the front too."""
    total = len(initiatives)
    count = max(1, min(processes, total // MIN_PER_PART))
    share = (total + FRONT_SHARE) / count
    # Every run holds at least one initiative: an empty one would still print a blank page.
    ends = [min(max(round(share * (k + 1)) - FRONT_SHARE, k + 1), total - count + k + 1) for k in range(count - 1)]
    ends.append(total)
    starts = [0, *ends[:-1]]
    return [list(initiatives[start:end]) for start, end in zip(starts, ends, strict=True)]


def render_pdf(summary: ProgramSummary, *, processes: int | None = None) -> bytes:
    processes = processes or get_settings().pdf_processes
    runs = split(summary.initiatives, processes)
    parts = [render_part_html(replace(summary, initiatives=run), "body") for run in runs]
    pending = pdf.submit(parts[1:], helpers=processes - 1)
    # Meanwhile: how many pages the front takes (its page numbers are not known yet), and the first run;
    # then the footer (on a helper) beside the front with its page numbers.
    front_pages = len(pdf.layout(*_front_html(summary, {})).pages)
    bodies = [pdf.render(*parts[0]), *pending.collect()]
    body_pages = sum(b.pages for b in bodies)
    footer = pdf.submit([_footer_html(summary, front_pages + body_pages)], helpers=processes - 1)
    front = _front(summary, bodies, front_pages)
    if front.pages != front_pages:
        footer = pdf.submit([_footer_html(summary, front.pages + body_pages)], helpers=0)
    return pdf.join([front, *bodies], footer.collect()[0], title=summary.title, language=get_language())


def _footer_html(summary: ProgramSummary, pages: int) -> tuple[str, dict[str, str]]:
    return env.get_template(FOOTER_TEMPLATE).render(title=summary.title, pages=pages), {}


def _front_html(summary: ProgramSummary, toc_pages: dict[int, int]) -> tuple[str, dict[str, str]]:
    # Until the page numbers are known, "000" holds their place (three digits: a booklet of 999 pages).
    numbers = {i.id: toc_pages.get(i.id, "000") for i in summary.initiatives}
    return render_part_html(summary, "front", numbers)


def _front(summary: ProgramSummary, bodies: Sequence[pdf.Part], front_pages: int) -> pdf.Part:
    """Cover and contents with each initiative's page number. `front_pages` comes from a layout with
    placeholder numbers; the real ones hardly ever change it (the leaders absorb them), but if they
    do, the front is laid out again with the new count."""
    first_pages: dict[int, int] = {}
    offset = 0
    for body in bodies:
        for name, page in body.anchors.items():
            if name.startswith(ANCHOR_PREFIX):
                first_pages[int(name.removeprefix(ANCHOR_PREFIX))] = offset + page + 1
        offset += body.pages
    for _attempt in range(MAX_FRONT_ATTEMPTS):
        toc_pages = {initiative: front_pages + page for initiative, page in first_pages.items()}
        document = pdf.layout(*_front_html(summary, toc_pages))
        if len(document.pages) == front_pages:
            break
        front_pages = len(document.pages)
    return pdf.part_of(document)
