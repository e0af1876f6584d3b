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
from photodesk.fields import FIELDS
from photodesk.language import LanguageError, normalize_lang

# Accepted spelling → canonical column: which file and which language a row
# is about, then every field the table lets notes fill.
KEY_COLUMNS = {
    "file": "file",
    "filename": "file",
    "file_name": "file",
    "name": "file",
    "photo": "file",
    "language": "language",
    "lang": "language",
}
_COLUMNS = KEY_COLUMNS | {alias: f.name for f in FIELDS for alias in f.notes}


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
class Assignment:
    """Which note rows belong to which files of a batch, and which belong to none."""

    by_path: dict[str, list[NoteRow]] = field(default_factory=dict)
    unmatched: list[NoteRow] = field(default_factory=list)
    ambiguous: list[tuple[NoteRow, int]] = field(default_factory=list)
    repeated: list[tuple[NoteRow, NoteRow]] = field(default_factory=list)  # (ignored, kept)


def _key(name: str) -> str:
    name = name.replace("\\", "/").strip()
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/").casefold()


@dataclass
class Notes:
    source: Path
    rows: list[NoteRow] = field(default_factory=list)

    def assign(self, paths: list[str]) -> Assignment:
        """Match rows to files: by name, or by the end of the path when a row gives folders.

        Camera cards reuse names (two IMG_0001.JPG from two days): a bare name
        that fits several files is reported, not applied to all of them.
        """
        by_name: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            by_name[PurePath(path).name.casefold()].append(path)
        out = Assignment()
        kept: dict[tuple[str, str | None], NoteRow] = {}
        for row in self.rows:
            wanted = _key(row.file)
            candidates = by_name.get(PurePath(wanted).name, [])
            if "/" in wanted:
                candidates = [
                    p
                    for p in candidates
                    if PurePath(p).as_posix().casefold().endswith("/" + wanted)
                ]
            if not candidates:
                out.unmatched.append(row)
            elif len(candidates) > 1:
                out.ambiguous.append((row, len(candidates)))
            else:
                slot = (candidates[0], row.language)
                if slot in kept:
                    out.repeated.append((row, kept[slot]))
                    continue
                kept[slot] = row
                out.by_path.setdefault(candidates[0], []).append(row)
        return out


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
    if "language" in out:
        try:
            out["language"] = normalize_lang(out["language"])
        except LanguageError as exc:
            raise NotesError(f"{where}: {exc}") from exc
    for f in FIELDS:
        value = out.get(f.name)
        if f.type == "choice" and value is not None:
            if value.casefold() not in f.choices:
                raise NotesError(
                    f"{where}: {f.name} {value!r} is not one of {', '.join(f.choices)}"
                )
            out[f.name] = value.casefold()
    return out


def _rows_from_csv(text: str, delimiter: str, source: Path) -> list[NoteRow]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [
        _COLUMNS.get(str(h).strip().casefold().replace(" ", "_"), h)
        for h in reader.fieldnames or []
    ]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise NotesError(f"{source.name}: column {twice[0]!r} appears twice in the header")
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
    if "\x00" in text:
        raise NotesError(f"{source.name} is not a text file")
    suffix = source.suffix.casefold()
    if suffix == ".json" or text.lstrip().startswith(("[", "{")):
        rows = _rows_from_json(text, source)
    else:
        try:
            rows = _rows_from_csv(text, "\t" if suffix in (".tsv", ".tab") else ",", source)
        except csv.Error as exc:
            raise NotesError(f"{source.name} is not readable CSV: {exc}") from exc
    return Notes(source, rows)
