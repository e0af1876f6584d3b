"""Pages of photos for the terminal UI: keyset queries in date order, never OFFSET.

A page is read from a key (the last row's taken_start and id), so the next
one costs the same on page 1 and page 5,000 and nothing holds the whole
catalog. Dated photos come first by date, undated ones after them by id, as
`photodesk list` orders them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import stories
from photodesk.catalog.photos import SUMMARY_SQL, PhotoFilter, _conditions
from photodesk.catalog.sql import _rows, _value
from photodesk.dates import DateParseError, parse_bound
from photodesk.errors import PhotodeskError
from photodesk.language import LanguageError, normalize_lang

# Extra columns the table shows: which languages have a caption, whether the
# photo is in a pair, whether it has a thumbnail.
_EXTRA = """,
       (SELECT group_concat(lang, ' ') FROM (SELECT lang FROM captions c3
         WHERE c3.photo_id = p.id ORDER BY lang)) AS languages,
       EXISTS (SELECT 1 FROM pairs pr WHERE pr.before_id = p.id OR pr.after_id = p.id) AS paired,
       p.thumb_path, p.original_path, p.phash
"""


@dataclass
class BrowseFilter(PhotoFilter):
    """What the browse table shows; each field narrows it, None leaves it open.

    The story and dates are kept as the user typed them (`story_name`,
    `since_text`, `until_text`); `resolve` turns them into ids and bounds.
    """

    missing_lang: str | None = None  # as typed: no caption in this language (see resolve)
    unpaired: bool = False
    story_name: str | None = None
    since_text: str | None = None
    until_text: str | None = None

    def words(self) -> str:
        """The filter as a line for the screen: "story S · since 2019 · no caption in ko"."""
        parts = [
            f"story {self.story_name}" if self.story_name else "",
            f"since {self.since_text}" if self.since_text else "",
            f"until {self.until_text}" if self.until_text else "",
            f"kind {self.kind}" if self.kind else "",
            f"status {self.status}" if self.status else "",
            f"no caption in {self.missing_lang}" if self.missing_lang else "",
            "not paired" if self.unpaired else "",
        ]
        return " · ".join(p for p in parts if p) or "all photos"


def resolve(db: Database, f: BrowseFilter) -> BrowseFilter:
    """The filter with its story found and its date phrases read; a mistake is a one-line error."""
    out = replace(f, limit=None)
    out.story_id = stories.require(db, f.story_name) if f.story_name else None
    try:
        out.since = parse_bound(f.since_text).isoformat() if f.since_text else None
        out.until = parse_bound(f.until_text, end=True).isoformat() if f.until_text else None
    except DateParseError as exc:
        raise BrowseError(str(exc)) from exc
    if f.missing_lang:
        try:  # the filter list and search already share: "no caption in this language"
            out.uncaptioned_lang = normalize_lang(f.missing_lang)
        except LanguageError as exc:
            raise BrowseError(str(exc)) from exc
    return out


class BrowseError(PhotodeskError):
    pass


@dataclass(frozen=True)
class Key:
    """Where a page starts: a photo's date (None when undated) and id."""

    taken_start: str | None
    id: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Key:
        return cls(row["taken_start"], row["id"])


def _where(f: BrowseFilter) -> tuple[list[str], dict[str, Any]]:
    where, params = _conditions(f)  # status is a shared filter: PhotoFilter's
    if f.unpaired:
        where.append(
            "NOT EXISTS (SELECT 1 FROM pairs pr2 WHERE pr2.before_id = p.id OR pr2.after_id = p.id)"
        )
    return where, params


def count(db: Database, f: BrowseFilter) -> int:
    where, params = _where(f)
    sql = "SELECT count(*) FROM photos p" + (" WHERE " + " AND ".join(where) if where else "")
    return int(_value(db, sql, params) or 0)


def page(
    db: Database, f: BrowseFilter, lang: str, after: Key | None = None, n: int = 100
) -> list[dict[str, Any]]:
    """Up to `n` photos after `after` (from the start when None), in date order."""
    return _walk(db, f, lang, after, n, forward=True)


def page_before(
    db: Database, f: BrowseFilter, lang: str, before: Key, n: int = 100
) -> list[dict[str, Any]]:
    """Up to `n` photos just before `before`, in date order (for scrolling back)."""
    return list(reversed(_walk(db, f, lang, before, n, forward=False)))


def _walk(
    db: Database, f: BrowseFilter, lang: str, key: Key | None, n: int, forward: bool
) -> list[dict[str, Any]]:
    segments = ("dated", "undated") if forward else ("undated", "dated")
    found: list[dict[str, Any]] = []
    for segment in segments:
        if len(found) >= n:
            break
        cond, order, params = _segment(segment, key, forward)
        if cond is None:
            continue
        where, fparams = _where(f)
        where.append(cond)
        sql = _select_sql() + " WHERE " + " AND ".join(where) + f" ORDER BY {order} LIMIT :n"
        found += _rows(db, sql, fparams | params | {"lang": lang, "n": n - len(found)})
    return found


def _segment(segment: str, key: Key | None, forward: bool) -> tuple[str | None, str, dict]:
    """The condition and order for one segment (dated or undated) from `key`."""
    direction = "ASC" if forward else "DESC"
    if segment == "dated":
        order = f"p.taken_start {direction}, p.id {direction}"
        if key is None:
            return "p.taken_start IS NOT NULL", order, {}
        if key.taken_start is None:  # from an undated photo: all dated ones are before it
            return (None, order, {}) if forward else ("p.taken_start IS NOT NULL", order, {})
        op = ">" if forward else "<"
        cond = f"p.taken_start IS NOT NULL AND (p.taken_start, p.id) {op} (:kts, :kid)"
        return cond, order, {"kts": key.taken_start, "kid": key.id}
    order = f"p.id {direction}"
    if key is None or key.taken_start is not None:  # from a dated photo: undated ones follow it
        return ("p.taken_start IS NULL", order, {}) if forward else (None, order, {})
    op = ">" if forward else "<"
    return f"p.taken_start IS NULL AND p.id {op} :kid", order, {"kid": key.id}


def _select_sql() -> str:
    return SUMMARY_SQL.replace("\nFROM photos p", _EXTRA + "FROM photos p")


def find(db: Database, f: BrowseFilter, lang: str, photo_id: int) -> dict[str, Any] | None:
    """One photo's row, if the filter lets it through."""
    where, params = _where(f)
    where.append("p.id = :pid")
    found = _rows(
        db,
        _select_sql() + " WHERE " + " AND ".join(where),
        params | {"lang": lang, "pid": photo_id},
    )
    return found[0] if found else None


def rows(
    db: Database, photo_ids: list[int], lang: str, f: BrowseFilter | None = None
) -> list[dict[str, Any]]:
    """Rows for these ids, in the order given (a search's ranking), through the filter."""
    if not photo_ids:
        return []
    where, params = _where(f or BrowseFilter())
    marks = ", ".join(f":i{n}" for n in range(len(photo_ids)))
    where.append(f"p.id IN ({marks})")
    params |= {f"i{n}": pid for n, pid in enumerate(photo_ids)} | {"lang": lang}
    found = {r["id"]: r for r in _rows(db, _select_sql() + " WHERE " + " AND ".join(where), params)}
    return [found[i] for i in photo_ids if i in found]


def ids(db: Database, f: BrowseFilter) -> list[int]:
    """Every photo id the filter lets through ("select all in filter")."""
    where, params = _where(f)
    sql = "SELECT p.id FROM photos p" + (" WHERE " + " AND ".join(where) if where else "")
    return [r["id"] for r in _rows(db, sql, params)]
