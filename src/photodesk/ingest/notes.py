"""A partner's notes for a batch: file name → caption, headline, date, places, credit.

CSV (comma, or tab for .tsv/.tab) or JSON (a list of objects, or an object
keyed by file name), in UTF-8, or in UTF-16 or UTF-32 with a byte-order mark
(what spreadsheets save as "Unicode text"). Several rows may name one file,
one per language. A column nobody knows is an error, not silently dropped: it
would be a partner's caption lost. So is a JSON value that is not text (a
number is taken as written): true, an object or a nested list means the file
is not what its writer thinks it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from photodesk.errors import PhotodeskError
from photodesk.fields import FIELDS
from photodesk.language import LanguageError, normalize_lang

# Far more than any batch's notes; a bigger "notes file" is a mistake (a disk
# image, a video) that would only fill memory.
MAX_NOTES_BYTES = 64 * 1024 * 1024
# Byte-order marks and the codec that reads past each; UTF-32's first, as
# UTF-32LE's mark begins with UTF-16LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_LIST_FIELDS = {f.name for f in FIELDS if f.type == "list"}

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
# What can separate a spreadsheet's columns; a header holding one of the others
# was probably split with the wrong one.
_SEPARATORS = {",": "commas", "\t": "tabs", ";": "semicolons"}


def known_columns() -> str:
    """The column names notes take, as a message lists them: each name with its aliases.

    From KEY_COLUMNS and the field table's notes aliases, so the list is never
    a second one to keep up to date (the README's `caption` and `place` are aliases).
    """
    by_column: dict[str, list[str]] = {}
    for alias, column in _COLUMNS.items():
        by_column.setdefault(column, []).append(alias)
    return ", ".join(
        names[0] + (f" (or {', '.join(names[1:])})" if names[1:] else "")
        for names in by_column.values()
    )


def _column_name(key: object) -> str | None:
    return _COLUMNS.get(str(key).strip().casefold().replace(" ", "_"))


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
    ambiguous: list[tuple[NoteRow, list[str]]] = field(default_factory=list)  # (row, its files)
    repeated: list[tuple[NoteRow, NoteRow]] = field(default_factory=list)  # (ignored, kept)


def _fold(name: str) -> str:
    """A name as people see it: macOS writes é as e + accent (NFD), a spreadsheet as é (NFC)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _key(name: str) -> str:
    name = name.replace("\\", "/").strip()
    while name.startswith("./"):
        name = name[2:]
    return _fold(name.lstrip("/"))


@dataclass
class Notes:
    source: Path
    rows: list[NoteRow] = field(default_factory=list)

    def assign(self, paths: list[str]) -> Assignment:
        """Match rows to files: by name, or by the end of the path when a row gives folders.

        Names match whatever their case and Unicode form. Camera cards reuse
        names (two IMG_0001.JPG from two days), and one folder can hold names
        that differ only in form or case: a name that fits several files is
        reported, not applied to all of them.
        """
        by_name: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            by_name[_fold(PurePath(path).name)].append(path)
        out = Assignment()
        kept: dict[tuple[str, str | None], NoteRow] = {}
        for row in self.rows:
            wanted = _key(row.file)
            candidates = by_name.get(PurePath(wanted).name, [])
            if "/" in wanted:
                candidates = [
                    p for p in candidates if _fold(PurePath(p).as_posix()).endswith("/" + wanted)
                ]
            if not candidates:
                out.unmatched.append(row)
            elif len(candidates) > 1:
                out.ambiguous.append((row, candidates))
            else:
                slot = (candidates[0], row.language)
                if slot in kept:
                    out.repeated.append((row, kept[slot]))
                    continue
                kept[slot] = row
                out.by_path.setdefault(candidates[0], []).append(row)
        return out


def quoted(text: str, limit: int = 60) -> str:
    """Text from the file as a message quotes it: escaped (repr) and short."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _text(value: object, name: str, key: object, where: str) -> str:
    """One value of a row as text; anything that is not text or a flat list is refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and name in _LIST_FIELDS:
        for item in value:
            if not isinstance(item, str):
                raise NotesError(
                    f"{where}: {quoted(str(key))} holds {_kind(item)} in its list; "
                    "only text belongs there"
                )
        return ", ".join(v.strip() for v in value)
    raise NotesError(f"{where}: {quoted(str(key))} is {_kind(value)}, not text")


def _canonical(raw: dict[object, object], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw.items():
        name = _column_name(key)
        if name is None:
            raise NotesError(
                f"{where}: unknown column {quoted(str(key))}; known columns: {known_columns()}"
            )
        text = _text(value, name, key, where)
        if text:
            out[name] = text
    if "language" in out:
        try:
            out["language"] = normalize_lang(out["language"])
        except LanguageError as exc:
            raise NotesError(f"{where}: language {exc}") from exc
    for f in FIELDS:
        value = out.get(f.name)
        if f.type == "choice" and value is not None:
            if value.casefold() not in f.choices:
                raise NotesError(
                    f"{where}: {f.name} {quoted(value)} is not one of {', '.join(f.choices)}"
                )
            out[f.name] = value.casefold()
    return out


def _check_header(names: list[str], delimiter: str, source: Path) -> None:
    """Every column of the header known, once: refused at line 1, even with no rows below."""
    where = f"{source.name} line 1"
    for name in names:
        if _column_name(name) is not None:
            continue
        if not name.strip():
            raise NotesError(
                f"{where}: a column has no name (a stray {_SEPARATORS[delimiter][:-1]}?); "
                f"known columns: {known_columns()}"
            )
        found = [word for sep, word in _SEPARATORS.items() if sep != delimiter and sep in name]
        split = (
            f" (it holds {found[0]}, but the columns are separated by "
            f"{_SEPARATORS[delimiter]}: save the file with {_SEPARATORS[delimiter]})"
            if found
            else ""
        )
        raise NotesError(
            f"{where}: unknown column {quoted(name)}{split}; known columns: {known_columns()}"
        )
    header = [_column_name(h) for h in names]
    twice = sorted(h for h, n in Counter(header).items() if h and n > 1)
    if twice:
        raise NotesError(f"{where}: column {quoted(twice[0])} appears twice in the header")


def _rows_from_csv(text: str, delimiter: str, source: Path) -> list[NoteRow]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    _check_header([str(h) for h in reader.fieldnames or []], delimiter, source)
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


class _Repeated(Exception):
    pass


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object whose keys all differ: json.loads would keep only the last of a repeated one."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _Repeated(key)
        out[key] = value
    return out


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number a caption can hold")


def _rows_from_json(text: str, source: Path) -> list[NoteRow]:
    try:
        # Numbers stay as written (a job id 0042, a year); NaN and Infinity are not JSON.
        data = json.loads(
            text,
            object_pairs_hook=_unique,
            parse_int=str,
            parse_float=str,
            parse_constant=_no_constant,
        )
    except RecursionError as exc:
        raise NotesError(
            f"{source.name} is nested too deeply to be notes "
            "(a list of objects, or an object keyed by file)"
        ) from exc
    except _Repeated as exc:
        raise NotesError(
            f"{source.name}: {quoted(str(exc.args[0]))} appears twice in one object"
        ) from exc
    except ValueError as exc:  # JSONDecodeError is one
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


def _read(source: Path) -> bytes:
    """The file's bytes, if it is a regular file of a size notes can have.

    Opened without blocking: a FIFO named notes.csv would wait for a writer forever.
    """
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise NotesError(f"captions file not found: {source}") from exc
    except OSError as exc:
        raise NotesError(f"cannot read {source}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotesError(f"{source.name} is not a regular file")
        if info.st_size > MAX_NOTES_BYTES:
            raise NotesError(
                f"{source.name} is {info.st_size:,} bytes, more than notes can be "
                f"({MAX_NOTES_BYTES:,}); is it the right file?"
            )
        try:
            return fh.read(MAX_NOTES_BYTES + 1)
        except OSError as exc:
            raise NotesError(f"cannot read {source}: {exc.strerror or exc}") from exc


def _decode(data: bytes, source: Path) -> str:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise NotesError(
                    f"{source.name} starts as {label} text but byte {exc.start:,} is not {label}"
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotesError(
            f"{source.name} is not UTF-8 text (save it as UTF-8 CSV, or as Unicode text)"
        ) from exc


def _delimiter(text: str, suffix: str) -> str:
    """Tab for .tsv/.tab; else the one separator the header holds (comma when unsure).

    A spreadsheet saves "Unicode text" tab-separated under a .txt name, and
    where the decimal mark is a comma (much of Europe) it saves CSV with semicolons.
    """
    if suffix in (".tsv", ".tab"):
        return "\t"
    end = text.find("\n")
    header = text[: end if end >= 0 else len(text)]
    found = [sep for sep in _SEPARATORS if sep in header]
    return found[0] if len(found) == 1 else ","


def load_notes(path: str | Path) -> Notes:
    source = Path(path)
    text = _decode(_read(source), source)
    if "\x00" in text:
        raise NotesError(f"{source.name} is not a text file")
    suffix = source.suffix.casefold()
    if suffix == ".json" or text.lstrip().startswith(("[", "{")):
        rows = _rows_from_json(text, source)
    else:
        try:
            rows = _rows_from_csv(text, _delimiter(text, suffix), source)
        except csv.Error as exc:
            raise NotesError(f"{source.name} is not readable CSV: {exc}") from exc
    return Notes(source, rows)
