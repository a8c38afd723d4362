"""The booklet ("sammanställning"): HTML from `templates/export/booklet.html`, and PDF via WeasyPrint.

The HTML is a standalone, printable document (A4 page rules, page numbers and running heads in
page-margin boxes, a cover, a table of contents with page numbers, one section per initiative);
charts are inline SVG, which WeasyPrint draws as vectors. Fonts: DejaVu Sans (Debian's
fonts-dejavu-core), named in the page-margin boxes too, since they do not inherit from the body.
"""

from app.core.config import ROOT_DIR
from app.core.i18n import get_language
from app.export.summary import ProgramSummary
from app.web.templating import env

TEMPLATE = "export/booklet.html"


def render_html(summary: ProgramSummary) -> str:
    return env.get_template(TEMPLATE).render(s=summary, lang=get_language(), generated=summary.generated_at.date())


def render_pdf(summary: ProgramSummary) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango and fonts (about a second)

    document = HTML(string=render_html(summary), base_url=str(ROOT_DIR))
    pdf: bytes = document.write_pdf()
    return pdf
