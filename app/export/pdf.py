"""PDF documents from HTML with WeasyPrint, rendered in parts on several processes and joined with pypdf.

WeasyPrint works on one core, and the booklet of 50 initiatives costs it about ten seconds. Each
initiative starts on a new page, so runs of initiatives can be laid out independently: the first
part here, the others in helper processes (spawned, so they share no state with the web process;
they keep WeasyPrint and its fonts loaded between exports). What crosses the parts' boundaries is
added when they are joined: the footer with the page number (laid over every page but the cover),
and the links of the table of contents, whose page numbers the caller writes into the front matter
once the parts' page counts are known.

Helpers are spawned, so multiprocessing imports the main module again in each: a script that exports
PDFs must keep its work under `if __name__ == "__main__":` (`framsteg`, uvicorn and pytest do). If a
helper cannot start or dies, its part is rendered in the calling process.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import Document

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF space is in points (72 per inch)
HELPER_TASKS = 50  # a helper process is replaced after this many parts, which bounds its memory

log = logging.getLogger(__name__)


def _drop_missing_anchor(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("No anchor #")


# A part's links to elements of other parts are resolved by `join`: WeasyPrint's warning that it
# cannot find them is noise.
logging.getLogger("weasyprint").addFilter(_drop_missing_anchor)


@dataclass(frozen=True, slots=True)
class Link:
    """An internal link of a part: the area on one of its pages and the id of the element it points to."""

    page: int  # index within the part
    rect: tuple[float, float, float, float]  # PDF points: left, bottom, right, top
    target: str


@dataclass(frozen=True, slots=True)
class Part:
    """One rendered part: the PDF, and where its elements with an id and its internal links are."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]  # element id -> page index within the part
    links: tuple[Link, ...]


def layout(html: str, images: Mapping[str, str]) -> Document:
    """Lay out `html`, whose <img> addresses are keys of `images` (SVG markup)."""
    from weasyprint import HTML  # imported here: it loads Pango and fonts (about a second)

    return HTML(string=html, url_fetcher=_image_fetcher(images)).render()


def part_of(document: Document) -> Part:
    anchors: dict[str, int] = {}
    links: list[Link] = []
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
        height = page.height * PX_TO_PT
        linked: set[str] = set()
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            # A link comes once per box inside the <a>, outermost first: its area covers the rest.
            if kind == "internal" and target not in linked:
                linked.add(target)
                rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
                links.append(Link(index, rect, target))
    pdf: bytes = document.write_pdf()
    return Part(pdf, len(document.pages), anchors, tuple(links))


def render(html: str, images: Mapping[str, str]) -> Part:
    """Lay out and write one part (run in helper processes, hence a plain module-level function)."""
    return part_of(layout(html, images))


@dataclass
class Pending:
    """Parts handed to helper processes by `submit` (no futures: to be rendered here, in `collect`)."""

    parts: Sequence[tuple[str, Mapping[str, str]]]
    futures: list[Future[Part]] | None

    def collect(self) -> list[Part]:
        """The rendered parts, in order; a part whose helper died is rendered here instead."""
        if self.futures is None:
            return [render(html, images) for html, images in self.parts]
        rendered = []
        for (html, images), future in zip(self.parts, self.futures, strict=True):
            try:
                rendered.append(future.result())
            except BrokenProcessPool:
                log.warning("a PDF helper process stopped; rendering its part in the app process")
                _discard_helpers()
                rendered.append(render(html, images))
        return rendered


def submit(parts: Sequence[tuple[str, Mapping[str, str]]], helpers: int) -> Pending:
    """Start rendering the parts on at most `helpers` helper processes (none: later, in `collect`)."""
    if helpers < 1 or not parts:
        return Pending(parts, None)
    pool = _helpers(helpers)
    return Pending(parts, [pool.submit(render, html, images) for html, images in parts])


def join(parts: Sequence[Part], footer: Part, *, title: str, language: str) -> bytes:
    """One PDF of the parts in order, with `footer`'s pages laid over theirs (page for page, from
    the second page on) and each internal link pointing to the page of its target in any part."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link as LinkAnnotation
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    first_page: list[int] = []
    for part in parts:
        first_page.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(part.pdf)))
    where = {name: first_page[k] + page for k, part in enumerate(parts) for name, page in part.anchors.items()}
    for k, part in enumerate(parts):
        for link in part.links:
            if link.target in where:
                annotation = LinkAnnotation(rect=link.rect, target_page_index=where[link.target])
                writer.add_annotation(first_page[k] + link.page, annotation)
    overlay = PdfReader(io.BytesIO(footer.pdf))
    for index in range(1, min(len(writer.pages), len(overlay.pages))):
        page = writer.pages[index]
        page.merge_page(overlay.pages[index])
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    writer.add_metadata({"/Title": title})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _helpers(count: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=count, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=HELPER_TASKS
            )
        return _pool


def _discard_helpers() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _image_fetcher(images: Mapping[str, str]) -> Any:
    """A WeasyPrint URL fetcher that serves `images` and refuses every other address: these documents
    have no other resources, and an export must never reach files or the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ImageFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            svg = images.get(url)
            if svg is None:
                raise ValueError(f"not an image of this document: {url}")
            return URLFetcherResponse(url, svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})

    return ImageFetcher()
