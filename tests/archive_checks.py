"""Checks on an archive from the outside, shared by the import tests.

They read the catalog through their own SQLite connection, so they hold
whoever wrote it (this process, a CLI subprocess, one that was killed) to the
same standard.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from photodesk.config import Archive


def _read_only(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(db_path).as_uri()}?mode=ro", uri=True, timeout=5)


def count_rows(db_path: Path, table: str = "photos") -> int:
    """Rows in one catalog table, read through a read-only connection."""
    conn = _read_only(db_path)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


def photos_so_far(db_path: Path) -> int:
    """Photos in a catalog another process may still be creating: 0 until it can be read."""
    try:
        return count_rows(db_path)
    except sqlite3.Error:
        return 0


def photos_and_distinct_hashes(db_path: Path) -> tuple[int, int]:
    """(photos, distinct sha256 among them): equal when no image is catalogued twice."""
    conn = _read_only(db_path)
    try:
        return conn.execute("SELECT count(*), count(DISTINCT sha256) FROM photos").fetchone()
    finally:
        conn.close()


def assert_archive_whole(archive: Archive) -> None:
    """The catalog passes SQLite's checks and every stored photo's files exist.

    A photo row is only ever written after its (copied or in-place)
    original, and has its thumbnail or is marked as waiting for one (the
    import's second phase): a row without them is a half-written import.
    """
    conn = _read_only(archive.db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT file_name, thumb_path, original_path, thumb_pending FROM photos"
        ).fetchall()
    finally:
        conn.close()
    for name, thumb, original, pending in rows:
        if not pending:
            assert thumb and archive.resolve(thumb).is_file(), f"{name}: no thumbnail at {thumb}"
        assert original and archive.resolve(original).is_file(), f"{name}: no original {original}"
