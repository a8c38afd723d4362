"""The measure library in a real browser: a team adopts a standard measure, another moves to the newest
definition, and a coordinator compares the organisations in a funnel plot."""

import re
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from seed.demo import demo_logins

CARE_PLAN = "Andel brukare med aktuell genomförandeplan"
SATISFACTION = "Andel brukare som är nöjda med bemötandet"
# The second demo team member (Uppsala) uses a library measure still on version 1 of its definition.
UPPSALA_MEMBER = [email for role, email in demo_logins() if role == "member"][1]


def _open_my_initiative(page: Page) -> str:
    page.locator("#mine-heading ~ ul .initiative-card h3 a").first.click()
    page.wait_for_url(re.compile(r"/initiatives/\d+$"))
    return urlparse(page.url).path


def _delete_measure(page: Page, path: str) -> None:
    """Remove the adopted measure again, through the app's own form endpoint, so other tests see the demo."""
    page.evaluate(
        """async (path) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            await fetch(path + '/delete', {method: 'POST', body: new URLSearchParams({csrf_token: token})});
        }""",
        path,
    )


def test_member_adopts_a_standard_measure(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    initiative = _open_my_initiative(page)
    page.goto(f"{initiative}/library")
    row = page.locator(".adopt-row", has_text=CARE_PLAN)
    expect(row).to_be_visible()
    row.locator("button[type=submit]").click()

    adopted = page.locator(".adoption-list li", has_text=CARE_PLAN)
    expect(adopted).to_be_visible()
    expect(adopted.locator(".badge.version-ok")).to_be_visible()
    expect(page.locator(".adopt-row", has_text=CARE_PLAN)).to_have_count(0)

    # The new measure carries the library's operational definition.
    measure = adopted.locator("a").first.get_attribute("href")
    page.goto(f"{measure}/edit")
    expect(page.locator("#definition")).to_contain_text("Täljare: antal brukare med verkställd insats")
    _delete_measure(page, measure or "")
    page.goto(f"{initiative}/library")
    expect(page.locator(".adopt-row", has_text=CARE_PLAN)).to_be_visible()


def test_team_on_an_old_definition_moves_to_the_new_version(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, email=UPPSALA_MEMBER)
    initiative = _open_my_initiative(page)
    page.goto(f"{initiative}/library")
    item = page.locator(".adoption-list li").first
    expect(item.locator(".badge.version-old")).to_be_visible()
    item.locator("form[action$='/library/upgrade'] button").click()
    expect(page.locator(".adoption-list li").first.locator(".badge.version-ok")).to_be_visible()
    expect(page.locator(".adoption-list .badge.version-old")).to_have_count(0)


def test_coordinator_compares_organisations(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "coordinator")
    page.goto("/programs")
    page.locator("main a[href^='/programs/']").first.click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    program = urlparse(page.url).path
    page.goto(f"{program}/library")
    item = page.locator(".library-item", has_text=SATISFACTION)
    expect(item).to_be_visible()
    item.locator("a[href$='/compare']").click()
    page.wait_for_url(re.compile(r"/compare$"))
    funnel = page.locator("figure.funnel-figure svg")
    expect(funnel).to_be_visible()
    expect(funnel.locator("title").first).to_have_text(SATISFACTION)
    assert page.locator(".funnel-table tbody tr").count() >= 5
    assert page.locator(".small-multiples > li svg.framsteg-chart").count() >= 5
    # A longer window is one click away and keeps the page whole.
    page.locator("nav.segmented a").last.click()
    page.wait_for_url(re.compile(r"periods=12$"))
    expect(page.locator("figure.funnel-figure svg")).to_be_visible()
