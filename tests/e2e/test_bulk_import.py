"""Bulk entry: a pasted table with one bad row is refused as a whole, with the reason on that row."""

from playwright.sync_api import Page, expect


def test_csv_with_a_bad_row_is_rejected_whole(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    page.goto("/log")
    row = page.locator(".log-item", has=page.locator("input[name=value]")).first
    measure_id = (row.get_attribute("id") or "").removeprefix("log-")

    page.goto(f"/measures/{measure_id}/import")
    # Semicolons and decimal commas, as Swedish Excel writes them; weeks long before the demo data.
    page.locator("#text").fill("period;värde;kommentar\n2019-W01;5;\n2019-W02;sex;\n2019-W03;7;Ny rutin\n")
    page.locator("form.import-form button[type=submit]").click()

    expect(page.get_by_role("alert")).to_be_visible()
    bad = page.locator(".import-preview tr.preview-error")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("sex")
    expect(page.locator(".import-preview tr.preview-new")).to_have_count(2)
    # No "Save all" while any row is bad.
    expect(page.locator("form.save-all")).to_have_count(0)

    # Nothing was saved: the measure has no value for those weeks.
    page.goto(f"/measures/{measure_id}")
    expect(page.locator(".values-card")).to_be_visible()
    expect(page.locator(".values-card tbody th", has_text="2019")).to_have_count(0)
