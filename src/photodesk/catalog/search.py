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
    return [t for t, _exact in _terms(text)]


def _terms(text: str) -> list[tuple[str, bool]]:
    """Each word's phrase, and whether it must match as written (the exact index)."""
    out = []
    for chunk in unicodedata.normalize("NFKC", text).split():
        # A prefix is a beginning as typed, which a stem need not be ("generali*"
        # is not "gener*"); a word in double quotes asks for exactly that form.
        quoted = len(chunk) > 2 and chunk[0] == chunk[-1] == '"'
        term = _term(chunk)
        if term is not None:
            out.append((term, quoted or term.endswith("*")))
    return out


STEMS = "search_stems"  # porter: "fence" finds "fences" (schema m006)
EXACT = "search_docs_fts"  # words as written: prefixes and "quoted" words


@dataclass(frozen=True)
class _Query:
    """Where a query runs: MATCH `match` on `table`, and `also` on the exact index if any."""

    table: str
    terms: tuple[str, ...]
    also: str | None = None

    @property
    def match(self) -> str:
        return " ".join(self.terms)


def _query(text: str) -> _Query | None:
    terms = _terms(text)
    plain = tuple(t for t, exact in terms if not exact)
    exact = tuple(t for t, exact in terms if exact)
    if plain:
        return _Query(STEMS, plain, " ".join(exact) or None)
    if exact:
        return _Query(EXACT, exact)
    return None


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


def _lang_condition(
    db: Database, lang: str, table: str = EXACT
) -> tuple[list[str], dict[str, Any]] | None:
    """Conditions on the index `table` that keep one caption language; None if it has none."""
    number = _lang_slot(db, lang, create=False)
    if number is None:
        return None
    where: list[str] = []
    params: dict[str, Any] = {}
    if number < LANG_SLOTS:
        where.append(f"({table}.rowid % {LANG_SLOTS}) = :slot")
        params["slot"] = number
    # A late language may borrow this slot in some photo: then the id alone can't tell.
    if number >= LANG_SLOTS or _has_late_languages(db):
        where.append(f"(SELECT lang FROM search_docs WHERE id = {table}.rowid) = :lang")
        params["lang"] = lang
    return where, params


def _has_late_languages(db: Database) -> bool:
    return bool(_value(db, "SELECT max(slot) >= ? FROM search_langs", [LANG_SLOTS]))


def _shared_texts(db: Database, photo: dict[str, Any]) -> dict[str, list[str]]:
    """Text of one photo that is the same in every caption language, by index column, as stored."""
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
    return texts


def _shared_columns(db: Database, photo: dict[str, Any]) -> dict[str, str]:
    """The shared text as indexed (see index_text), for the columns captions do not fill."""
    caption_columns = {f.search for f in _CAPTION_TEXT}
    return {
        c: index_text(" ".join(t for t in v if t))
        for c, v in _shared_texts(db, photo).items()
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


def optimize(db: Database) -> None:
    """Merge each full-text index into one segment: what a settled archive searches fastest.

    FTS5 merges segments a little at a time as rows arrive; after a bulk load
    (a big import, a rebuild) one merge brings both indexes to that state.
    """
    with write(db):
        db.execute(f"INSERT INTO {EXACT} ({EXACT}) VALUES ('optimize')")
        db.execute(f"INSERT INTO {STEMS} ({STEMS}) VALUES ('optimize')")


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
def _occurrences(table: str) -> str:
    return " + ".join(
        f"{w} * (length(highlight({table}, {i}, char(1), '')) - length(coalesce({table}.{c}, '')))"
        for i, (w, c) in enumerate(zip(WEIGHTS[:4], _COLUMNS[:4], strict=True))
    )


def _common(db: Database, term: str, table: str = EXACT) -> bool:
    """Does this word (phrase) occur in more than COMMON_WORD documents? Reads at most that many."""
    row = db.execute(
        f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?)",
        [term, COMMON_WORD + 1],
    ).fetchone()
    return row[0] > COMMON_WORD


@dataclass
class SearchFilter(PhotoFilter):
    lang: str | None = None  # only match captions in this language
    limit: int | None = 50
    window: int = WINDOW
    common_window: int = COMMON_WINDOW


def _where(
    db: Database, q: _Query, f: PhotoFilter | None
) -> tuple[str, list[str], dict[str, Any]] | None:
    """The joins, conditions and parameters of a query on q.table; None when nothing can match."""
    t = q.table
    where = [f"{t} MATCH :q"]
    params: dict[str, Any] = {"q": q.match}
    if q.also:
        where.append(f"{t}.rowid IN (SELECT rowid FROM {EXACT} WHERE {EXACT} MATCH :also)")
        params["also"] = q.also
    if isinstance(f, SearchFilter) and f.lang:
        kept = _lang_condition(db, f.lang, t)
        if kept is None:
            return None
        where.extend(kept[0])
        params |= kept[1]
    joins = ""
    if f is not None:
        photo_filters, photo_params = _conditions(f)
        if photo_filters:
            joins = f" JOIN photos p ON p.id = {t}.rowid / {LANG_SLOTS}"
            where.extend(photo_filters)
            params |= photo_params
    return joins, where, params


def search_ids(db: Database, text: str, f: SearchFilter | None = None) -> list[int]:
    """Photo ids matching `text`, best first, ranked among the newest matches (see WINDOW)."""
    return [m[0] for m in _ranked(db, text, f or SearchFilter())]


def _ranked(db: Database, text: str, f: SearchFilter) -> list[tuple[int, int]]:
    """(photo id, id of its best-scoring document), best first."""
    q = _query(text)
    if q is None:
        return []
    t = q.table
    if any(_common(db, term, t) for term in q.terms):
        score, window = f"-({_occurrences(t)})", f.common_window
    else:
        score, window = f"{t}.rank", f.window
    found = _where(db, q, f)
    if found is None:
        return []
    joins, where, params = found
    params |= {
        "limit": f.limit or -1,
        "offset": f.offset,
        "window": max(window, (f.limit or 0) + f.offset),
    }
    # Inner: the newest matching documents, straight from the index in rowid
    # order (rank is computed only for these). Outer: rank them, one row a
    # photo; SQLite gives the bare column `doc` from the row min() chose.
    sql = (
        "SELECT photo_id, doc, min(score) AS best FROM ("
        f"SELECT {t}.rowid / {LANG_SLOTS} AS photo_id, {t}.rowid AS doc, {score} AS score "
        f"FROM {t}"
        + joins
        + " WHERE "
        + " AND ".join(where)
        + f" ORDER BY {t}.rowid DESC LIMIT :window"
        ") GROUP BY photo_id ORDER BY best, photo_id DESC LIMIT :limit OFFSET :offset"
    )
    return [(r[0], r[1]) for r in db.execute(sql, params).fetchall()]


def count(db: Database, text: str, f: PhotoFilter | None = None) -> int:
    """How many photos match `text` through the filter, whatever a search's limit."""
    q = _query(text)
    found = _where(db, q, f) if q is not None else None
    if q is None or found is None:
        return 0
    joins, where, params = found
    sql = (
        f"SELECT count(DISTINCT {q.table}.rowid / {LANG_SLOTS}) FROM {q.table}"
        + joins
        + " WHERE "
        + " AND ".join(where)
    )
    return int(_value(db, sql, params) or 0)


def all_ids(db: Database, text: str, f: PhotoFilter | None = None) -> list[int]:
    """Every photo matching `text`, newest first: a batch edit takes all, not the best few."""
    q = _query(text)
    found = _where(db, q, f) if q is not None else None
    if q is None or found is None:
        return []
    joins, where, params = found
    sql = (
        f"SELECT DISTINCT {q.table}.rowid / {LANG_SLOTS} AS photo_id FROM {q.table}"
        + joins
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY photo_id DESC"
    )
    return _column(db, sql, params)


@dataclass(frozen=True)
class Match:
    """A search result: the photo, and where the words were found (the text as written)."""

    photo_id: int
    lang: str  # the caption language of the matching document ('' for none)
    field: str  # the index column: headline, description, keywords, places, file_name…
    text: str  # an excerpt of that field's text, around the first word found


def matches(db: Database, text: str, f: SearchFilter | None = None) -> list[Match]:
    """As search_ids, each result with the text that matched and its language."""
    f = f or SearchFilter()
    q = _query(text)
    ranked = _ranked(db, text, f)
    if q is None or not ranked:
        return []
    return [_match(db, q, photo_id, doc) for photo_id, doc in ranked]


EXCERPT = 120  # characters of a field shown around a match
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"


def _match(db: Database, q: _Query, photo_id: int, doc: int) -> Match:
    """Which field of the document matched, and an excerpt of its text as the user wrote it.

    The index holds text as indexed (Korean as bigrams), so FTS5's highlight
    only says which words matched, and where; the excerpt is cut from the
    caption, keywords or place as stored.
    """
    t = q.table
    marked = ", ".join(f"highlight({t}, {i}, char(2), char(3))" for i in range(len(_COLUMNS)))
    row = db.execute(
        f"SELECT {marked} FROM {t} WHERE {t} MATCH ? AND {t}.rowid = ?", [q.match, doc]
    ).fetchone()
    lang = _value(db, "SELECT lang FROM search_docs WHERE id = ?", [doc]) or ""
    for column, value in zip(_COLUMNS, row or (), strict=False):
        if value and _MARK_OPEN in value:
            words = re.findall(f"{_MARK_OPEN}(.*?){_MARK_CLOSE}", value)
            return Match(
                photo_id, lang, column, _excerpt(_source(db, photo_id, lang, column), words)
            )
    return Match(photo_id, lang, "", "")


def _source(db: Database, photo_id: int, lang: str, column: str) -> str:
    """The stored text an index column was made from, for one photo and language."""
    caption_fields = [f.name for f in _CAPTION_TEXT if f.search == column]
    if caption_fields:
        row = _one(
            db,
            f"SELECT {', '.join(caption_fields)} FROM captions WHERE photo_id = ? AND lang = ?",
            [photo_id, lang],
        )
        return " · ".join(v for v in (row or {}).values() if v)
    photo = _one(db, "SELECT * FROM photos WHERE id = ?", [photo_id]) or {}
    return " · ".join(t for t in _shared_texts(db, photo).get(column, []) if t)


def _excerpt(text: str, words: list[str]) -> str:
    """About EXCERPT characters of `text` around the first of `words` found in it."""
    flat = " ".join(text.split())
    folded = unicodedata.normalize("NFKC", flat).casefold()
    at = min(
        (i for w in words if (i := folded.find(" ".join(w.split()).casefold())) >= 0),
        default=0,
    )
    if len(flat) <= EXCERPT:
        return flat
    start = max(0, min(at - EXCERPT // 3, len(flat) - EXCERPT))
    piece = flat[start : start + EXCERPT]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT < len(flat) else "")
