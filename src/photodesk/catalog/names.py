"""Finding a story or place by the name a user types, when it is nearly right.

Names are typed from memory: "Rason-Quanhe trade hub" for "Rason–Quanhe trade
hub", other case, doubled spaces. Both sides are folded the same way (Unicode
form, case, every dash as a hyphen, runs of space as one) before they are
compared, and a name that is only the start of one stored name ("Wonjong" for
"Wonjong customs house") finds it when nothing else starts so. Several matches
are never guessed between: the user gets a short list to choose from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from photodesk.errors import UsageMistake

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus.
_DASHES = re.compile(r"\s*[\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]\s*")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "²" or "٣" are names, not ids
SHOWN_CHOICES = 5


class AmbiguousName(UsageMistake):
    pass


class UnknownName(UsageMistake):
    pass


def fold(name: str) -> str:
    """A name as compared: NFKC, case-folded, dashes as '-', spaces collapsed."""
    name = unicodedata.normalize("NFKC", name).casefold()
    return _SPACE.sub(" ", _DASHES.sub("-", name)).strip()


def as_id(text: str) -> int | None:
    text = text.strip()
    return int(text) if _ID.fullmatch(text) else None


def choose(
    typed: str, candidates: Iterable[tuple[int, str]], what: str, partial: bool = True
) -> int | None:
    """The one candidate (id, name) the typed name means, or None when none is near.

    Equal once folded wins; then, with `partial`, a stored name that starts
    with the typed words (or holds them whole) when only one does. More than
    one match raises AmbiguousName listing them with their ids.
    """
    key = fold(typed)
    if not key:
        return None
    rows = list(candidates)
    equal = [(i, n) for i, n in rows if fold(n) == key]
    if len(equal) == 1:
        return equal[0][0]
    if len(equal) > 1:
        raise _ambiguous(typed, equal, what)
    if not partial:
        return None
    words = re.compile(r"(?:^|[\s,(/-])" + re.escape(key) + r"(?=$|[\s,)/-])")
    starts = [
        (i, n) for i, n in rows if fold(n).startswith(key + " ") or fold(n).startswith(key + ",")
    ]
    near = starts or [(i, n) for i, n in rows if words.search(fold(n))]
    if len(near) == 1:
        return near[0][0]
    if len(near) > 1:
        raise _ambiguous(typed, near, what)
    return None


def _ambiguous(typed: str, matches: list[tuple[int, str]], what: str) -> AmbiguousName:
    shown = "; ".join(f"{i}: {n}" for i, n in matches[:SHOWN_CHOICES])
    more = len(matches) - SHOWN_CHOICES
    rest = f"; and {more} more" if more > 0 else ""
    return AmbiguousName(
        f"{typed!r} matches {len(matches)} {what}s — {shown}{rest}; give the full name or the id"
    )
