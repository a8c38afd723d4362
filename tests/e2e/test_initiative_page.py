"""A team member opens their initiative, sees the measures with charts, and writes down a lesson."""

import uuid

from playwright.sync_api import Page, expect


def test_member_sees_measures_and_adds_a_lesson(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    page.locator("#mine-heading ~ ul .initiative-card h3 a").first.click()
    expect(page.locator("h1")).to_be_visible()
    cards = page.locator(".measure-grid .measure-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 2
    expect(cards.first.locator("svg").first).to_be_visible()
    # Outcome measures come first.
    expect(page.locator(".measure-kind-heading").first).to_be_visible()

    text = f"Visa diagrammen på arbetsplatsträffen ({uuid.uuid4().hex[:6]})."
    page.locator("#new-lesson-text").fill(text)
    page.locator("#new-lesson-tags").fill("återkoppling, diagram")
    page.locator("#lessons form.lesson-form button[type=submit]").click()
    lesson = page.locator("#lessons .lesson-item", has_text=text)
    expect(lesson).to_be_visible()
    expect(lesson.locator(".tag")).to_have_count(2)
    # The lesson was saved, not only swapped in: it is still there after a reload.
    page.reload()
    expect(page.locator("#lessons .lesson-item", has_text=text)).to_be_visible()


def test_viewer_sees_no_editing(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "viewer")
    page.locator(".initiative-card h3 a").first.click()
    expect(page.locator(".measure-grid .measure-card").first).to_be_visible()
    expect(page.locator("#new-lesson-text")).to_have_count(0)
    expect(page.locator(".initiative-head a[href$='/edit']")).to_have_count(0)
