"""Code replacements as in Photo Mechanic: `=qh=` in caption text becomes its replacement."""

from __future__ import annotations

import re
from pathlib import Path

from sqlite_utils import Database

from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError

# A code is letters, digits, '-', '_' or '.', between equals signs.
CODE = re.compile(r"=([\w.\-]{1,40})=")
_VALID = re.compile(r"[\w.\-]{1,40}")


class CodeError(PhotodeskError):
    pass


def check_code(code: str) -> str:
    code = code.strip().strip("=")
    if not _VALID.fullmatch(code):
        raise CodeError(f"{code!r} is not a usable code: use 1-40 letters, digits, '-', '_' or '.'")
    return code


def add(db: Database, code: str, text: str) -> None:
    if not text.strip():
        raise CodeError(f"code {code!r} needs a replacement text")
    with write(db):
        _upsert(db, {check_code(code): text})


def _upsert(db: Database, codes: dict[str, str]) -> None:
    db.conn.executemany(
        "INSERT INTO codes (code, text) VALUES (?, ?) "
        "ON CONFLICT (code) DO UPDATE SET text = excluded.text",
        list(codes.items()),
    )


def remove(db: Database, code: str) -> bool:
    with write(db):
        cursor = db.execute("DELETE FROM codes WHERE code = ?", [code.strip().strip("=")])
        return cursor.rowcount > 0


def all_codes(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT code, text FROM codes ORDER BY code").fetchall())


def parse_photo_mechanic(text: str, source: str = "codes file") -> dict[str, str]:
    """Photo Mechanic's code replacement file: one `code<TAB>replacement` per line.

    Lines without a tab (blank lines, comments) are skipped; extra tab-separated
    columns (Photo Mechanic's alternates) are ignored.
    """
    codes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line or line.lstrip().startswith("#"):
            continue
        code, replacement = line.split("\t")[:2]
        if not code.strip():
            continue
        try:
            codes[check_code(code)] = replacement.strip()
        except CodeError as exc:
            raise CodeError(f"{source} line {number}: {exc}") from exc
    return codes


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), or UTF-16 when a BOM or NUL bytes say so; nothing guessed.

    Guessing a legacy code page turns Korean into mojibake without a word, so
    anything else is refused with what to do about it.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif raw[1::2].count(0) > len(raw) // 4:
        encoding = "utf-16-le"
    elif raw[0::2].count(0) > len(raw) // 4:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CodeError(f"{name} is not UTF-8 or UTF-16 text; save it as UTF-8") from exc


def import_file(db: Database, path: str | Path) -> int:
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise CodeError(f"cannot read {source}: {exc.strerror or exc}") from exc
    text = _decode(raw, source.name)
    codes = parse_photo_mechanic(text, source.name)
    if not codes:
        raise CodeError(f"{source.name} holds no code<TAB>text lines")
    with write(db):
        _upsert(db, codes)
    return len(codes)


def expand(text: str, codes: dict[str, str]) -> tuple[str, list[str]]:
    """Replace known codes; return the text and the codes left as typed because unknown."""
    unknown: list[str] = []

    def swap(m: re.Match[str]) -> str:
        replacement = codes.get(m.group(1))
        if replacement is None:
            unknown.append(m.group(0))
            return m.group(0)
        return replacement

    return CODE.sub(swap, text), unknown


class Expander:
    """Code replacements in typed text, remembering the codes nobody defined.

    Reads the code table once; each call expands one value ("" and None give None).
    """

    def __init__(self, db: Database):
        self.codes = all_codes(db)
        self.unknown: list[str] = []

    def __call__(self, value: str | None) -> str | None:
        if not value:
            return None  # "" clears: stored as NULL, never as an empty string
        text, missing = expand(value, self.codes)
        self.unknown.extend(m for m in missing if m not in self.unknown)
        return text

    def warnings(self) -> list[str]:
        return [f"unknown code {c} left as typed (see: photodesk codes list)" for c in self.unknown]
