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

from photodesk.catalog import places
from photodesk.catalog.photos import PhotoFilter, _conditions
from photodesk.catalog.sql import _column, _insert, _one, _rows, _value
from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError
from photodesk.fields import SEARCH_COLUMNS, where

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
    pieces = [
        piece
        for word in _WORD.findall(chunk)
        for piece in re.split(f"([{_CJK}]+)", word.rstrip("*"))
        if piece
    ]
    tokens: list[str] = []
    for n, piece in enumerate(pieces, start=1):
        if _CJK_RUN.fullmatch(piece) and len(piece) > 1:
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            if n < len(pieces):
                # The index follows a run's bigrams with its last character
                # (index_text): a phrase that goes on past the run needs it too.
                tokens.append(piece[-1])
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
    terms = query_terms(text)
    return " ".join(terms) if terms else None


def query_terms(text: str) -> list[str]:
    """The FTS5 phrase for each space-separated word the user typed (see build_query)."""
    normalized = unicodedata.normalize("NFKC", text)
    return [t for t in (_term(c) for c in normalized.split()) if t]


# Which fields feed which index column (fields.py names them), by how their
# value is stored: caption text per language, photo text, keyword lists, places.
_SEARCHED = where(has="search")
_CAPTION_TEXT = tuple(f for f in _SEARCHED if f.scope == "language")
_PHOTO_TEXT = tuple(f for f in _SEARCHED if f.scope == "photo" and f.type == "text")
_LISTS = tuple(f for f in _SEARCHED if f.type == "list")
_PLACES = tuple(f for f in _SEARCHED if f.type == "place")

# A search document's id is photo_id * LANG_SLOTS + slot (slot 0: a photo with no
# caption), so a search reads photo and language from the index alone. The
# archive's first LANG_SLOTS - 1 caption languages each own a slot everywhere,
# which makes --lang a test on the id. Later ones (search_langs numbers them on
# past the slots) have none: in each photo they borrow a slot its own languages
# leave free, and --lang then checks the document's language too. So however
# many languages files bring, the archive never runs out; only one photo can
# hold no more than LANG_SLOTS - 1, and imports stop far below that
# (language.MAX_PER_PHOTO).
LANG_SLOTS = 64


def lang_slot(db: Database, lang: str) -> int:
    """A caption language's number in the archive, given one if it has none.

    Below LANG_SLOTS it is the language's slot in every photo's document ids.
    """
    with write(db):
        return _lang_slot(db, lang) or 0


def _lang_slot(db: Database, lang: str, create: bool = True) -> int | None:
    slot = _value(db, "SELECT slot FROM search_langs WHERE lang = ?", [lang])
    if slot is not None or not create:
        return slot
    slot = _value(db, "SELECT coalesce(max(slot), 0) + 1 FROM search_langs")
    _insert(db, "search_langs", {"slot": slot, "lang": lang})
    return int(slot)


def _slots(db: Database, photo_id: int, langs: list[str]) -> dict[str, int]:
    """Each caption language of one photo → its slot in the photo's document ids."""
    numbers = {lang: _lang_slot(db, lang) or 0 for lang in langs}
    slots = {lang: n for lang, n in numbers.items() if n < LANG_SLOTS}
    late = sorted((lang for lang in langs if lang not in slots), key=numbers.__getitem__)
    if late:
        free = sorted(set(range(1, LANG_SLOTS)) - set(slots.values()), reverse=True)
        if len(late) > len(free):
            raise SearchError(
                f"photo {photo_id} has captions in {len(langs)} languages; search tells at "
                f"most {LANG_SLOTS - 1} apart in one photo"
            )
        slots |= dict(zip(late, free, strict=False))
    return slots


def _lang_condition(db: Database, lang: str) -> tuple[list[str], dict[str, Any]] | None:
    """Conditions on search_docs_fts that keep one caption language; None if it has none."""
    number = _lang_slot(db, lang, create=False)
    if number is None:
        return None
    where: list[str] = []
    params: dict[str, Any] = {}
    if number < LANG_SLOTS:
        where.append(f"(search_docs_fts.rowid % {LANG_SLOTS}) = :slot")
        params["slot"] = number
    # A late language may borrow this slot in some photo: then the id alone can't tell.
    if number >= LANG_SLOTS or _has_late_languages(db):
        where.append("(SELECT lang FROM search_docs WHERE id = search_docs_fts.rowid) = :lang")
        params["lang"] = lang
    return where, params


def _has_late_languages(db: Database) -> bool:
    return bool(_value(db, "SELECT max(slot) >= ? FROM search_langs", [LANG_SLOTS]))


def _shared_columns(db: Database, photo: dict[str, Any]) -> dict[str, str]:
    """Text of one photo that is the same in every caption language, by index column."""
    texts: dict[str, list[str]] = {c: [] for c in SEARCH_COLUMNS}
    texts["file_name"].append(photo.get("file_name") or "")
    for f in _LISTS:
        texts[f.search or ""].extend(json.loads(photo[f.name]) if photo.get(f.name) else [])
    for f in _PHOTO_TEXT:
        texts[f.search or ""].append(photo.get(f.name) or "")
    named: list[str] = []
    for f in _PLACES:
        named.extend(places.describe(db, photo.get(f"{f.name}_id")))
    for f in _PLACES:  # a place named as both created and shown is indexed once
        texts[f.search or ""] = list(dict.fromkeys(named))
    caption_columns = {f.search for f in _CAPTION_TEXT}
    return {
        c: index_text(" ".join(t for t in v if t))
        for c, v in texts.items()
        if c not in caption_columns
    }


def _documents(db: Database, photo: dict[str, Any]) -> list[dict[str, Any]]:
    photo_id = photo["id"]
    shared = _shared_columns(db, photo)
    captions = _rows(
        db,
        f"SELECT lang, {', '.join(f.name for f in _CAPTION_TEXT)} FROM captions WHERE photo_id = ?",
        [photo_id],
    )
    captions = [c for c in captions if any(v for k, v in c.items() if k != "lang")]
    slots = _slots(db, photo_id, [c["lang"] for c in captions])
    docs = []
    for caption in captions:
        lang = caption.pop("lang")
        texts = {f.search or "": index_text(caption[f.name]) for f in _CAPTION_TEXT}
        docs.append(shared | texts | {"id": photo_id * LANG_SLOTS + slots[lang], "lang": lang})
    return docs or [shared | {"id": photo_id * LANG_SLOTS, "lang": ""}]


def reindex(db: Database, photo_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these photos."""
    with write(db):
        _reindex(db, photo_ids)


def _reindex(
    db: Database, photo_ids: Iterable[int], rows: dict[int, dict[str, Any]] | None = None
) -> None:
    """Rebuild search documents; `rows` may hand in photo rows the caller has already read."""
    for photo_id in photo_ids:
        db.execute("DELETE FROM search_docs WHERE photo_id = ?", [photo_id])
        photo = (rows or {}).get(photo_id) or _one(
            db, "SELECT * FROM photos WHERE id = ?", [photo_id]
        )
        if photo is None:
            continue
        for doc in _documents(db, photo):
            doc["photo_id"] = photo_id
            _insert(db, "search_docs", doc)


def reindex_all(db: Database) -> None:
    with write(db):
        _reindex_all(db)


def _reindex_all(db: Database) -> None:
    _reindex(db, _column(db, "SELECT id FROM photos"))


# Ranking has two costs that grow with the archive. bm25 weighs each word by
# how rare it is, and FTS5 finds that out by reading the word's whole posting
# list (~50 ns a document: 40 ms for a word in 800,000 captions); and it scores
# every match (~2 µs each). So only the newest WINDOW matches are scored (a
# query matching fewer is ranked exactly), and a word in more than
# COMMON_WORD documents, whose rarity weight bm25 would set near zero anyway,
# switches ranking to a column-weighted count of the words' occurrences,
# which needs no posting-list scan. Both keep the cost flat as the archive grows.
WINDOW = 500
COMMON_WORD = 5_000
COMMON_WINDOW = 200
# Column weights, in index order (fields.SEARCH_COLUMNS); the same weights
# configure bm25 in the schema.
WEIGHTS = tuple(SEARCH_COLUMNS.values())
_COLUMNS = tuple(SEARCH_COLUMNS)
# highlight() adds one character per matched phrase: the length gained is the
# count. Counted in the caption columns only (headline, title, description,
# keywords): the rest carry little weight and each column read costs time.
_OCCURRENCES = " + ".join(
    f"{w} * (length(highlight(search_docs_fts, {i}, char(1), '')) "
    f"- length(coalesce(search_docs_fts.{c}, '')))"
    for i, (w, c) in enumerate(zip(WEIGHTS[:4], _COLUMNS[:4], strict=True))
)


def _common(db: Database, term: str) -> bool:
    """Does this word (phrase) occur in more than COMMON_WORD documents? Reads at most that many."""
    row = db.execute(
        "SELECT count(*) FROM (SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH ? "
        "LIMIT ?)",
        [term, COMMON_WORD + 1],
    ).fetchone()
    return row[0] > COMMON_WORD


@dataclass
class SearchFilter(PhotoFilter):
    lang: str | None = None  # only match captions in this language
    limit: int | None = 50
    window: int = WINDOW
    common_window: int = COMMON_WINDOW


def search_ids(db: Database, text: str, f: SearchFilter | None = None) -> list[int]:
    """Photo ids matching `text`, best first, ranked among the newest matches (see WINDOW)."""
    f = f or SearchFilter()
    terms = query_terms(text)
    if not terms:
        return []
    if any(_common(db, t) for t in terms):
        score, window = f"-({_OCCURRENCES})", f.common_window
    else:
        score, window = "search_docs_fts.rank", f.window
    where = ["search_docs_fts MATCH :q"]
    params: dict[str, Any] = {
        "q": " ".join(terms),
        "limit": f.limit or -1,
        "window": max(window, f.limit or 0),
    }
    if f.lang:
        kept = _lang_condition(db, f.lang)
        if kept is None:
            return []
        where.extend(kept[0])
        params |= kept[1]
    photo_filters, photo_params = _conditions(f)
    params |= photo_params
    joins = ""
    if photo_filters:
        joins = f" JOIN photos p ON p.id = search_docs_fts.rowid / {LANG_SLOTS}"
        where.extend(photo_filters)
    # Inner: the newest matching documents, straight from the index in rowid
    # order (rank is computed only for these). Outer: rank them, one row a photo.
    sql = (
        "SELECT photo_id, min(score) AS best FROM ("
        f"SELECT search_docs_fts.rowid / {LANG_SLOTS} AS photo_id, {score} AS score "
        "FROM search_docs_fts"
        + joins
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY search_docs_fts.rowid DESC LIMIT :window"
        ") GROUP BY photo_id ORDER BY best, photo_id DESC LIMIT :limit"
    )
    return _column(db, sql, params)


def all_ids(db: Database, text: str, f: PhotoFilter | None = None) -> list[int]:
    """Every photo matching `text`, newest first: a batch edit takes all, not the best few."""
    terms = query_terms(text)
    if not terms:
        return []
    where = ["search_docs_fts MATCH :q"]
    params: dict[str, Any] = {"q": " ".join(terms)}
    if isinstance(f, SearchFilter) and f.lang:
        kept = _lang_condition(db, f.lang)
        if kept is None:
            return []
        where.extend(kept[0])
        params |= kept[1]
    joins = ""
    if f is not None:
        photo_filters, photo_params = _conditions(f)
        if photo_filters:
            joins = f" JOIN photos p ON p.id = search_docs_fts.rowid / {LANG_SLOTS}"
            where.extend(photo_filters)
            params |= photo_params
    sql = (
        f"SELECT DISTINCT search_docs_fts.rowid / {LANG_SLOTS} AS photo_id FROM search_docs_fts"
        + joins
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY photo_id DESC"
    )
    return _column(db, sql, params)
