"""PDF documents from HTML with WeasyPrint, rendered in parts on several processes and joined with pikepdf.

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
import os
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import Document

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF space is in points (72 per inch)
HELPER_TASKS = 50  # a helper process is replaced after this many parts, which bounds its memory
PARENT_CHECK_SECONDS = 1.0

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
    for _attempt in range(2):
        try:
            pool = _helpers(helpers)
            return Pending(parts, [pool.submit(render, html, images) for html, images in parts])
        except BrokenProcessPool:  # a helper died while idle (killed, out of memory): start afresh
            _discard_helpers()
    return Pending(parts, None)


def join(parts: Sequence[Part], footer: Part, *, title: str, language: str) -> bytes:
    """One PDF of the parts in order (with their bookmarks), `footer`'s pages laid over theirs page for
    page from the second page on, and each internal link pointing to the page of its target in any part.

    pikepdf (qpdf) does this in a fraction of a second; pypdf took over a second for 50 initiatives.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

    joined = Pdf.new()
    first_page: list[int] = []
    bookmarks: list[OutlineItem] = []
    for part in parts:
        offset = len(joined.pages)
        first_page.append(offset)
        source = Pdf.open(io.BytesIO(part.pdf))
        page_index = {page.obj.objgen: k for k, page in enumerate(source.pages)}
        with source.open_outline() as outline:
            bookmarks += [_moved(item, page_index, offset) for item in outline.root]
        joined.pages.extend(source.pages)
    with joined.open_outline() as outline:
        outline.root.extend(bookmarks)
    where = {name: first_page[k] + page for k, part in enumerate(parts) for name, page in part.anchors.items()}
    for k, part in enumerate(parts):
        for link in part.links:
            if link.target not in where:
                continue
            page = joined.pages[first_page[k] + link.page]
            target = joined.pages[where[link.target]].obj
            annotation = Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array(link.rect),
                Border=Array([0, 0, 0]),
                Dest=Array([target, Name.Fit]),
            )
            if Name.Annots not in page.obj:
                page.obj.Annots = joined.make_indirect(Array())
            page.obj.Annots.append(joined.make_indirect(annotation))
    overlay = Pdf.open(io.BytesIO(footer.pdf))
    for index in range(1, min(len(joined.pages), len(overlay.pages))):
        joined.pages[index].add_overlay(overlay.pages[index], None)  # None: the whole page, both A4
    joined.docinfo[Name.Title] = String(title)
    joined.Root.Lang = String(language)
    out = io.BytesIO()
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _moved(item: Any, page_index: dict[tuple[int, int], int], offset: int) -> Any:
    """A bookmark of a part as one of the joined document: same title, place and children, its page
    counted from the joined document's first page."""
    from pikepdf import OutlineItem

    destination = item.destination
    place: dict[str, Any] = {}
    page: int | None = None
    if destination is not None and len(destination) >= 4:
        page = offset + page_index[destination[0].objgen]
        place = {"page_location": "XYZ", "left": float(destination[2]), "top": float(destination[3])}
    moved = OutlineItem(item.title, page, **place)
    moved.children.extend(_moved(child, page_index, offset) for child in item.children)
    return moved


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _helpers(count: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=count,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=HELPER_TASKS,
                initializer=_follow_parent,
                initargs=(os.getpid(),),
            )
        return _pool


def _follow_parent(parent: int) -> None:
    """In a helper: exit when the app process is gone. A helper waits on a queue whose other end it holds
    itself, so it would not notice a parent killed without running its exit handlers (SIGKILL, OOM)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


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
