"""The Swedish and English catalogues cover every message in the code and templates, and the app uses them.

The messages are extracted in-process exactly as `scripts/i18n.py update` does (babel.cfg, Babel's extractors), so
a string added without `make translations-update` and a translation fails here with the file and line to fix.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.core import i18n
from scripts.i18n import (
    DOMAIN,
    catalogue_path,
    compile_catalogue,
    extract,
    is_translated,
    messages,
    placeholder_problems,
    placeholders,
    stray_percent,
)
from tests.support.web import WebClient

LANGUAGES = ("sv", "en")


@pytest.fixture(scope="module")
def code_messages() -> Catalog:
    return extract()


def read_catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def where(message: Message) -> str:
    return ", ".join(f"{filename}:{lineno}" for filename, lineno in message.locations[:2]) or "?"


def is_plural(message: Message) -> bool:
    return isinstance(message.id, tuple | list)


def report(language: str, problems: list[str]) -> str:
    return (
        f"{len(problems)} problem(s) in the {language} catalogue; run `make translations-update`, translate, and "
        f"check with `.venv/bin/python scripts/i18n.py missing --lang {language}`:\n  " + "\n  ".join(problems)
    )


def test_the_code_has_messages(code_messages: Catalog) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages(code_messages)}
    assert len(ids) > 500
    assert {"Log in", "%(n)s points in a row above the median"} <= ids  # from a template and from Python
    assert any(is_plural(m) for m in messages(code_messages)), "ngettext keeps its plural forms"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_code_is_translated(code_messages: Catalog, language: str) -> None:
    catalogue = read_catalogue(language)
    problems = []
    for message in messages(code_messages):
        entry = catalogue.get(message.id, message.context)
        if entry is None:
            problems.append(f"{message.id!r} ({where(message)}): not in the catalogue")
        elif entry.fuzzy:
            problems.append(f"{message.id!r} ({where(message)}): fuzzy")
        elif is_plural(entry) != is_plural(message):
            problems.append(f"{message.id!r} ({where(message)}): singular/plural differs from the code")
        elif not is_translated(entry):
            problems.append(f"{message.id!r} ({where(message)}): no translation")
    assert not problems, report(language, problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    problems = [
        f"{entry.id!r}: {problem}"
        for entry in messages(read_catalogue(language))
        for problem in placeholder_problems(entry)
    ]
    assert not problems, report(language, problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_entries(language: str) -> None:
    catalogue = read_catalogue(language)
    fuzzy = [repr(m.id) for m in messages(catalogue) if m.fuzzy]
    fuzzy += [f"{m.id!r} (obsolete)" for m in catalogue.obsolete.values() if m.fuzzy]
    assert not fuzzy, report(language, [f"{m}: fuzzy" for m in fuzzy])


def test_english_plurals_have_both_forms() -> None:
    incomplete = [
        repr(entry.id)
        for entry in messages(read_catalogue("en"))
        if is_plural(entry) and not (len(entry.string) == 2 and all(entry.string))
    ]
    assert not incomplete, report("en", [f"{m}: msgstr[0] and msgstr[1] needed" for m in incomplete])


def test_format_strings_in_the_code_are_valid(code_messages: Catalog) -> None:
    """Jinja formats every template string (%% for a literal %), Python formats those with placeholders."""
    broken = [
        f"{m.id!r} ({where(m)})"
        for m in messages(code_messages)
        for text in ([m.id] if isinstance(m.id, str) else m.id)
        if stray_percent(str(text))
        and (placeholders(str(text)) or any(f.startswith("templates/") for f, _ in m.locations))
    ]
    assert not broken, "a single % in a format string (write %%):\n  " + "\n  ".join(broken)


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app reads catalogues compiled from the .po files as they are now (not whatever .mo was built last)."""
    for language in LANGUAGES:
        compile_catalogue(catalogue_path(language), tmp_path / language / "LC_MESSAGES" / f"{DOMAIN}.mo")
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    i18n._catalogue.cache_clear()
    yield tmp_path
    i18n._catalogue.cache_clear()


def test_gettext_and_ngettext_follow_the_language(compiled: Path) -> None:
    with i18n.language("sv"):
        assert i18n.gettext("Log in") == "Logga in"
        assert i18n.ngettext("%(num)d change", "%(num)d changes", 1) % {"num": 1} == "1 ändring"
        assert i18n.ngettext("%(num)d change", "%(num)d changes", 3) % {"num": 3} == "3 ändringar"
    with i18n.language("en"):
        assert i18n.gettext("Log in") == "Log in"
        assert i18n.ngettext("%(num)d change", "%(num)d changes", 3) % {"num": 3} == "3 changes"


def test_numbers_have_a_decimal_comma_in_swedish_and_a_point_in_english() -> None:
    with i18n.language("sv"):
        assert i18n.format_number(4.2) == "4,2"
        assert i18n.format_number(1234.5) == "1\u00a0234,5"
        assert i18n.format_number(4.25, 2) == "4,25"
        assert i18n.format_number(None) == "–"
    with i18n.language("en"):
        assert i18n.format_number(4.2) == "4.2"
        assert i18n.format_number(1234.5) == "1,234.5"
        assert i18n.format_number(4.25, 2) == "4.25"


def test_pages_are_swedish_by_default_and_english_once_chosen(client: WebClient, compiled: Path) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "Logga in i Framsteg" in page.text
    assert "Log in to Framsteg" not in page.text

    chosen = client.post_form("/language", {"language": "en", "next": "/login"})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/login"

    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Log in to Framsteg" in page.text
    assert "Logga in" not in page.text
