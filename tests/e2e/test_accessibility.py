"""WCAG 2.1 AA checks with axe-core on every HTML page, for every role that can reach it, in Swedish and English.

The pages are found from the app's own route table, so a new page cannot be missed: each HTML GET route must be
reached as some role, or be listed in EXCLUDED with a reason. Path parameters are filled with real ids from the
demo data by following the links a user would follow (the first initiative on the home page, its first measure,
its first PDSA cycle, ...); a route no link leads to is tried with ids seen on the way. Every role checks its pages
in Swedish; each page is also checked in English once (by the first role that sees it, admin first), after
switching with the header's language button. One browser context per role is shared by all its pages.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.main import create_app
from seed.demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_EMAILS

AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""
ROLES = ("admin", "coordinator", "leader", "member", "viewer")
LANGUAGES = ("sv", "en")

# HTML GET routes that are not visited as pages, and why.
EXCLUDED: dict[str, str] = {
    "/exports/{token}": "file download (PDF/DOCX/XLSX/CSV/JSON)",
    "/programs/{program_id}/export/prepare": "prepares a file and redirects to its download",
    "/organisations/{organisation_id}/export/prepare": "prepares a file and redirects to its download",
    "/log/{measure_id}/row": "HTMX fragment of /log ('Keep theirs'); checked inside /log",
    "/measures/{measure_id}/library": "HTMX fragment (library version notice) shown inside the measure page",
    "/initiatives/{initiative_id}/lessons": "HTMX fragment; without HTMX it redirects to the initiative page",
}


def _leaf_routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _leaf_routes(list(inner.routes))
        elif hasattr(route, "path"):
            yield route


def html_get_routes() -> list[str]:
    """Paths of the GET routes that are not API, static files or the OpenAPI document."""
    paths = []
    for route in _leaf_routes(list(create_app().routes)):
        methods = getattr(route, "methods", None) or set()
        if "GET" not in methods or route.path.startswith(("/api/", "/static")):
            continue
        paths.append(route.path)
    return sorted(set(paths))


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(
        "^" + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
    )


ROUTES = html_get_routes()
PATTERNS = [(path, _pattern(path)) for path in ROUTES]


def route_of(url_path: str) -> str | None:
    """The route template of a concrete path; static paths win over parametrised ones (/initiatives/new)."""
    matches = [path for path, pattern in PATTERNS if pattern.match(url_path)]
    if not matches:
        return None
    return min(matches, key=lambda p: (p.count("{"), p))


@dataclass
class Audit:
    """What was visited (route → role → concrete path) and what axe found, keyed by (role, language, path)."""

    visited: dict[str, dict[str, str]] = field(default_factory=dict)
    violations: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(content=AXE_JS)
    result: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return result


def readable(found: dict[tuple[str, str, str], list[dict[str, Any]]]) -> str:
    lines = []
    for (role, lang, path), violations in sorted(found.items()):
        for v in violations:
            lines.append(f"[{role}/{lang}] {path}: {v['id']} ({v['impact']}) {v['help']}")
            for node in v["nodes"][:5]:
                summary = " ".join(str(node["summary"]).split())
                lines.append(f"    {node['target']}  --  {summary[:300]}")
            if len(v["nodes"]) > 5:
                lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def _links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(("/api/", "/static/")):
            continue
        paths.append(parts.path)
    return paths


def _visit(page: Page, path: str, audit: Audit, role: str, lang: str) -> bool:
    response = page.goto(path)
    status = response.status if response else 0
    if status >= 500:
        audit.server_errors.append(f"[{role}/{lang}] {path}: HTTP {status}")
        return False
    if status != 200 or "text/html" not in (response.headers.get("content-type", "") if response else ""):
        return False
    assert page.locator("html").get_attribute("lang") == lang, f"{path} is not in {lang}"
    audit.violations[(role, lang, path)] = run_axe(page)
    return True


def _switch_language(page: Page, lang: str) -> None:
    button = page.locator(".lang-form button[name=language]")
    if button.get_attribute("value") == lang:
        button.click()
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _sign_in(page: Page, role: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(DEMO_EMAILS[role])
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)
    _switch_language(page, "sv")


@pytest.fixture
def axe_page(browser, live_server: str) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """A page whose context lets axe be injected despite the app's Content-Security-Policy."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _param_values(route: str, path: str) -> dict[str, str]:
    names = re.findall(r"\{([^}:]+)", route)
    match = re.match(_pattern(route).pattern.replace("[^/]+", "([^/]+)"), path)
    return dict(zip(names, match.groups(), strict=True)) if match else {}


def _fill(route: str, params: dict[str, str]) -> str | None:
    """The route with its parameters filled from ids already seen, or None if one is unknown."""
    names = re.findall(r"\{([^}:]+)", route)
    if any(name not in params for name in names):
        return None
    return re.sub(r"\{([^}:]+)[^}]*\}", lambda m: params[m.group(1)], route)


def _crawl_role(context: BrowserContext, origin: str, role: str, audit: Audit, english: set[str]) -> None:
    """Swedish: follow links breadth-first, one concrete page per route; routes no link leads to are tried with
    ids seen on the way (a route answering 403/404 is one this role may not see). English: the same pages after
    switching with the header's language button, for routes no earlier role checked in English."""
    page = context.new_page()
    _sign_in(page, role)
    try:
        found: dict[str, str] = {}
        tried: set[str] = set()
        params: dict[str, str] = {}
        queue = ["/"]
        while queue:
            path = queue.pop(0)
            route = route_of(path)
            if route is None or route in found or route in EXCLUDED or route == "/login" or path in tried:
                continue
            tried.add(path)
            if not _visit(page, path, audit, role, "sv"):
                continue
            found[route] = path
            for name, value in _param_values(route, path).items():
                params.setdefault(name, value)
            for link in _links(page, origin):
                link_route = route_of(link)
                if link_route is not None and link_route not in found and link not in queue:
                    queue.append(link)
            if not queue:
                for other in ROUTES:
                    filled = _fill(other, params)
                    if other not in found and other not in EXCLUDED and filled and filled not in tried:
                        queue.append(filled)
        page.goto("/")
        _switch_language(page, "en")
        for route, path in found.items():
            if route not in english and _visit(page, path, audit, role, "en"):
                english.add(route)
        for route, path in found.items():
            audit.visited.setdefault(route, {})[role] = path
    finally:
        page.goto("/")
        _switch_language(page, "sv")  # the demo user's stored language, as other tests expect it
        page.close()


@pytest.fixture(scope="module")
def audit(browser, live_server: str) -> Audit:  # type: ignore[no-untyped-def]
    result = Audit()
    # Signed out: the login page and the accessibility statement.
    for lang in LANGUAGES:
        context = browser.new_context(
            base_url=live_server, locale="sv-SE" if lang == "sv" else "en-GB", bypass_csp=True
        )
        page = context.new_page()
        page.goto("/login")
        _switch_language(page, lang)
        for path in ("/login", "/accessibility"):
            if _visit(page, path, result, "anonymous", lang):
                result.visited.setdefault(path, {})["anonymous"] = path
        context.close()
    english: set[str] = {"/login", "/accessibility"}
    for role in ROLES:
        context = browser.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True
        )
        context.set_default_timeout(15_000)
        try:
            _crawl_role(context, live_server, role, result, english)
        finally:
            context.close()
    return result


def test_every_html_route_is_visited_or_excluded(audit: Audit) -> None:
    missing = [r for r in ROUTES if r not in audit.visited and r not in EXCLUDED]
    stale = [r for r in EXCLUDED if r not in ROUTES]
    assert not missing, "HTML routes no role reached by following links (visit them or add to EXCLUDED):\n" + "\n".join(
        missing
    )
    assert not stale, f"EXCLUDED lists routes that no longer exist: {stale}"
    assert not audit.server_errors, "\n".join(audit.server_errors)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_no_axe_violations(audit: Audit, role: str) -> None:
    checked = {key: v for key, v in audit.violations.items() if key[0] == role}
    assert checked, f"no pages were checked as {role}"
    assert {lang for _, lang, _ in checked} == set(LANGUAGES) or role != "admin"
    failing = {key: v for key, v in checked.items() if v}
    assert not failing, "axe found WCAG 2.1 A/AA violations:\n" + readable(failing)


def _value_row(page: Page):  # type: ignore[no-untyped-def]
    row = page.locator(".log-item", has=page.locator("input[name=value]")).first
    expect(row).to_be_visible()
    return row


def _assert_clean(page: Page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}:\n" + readable({("member", "sv", page.url): violations})


def test_htmx_states_on_the_weekly_sheet(axe_page: Page) -> None:
    page = axe_page
    _sign_in(page, "member")
    page.goto("/log")
    row = _value_row(page)
    row.locator("input[name=value]").fill("tolv")
    row.get_by_role("button").first.click()
    expect(row.locator(".field-error")).to_be_visible()
    _assert_clean(page, "/log after a bad value")

    row = _value_row(page)
    row.locator("input[name=value]").fill("12")
    row.get_by_role("button").first.click()
    expect(row.locator(".log-status.saved")).to_be_visible()
    _assert_clean(page, "/log after saving a value")


def test_form_error_on_new_initiative(axe_page: Page) -> None:
    page = axe_page
    _sign_in(page, "leader")
    page.goto("/initiatives/new")
    page.locator("input[name=title]").fill("")
    page.locator("main form button[type=submit]").last.click()
    error = page.locator(".field-error").first
    expect(error).to_be_visible()
    title = page.locator("input[name=title]")
    expect(title).to_have_attribute("aria-invalid", "true")
    described = (title.get_attribute("aria-describedby") or "").split()
    linked = [i for i in described if page.locator(f"[id='{i}'].field-error").count()]
    assert linked, f"the title's error is not linked with aria-describedby ({described})"
    _assert_clean(page, "/initiatives/new after an empty title")


def test_route_table_is_read(audit: Audit) -> None:
    """Guards the route walk itself (FastAPI's included routers are nested)."""
    assert "/log" in ROUTES
    assert "/initiatives/{initiative_id}" in ROUTES
    assert json.dumps(sorted(audit.visited))  # serialisable summary, printed with -s for the report
    print(f"\n{len(audit.visited)} routes visited; {len(audit.violations)} page checks")
