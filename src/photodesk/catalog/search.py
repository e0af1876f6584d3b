"""Full-text search over captions, headlines, keywords, places, file names and credit.

FTS5's unicode61 tokenizer keeps a run of Hangul, kana or Han characters as
one token, so "세관" would never match "세관에서". Such runs are indexed as
overlapping bigrams (plus the run's last character), the usual approach for
CJK search; queries are cut the same way, so a Korean or Japanese word is
found inside longer text while English keeps word tokens, prefix search and
bm25 ranking. The user's query is never handed to FTS5's query syntax:
every word is quoted, so no input can make a query fail to parse.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from photodesk.errors import PhotodeskError

_CJK = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A query word: letters/digits (any script), optionally ending in * for a prefix.
_WORD = re.compile(r"[^\W_]+\*?")
_NON_WORD = re.compile(r"[\W_]+")


class SearchError(PhotodeskError):
    pass


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str | None) -> str:
    """Text as stored for indexing: NFKC-folded, CJK runs as bigram tokens.

    Everything that is not a word character to Python becomes a space, so
    the index splits words exactly where the query parser does (SQLite's
    Unicode tables and Python's disagree on some rare code points).
    """
    if not text:
        return ""
    text = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text))
    return _CJK_RUN.sub(lambda m: " " + " ".join(_bigrams(m.group())) + " ", text)


def _term(chunk: str) -> str | None:
    """What the user typed between two spaces, as one FTS5 phrase (maybe a prefix).

    A chunk the tokenizer splits (IMG_0421, map_border.png, Wonjong세관)
    becomes a phrase of its adjacent pieces: exact, and far cheaper than
    ANDing a piece like IMG that every file name contains.
    """
    prefix = chunk.endswith("*")
    tokens: list[str] = []
    for word in _WORD.findall(chunk):
        word = word.rstrip("*")
        for piece in re.split(f"([{_CJK}]+)", word):
            if not piece:
                continue
            if _CJK_RUN.fullmatch(piece) and len(piece) > 1:
                tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            else:
                tokens.append(piece)
    if not tokens:
        return None
    # A lone CJK character at the end is the start of some indexed bigram, or
    # a run's last character: only a prefix query finds both.
    lone_cjk = _CJK_RUN.fullmatch(tokens[-1]) is not None and len(tokens[-1]) == 1
    return '"' + " ".join(tokens) + '"' + ("*" if prefix or lone_cjk else "")


def build_query(text: str) -> str | None:
    """Turn what the user typed into a safe FTS5 MATCH expression; None if nothing to find.

    Space-separated words are ANDed; a trailing * asks for a prefix. Quotes,
    operators and brackets are the plain characters they are, never syntax.
    """
    normalized = unicodedata.normalize("NFKC", text)
    terms = [t for t in (_term(c) for c in normalized.split()) if t]
    return " ".join(terms) if terms else None


def _places_text(db: Database, photo: dict[str, Any]) -> str:
    names = []
    for column in ("created_place_id", "shown_place_id"):
        if photo.get(column):
            row = db.execute(
                "SELECT name, sublocation, city, province, country FROM places WHERE id = ?",
                [photo[column]],
            ).fetchone()
            if row:
                names.extend(v for v in row if v)
    return " ".join(dict.fromkeys(names))


LANG_SLOTS = 64  # document id = photo_id * LANG_SLOTS + slot; slot 0 is "no caption"


def lang_slot(db: Database, lang: str, create: bool = True) -> int | None:
    row = db.execute("SELECT slot FROM search_langs WHERE lang = ?", [lang]).fetchone()
    if row is not None or not create:
        return row[0] if row else None
    slot = db.execute("SELECT coalesce(max(slot), 0) + 1 FROM search_langs").fetchone()[0]
    if slot >= LANG_SLOTS:
        raise SearchError(
            f"this archive already holds captions in {LANG_SLOTS - 1} languages, the most "
            "search can tell apart; check for mistyped language tags"
        )
    db["search_langs"].insert({"slot": slot, "lang": lang})
    return slot


def reindex(db: Database, photo_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these photos (the caller holds the transaction)."""
    for photo_id in photo_ids:
        db.execute("DELETE FROM search_docs WHERE photo_id = ?", [photo_id])
        cursor = db.execute("SELECT * FROM photos WHERE id = ?", [photo_id])
        row = cursor.fetchone()
        if row is None:
            continue
        photo = dict(zip([d[0] for d in cursor.description], row, strict=True))
        keywords = json.loads(photo["keywords"]) if photo.get("keywords") else []
        shared = {
            "photo_id": photo_id,
            "keywords": index_text(" ".join(keywords)),
            "places": index_text(_places_text(db, photo)),
            "file_name": index_text(photo.get("file_name")),
            "credit": index_text(
                " ".join(filter(None, [photo.get("credit"), photo.get("creator")]))
            ),
        }
        captions = db.execute(
            "SELECT lang, headline, title, description FROM captions WHERE photo_id = ?",
            [photo_id],
        ).fetchall()
        docs = [
            shared
            | {
                "id": photo_id * LANG_SLOTS + lang_slot(db, lang),
                "lang": lang,
                "headline": index_text(h),
                "title": index_text(t),
                "description": index_text(d),
            }
            for lang, h, t, d in captions
            if h or t or d
        ] or [shared | {"id": photo_id * LANG_SLOTS, "lang": ""}]
        db["search_docs"].insert_all(docs)


def reindex_all(db: Database) -> None:
    reindex(db, [r[0] for r in db.execute("SELECT id FROM photos").fetchall()])


# Ranking reads every matching document (bm25 costs ~2 µs each), so a word in
# half of a million captions would take a second. Only the newest WINDOW
# matching documents are ranked: a query matching fewer is ranked exactly;
# one matching more is ranked among the newest matches, which is what a desk
# searching as it types wants first, at a cost that does not grow with the archive.
WINDOW = 500


@dataclass
class SearchFilter:
    lang: str | None = None
    story_id: int | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    uncaptioned_lang: str | None = None  # set: only photos without a caption in this language
    limit: int = 50
    window: int = WINDOW


def search_ids(db: Database, text: str, f: SearchFilter | None = None) -> list[int]:
    """Photo ids matching `text`, best first (bm25 among the newest f.window matches)."""
    f = f or SearchFilter()
    query = build_query(text)
    if query is None:
        return []
    where = ["search_docs_fts MATCH :q"]
    params: dict[str, Any] = {"q": query, "limit": f.limit, "window": max(f.window, f.limit)}
    if f.lang:
        slot = lang_slot(db, f.lang, create=False)
        if slot is None:
            return []
        where.append(f"(search_docs_fts.rowid % {LANG_SLOTS}) = :slot")
        params["slot"] = slot
    photo_filters = []
    if f.story_id is not None:
        photo_filters.append(
            "EXISTS (SELECT 1 FROM story_photos sp "
            "WHERE sp.photo_id = p.id AND sp.story_id = :story)"
        )
        params["story"] = f.story_id
    if f.since:
        photo_filters.append("p.taken_end >= :since")
        params["since"] = f.since
    if f.until:
        photo_filters.append("p.taken_start <= :until")
        params["until"] = f.until
    if f.kind:
        photo_filters.append("p.kind = :kind")
        params["kind"] = f.kind
    if f.uncaptioned_lang:
        photo_filters.append(
            "NOT EXISTS (SELECT 1 FROM captions c WHERE c.photo_id = p.id AND c.lang = :ulang "
            "AND trim(coalesce(c.description, '')) != '')"
        )
        params["ulang"] = f.uncaptioned_lang
    joins = ""
    if photo_filters:
        joins = f" JOIN photos p ON p.id = search_docs_fts.rowid / {LANG_SLOTS}"
        where.extend(photo_filters)
    # Inner: the newest matching documents, straight from the index in rowid
    # order (rank is computed only for these). Outer: rank them, one row a photo.
    sql = (
        "SELECT photo_id, min(score) AS best FROM ("
        f"SELECT search_docs_fts.rowid / {LANG_SLOTS} AS photo_id, search_docs_fts.rank AS score "
        "FROM search_docs_fts"
        + joins
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY search_docs_fts.rowid DESC LIMIT :window"
        ") GROUP BY photo_id ORDER BY best, photo_id DESC LIMIT :limit"
    )
    return [r[0] for r in db.execute(sql, params).fetchall()]
