"""How commands print: JSON for scripts, or lines for a person; catalog text is data."""

from __future__ import annotations

import json
import math
import shutil
from typing import Any

import click
from rich.cells import cell_len, set_cell_size

from photodesk.catalog import Catalog, places
from photodesk.catalog import photos as photo_rows
from photodesk.dates import from_columns, phrase
from photodesk.fields import BY_NAME, FIELDS, Field
from photodesk.text import for_json, for_terminal

# Positions: six decimal places is about 0.1 m; more is float noise (42.456100000000006).
_POSITIONS = {"gps_lat", "gps_lon", "latitude", "longitude", "lat", "lon"}


def _finite(value: Any, key: str | None = None) -> Any:
    """NaN and infinities as null (JSON has no such numbers); positions to six places."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 6) if key in _POSITIONS else value
    if isinstance(value, dict):
        return {k: _finite(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, key) for v in value]
    return value


def emit_json(data: Any) -> None:
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    click.echo(for_json(text))


def _date_label(p: dict[str, Any]) -> str:
    """Exact times to the minute (the column is narrow); ranges as their phrase."""
    if p.get("taken_precision") in ("second", "minute") or not p.get("taken_text"):
        return (p.get("taken_start") or "")[:16].replace("T", " ")
    return str(p["taken_text"])


def terminal_width() -> int:
    """The terminal's width in cells ($COLUMNS when output is not a terminal)."""
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def _fit(text: str, width: int) -> str:
    """Exactly `width` display cells: cut with an ellipsis, or padded (wide characters count 2)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


# Columns of the listing: (header, most cells it takes, fewest it keeps on a narrow terminal).
_COLUMNS = (("File", 30, 10), ("Date", 16, 10), ("Place", 26, 8))
_GAP = "  "


def print_rows(rows: list[dict[str, Any]]) -> None:
    """One line a photo under a header, laid out to the terminal's width.

    Widths are measured in display cells, so Korean and Japanese (two cells a
    character) keep the columns aligned; the caption takes the room left.
    """
    if not rows:
        click.echo("no photos match")
        return
    table = [
        [
            str(p["id"]),
            for_terminal(p["file_name"] or "", single_line=True),
            for_terminal(_date_label(p), single_line=True),
            for_terminal(p.get("shown_place") or p.get("created_place") or "", single_line=True),
            for_terminal(" ".join(_caption_cell(p).split()), single_line=True),
        ]
        for p in rows
    ]
    id_w = max(2, *(len(r[0]) for r in table))
    widths = [
        min(most, max(len(header), *(cell_len(r[i + 1]) for r in table)))
        for i, (header, most, _fewest) in enumerate(_COLUMNS)
    ]
    room = terminal_width() - id_w - len(_GAP) * 4
    caption_min = max(12, room // 3)  # the caption is what the listing is read for
    excess = sum(widths) + caption_min - room
    slack = [w - fewest for w, (_, _, fewest) in zip(widths, _COLUMNS, strict=True)]
    if excess > 0 and sum(slack) > 0:  # a narrow terminal: each column gives way by its slack
        share = min(1.0, excess / sum(slack))
        widths = [w - math.ceil(s * share) for w, s in zip(widths, slack, strict=True)]
    caption_w = max(caption_min, room - sum(widths))
    header = ["ID".rjust(id_w)] + [
        _fit(h, w) for (h, _, _), w in zip(_COLUMNS, widths, strict=True)
    ]
    click.echo(_GAP.join([*header, "Caption"]).rstrip())
    for r in table:
        cells = [r[0].rjust(id_w), *(_fit(c, w) for c, w in zip(r[1:4], widths, strict=True))]
        caption = r[4] if cell_len(r[4]) <= caption_w else _fit(r[4], caption_w)
        click.echo(_GAP.join([*cells, caption]).rstrip())


def _caption_cell(p: dict[str, Any]) -> str:
    """The caption, or for a search result the text that matched, with its language and field."""
    match = p.get("match")
    if not match or not match.get("text"):
        return str(p.get("caption") or p.get("headline") or "")
    field = BY_SEARCH_COLUMN.get(match["field"])
    label = (
        "" if match["field"] == "description" else f"{field.label if field else match['field']}: "
    )
    lang = f"[{match['lang']}] " if match.get("lang") else ""
    return f"{lang}{label}{match['text']}"


# Search index column → the first field that feeds it, for labelling a match.
BY_SEARCH_COLUMN = {f.search: f for f in reversed(FIELDS) if f.search}


def told_capped(shown: int, offset: int, total: int) -> None:
    """On stderr, when there are more photos than shown: how many, and how to see them."""
    if total <= offset + shown:
        return
    if offset:
        where = f"{offset + 1:,}–{offset + shown:,} of {total:,}"
    else:
        where = f"{shown:,} of {total:,}"
    click.echo(f"{where}; --limit to see more, --offset {offset + shown} for the next", err=True)


def rows_or_json(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        emit_json(rows)
    else:
        print_rows(rows)


def indented(text: str) -> str:
    """Multi-line values line up under their first line."""
    return for_terminal(text).replace("\n", "\n" + " " * 24)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display cells (Korean counts two), broken between words.

    A word wider than a line (a long URL, Korean run together) is cut where the
    line is full; line breaks in the text are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while cell_len(line) > width:
                cut = _cut(line, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines or [""]


def _cut(text: str, width: int) -> int:
    """How many characters of `text` fill at most `width` cells (at least one)."""
    used = 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > width:
            return max(1, i)
    return len(text)


def place_line(place: dict[str, Any] | None) -> str:
    """A place with its hierarchy: "Wonjong customs house — Rason, North Korea (KP)"."""
    if not place:
        return ""
    parts = [place.get(f.name) for f in FIELDS if f.scope == "place" and f.name != "country_code"]
    where = ", ".join(dict.fromkeys(str(x) for x in parts if x and x != place["name"]))
    code = f" ({place['country_code']})" if place.get("country_code") else ""
    return place["name"] + (f" — {where}{code}" if where or code else "")


def date_line(photo: dict[str, Any], lang: str = "en") -> str:
    """The desk's date as a reader writes it in `lang` ("28 July 2023"), never as typed."""
    taken = from_columns(photo)
    if taken is None:
        return ""
    text = phrase(taken, lang)
    if taken.precision in ("second", "minute"):
        text += f" {taken.start:%H:%M}" + (f" {taken.offset}" if taken.offset else "")
    return text


# What `list --full` shows when --fields does not say: what a caption reads
# (every per-language field), who to credit, when and where. Empty ones are left out.
PROOF_FIELDS = tuple(
    f.name
    for f in FIELDS
    if f.scope == "language" or f.search == "credit" or f.type in ("date", "place")
)
_GUTTER = "   "


def print_proof(photos: list[dict[str, Any]], langs: list[str], names: tuple[str, ...]) -> None:
    """Each photo's fields for proofreading: one column per language, wrapped to the terminal.

    Per-language fields (and the date, as each language writes it) stand side by
    side; fields kept once per photo span the width. Widths are display cells.
    """
    if not photos:
        click.echo("no photos match")
        return
    width = terminal_width()
    fields = [BY_NAME[n] for n in names]
    label_w = max(cell_len(f.label) for f in fields) + 2
    column_w = max(8, (width - label_w - len(_GUTTER) * (len(langs) - 1)) // len(langs))
    wide = len(langs) > 1 and any(f.scope == "language" or f.type == "date" for f in fields)
    for n, photo in enumerate(photos):
        if n:
            click.echo("")
        head = " · ".join(
            str(x) for x in (photo["file_name"], photo.get("kind"), photo.get("status")) if x
        )
        for line in wrap(for_terminal(f"#{photo['id']}  {head}", single_line=True), width):
            click.echo(line.rstrip())
        if wide:
            click.echo(
                (" " * label_w + _GUTTER.join(_fit(f"[{t}]", column_w) for t in langs)).rstrip()
            )
        for f in fields:
            if f.scope == "language" or f.type == "date":
                cells = [_proof_value(photo, f, lang) for lang in langs]
                if not any(cells):
                    continue
                columns = [wrap(for_terminal(c), column_w) for c in cells]
                depth = max(len(c) for c in columns)
                for i in range(depth):
                    label = f.label if i == 0 else ""
                    parts = [set_cell_size(c[i] if i < len(c) else "", column_w) for c in columns]
                    click.echo((set_cell_size(label, label_w) + _GUTTER.join(parts)).rstrip())
            else:
                value = _proof_value(photo, f, langs[0])
                if not value:
                    continue
                lines = wrap(for_terminal(value), width - label_w)
                for i, line in enumerate(lines):
                    click.echo((set_cell_size(f.label if i == 0 else "", label_w) + line).rstrip())


def proof_photos(catalog: Catalog, photo_ids: list[int], langs: list[str]) -> list[dict[str, Any]]:
    """The photos with their captions and their places' rows (`<field>_row`), for print_proof."""
    out = []
    for photo_id in photo_ids:
        photo = photo_rows.get(catalog.db, photo_id, langs[0])
        if photo is None:
            continue
        for f in FIELDS:
            if f.type == "place" and photo.get(f"{f.name}_id"):
                photo[f"{f.name}_row"] = places.get(catalog.db, photo[f"{f.name}_id"])
        out.append(photo)
    return out


def _proof_value(photo: dict[str, Any], f: Field, lang: str) -> str:
    if f.scope == "language":
        return str((photo["captions"].get(lang) or {}).get(f.name) or "")
    if f.type == "date":
        return date_line(photo, lang)
    if f.type == "place":
        return place_line(photo.get(f"{f.name}_row"))
    value = photo.get(f.name)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value or "")


# `show`: the groups a photo's fields are read in. Fields come from the field
# table by scope and type; only the file facts are named here, as they are no field.
_FILE_FACTS = (
    ("File", "file_name"),
    ("Format", "format"),
    ("Pixels", "pixels"),
    ("Camera", "camera"),
    ("GPS", "gps"),
)
# Shown only with --all: hashes, internal ids and paths.
_INTERNAL = (
    "id",
    "sha256",
    "phash",
    "original_path",
    "thumb_path",
    "created_place_id",
    "shown_place_id",
    "source_paths",
    "import_run_id",
)


def print_photo(photo: dict[str, Any], lang: str, everything: bool = False) -> None:
    """One photo, its fields grouped under caption, date, places and source, each once."""
    photo = _finite(photo)
    label_w = max(cell_len(f.label) for f in FIELDS) + 7
    width = terminal_width()

    def line(label: str, value: Any) -> None:
        if value in (None, "", []):
            return
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        for i, piece in enumerate(wrap(for_terminal(text), max(20, width - label_w - 2))):
            click.echo(("  " + set_cell_size(label if i == 0 else "", label_w) + piece).rstrip())

    head = " · ".join(str(x) for x in (photo.get("kind"), photo.get("status")) if x)
    click.echo(for_terminal(f"Photo {photo['id']}: {photo['file_name']}  ({head})", True))
    captions = photo.get("captions") or {}
    if any(any(v for v in c.values()) for c in captions.values()):
        click.echo("Caption")
        for code in sorted(captions, key=lambda c: (c != lang, c)):  # the asked-for one first
            for f in FIELDS:
                if f.scope == "language":
                    line(f"{f.label} [{code}]", captions[code].get(f.name))
    click.echo("Date")
    line("Date", date_line(photo) or "not known")
    if everything and photo.get("taken_text") != date_line(photo):
        line("As written", photo.get("taken_text"))
    line("From", photo.get("taken_source"))
    if photo.get("date_differs") and photo.get("camera_date"):
        line("Camera's", photo["camera_date"])
    click.echo("Places")
    for f in FIELDS:
        if f.type == "place":
            line(f.label, place_line(photo.get(f"{f.name}_row")) or "—")
    click.echo("Source")
    for f in FIELDS:
        if f.scope == "photo" and f.type in ("text", "list"):
            line(f.label, photo.get(f.name))
    click.echo("File")
    facts = dict(photo)
    if photo.get("width") and photo.get("height"):
        facts["pixels"] = f"{photo['width']} × {photo['height']}"
    facts["camera"] = " ".join(
        str(photo[k]) for k in ("camera_make", "camera_model") if photo.get(k)
    )
    if photo.get("gps_lat") is not None and photo.get("gps_lon") is not None:
        facts["gps"] = f"{photo['gps_lat']:.6f}, {photo['gps_lon']:.6f}"
    for label, key in _FILE_FACTS:
        line(label, facts.get(key))
    line("Stories", photo.get("stories"))
    for missing in photo.get("missing") or []:
        line("Missing", missing)
    if everything:
        click.echo("Internal")
        shown = {"captions", "missing", "stories", "caption", "headline"}
        shown |= {f.name for f in FIELDS} | {key for _, key in _FILE_FACTS}
        for key in _INTERNAL:
            line(key, photo.get(key))
        for key, value in photo.items():
            if key not in shown and key not in _INTERNAL and not key.endswith("_row"):
                line(key, value)


def warn(message: str) -> None:
    """A warning on stderr, one line, with catalog text kept inert."""
    click.echo(f"warning: {for_terminal(message, single_line=True)}", err=True)
