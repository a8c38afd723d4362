"""Text no field may hold."""

import re

from app.core.i18n import _

# C0 control characters except tab and line breaks: PostgreSQL cannot store NUL, the Office exports' XML
# cannot hold the others, and no person means to type any of them.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def unstorable_message(text: str) -> str | None:
    """Why `text` cannot be saved (in the request's language), or None if it can."""
    if "\x00" in text:
        return _("The text contains a character that cannot be stored (NUL).")
    if UNSTORABLE.search(text):
        return _("The text contains characters that cannot be stored.")
    return None
