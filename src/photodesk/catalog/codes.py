"""Code replacements as in Photo Mechanic: `=qh=` in caption text becomes its replacement."""

from __future__ import annotations

import re
from pathlib import Path

from sqlite_utils import Database

from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError

# A code is letters, digits, '-', '_' or '.', between equals signs; `#2`, `#3`…
# after it picks one of its alternative expansions (Photo Mechanic's further
# columns), as `=ju#2=`. CODE finds anything between two equals signs that
# could be meant as a code, so one typed with other characters (`=ju!2=`) is
# reported rather than silently kept.
CODE = re.compile(r"=([^\s=]{1,60})=")
_VALID = re.compile(r"[\w.\-]{1,40}(?:#[1-9][0-9]?)?")


class CodeError(PhotodeskError):
    pass


def check_code(code: str) -> str:
    """A code as stored: `qh`, or `qh#2` for its second expansion (`qh#1` is `qh`)."""
    code = code.strip().strip("=")
    if not _VALID.fullmatch(code):
        raise CodeError(
            f"{code!r} is not a usable code: use 1-40 letters, digits, '-', '_' or '.', "
            "and #2, #3… for an alternative expansion"
        )
    return code.removesuffix("#1")


def _alternatives(code: str, expansions: list[str]) -> dict[str, str]:
    """`code` → its first expansion, `code#2` → the second… (empty columns keep their number)."""
    return {
        code if n == 1 else f"{code}#{n}": text
        for n, text in enumerate(expansions, start=1)
        if text and n < 100
    }


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
    """Remove a code; a code without `#N` takes its alternative expansions with it."""
    code = code.strip().strip("=")
    with write(db):
        removed = db.execute("DELETE FROM codes WHERE code = ?", [code]).rowcount
        if "#" not in code:
            removed += _drop_alternatives(db, [code])
        return removed > 0


def _drop_alternatives(db: Database, codes: list[str]) -> int:
    return sum(
        db.execute(
            "DELETE FROM codes WHERE substr(code, 1, ?) = ? AND code GLOB ?",
            [len(code) + 1, code + "#", "*#[0-9]*"],
        ).rowcount
        for code in codes
    )


def all_codes(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT code, text FROM codes ORDER BY code").fetchall())


def parse_photo_mechanic(text: str, source: str = "codes file") -> dict[str, str]:
    """Photo Mechanic's code replacement file: `code<TAB>replacement[<TAB>alternative…]`.

    The second column is what `=code=` expands to; a third and later column
    are alternative expansions, kept as `code#2`, `code#3`… and written
    `=code#2=`, as in Photo Mechanic (a name in English and in Korean, a
    long and a short form). Lines without a tab (blank lines, comments) are
    skipped.
    """
    codes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line or line.lstrip().startswith(("#", "//")):
            continue
        code, *expansions = line.split("\t")
        if not code.strip():
            continue
        try:
            name = check_code(code)
        except CodeError as exc:
            raise CodeError(f"{source} line {number}: {exc}") from exc
        if "#" in name:
            raise CodeError(
                f"{source} line {number}: {name!r} names an alternative; give the "
                "alternatives as further tab-separated columns of its code"
            )
        codes |= _alternatives(name, [e.strip() for e in expansions])
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
        # A code's line in the file is all of its expansions: fewer columns than
        # before leave no stale alternative behind.
        _drop_alternatives(db, [c for c in codes if "#" not in c])
        _upsert(db, codes)
    return len([c for c in codes if "#" not in c])


def expand(text: str, codes: dict[str, str]) -> tuple[str, list[str]]:
    """Replace known codes; return the text and the codes left as typed (unknown or malformed)."""
    unknown: list[str] = []

    def swap(m: re.Match[str]) -> str:
        code = m.group(1)
        valid = _VALID.fullmatch(code) is not None
        replacement = codes.get(code.removesuffix("#1")) if valid else None
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
