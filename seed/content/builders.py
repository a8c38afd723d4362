"""Small helpers for writing the content modules."""

from __future__ import annotations

import unicodedata

from seed.content.timeline import WEEKS_PER_MONTH, convert_ago
from seed.content.types import Frequency, PersonSpec

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", "é": "e", "ü": "u"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII, e.g. ``Ånge`` -> ``ange``; spaces and hyphens are kept for the caller to handle."""
    folded = text.translate(_ASCII)
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return folded.lower()


def person(key: str, name: str, domain: str) -> PersonSpec:
    """A person with the e-mail ``fornamn.efternamn@<domain>.example.se``."""
    first, _, last = name.partition(" ")
    local = f"{ascii_slug(first)}.{ascii_slug(last).replace(' ', '-')}"
    return PersonSpec(key, name, f"{local}@{ascii_slug(domain)}.example.se")


def span_weeks(n_periods: int, frequency: Frequency, ends_periods_ago: int = 0) -> int:
    """Weeks from the first period of a series to the current week (a good ``started_weeks_ago``)."""
    periods = n_periods + ends_periods_ago
    if frequency == "week":
        return periods
    return round(periods * WEEKS_PER_MONTH)


def cross_index(
    index: int,
    *,
    source: tuple[Frequency, int, int],
    target: tuple[Frequency, int, int],
) -> int:
    """Map a series index between two series given as (frequency, n_periods, ends_periods_ago).

    Used to put the level change of a secondary series in the same period as a PDSA cycle that is
    indexed in the primary measure's frame (conservatively at or after its start).
    """
    s_freq, s_n, s_end = source
    t_freq, t_n, t_end = target
    ago = convert_ago(s_end + s_n - index, s_freq, t_freq)
    return t_end + t_n - ago
