"""Logging in and out in a real browser, and the message for a wrong password."""

from playwright.sync_api import Page, expect

from seed.demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_EMAILS


def _fill(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()


def test_login_and_logout(page: Page) -> None:
    page.goto("/")
    page.wait_for_url(lambda url: "/login?next=" in url)
    _fill(page, DEMO_EMAILS["member"], DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator(".user-name")).to_be_visible()
    page.locator("form[action='/logout'] button").click()
    page.wait_for_url(lambda url: "/login" in url)
    page.goto("/")
    page.wait_for_url(lambda url: "/login" in url)


def test_wrong_password_is_explained_and_the_email_kept(page: Page) -> None:
    _fill(page, DEMO_EMAILS["viewer"], "not-the-password")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(page.locator("#email")).to_have_value(DEMO_EMAILS["viewer"])
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password")).to_have_value("")
    assert "/login" in page.url


def test_login_returns_to_the_page_asked_for(page: Page) -> None:
    page.goto("/account")
    page.wait_for_url(lambda url: "/login?next=" in url)
    page.locator("#email").fill(DEMO_EMAILS["viewer"])
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith("/account"))
