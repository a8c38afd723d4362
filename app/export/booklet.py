"""The booklet ("sammanställning"): HTML from `templates/export/booklet.html`, and PDF via WeasyPrint.

The HTML is a standalone, printable document (A4 page rules, page numbers and running heads in
page-margin boxes, a cover, a table of contents with page numbers, one section per initiative);
charts are inline SVG in the HTML file (screen readers get their title and description). The PDF
shows each chart as an <img> that WeasyPrint still draws as vectors with its SVG renderer, which is
much cheaper than laying out inline SVG as HTML (bench/results.md). Fonts: DejaVu Sans (Debian's
fonts-dejavu-core), named in the page-margin boxes too, since they do not inherit from the body.
"""

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from app.core.config import ROOT_DIR
from app.core.i18n import get_language
from app.export.summary import ProgramSummary
from app.web.templating import env

TEMPLATE = "export/booklet.html"
CHART_URL = "chart:{}"  # the <img> address of the booklet's n-th chart in the PDF

ChartMarkup = Callable[[str, str], Markup]  # (svg, accessible label) -> markup in the page


def _inline_chart(svg: str, _label: str) -> Markup:
    return Markup(svg)  # server-rendered SVG built by app.charts: trusted markup


def _render(summary: ProgramSummary, chart: ChartMarkup) -> str:
    return env.get_template(TEMPLATE).render(
        s=summary, lang=get_language(), generated=summary.generated_at.date(), chart=chart
    )


def render_html(summary: ProgramSummary) -> str:
    return _render(summary, _inline_chart)


def render_pdf_html(summary: ProgramSummary) -> tuple[str, dict[str, str]]:
    """The HTML WeasyPrint lays out, and the SVG of each chart by the address its <img> uses.

    The charts are handed over by address rather than as data: URIs, which would add 1.5 MB of
    base64 for 50 charts that WeasyPrint's HTML parser reads character by character.
    """
    charts: dict[str, str] = {}

    def chart_image(svg: str, label: str) -> Markup:
        url = CHART_URL.format(len(charts))
        charts[url] = svg
        return Markup('<img alt="{}" src="{}">').format(label, url)

    return _render(summary, chart_image), charts


def render_pdf(summary: ProgramSummary) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango and fonts (about a second)

    html, charts = render_pdf_html(summary)
    document = HTML(string=html, base_url=str(ROOT_DIR), url_fetcher=_chart_fetcher(charts))
    pdf: bytes = document.write_pdf()
    return pdf


def _chart_fetcher(charts: dict[str, str]) -> Any:
    """A WeasyPrint URL fetcher that serves the booklet's charts and refuses every other address:
    the booklet has no other resources, and a PDF export must never reach files or the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            svg = charts.get(url)
            if svg is None:
                raise ValueError(f"the booklet loads nothing but its charts: {url}")
            return URLFetcherResponse(url, svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})

    return ChartFetcher()
