"""A partner's notes for a batch: file name → caption, headline, date, places, credit.

CSV (comma, or tab for .tsv/.tab) or JSON (a list of objects, or an object
keyed by file name). Several rows may name one file, one per language.
A column nobody knows is an error, not silently dropped: it would be a
partner's caption lost.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from photodesk.errors import PhotodeskError

KINDS = ("photo", "map", "graphic")

# accepted spelling → canonical column
_COLUMNS = {
    "file": "file",
    "filename": "file",
    "file_name": "file",
    "name": "file",
    "photo": "file",
    "language": "language",
    "lang": "language",
    "headline": "headline",
    "caption": "description",
    "description": "description",
    "title": "title",
    "date": "date",
    "date_text": "date",
    "taken": "date",
    "place": "created_place",
    "created_place": "created_place",
    "location": "created_place",
    "shown_place": "shown_place",
    "credit": "credit",
    "creator": "creator",
    "creator_title": "creator_title",
    "source": "source",
    "copyright": "copyright",
    "instructions": "instructions",
    "job_id": "job_id",
    "keywords": "keywords",
    "kind": "kind",
}


class NotesError(PhotodeskError):
    pass


@dataclass
class NoteRow:
    line: int
    file: str
    values: dict[str, str]

    @property
    def language(self) -> str | None:
        return self.values.get("language") or None


@dataclass
class Notes:
    source: Path
    rows: list[NoteRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[NoteRow]] = defaultdict(list)
        for row in self.rows:
            self._by_name[PurePath(row.file).name.casefold()].append(row)

    def for_file(self, path: str) -> list[NoteRow]:
        return self._by_name.get(PurePath(path).name.casefold(), [])

    def unmatched(self, seen_names: set[str]) -> list[NoteRow]:
        return [r for r in self.rows if PurePath(r.file).name.casefold() not in seen_names]


def _canonical(raw: dict[str, object], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw.items():
        name = _COLUMNS.get(str(key).strip().casefold().replace(" ", "_"))
        if name is None:
            known = ", ".join(sorted(set(_COLUMNS.values())))
            raise NotesError(f"{where}: unknown column {key!r}; known columns: {known}")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        text = "" if value is None else str(value).strip()
        if text:
            out[name] = text
    kind = out.get("kind")
    if kind is not None:
        if kind.casefold() not in KINDS:
            raise NotesError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        out["kind"] = kind.casefold()
    return out


def _rows_from_csv(text: str, delimiter: str, source: Path) -> list[NoteRow]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for record in reader:
        line = reader.line_num
        if None in record:
            raise NotesError(f"{source.name} line {line}: more values than columns")
        values = _canonical(record, f"{source.name} line {line}")
        if not values:
            continue
        if "file" not in values:
            raise NotesError(f"{source.name} line {line}: no file name")
        rows.append(NoteRow(line, values.pop("file"), values))
    return rows


def _rows_from_json(text: str, source: Path) -> list[NoteRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotesError(f"{source.name} is not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        data = [
            {"file": name, **(v if isinstance(v, dict) else {"caption": v})}
            for name, v in data.items()
        ]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise NotesError(f"{source.name}: expected a list of objects or an object keyed by file")
    rows = []
    for index, record in enumerate(data, start=1):
        values = _canonical(record, f"{source.name} entry {index}")
        if "file" not in values:
            raise NotesError(f"{source.name} entry {index}: no file name")
        rows.append(NoteRow(index, values.pop("file"), values))
    return rows


def load_notes(path: str | Path) -> Notes:
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NotesError(f"captions file not found: {source}") from exc
    except UnicodeDecodeError as exc:
        raise NotesError(f"{source.name} is not UTF-8 text (save it as UTF-8 CSV)") from exc
    except OSError as exc:
        raise NotesError(f"cannot read {source}: {exc.strerror or exc}") from exc
    suffix = source.suffix.casefold()
    if suffix == ".json" or text.lstrip().startswith(("[", "{")):
        rows = _rows_from_json(text, source)
    else:
        try:
            rows = _rows_from_csv(text, "\t" if suffix in (".tsv", ".tab") else ",", source)
        except csv.Error as exc:
            raise NotesError(f"{source.name} is not readable CSV: {exc}") from exc
    return Notes(source, rows)
