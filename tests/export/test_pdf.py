"""The PDF booklet rendered in parts on several processes and joined (app.export.pdf)."""

import io
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.core.i18n import language
from app.export import booklet, pdf
from app.export.summary import ProgramSummary, build_summary
from tests.export.conftest import AS_OF, Programme

COPIES = 3  # of each of the programme's two initiatives: six sections, in two parts of three


@pytest.fixture
def summary(db: Session, programme: Programme, coordinator) -> ProgramSummary:
    base = build_summary(db, Principal.of(coordinator), program_id=programme.program.id, as_of=AS_OF)
    initiatives = [
        replace(initiative, id=100 * copy + initiative.id, title=f"{initiative.title} {copy}")
        for copy in range(1, COPIES + 1)
        for initiative in base.initiatives
    ]
    return replace(base, initiatives=initiatives)


def _pages(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")[: len(pikepdf.open(io.BytesIO(content)).pages)]


def test_a_booklet_in_parts_reads_as_one_document(
    summary: ProgramSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(booklet, "MIN_PER_PART", 2)
    monkeypatch.setattr(booklet, "FRONT_SHARE", 0)
    assert [len(run) for run in booklet.split(summary.initiatives, 2)] == [3, 3]
    with language("sv"):
        content = booklet.render_pdf(summary, processes=2)
        alone = booklet.render_pdf(summary, processes=1)
    pages = _pages(content, tmp_path)
    assert pages == _pages(alone, tmp_path)  # the same document, whichever process rendered which part

    # Every page but the cover carries the booklet's title and its own number, counted across parts.
    assert not re.search(rf"{re.escape(summary.title)}\s+1\s*$", pages[0])
    for number, text in enumerate(pages[1:], start=2):
        footer = text.strip().splitlines()[-1].split()
        assert footer[-1] == str(number)
        assert " ".join(footer[:-1]) == summary.title

    # The contents give each initiative's first page, and link to it.
    contents = " ".join(pages[1:3])
    listed = {title: int(page) for title, page in re.findall(r"(\S[^.\n]*? \d) ?(?:\. ?){3,}\s*(\d+)", contents)}
    titles = [i.title for i in summary.initiatives]
    assert sorted(listed) == sorted(titles)
    for title, page in listed.items():
        assert title in pages[page - 1], (title, page)
    document = pikepdf.open(io.BytesIO(content))
    page_numbers = {page.obj.objgen: k for k, page in enumerate(document.pages)}
    targets = sorted(
        page_numbers[annotation.Dest[0].objgen] for page in document.pages for annotation in page.obj.get("/Annots", [])
    )
    assert targets == sorted(page - 1 for page in listed.values())  # one link per entry
    assert str(document.docinfo["/Title"]) == summary.title
    assert str(document.Root.Lang) == "sv"
    with document.open_outline() as outline:
        bookmarks = {title: page_numbers[objgen] for title, objgen in _bookmarks(outline.root)}
    assert {title: bookmarks[title] for title in titles} == {title: listed[title] - 1 for title in titles}


def _bookmarks(items: list[pikepdf.OutlineItem]) -> list[tuple[str, tuple[int, int]]]:
    """(title, page object) of every bookmark, depth first."""
    found = []
    for item in items:
        found.append((item.title, item.destination[0].objgen))
        found += _bookmarks(item.children)
    return found


def test_split_gives_each_process_a_run_and_the_first_a_shorter_one() -> None:
    initiatives = list(range(50))
    runs = booklet.split(initiatives, 2)  # type: ignore[arg-type]
    assert [i for run in runs for i in run] == initiatives
    assert len(runs) == 2
    assert len(runs[1]) - len(runs[0]) in range(booklet.FRONT_SHARE - 1, booklet.FRONT_SHARE + 2)
    assert booklet.split(initiatives[: 2 * booklet.MIN_PER_PART - 1], 2) == [initiatives[:15]]  # type: ignore[arg-type]
    assert [len(r) for r in booklet.split(initiatives[:16], 4)] == [5, 11]  # type: ignore[arg-type]
    assert all(booklet.split(initiatives[:n], 8) for n in range(len(initiatives)))  # type: ignore[arg-type]
    assert all(run for n in range(1, 50) for run in booklet.split(initiatives[:n], 8))  # type: ignore[arg-type]


def test_a_part_whose_helper_died_is_rendered_here() -> None:
    died: Future[pdf.Part] = Future()
    died.set_exception(BrokenProcessPool("killed"))
    parts = [("<p>Hej</p>", {})]
    rendered = pdf.Pending(parts, [died]).collect()
    assert rendered[0].pages == 1
    assert rendered[0].pdf.startswith(b"%PDF")


def test_documents_load_nothing_but_their_own_images(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>hemligt</text></svg>')
    html = f'<img src="chart:0"><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.svg">'
    image = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>synligt</text></svg>'
    text = " ".join(_pages(pdf.render(html, {"chart:0": image}).pdf, tmp_path))
    assert "synligt" in text
    assert "hemligt" not in text  # the file (and the network address) were refused


HELPER_SCRIPT = """
import os, sys, time
from app.export import pdf

if __name__ == "__main__":
    print(pdf._helpers(1).submit(os.getpid).result(), flush=True)
    time.sleep(120)
"""


def test_helpers_exit_when_the_app_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "app_process.py"
    script.write_text(HELPER_SCRIPT)
    app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd())
    try:
        assert app.stdout is not None
        helper = int(app.stdout.readline())
        assert _alive(helper)
    finally:
        app.kill()  # no exit handlers run: as when the kernel kills a worker that ran out of memory
        app.wait()
    deadline = time.monotonic() + 10 * pdf.PARENT_CHECK_SECONDS
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(helper)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init has exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_exports_go_on_after_an_idle_helper_was_killed() -> None:
    helper = pdf.submit([("<p>Ett</p>", {})], helpers=1)
    assert helper.collect()[0].pages == 1
    pid = pdf._helpers(1).submit(os.getpid).result()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    rendered = pdf.submit([("<p>Två</p>", {}), ("<p>Tre</p>", {})], helpers=1).collect()
    assert [part.pages for part in rendered] == [1, 1]
