"""Jinja2 environment (translations, locale filters) and the one render() helper used by every page.

The same URL returns the whole page or, for an HTMX request, only the named partial.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.analysis.periods import format_period
from app.auth.sessions import csrf_token_for
from app.core import i18n
from app.core.config import ROOT_DIR, get_settings

env = Environment(
    loader=FileSystemLoader(ROOT_DIR / "templates"),
    extensions=["jinja2.ext.i18n"],
    autoescape=select_autoescape(["html", "xml"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
)
env.filters["number"] = i18n.format_number
env.filters["day"] = i18n.format_day
env.filters["timestamp"] = i18n.format_timestamp
env.filters["period"] = lambda p, short=False: format_period(p, i18n.get_language(), short=short)
env.globals["svg"] = Markup  # server-rendered SVG charts are trusted markup built by app.charts
templates = Jinja2Templates(env=env)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def csrf_token(request: Request) -> str:
    return csrf_token_for(get_settings().secret_key, request.state.csrf_cookie)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page, or only `partial` when HTMX asks for a fragment."""
    ctx: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "lang": i18n.get_language(),
        **(context or {}),
    }
    name = partial if partial and is_htmx(request) else template
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request, Cookie"
    return response
