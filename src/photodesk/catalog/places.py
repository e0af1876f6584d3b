"""The gazetteer of named places."""

from __future__ import annotations

from sqlite_utils import Database


def find(db: Database, name: str) -> int | None:
    row = db.execute(
        "SELECT id FROM places WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    return row[0] if row else None


def find_or_create(db: Database, name: str, **details: object) -> tuple[int, bool]:
    """Return (id, created); a new place holds only what the caller knows."""
    existing = find(db, name)
    if existing is not None:
        return existing, False
    values = {k: v for k, v in details.items() if v not in (None, "")}
    pk = db["places"].insert({"name": name.strip(), **values}).last_pk
    return pk, True  # type: ignore[return-value]
