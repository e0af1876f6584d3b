"""Write transactions that wait their turn.

sqlite-utils' `atomic()` opens a deferred transaction: a write that follows a
read in it cannot take the write lock while another process holds it, and
SQLite then fails at once instead of honouring the busy timeout. Taking the
write lock up front (BEGIN IMMEDIATE) makes a second importer or editor wait
for the first instead of failing. Nested blocks fall back to savepoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def write(db: Database) -> Iterator[Database]:
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
