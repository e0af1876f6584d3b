"""Archive-wide settings kept in the catalog (the default caption language)."""

from __future__ import annotations

from sqlite_utils import Database

from photodesk.catalog.sql import _value
from photodesk.catalog.tx import write

FALLBACK_LANGUAGE = "en"


def default_language(db: Database) -> str:
    """The language captions are written in unless the editor names another."""
    value = _value(db, "SELECT value FROM settings WHERE key = 'default_language'")
    return value or FALLBACK_LANGUAGE


def set_default_language(db: Database, lang: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES ('default_language', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [lang],
        )
