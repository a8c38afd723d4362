"""A coordinator downloads the programme booklet as PDF and the workbook as XLSX."""

import subprocess
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

EXPORT_TIMEOUT = 180_000  # ms: a 35-page PDF on a busy CI machine


def _open_export_page(page: Page, login) -> str:  # type: ignore[no-untyped-def]
    login(page, "coordinator")
    page.goto("/programs")
    page.locator(".program-cards h2 a").first.click()
    program_name = page.locator("h1").inner_text()
    page.locator(".head-actions a[href$='/export']").click()
    expect(page.locator(".export-list")).to_be_visible()
    return program_name


def test_coordinator_downloads_pdf_booklet(page: Page, login, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    program_name = _open_export_page(page, login)
    form = page.locator("form:has(input[name=format][value=pdf])")
    with page.expect_download(timeout=EXPORT_TIMEOUT) as info:
        form.locator("button").click()
        # While the PDF is made the page says so (hx-indicator).
        expect(form.locator(".export-busy")).to_be_visible()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "booklet.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert program_name in text
    assert "Falkenberg" in text


def test_coordinator_downloads_xlsx(page: Page, login, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _open_export_page(page, login)
    with page.expect_download(timeout=EXPORT_TIMEOUT) as info:
        page.locator("form:has(input[name=format][value=xlsx]) button").click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames == ["Förbättringsarbeten", "Mått", "Mätvärden"]
    assert book["Förbättringsarbeten"].max_row > 10
    assert book["Mätvärden"].max_row > 100
