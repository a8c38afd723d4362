"""The main pages fit a phone, a tablet and a desktop without sideways scrolling; screenshots for people to look at.

Screenshots go to test-artifacts/screens/<page>-<width>.png (git-ignored). Print media hides the chrome.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from seed.demo import DEMO_PASSWORD
from tests.e2e.conftest import ARTIFACTS, DEMO_EMAILS

WIDTHS = (375, 768, 1280)
SCREENS = ARTIFACTS / "screens"


def _signed_in(browser, live_server: str, role: str) -> tuple[BrowserContext, Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=email]").fill(DEMO_EMAILS[role])
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def _first_link(page: Page, pattern: str) -> str:
    """The first link on the page whose path matches the pattern (fills ids from the demo data)."""
    hrefs: list[str] = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    for href in hrefs:
        path = href.split("?")[0].split("#")[0]
        if re.fullmatch(pattern, path):
            return path
    raise AssertionError(f"no link matching {pattern} on {page.url}")


@pytest.fixture(scope="module")
def main_pages(browser, live_server: str) -> Iterator[list[tuple[str, Page, str]]]:  # type: ignore[no-untyped-def]
    """(name, signed-in page, path) for the main pages, each as the role that mostly uses it."""
    contexts = []
    pages: list[tuple[str, Page, str]] = []
    member_ctx, member = _signed_in(browser, live_server, "member")
    leader_ctx, leader = _signed_in(browser, live_server, "leader")
    coordinator_ctx, coordinator = _signed_in(browser, live_server, "coordinator")
    contexts += [member_ctx, leader_ctx, coordinator_ctx]
    member.goto("/")
    initiative = _first_link(member, r"/initiatives/\d+")
    member.goto(initiative)
    measure = _first_link(member, r"/measures/\d+")
    coordinator.goto("/programs")
    program = _first_link(coordinator, r"/programs/\d+")
    pages = [
        ("home", member, "/"),
        ("initiative", member, initiative),
        ("log", member, "/log"),
        ("dashboard", leader, "/dashboard"),
        ("programme", coordinator, program),
        ("measure", member, measure),
        ("pdsa-board", member, f"{initiative}/pdsa"),
    ]
    yield pages
    for context in contexts:
        context.close()


def test_main_pages_fit_every_width(main_pages: list[tuple[str, Page, str]]) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    overflowing = []
    for width in WIDTHS:
        for name, page, path in main_pages:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(path)
            assert response is not None
            assert response.status == 200, f"{path}: HTTP {response.status}"
            page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner + 1:
                wide = page.evaluate(
                    """(w) => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > w + 1)
                        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                    inner,
                )
                overflowing.append(f"{name} ({path}) at {width}px: scrollWidth {scroll} > {inner}; e.g. {wide}")
    assert not overflowing, "pages scroll sideways:\n" + "\n".join(overflowing)


def test_print_hides_navigation_and_buttons(main_pages: list[tuple[str, Page, str]]) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, page, path in main_pages:
        if name not in ("initiative", "dashboard"):
            continue
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        page.emulate_media(media="print")
        try:
            for selector in (".site-header", ".main-nav", ".site-footer", ".skip-link"):
                expect(page.locator(selector)).to_be_hidden()
            visible_buttons = page.locator("main button:visible, main .button:visible")
            expect(visible_buttons).to_have_count(0)
            expect(page.locator("main h1")).to_be_visible()
            page.pdf(path=str(SCREENS / f"{name}-print.pdf"), format="A4", print_background=True)
        finally:
            page.emulate_media(media="screen")
