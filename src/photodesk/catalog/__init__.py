"""The catalog: the only code that speaks SQL.

One `Catalog` per thread (SQLite connections are not shared across threads).
The database runs in WAL mode with a busy timeout so the terminal UI can read
while an import writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from photodesk.catalog.schema import migrations
from photodesk.catalog.tx import write
from photodesk.config import Archive
from photodesk.errors import PhotodeskError

BUSY_TIMEOUT_MS = 10_000


class CatalogError(PhotodeskError):
    pass


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def describe_sqlite_error(exc: sqlite3.Error, path: Path) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the catalog {path} is in use by another photodesk; try again when it has finished"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a readable photodesk catalog ({text})"
    if "readonly" in text or "unable to open" in text:
        return f"cannot open the catalog {path} for writing ({text})"
    return f"catalog error in {path}: {text}"


class Catalog:
    def __init__(self, archive: Archive, db: Database):
        self.archive = archive
        self.db = db

    @classmethod
    def open(cls, archive: Archive, create: bool = True) -> Catalog:
        if not archive.db_path.exists() and not create:
            raise CatalogError(
                f"no catalog at {archive.db_path}; import some photos first "
                "(photodesk import PATH) or name the archive with --archive"
            )
        try:
            if create:
                archive.ensure()
            db = Database(_connect(archive.db_path))
            if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
            _check_not_newer(db)
            if migrations.pending(db):
                # Under the write lock, so two processes opening a new catalog
                # at once cannot both migrate it; apply() re-checks what is pending.
                with write(db):
                    migrations.apply(db)
            db.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise CatalogError(describe_sqlite_error(exc, archive.db_path)) from exc
        except OSError as exc:
            raise CatalogError(f"cannot create the archive at {archive.root}: {exc}") from exc
        return cls(archive, db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    @property
    def default_language(self) -> str:
        row = self.db.execute(
            "SELECT value FROM settings WHERE key = 'default_language'"
        ).fetchone()
        return row[0] if row else "en"

    def set_default_language(self, lang: str) -> None:
        with write(self.db):
            self.db["settings"].upsert({"key": "default_language", "value": lang}, pk="key")


def _check_not_newer(db: Database) -> None:
    """Refuse a catalog a newer photodesk migrated: running old code on it could lose data."""
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise CatalogError(
            f"this catalog was upgraded by a newer photodesk (migration {unknown[-1]}); "
            "upgrade photodesk to open it"
        )
