"""A leader opens the management team dashboard, filters by RAG, records a review and finds it in the history."""

import re
import uuid

from playwright.sync_api import Page, expect


def test_leader_filters_reviews_and_sees_history(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "leader")
    page.goto("/dashboard")
    rows = page.locator("#dashboard-table tbody tr")
    expect(rows.first).to_be_visible()
    total = rows.count()
    assert total >= 1
    expect(rows.first.locator(".sparkline svg")).to_have_count(1)

    # Filtering swaps only the table (HTMX) and puts the filter in the address, so it is linkable.
    page.locator("#filter-rag").select_option("red")
    expect(page).to_have_url(re.compile(r"rag=red"))
    expect(page.locator("#dashboard-table tbody tr .rag-red").first.or_(page.locator("#dashboard-table .empty")))
    red_before = page.locator("#dashboard-table tbody tr").count()

    # Record a review that sets the first green initiative to red.
    page.locator("#filter-rag").select_option("")
    expect(page).not_to_have_url(re.compile(r"rag=red"))
    row = page.locator("#dashboard-table tbody tr").first
    title = row.locator(".initiative-link").inner_text()
    row.locator("a[href*='/reviews/new']").click()
    expect(page.locator("#review-form")).to_be_visible()
    assessment = f"Inga nya mätvärden sedan förra mötet ({uuid.uuid4().hex[:6]})."
    page.locator("#review-form input[name=rag][value=red]").check()
    page.locator("#assessment").fill(assessment)
    page.locator("#decision").fill("Enhetschefen tar upp bemanningen med teamet.")
    page.locator("#review-form button[type=submit]").click()

    # Back on the dashboard (the form returns where it came from): the initiative is now red.
    expect(page).to_have_url(re.compile(r"/dashboard"))
    page.locator("#filter-rag").select_option("red")
    expect(page.locator("#dashboard-table tbody tr", has_text=title)).to_be_visible()
    assert page.locator("#dashboard-table tbody tr").count() == red_before + 1

    # One click to the initiative, where the review is in the history.
    page.locator("#dashboard-table .initiative-link", has_text=title).click()
    history = page.locator("#review-history")
    expect(history.locator(".review-item", has_text=assessment)).to_be_visible()
    expect(history.locator(".review-item").first.locator(".rag-red")).to_be_visible()


def test_dashboard_is_usable_on_a_phone(new_page, login) -> None:  # type: ignore[no-untyped-def]
    page = new_page(width=375, height=800)
    login(page, "leader")
    page.goto("/dashboard")
    expect(page.locator("#dashboard-table tbody tr").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways ({width}px)"
