"""Before/after pairs: two photos of one scene years apart, as one thing the desk works with.

The rules (before is not later than after), the span between them in words,
the composed "(Left) … (Right) …" caption, suggestions of likely pairs and the
side-by-side diptych. Rows live in `catalog.pairs`; nothing here speaks SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from photodesk.catalog import Catalog, codes, photos, places, settings, stories
from photodesk.catalog import pairs as rows
from photodesk.catalog.pairs import PairError
from photodesk.catalog.tx import write
from photodesk.dates import TakenDate, from_columns, phrase
from photodesk.language import normalize_lang
from photodesk.pairs import caption as captions
from photodesk.pairs import diptych
from photodesk.pairs.suggest import Candidate, Suggestion, rank
from photodesk.pairs.timing import OrderError, check_order, span
from photodesk.phash import dhash
from photodesk.text import without_controls

__all__ = [
    "OrderError",
    "PairError",
    "PairSide",
    "PairView",
    "Suggestion",
    "create",
    "edit",
    "set_caption",
    "suggestions",
    "swap",
    "view",
    "write_diptych",
]


@dataclass
class PairSide:
    photo_id: int
    file_name: str
    date: str | None  # as the language asked for writes it
    date_text: str | None  # the desk's own phrase, as stored
    caption: str | None  # the photo's caption in that language
    original_path: str | None
    credit: str | None
    shown_place: str | None = None  # the name of the place the frame shows
    thumb_path: str | None = None  # as stored (relative to the archive)


@dataclass
class PairView:
    """Everything a shell or an exporter shows of one pair, in one language."""

    id: int
    subject: str | None
    note: str | None
    lang: str
    before: PairSide
    after: PairSide
    span: str
    warnings: list[str]
    composed: str | None  # "(Left) … (Right) …" from the photos' own captions
    edited: str | None  # the desk's own pair caption in this language, if any
    captions: dict[str, str] = field(default_factory=dict)  # every edited language
    missing: list[str] = field(default_factory=list)  # why there is no composed caption

    @property
    def caption(self) -> str | None:
        """The caption that goes out: the desk's own, else the composed one."""
        return self.edited or self.composed


def _dates(catalog: Catalog, before_id: int, after_id: int) -> tuple[TakenDate | None, ...]:
    found = []
    for photo_id in (before_id, after_id):
        row = photos.row(catalog.db, photo_id)
        if row is None:
            raise PairError(f"no photo with id {photo_id}")
        found.append(from_columns(row))
    return tuple(found)


def _clean(text: str | None, expand: codes.Expander | None = None) -> str | None:
    """Pair text as stored: trimmed, code replacements expanded, controls dropped, "" is none."""
    text = without_controls((text or "").strip())
    return (expand(text) if expand else text) or None


def create(
    catalog: Catalog,
    before_id: int,
    after_id: int,
    subject: str | None = None,
    note: str | None = None,
) -> tuple[int, list[str]]:
    """Pair two photos; returns the pair's id and what the editor should know about it."""
    expand = codes.Expander(catalog.db)
    # The dates are read and the pair written in one transaction: a date edited
    # meanwhile (in another window) cannot slip past the order rule.
    with write(catalog.db):
        existing = rows.find(catalog.db, before_id, after_id)
        if existing is not None:  # said first: it matters more than the order of the two
            raise PairError(f"photos {before_id} and {after_id} are already pair {existing}")
        before, after = _dates(catalog, before_id, after_id)
        try:
            warnings = check_order(before, after)
        except OrderError as exc:
            raise OrderError(f"{exc}; give them the other way round") from None
        pair_id = rows.create(
            catalog.db, before_id, after_id, _clean(subject, expand), _clean(note, expand)
        )
    return pair_id, warnings + expand.warnings()


def swap(catalog: Catalog, pair_id: int) -> list[str]:
    """Turn a pair round (before becomes after), if the dates allow it."""
    with write(catalog.db):
        pair = rows.require(catalog.db, pair_id)
        before, after = _dates(catalog, pair["after_id"], pair["before_id"])
        try:
            warnings = check_order(before, after)
        except OrderError as exc:
            raise OrderError(f"cannot swap pair {pair_id}: once swapped, {exc}") from None
        rows.swap(catalog.db, pair_id)
    return warnings


def edit(
    catalog: Catalog, pair_id: int, subject: str | None = None, note: str | None = None
) -> list[str]:
    """Change the subject and/or the note (None leaves one alone, "" clears it)."""
    expand = codes.Expander(catalog.db)
    values = {
        name: _clean(value, expand)
        for name, value in (("subject", subject), ("note", note))
        if value is not None
    }
    if not values:
        raise PairError("nothing to change: give a subject or a note")
    rows.update(catalog.db, pair_id, values)
    return expand.warnings()


def set_caption(
    catalog: Catalog, pair_id: int, lang: str | None, text: str
) -> tuple[str, list[str]]:
    """The desk's own pair caption in a language (default: the archive's); "" goes back to
    the composed one. Returns the language tag used and warnings (unknown codes)."""
    tag = normalize_lang(lang) if lang else settings.default_language(catalog.db)
    expand = codes.Expander(catalog.db)
    rows.set_caption(catalog.db, pair_id, tag, _clean(text, expand))
    return tag, expand.warnings()


def _side(
    catalog: Catalog, photo_id: int, lang: str
) -> tuple[PairSide, captions.Side, TakenDate | None]:
    row = photos.row(catalog.db, photo_id)
    if row is None:  # cannot happen: deleting a photo deletes its pairs
        raise PairError(f"no photo with id {photo_id}")
    taken = from_columns(row)
    text = photos.captions(catalog.db, photo_id).get(lang, {}).get("description")
    date = phrase(taken, lang) if taken else None
    shown = places.get(catalog.db, row["shown_place_id"]) if row["shown_place_id"] else None
    side = PairSide(
        photo_id=photo_id,
        file_name=row["file_name"],
        date=date,
        date_text=row["taken_text"],
        caption=text,
        original_path=row["original_path"],
        credit=row["credit"],
        shown_place=shown["name"] if shown else None,
        thumb_path=row["thumb_path"],
    )
    return side, captions.Side(text, date), taken


def view(catalog: Catalog, pair_id: int, lang: str | None = None) -> PairView:
    """One pair in one language (default: the archive's): sides, span, warnings, captions."""
    lang = normalize_lang(lang) if lang else settings.default_language(catalog.db)
    pair = rows.require(catalog.db, pair_id)
    before, before_text, before_date = _side(catalog, pair["before_id"], lang)
    after, after_text, after_date = _side(catalog, pair["after_id"], lang)
    try:
        warnings = check_order(before_date, after_date)
    except OrderError as exc:  # a date was corrected after the pair was made
        warnings = [str(exc)]
    edited = rows.captions(catalog.db, pair_id)
    return PairView(
        id=pair_id,
        subject=pair["subject"],
        note=pair["note"],
        lang=lang,
        before=before,
        after=after,
        span=span(before_date, after_date),
        warnings=warnings,
        composed=captions.compose(before_text, after_text, lang),
        edited=edited.get(lang),
        captions=edited,
        missing=[
            f"photo {s.photo_id} ({s.file_name}) has no caption in {lang}"
            for s in (before, after)
            if not s.caption
        ],
    )


def _backfill_hashes(catalog: Catalog) -> None:
    """Hash photos catalogued before hashes were kept, from their thumbnails (once)."""
    found = {}
    for row in rows.missing_hashes(catalog.db):
        try:
            with Image.open(catalog.archive.resolve(row["thumb_path"])) as thumb:
                found[row["id"]] = dhash(thumb)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # a missing or broken thumbnail: the photo is ranked without likeness
    if found:
        rows.set_hashes(catalog.db, found)


def _candidate(row: dict[str, Any]) -> Candidate | None:
    taken = from_columns(row)
    if taken is None:
        return None
    return Candidate(
        photo_id=row["id"],
        file_name=row["file_name"] or "",
        start=taken.start,
        end=taken.end,
        date_text=phrase(taken),
        shown_place_id=row["shown_place_id"],
        shown_place=row["shown_place"],
        lat=row["gps_lat"],
        lon=row["gps_lon"],
        phash=row["phash"],
        precision=taken.precision,
    )


def suggestions(
    catalog: Catalog,
    story: str | None = None,
    within_km: float = 1.0,
    min_gap_days: int = 180,
    limit: int | None = 20,
) -> list[Suggestion]:
    """Likely before/after pairs not yet made, best first, each saying why.

    With a story, each suggestion has at least one photo in it: the other may
    be an older photo from anywhere in the archive.
    """
    _backfill_hashes(catalog)
    found = [c for c in map(_candidate, rows.candidates(catalog.db)) if c is not None]
    exclude = rows.paired(catalog.db)
    members = None
    if story is not None:
        members = stories.photo_order(catalog.db, stories.require(catalog.db, story))
    return rank(
        found,
        within_km=within_km,
        min_gap_days=min_gap_days,
        exclude=exclude,
        limit=limit,
        keep=members,
    )


def write_diptych(
    catalog: Catalog,
    pair_id: int,
    out: Path,
    width: int = 2400,
    labels: bool = False,
    lang: str | None = None,
    font: Path | None = None,
) -> list[str]:
    """Write the pair side by side to `out` (JPEG), its caption and subject embedded.

    Returns what the editor should know: a missing caption or date, IIM byte limits.
    """
    shown = view(catalog, pair_id, lang)
    notes = (
        [] if shown.caption else [f"no pair caption in {shown.lang}: " + "; ".join(shown.missing)]
    )
    sides = []
    for side in (shown.before, shown.after):
        path = catalog.archive.resolve(side.original_path or "")
        if not path.is_file():
            raise PairError(
                f"the original of photo {side.photo_id} ({side.file_name}) is missing from the "
                f"archive (it should be at {path}); import it again"
            )
        if labels and not side.date:
            notes.append(f"photo {side.photo_id} has no date: no label drawn on it")
        sides.append(diptych.Side(path, side.date if labels else None))
    image = diptych.compose(sides[0], sides[1], width, font)
    left, right = shown.before.credit, shown.after.credit
    credit = (
        left if left == right else f"{left} (left), {right} (right)" if left and right else None
    )
    return notes + diptych.save(
        image, out, shown.caption, shown.subject, shown.lang, credit or left or right
    )
