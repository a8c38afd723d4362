"""Browser tests: a real uvicorn server with the demo data, driven by Playwright in Debian's Chromium.

Under CI=true a missing browser is an error, not a skip.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from seed.demo import DEMO_PASSWORD, demo_logins
from tests.support.databases import new_database_url

CHROMIUM = os.environ.get("FRAMSTEG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Base URL of a freshly migrated and seeded server process."""
    url = new_database_url("e2e")
    env = {
        **os.environ,
        "FRAMSTEG_DATABASE_URL": url,
        "FRAMSTEG_ENVIRONMENT": "test",
        "FRAMSTEG_SECRET_KEY": "e2e-secret-key-long-enough-for-the-checks-0123",
    }
    cli = [sys.executable, "-m", "app.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*cli, "seed", "demo"], env=env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "e2e-server.log").open("w")
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("the server did not start; see test-artifacts/e2e-server.log")
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required under CI but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server: str) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Factory for pages in separate browser contexts (separate sessions), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, locale: str = "sv-SE"):  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height}, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    page = new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


DEMO_EMAILS = {}
for _role, _email in demo_logins():
    DEMO_EMAILS.setdefault(_role, _email)


@pytest.fixture
def login() -> Callable[..., None]:
    """login(page, "member") signs in as the demo account of that role."""

    def do_login(page, role: str = "member", email: str | None = None) -> None:  # type: ignore[no-untyped-def]
        page.goto("/login")
        page.get_by_label("E-post").or_(page.get_by_label("Email")).fill(email or DEMO_EMAILS[role])
        page.get_by_label("Lösenord").or_(page.get_by_label("Password")).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").or_(page.get_by_role("button", name="Log in")).click()
        page.wait_for_url(lambda url: "/login" not in url)

    return do_login
