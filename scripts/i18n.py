"""Translation catalogues: extract the English msgids, merge them into every catalogue, list gaps, compile.

    python scripts/i18n.py update              extract from app/**.py and templates/**.html (babel.cfg), merge
                                               into every app/translations/<lang>/LC_MESSAGES/messages.po
                                               (no fuzzy matching, obsolete entries dropped) and fill the English
                                               catalogue with the msgids (English is the source language)
    python scripts/i18n.py missing [--lang sv] print each message without a translation with where it is used;
                                               exit status 1 if there is any
    python scripts/i18n.py compile [PO ...]    compile .po -> .mo next to it (all catalogues by default)

`make translations-update` runs `update`; `make translations` (and `make install`, `make run`, `make test`) compile.
The functions are also used by tests/i18n so that the tests extract exactly like the tool does.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
MAPPING_FILE = ROOT / "babel.cfg"
TRANSLATIONS_DIR = ROOT / "app" / "translations"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
DEFAULT_TARGET = "sv"
PROJECT = "Framsteg"
COMMENT_TAGS = ("Translators:",)

# The Jinja environment in app/web/templating.py trims blocks; the extractor must parse templates the same way or
# a {% trans %} block would be extracted with other whitespace than the runtime looks up. Syntax errors must not
# silently drop a template's strings, so `silent` is off.
JINJA_DEFAULTS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true", "silent": "false"}

# Header lines that change on every run; ignored when deciding whether a catalogue changed.
_VOLATILE_HEADER = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*"\n', re.MULTILINE)


@dataclass(frozen=True)
class Location:
    filename: str
    lineno: int

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}"


class ExtractionError(RuntimeError):
    pass


def catalogue_path(language: str, root: Path = TRANSLATIONS_DIR) -> Path:
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(root: Path = TRANSLATIONS_DIR) -> list[str]:
    """Every language with a catalogue, source language first."""
    found = sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: lang != SOURCE_LANGUAGE)


def _mapping(root: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, Any]]]:
    with (root / MAPPING_FILE.name).open(encoding="utf-8") as f:
        parsed: tuple[list[tuple[str, str]], dict[str, dict[str, Any]]] = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            f, filename=str(root / MAPPING_FILE.name)
        )
    method_map, options_map = parsed
    options = {pattern: dict(opts) for pattern, opts in options_map.items()}
    for pattern, method in method_map:
        if "jinja2" in method:
            options[pattern] = {**JINJA_DEFAULTS, **options.get(pattern, {})}
    return list(method_map), options


def extract(root: Path = ROOT) -> Catalog:
    """All messages in the code and templates (as configured in babel.cfg), with their locations."""
    method_map, options_map = _mapping(root)
    template = Catalog(project=PROJECT, locale=None, domain=DOMAIN, fuzzy=False, charset="utf-8")
    current: list[str] = []

    def note(filename: str, method: str, options: dict[str, Any]) -> None:
        current[:] = [filename]

    # Walk only the top-level folders the patterns name (app/, templates/), not .venv, data or node_modules.
    tops = {pattern.split("/")[0] for pattern, _ in method_map}

    def wanted_directory(dirpath: str) -> bool:
        top = Path(os.path.relpath(dirpath, root)).parts[0]
        hidden = Path(dirpath).name.startswith((".", "_"))  # as Babel's default filter
        return not hidden and (top in tops or any("*" in t for t in tops))

    try:
        results = extract_from_dir(
            root,
            method_map,
            options_map,
            keywords=DEFAULT_KEYWORDS,
            comment_tags=COMMENT_TAGS,
            callback=note,
            strip_comment_tags=True,
            directory_filter=wanted_directory,
        )
        for filename, lineno, message, comments, context in results:
            template.add(
                message,
                None,
                [(Path(filename).as_posix(), lineno)],
                auto_comments=comments,
                context=context,
            )
    except Exception as exc:
        where = current[0] if current else "?"
        raise ExtractionError(f"could not extract messages from {where}: {exc}") from exc
    return template


# Python %-formatting as used with a dict (and by Jinja's newstyle gettext, which formats every template string).
_NAMED = re.compile(r"%\((?P<name>[^)]*)\)(?P<spec>[-#0 +]*(?:\d+)?(?:\.\d+)?[hlL]?[diouxXeEfFgGcrsa])")


def placeholders(text: str) -> set[str]:
    """The named placeholders of a string, with their conversion: {"%(n)s", "%(num)d"}."""
    return {m.group(0) for m in _NAMED.finditer(text)}


def stray_percent(text: str) -> int:
    """How many % signs are neither a named placeholder nor an escaped %%."""
    return _NAMED.sub("", text).replace("%%", "").count("%")


def placeholder_problems(message: Message) -> list[str]:
    """Why a translation would format differently from its msgid (empty list when it is fine).

    Every form must have the same named placeholders as its msgid (singular for msgstr[0], plural after);
    a translation may use a literal % only where the msgid does, and %% only in a format string (one with
    placeholders or %%), so that no translation raises or shows "%%" where the English would not.
    """
    ids = [str(i) for i in message.id] if isinstance(message.id, tuple | list) else [str(message.id)]
    strings = (
        [str(s or "") for s in message.string]
        if isinstance(message.string, tuple | list)
        else [str(message.string or "")]
    )
    problems = []
    for index, text in enumerate(strings):
        if not text:
            continue
        source = ids[min(index, len(ids) - 1)]
        wanted, found = placeholders(source), placeholders(text)
        where = f"msgstr[{index}]" if len(strings) > 1 else "msgstr"
        if wanted != found:
            problems.append(f"{where}: placeholders {sorted(found)} instead of {sorted(wanted)}")
        if stray_percent(text) and not stray_percent(source):
            problems.append(f"{where}: a single % where the msgid has none (write %% in a format string)")
        if "%%" in text and "%%" not in source and not wanted:
            problems.append(f"{where}: %% but the msgid is no format string (write a single %)")
    return problems


def is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(bool(s) for s in strings) and not message.fuzzy


def messages(catalog: Catalog) -> Iterable[Message]:
    """The catalogue's entries without the header entry."""
    return (m for m in catalog if m.id)


def _fill_source_language(catalog: Catalog) -> int:
    """English is the source language: an empty (or fuzzy) msgstr becomes the msgid; plural forms get both forms."""
    filled = 0
    for message in messages(catalog):
        if isinstance(message.id, tuple | list):
            singular, plural = str(message.id[0]), str(message.id[1])
            old = [str(s or "") for s in message.string] if isinstance(message.string, tuple | list) else []
            keep = not message.fuzzy and len(old) == 2
            new = (old[0] if keep and old[0] else singular, old[1] if keep and old[1] else plural)
            if tuple(old) != new:
                message.string = new
                filled += 1
        elif message.fuzzy or not message.string:
            message.string = str(message.id)
            filled += 1
        message.flags.discard("fuzzy")
    return filled


def _read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project=PROJECT, fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN, ignore_obsolete=True)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, ignore_obsolete=True, include_previous=False)
    return buffer.getvalue()


def write_catalogue(path: Path, catalog: Catalog) -> bool:
    """Write the catalogue unless only the volatile dates would change; True when written."""
    data = render_po(catalog)
    if path.exists() and _VOLATILE_HEADER.sub(b"", path.read_bytes()) == _VOLATILE_HEADER.sub(b"", data):
        return False
    _atomic_write(path, data)
    return True


def _set_header(catalog: Catalog, language: str, root: Path) -> None:
    with (root / "pyproject.toml").open("rb") as f:
        catalog.version = str(tomllib.load(f)["project"]["version"])
    catalog.project = PROJECT
    catalog.copyright_holder = f"{PROJECT} contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = f"{PROJECT} contributors"
    catalog.language_team = f"{PROJECT} contributors"
    name = Locale.parse(language).english_name or language
    catalog.header_comment = (
        f"# {name} translations for {PROJECT}.\n"
        "# The msgids are the English texts in app/ and templates/. After adding strings run\n"
        "# `make translations-update`, translate the new entries and check with `scripts/i18n.py missing`."
    )


def update(root: Path = ROOT, translations: Path = TRANSLATIONS_DIR) -> Catalog:
    template = extract(root)
    for language in languages(translations):
        path = catalogue_path(language, translations)
        catalog = _read(path, language)
        _set_header(catalog, language, root)
        # Catalog.update() stores new template messages by reference: give each catalogue its own copy.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if language == SOURCE_LANGUAGE:
            _fill_source_language(catalog)
        written = write_catalogue(path, catalog)
        untranslated = sum(1 for m in messages(catalog) if not is_translated(m))
        print(
            f"{path.relative_to(root) if path.is_relative_to(root) else path}: {len(template)} messages, "
            f"{untranslated} without translation{'' if written else ' (unchanged)'}"
        )
    return template


def missing(language: str, root: Path = ROOT, translations: Path = TRANSLATIONS_DIR) -> list[tuple[Message, str]]:
    """(message as found in the code, what is wrong) for every msgid without a usable translation."""
    template = extract(root)
    catalog = _read(catalogue_path(language, translations), language)
    gaps = []
    for message in messages(template):
        entry = catalog.get(message.id, message.context)
        if entry is None:
            gaps.append((message, "not in the catalogue (run update)"))
        elif entry.fuzzy:
            gaps.append((message, "fuzzy"))
        elif not is_translated(entry):
            gaps.append((message, "untranslated"))
        elif isinstance(entry.id, tuple | list) != isinstance(message.id, tuple | list):
            gaps.append((message, "singular/plural differs from the code (run update)"))
        elif problems := placeholder_problems(entry):
            gaps.append((message, "; ".join(problems)))
    return gaps


def _show(message: Message) -> str:
    if isinstance(message.id, tuple | list):
        return f"{message.id[0]!r} / plural {message.id[1]!r}"
    return repr(message.id)


def compile_catalogue(po_path: Path, mo_path: Path | None = None) -> Path:
    language = po_path.parent.parent.name
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=language, domain=DOMAIN, abort_invalid=True)
    # Leave out what would break or blank a page, so that the English msgid shows instead: untranslated and fuzzy
    # entries (Babel would write an untranslated plural as empty strings) and translations whose placeholders do
    # not match. `missing` and tests/i18n report them.
    for message in list(messages(catalog)):
        if problems := placeholder_problems(message):
            print(f"warning: {po_path}: {_show(message)} left out: {'; '.join(problems)}", file=sys.stderr)
        if not is_translated(message) or problems:
            catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    target = mo_path or po_path.with_suffix(".mo")
    _atomic_write(target, buffer.getvalue())
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n.py", description=__doc__.split("\n\n")[0] if __doc__ else "")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract and merge into every catalogue; fill English")
    missing_parser = commands.add_parser("missing", help="list messages without a translation (exit 1 if any)")
    missing_parser.add_argument("--lang", default=DEFAULT_TARGET, help="language (default: sv)")
    compile_parser = commands.add_parser("compile", help="compile .po to .mo")
    compile_parser.add_argument("po_files", nargs="*", type=Path, help="default: every catalogue")
    args = parser.parse_args(argv)

    try:
        if args.command == "update":
            update()
            return 0
        if args.command == "missing":
            gaps = missing(args.lang)
            for message, problem in gaps:
                where = ", ".join(str(Location(f, n or 0)) for f, n in message.locations[:3])
                print(f"{_show(message)}  [{where}] {problem}")
            if gaps:
                print(f"{len(gaps)} message(s) without a usable translation in {args.lang}", file=sys.stderr)
            else:
                print(f"Every message has a translation in {args.lang}.", file=sys.stderr)
            return 1 if gaps else 0
        po_files = args.po_files or [catalogue_path(lang) for lang in languages()]
        for po in po_files:
            compile_catalogue(po)
        return 0
    except ExtractionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
