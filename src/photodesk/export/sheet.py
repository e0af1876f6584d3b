"""A caption sheet: the numbered items an editor or translator reads, and who took them when.

`build` reads the catalog (through `entries` and the pairs service) once;
the format writers see only the `CaptionSheet` it returns. A pair whose
photos are both in the selection is one item, at the place of its first
photo, with both images and the pair's caption.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from photodesk import pairs
from photodesk.catalog import Catalog, settings
from photodesk.catalog import pairs as pair_rows
from photodesk.dates import TakenDate, enclosing, phrase
from photodesk.export.entries import Entry, Place, load
from photodesk.export.names import safe_name
from photodesk.export.selection import Selection
from photodesk.fields import BY_NAME, FIELDS, PER_LANGUAGE
from photodesk.language import normalize_lang

# Words of the credit summary; other languages get the English ones.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "all": "All photographs by {credit} {date}",
        "all_undated": "All photographs by {credit}",
        "except": ", except {items}",
        "item": "No. {n} ({what})",
        "and": " and ",
        "sep": ", ",
        "left": "left",
        "right": "right",
        "undated": "date unknown",
        "uncredited": "uncredited",
        "graphic": "Graphics: {items}",
        "map": "Maps: {items}",
        "end": ".",
    },
    "ko": {
        "all": "사진 전체: {credit}, {date}",
        "all_undated": "사진 전체: {credit}",
        "except": " (단, {items} 제외)",
        "item": "{n}번({what})",
        "and": ", ",
        "sep": ", ",
        "left": "왼쪽",
        "right": "오른쪽",
        "undated": "날짜 미상",
        "uncredited": "제공자 미상",
        "graphic": "그래픽: {items}",
        "map": "지도: {items}",
        "end": "",
    },
    "ja": {
        "all": "写真はすべて{credit}、{date}",
        "all_undated": "写真はすべて{credit}",
        "except": "（ただし{items}を除く）",
        "item": "No.{n}（{what}）",
        "and": "、",
        "sep": "、",
        "left": "左",
        "right": "右",
        "undated": "日付不明",
        "uncredited": "クレジットなし",
        "graphic": "図版: {items}",
        "map": "地図: {items}",
        "end": "。",
    },
}
_IN_DATE = {"en": "in {date}", "ko": "{date}", "ja": "{date}"}


@dataclass(frozen=True)
class Picture:
    """One image of an item: a photo, or one side of a pair."""

    photo_id: int
    file_name: str
    thumbnail: Path | None
    date: str | None  # in the sheet's language
    entry: Entry


@dataclass(frozen=True)
class Item:
    number: int
    kind: str  # photo, map, graphic, or pair
    pictures: list[Picture]
    date: str | None
    created_place: str | None
    shown_place: str | None
    headline: str | None
    caption: str | None
    creator: str | None
    credit: str | None
    instructions: str | None
    span: str | None = None  # a pair: the time between its photos
    pair_id: int | None = None

    @property
    def file_names(self) -> list[str]:
        return [p.file_name for p in self.pictures]


@dataclass(frozen=True)
class CaptionSheet:
    title: str
    lang: str
    items: list[Item]
    credit_summary: list[str]
    made: str  # the day the sheet was made, ISO
    job_id: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        n = len(self.items)
        return f"{n} item{'' if n == 1 else 's'} in {self.lang}"


def _place(place: Place | None) -> str | None:
    return place.describe() if place else None


def _joined(values: list[str | None], labelled: bool = True) -> str | None:
    """One value if both sides of a pair agree; else each side's, marked left and right."""
    found = [v for v in values if v]
    if not found:
        return None
    if len(set(found)) == 1 and len(found) == len(values):
        return found[0]
    if not labelled:  # dates, headlines: read in order, "before / after"
        return " / ".join(v or "–" for v in values)
    sides = ("left", "right") if len(values) == 2 else tuple(str(i) for i in range(1, 9))
    return "; ".join(f"{v} ({side})" for v, side in zip(values, sides, strict=False) if v)


def _photo_item(n: int, e: Entry, lang: str) -> Item:
    return Item(
        number=n,
        kind=e.kind,
        pictures=[Picture(e.id, e.file_name, e.thumbnail, e.date_phrase(lang), e)],
        date=e.date_phrase(lang),
        created_place=_place(e.created_place),
        shown_place=_place(e.shown_place),
        headline=e.text("headline", lang),
        caption=e.text("description", lang),
        creator=e.fields.get("creator"),
        credit=e.fields.get("credit"),
        instructions=e.fields.get("instructions"),
    )


def _pair_item(n: int, view: pairs.PairView, before: Entry, after: Entry, lang: str) -> Item:
    sides = [before, after]
    return Item(
        number=n,
        kind="pair",
        pictures=[Picture(e.id, e.file_name, e.thumbnail, e.date_phrase(lang), e) for e in sides],
        date=_joined([e.date_phrase(lang) for e in sides], labelled=False),
        created_place=_joined([_place(e.created_place) for e in sides]),
        shown_place=_joined([_place(e.shown_place) for e in sides]),
        headline=view.subject or _joined([e.text("headline", lang) for e in sides], False),
        caption=view.caption,
        creator=_joined([e.fields.get("creator") for e in sides]),
        credit=_joined([e.fields.get("credit") for e in sides]),
        instructions=_joined([e.fields.get("instructions") for e in sides]),
        span=view.span,
        pair_id=view.id,
    )


def build(catalog: Catalog, chosen: Selection, lang: str | None = None) -> CaptionSheet:
    """The sheet for a selection, in a language (default: the archive's)."""
    lang = normalize_lang(lang) if lang else settings.default_language(catalog.db)
    entries = {e.id: e for e in load(catalog, chosen.photo_ids)}
    order = [i for i in chosen.photo_ids if i in entries]
    # A pair is one item when both its photos are chosen; a photo in two such pairs
    # goes with the first made.
    pair_of: dict[int, dict[str, Any]] = {}
    for row in sorted(pair_rows.listing(catalog.db), key=lambda p: p["id"]):
        ids = (row["before_id"], row["after_id"])
        if all(i in entries and i not in pair_of for i in ids):
            pair_of.update(dict.fromkeys(ids, row))
    items: list[Item] = []
    done: set[int] = set()
    for photo_id in order:
        if photo_id in done:
            continue
        pair = pair_of.get(photo_id)
        n = len(items) + 1
        if pair is None:
            items.append(_photo_item(n, entries[photo_id], lang))
            done.add(photo_id)
            continue
        view = pairs.view(catalog, pair["id"], lang)
        before, after = entries[pair["before_id"]], entries[pair["after_id"]]
        items.append(_pair_item(n, view, before, after, lang))
        done.update((before.id, after.id))
    warnings = [
        f"No. {item.number} ({', '.join(item.file_names)}) has no caption in {lang}"
        for item in items
        if not item.caption
    ]
    return CaptionSheet(
        title=chosen.title,
        lang=lang,
        items=items,
        credit_summary=credit_summary(items, lang),
        made=date.today().isoformat(),
        job_id=chosen.job_id,
        warnings=warnings,
    )


# -- the credit summary -------------------------------------------------------------


@dataclass(frozen=True)
class _Shot:
    """One photograph of the sheet as the summary sees it."""

    number: int
    side: str | None  # "left"/"right" in a pair
    credit: str | None
    taken: TakenDate | None


def _shots(items: list[Item]) -> list[_Shot]:
    out = []
    for item in items:
        if item.kind in ("graphic", "map"):
            continue
        sides: list[str | None] = ["left", "right"] if len(item.pictures) == 2 else [None]
        for side, picture in zip(sides, item.pictures, strict=True):
            e = picture.entry
            out.append(_Shot(item.number, side, e.fields.get("credit"), e.taken))
    return out


def _month(taken: TakenDate | None) -> tuple[int, int] | None:
    if taken is None or (taken.start.year, taken.start.month) != (taken.end.year, taken.end.month):
        return None
    return taken.start.year, taken.start.month


def _listing(parts: list[str], words: dict[str, str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return words["sep"].join(parts[:-1]) + words["and"] + parts[-1]


def credit_summary(items: list[Item], lang: str) -> list[str]:
    """One sentence for the photographs, and one per kind of artwork credited separately.

    "All photographs by a reporting partner, in late July 2023, except No. 9
    (September 2019)." The main credit is the most common; the main date
    encloses the most common month's photographs; every photograph off
    either is named with what differs.
    """
    words = _WORDS.get(lang.split("-")[0], _WORDS["en"])
    in_date = _IN_DATE.get(lang.split("-")[0], _IN_DATE["en"])
    lines = []
    shots = _shots(items)
    if shots:
        credits = Counter(s.credit for s in shots if s.credit)
        main_credit = credits.most_common(1)[0][0] if credits else None
        months = Counter(m for s in shots if (m := _month(s.taken)))
        main_month = months.most_common(1)[0][0] if months else None
        in_month = [s.taken for s in shots if s.taken and _month(s.taken) == main_month]
        main_date = enclosing(in_month) if in_month else None
        exceptions = []
        for s in shots:
            what = []
            if s.credit != main_credit:
                what.append(s.credit or words["uncredited"])
            if s.taken is None:
                what.append(words["undated"])
            elif _month(s.taken) != main_month:
                what.append(phrase(s.taken, lang))
            if what:
                label = f"{words[s.side]}, " if s.side else ""
                exceptions.append(words["item"].format(n=s.number, what=label + ", ".join(what)))
        credit = main_credit or words["uncredited"]
        if main_date is not None:
            date_words = in_date.format(date=phrase(main_date, lang))
            line = words["all"].format(credit=credit, date=date_words)
        else:
            line = words["all_undated"].format(credit=credit)
        if exceptions:
            line += words["except"].format(items=_listing(exceptions, words))
        lines.append(line + words["end"])
    for kind in ("graphic", "map"):
        art = [i for i in items if i.kind == kind]
        if art:
            named = [
                words["item"].format(n=i.number, what=i.credit or words["uncredited"]) for i in art
            ]
            lines.append(words[kind].format(items=_listing(named, words)) + words["end"])
    return lines


# -- every field under its IPTC name ---------------------------------------------------


def _place_record(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    record: dict[str, Any] = {"Location Name": place.name}
    for name, value in place.parts.items():
        record[BY_NAME[name].iptc_name or name] = value
    return record


def iptc_record(e: Entry) -> dict[str, Any]:
    """A photo's fields by IPTC name; per-language fields as {language: text}."""
    record: dict[str, Any] = {}
    for f in FIELDS:
        if f.iptc_name is None or f.scope == "place":
            continue
        if f.name in PER_LANGUAGE:
            texts = {lang: v[f.name] for lang, v in sorted(e.captions.items()) if f.name in v}
            record[f.iptc_name] = texts or None
        elif f.type == "list":
            record[f.iptc_name] = list(e.keywords)
        elif f.type == "date":
            record[f.iptc_name] = e.date_iso
        elif f.name == "created_place":
            record[f.iptc_name] = _place_record(e.created_place)
        elif f.name == "shown_place":
            record[f.iptc_name] = _place_record(e.shown_place)
        else:
            record[f.iptc_name] = e.fields.get(f.name)
    return record


def _text(value: Any) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(str(v) for v in value.values())
    return str(value)


def columns(item: Item, lang: str) -> dict[str, str | None]:
    """An item as one row of text under IPTC names, in the sheet's language.

    For a pair, a field the two photos disagree on is given as "left / right".
    """
    row: dict[str, str | None] = {
        "No.": str(item.number),
        "Kind": item.kind,
        "File Name": " + ".join(item.file_names),
        "Headline": item.headline,
        "Description": item.caption,
        "Date Created": _joined([p.entry.date_iso for p in item.pictures], labelled=False),
        "Date": item.date,
        "Location Created": item.created_place,
        "Location Shown": item.shown_place,
        "Creator": item.creator,
        "Credit Line": item.credit,
        "Instructions": item.instructions,
    }
    records = [iptc_record(p.entry) for p in item.pictures]
    for f in FIELDS:
        name = f.iptc_name
        if name is None or name in row or f.scope == "place":
            continue
        if f.name in PER_LANGUAGE:
            row[name] = _joined([p.entry.text(f.name, lang) for p in item.pictures])
        else:
            row[name] = _joined([_text(r.get(name)) for r in records])
    return row


_BLANK = Item(0, "photo", [], None, None, None, None, None, None, None, None)


def header() -> list[str]:
    """The names `columns` gives, in its order, for a sheet with no items."""
    return list(columns(_BLANK, "en"))


def file_stem(title: str) -> str:
    """A safe file name from a sheet's title (lower case: a sheet's name, not a heading)."""
    return safe_name(title, "caption-sheet").lower()
