"""Write transactions that wait their turn, however long the other writer takes.

sqlite-utils' `atomic()` opens a deferred transaction: a write that follows a
read in it cannot take the write lock while another process holds it, and
SQLite then fails at once instead of honouring the busy timeout. Taking the
write lock up front (BEGIN IMMEDIATE) makes a second importer or editor wait
for the first instead of failing. Nested blocks fall back to savepoints.

The wait is ours, not only SQLite's busy timeout: BEGIN IMMEDIATE is tried
again, each attempt waiting BUSY_TIMEOUT_MS, for up to WAIT_BUDGET_S (five
minutes; the environment variable PHOTODESK_WRITE_WAIT changes it), and
whoever is listening (the CLI prints "waiting for another photodesk to
finish writing…") hears of each attempt that timed out. Long batch edits
write in bounded transactions, so no writer holds the lock for long.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlite_utils import Database

WAIT_BUDGET_S = 300.0
BUSY_TIMEOUT_MS = 10_000  # SQLite's own wait for a lock: one attempt, between two notices
_notice: ContextVar[Callable[[float], None] | None] = ContextVar("write_wait_notice", default=None)


def wait_budget() -> float:
    with contextlib.suppress(ValueError):
        return max(0.0, float(os.environ.get("PHOTODESK_WRITE_WAIT", "")))
    return WAIT_BUDGET_S


@contextmanager
def waiting_notice(notice: Callable[[float], None]) -> Iterator[None]:
    """Within: `notice(seconds waited)` is called while a write waits for another writer."""
    token = _notice.set(notice)
    try:
        yield
    finally:
        _notice.reset(token)


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _begin(db: Database) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock up to the budget, saying so meanwhile.

    Each attempt waits SQLite's busy timeout (no extra statement when the lock
    is free, the usual case); each attempt that times out is reported.
    """
    started = time.monotonic()
    budget = wait_budget()
    while True:
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            waited = time.monotonic() - started
            if not _busy(exc) or waited >= budget:
                raise
            notice = _notice.get()
            if notice is not None:
                notice(waited)


@contextmanager
def write(db: Database) -> Iterator[Database]:
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    _begin(db)
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
