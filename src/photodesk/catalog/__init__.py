"""The catalog: the only code that speaks SQL.

One `Catalog` per thread (SQLite connections are not shared across threads).
The database runs in WAL mode with a busy timeout so the terminal UI can read
while an import writes.

The transaction rule: a public catalog function opens its own write
transaction (nested in a caller's, it becomes a savepoint); a helper that
expects the caller's transaction is private (`_name`). SQLite's own errors
never leave a `with Catalog.open(...)` block: they become one-line
`CatalogError`s, so the shells need not know SQLite.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import search, settings, tx
from photodesk.catalog.schema import known_migrations, migrations
from photodesk.catalog.tx import BUSY_TIMEOUT_MS, write
from photodesk.config import Archive
from photodesk.errors import PhotodeskError


class CatalogError(PhotodeskError):
    pass


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _uri(path: Path, **params: str) -> str:
    """A SQLite URI for a path: characters URIs give meaning to (?, #, %) are quoted."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{urllib.parse.quote(str(path))}?{query}"


def writable(archive: Archive) -> bool:
    """Whether the archive's folder and catalog can be written (read-only media cannot)."""
    return os.access(archive.root, os.W_OK) and os.access(archive.db_path, os.W_OK)


def _open_immutable(archive: Archive) -> Database:
    """A catalog on read-only media, cleanly closed: read it as it is, creating no files.

    immutable=1 tells SQLite the file cannot change, so it takes no locks and
    makes no -wal or -shm beside it (which read-only media would refuse).
    """
    conn = sqlite3.connect(_uri(archive.db_path, mode="ro", immutable="1"), uri=True)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    _check_not_newer(db)
    if migrations.pending(db):
        raise CatalogError(
            f"the archive at {archive.root} is read-only and was made by an earlier photodesk; "
            "copy it somewhere writable so it can be upgraded"
        )
    return db


def describe_sqlite_error(exc: sqlite3.Error, path: Path, read_only: bool = False) -> str:
    text = str(exc)
    if read_only and "readonly" in text:
        return (
            f"the archive at {path.parent} is on read-only media: it can be listed, shown, "
            "searched and exported, not changed"
        )
    if "locked" in text or "busy" in text:
        return f"the catalog {path} is in use by another photodesk; try again when it has finished"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a readable photodesk catalog ({text})"
    if "readonly" in text or "unable to open" in text:
        return f"cannot open the catalog {path} for writing ({text})"
    return f"catalog error in {path}: {text}"


class Catalog:
    def __init__(self, archive: Archive, db: Database, read_only: bool = False):
        self.archive = archive
        self.db = db
        self.read_only = read_only  # on read-only media: opened immutable, nothing can be written

    @classmethod
    def open(cls, archive: Archive, create: bool = True) -> Catalog:
        if not archive.db_path.exists() and not create:
            raise CatalogError(
                f"no archive at {archive.root} (no catalog in this folder or above it); "
                "make one with photodesk init or photodesk import PATH, or point at one "
                "with --archive DIR or PHOTODESK_ARCHIVE=DIR"
            )
        if archive.db_path.exists() and not writable(archive):
            try:
                return cls(archive, _open_immutable(archive), read_only=True)
            except sqlite3.Error as exc:
                raise CatalogError(describe_sqlite_error(exc, archive.db_path)) from exc
        if not archive.db_path.exists():
            _refuse_orphaned_files(archive)
        try:
            if create:
                archive.ensure()
            db = Database(_connect(archive.db_path))
            if not db.table_names():
                # Empty (a 0-byte file, say): a new catalog here would orphan what the
                # archive holds.
                _refuse_orphaned_files(archive)
            _ensure_wal(db)
            _check_not_newer(db)
            if migrations.pending(db) and migrations.applied(db):
                # An archive an earlier photodesk made: keep its catalog as it was.
                _keep_before_upgrade(db, archive)
            if migrations.pending(db):
                # Under the write lock, so two processes opening a new catalog
                # at once cannot both migrate it.
                with write(db):
                    if migrations.pending(db):  # another process may have just done it
                        migrations.apply(db)
                        # Migrations are frozen SQL; the index they may have
                        # reshaped is rebuilt by today's code.
                        search._reindex_all(db)
            db.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise CatalogError(describe_sqlite_error(exc, archive.db_path)) from exc
        except OSError as exc:
            raise CatalogError(f"cannot create the archive at {archive.root}: {exc}") from exc
        return cls(archive, db)

    @classmethod
    def open_readonly(cls, archive: Archive) -> Catalog | None:
        """A read-only connection (for import workers), or None when there is no catalog."""
        if not archive.db_path.exists():
            return None
        try:
            params = {"mode": "ro"} if writable(archive) else {"mode": "ro", "immutable": "1"}
            conn = sqlite3.connect(
                _uri(archive.db_path, **params), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error:
            return None
        return cls(archive, Database(conn))

    def close(self) -> None:
        self.db.close()

    def interrupt(self) -> None:
        """Stop the statement this connection is running; safe to call from another thread.

        The interrupted statement raises (a CatalogError once the `with` block ends);
        a connection that is idle or already closed is left as it is.
        """
        with suppress(sqlite3.ProgrammingError):  # closed: nothing to stop
            self.db.conn.interrupt()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            # e.g. another process held the catalog past the busy timeout
            raise CatalogError(
                describe_sqlite_error(exc, self.archive.db_path, self.read_only)
            ) from exc

    @contextmanager
    def guard(self) -> Iterator[Catalog]:
        """Within: SQLite's own errors become one-line `CatalogError`s, the catalog stays open."""
        try:
            yield self
        except sqlite3.Error as exc:
            raise CatalogError(
                describe_sqlite_error(exc, self.archive.db_path, self.read_only)
            ) from exc

    @classmethod
    def open_copy(cls, archive: Archive, path: Path) -> Catalog:
        """A catalog file other than the archive's (a backup), read-only, for `archive`'s files."""
        try:
            conn = sqlite3.connect(_uri(path, mode="ro"), uri=True)
            db = Database(conn)
            _check_not_newer(db)
        except sqlite3.Error as exc:
            raise CatalogError(describe_sqlite_error(exc, path)) from exc
        return cls(archive, db, read_only=True)

    @staticmethod
    def install(archive: Archive, source: Path) -> None:
        """Make the catalog file `source` the archive's catalog (a restore), whole or not at all.

        Refused while another photodesk is writing. The old catalog's -wal and
        -shm files go: SQLite would otherwise replay them onto the new one.
        """
        if archive.db_path.exists():
            conn = sqlite3.connect(str(archive.db_path), timeout=1)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
            except sqlite3.Error as exc:
                raise CatalogError(
                    f"cannot restore over {archive.db_path}: it is in use ({exc}); "
                    "close the other photodesks first"
                ) from exc
            finally:
                conn.close()
        tmp = archive.db_path.with_name(".tmp-restore-catalog.db")
        shutil.copyfile(source, tmp)
        for suffix in ("-wal", "-shm"):
            archive.db_path.with_name(archive.db_path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, archive.db_path)

    def backup_to(self, path: Path) -> None:
        """A consistent copy of the catalog at `path`, taken through SQLite's backup API.

        Safe while other photodesks write: the copy is one snapshot of the
        catalog, never a mix of two moments (copying the file could be).
        """
        try:
            _snapshot(self.db, path)
        except sqlite3.Error as exc:
            raise CatalogError(describe_sqlite_error(exc, self.archive.db_path)) from exc

    @staticmethod
    def waiting(notice: Callable[[float], None]) -> AbstractContextManager[None]:
        """Within: `notice(seconds)` hears of each wait for another photodesk's write."""
        return tx.waiting_notice(notice)

    def missing_files(self, photo: dict[str, Any]) -> list[str]:
        """Which of a photo's files the archive should hold and does not: said, never guessed.

        "original (expected at PATH)" or "thumbnail"; re-importing the same
        bytes restores an original and rebuilds a thumbnail.
        """
        missing = []
        stored = photo.get("original_path")
        if stored and not self.archive.resolve(stored).is_file():
            missing.append(f"original (expected at {self.archive.resolve(stored)})")
        thumb = photo.get("thumb_path")
        if thumb and not self.archive.resolve(thumb).is_file():
            missing.append("thumbnail")
        return missing

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    @property
    def default_language(self) -> str:
        return settings.default_language(self.db)

    def set_default_language(self, lang: str) -> None:
        settings.set_default_language(self.db, lang)


def _ensure_wal(db: Database) -> None:
    """Switch a new catalog to WAL, waiting out another process that is opening it too.

    Changing the journal mode needs the database to itself, and SQLite reports
    a busy database at once instead of honouring the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            db.conn.execute("PRAGMA journal_mode = wal")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _holds_files(folder: Path) -> bool:
    """Whether a content-addressed folder (originals/, thumbs/) holds any file."""
    if not folder.is_dir():
        return False
    return any(p.is_file() for sub in folder.iterdir() if sub.is_dir() for p in sub.iterdir())


def _refuse_orphaned_files(archive: Archive) -> None:
    """A missing or empty catalog beside originals or thumbnails is lost, not new."""
    if _holds_files(archive.originals) or _holds_files(archive.thumbs):
        raise CatalogError(
            f"the archive at {archive.root} holds originals or thumbnails but its catalog "
            f"{archive.db_path.name} is missing or empty; restore it from a backup "
            "(photodesk restore) rather than starting a new catalog over them"
        )


def upgrade_backup_path(archive: Archive, version: int) -> Path:
    return archive.db_path.with_name(f"{archive.db_path.name}.schema-{version}.bak")


def _keep_before_upgrade(db: Database, archive: Archive) -> None:
    """A copy of the catalog at its old schema, beside it, before a migration changes it."""
    path = upgrade_backup_path(archive, len(migrations.applied(db)))
    if path.exists():
        return  # kept by an earlier attempt at this same upgrade
    tmp = path.with_name(".tmp-" + path.name)
    _snapshot(db, tmp)
    os.replace(tmp, path)


def _snapshot(db: Database, path: Path) -> None:
    """Copy the catalog to `path` through SQLite's backup API: one moment, never two."""
    dest = sqlite3.connect(str(path))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def _check_not_newer(db: Database) -> None:
    """Refuse a catalog a newer photodesk migrated: running old code on it could lose data."""
    known = set(known_migrations())
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise CatalogError(
            f"this catalog was upgraded by a newer photodesk (migration {unknown[-1]}); "
            "upgrade photodesk to open it"
        )
