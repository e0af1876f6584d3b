"""Plain statements for the catalog's hot paths.

sqlite-utils' `db["t"].insert()` asks sqlite_master whether `t` is a table or
a view, and whether it exists, before every write; an edit of one field paid
for that nine times. These helpers run just the statement. Table and column
names come from photodesk's own code, never from input. Each expects the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

Params = dict[str, Any] | Sequence[Any]


def _insert(db: Database, table: str, row: Mapping[str, Any]) -> int:
    columns = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" * len(row))
    cursor = db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def _update(db: Database, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    if values:
        sets = ", ".join(f"[{c}] = ?" for c in values)
        db.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*values.values(), row_id])


def _rows(db: Database, sql: str, params: Params = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _one(db: Database, sql: str, params: Params = ()) -> dict[str, Any] | None:
    found = _rows(db, sql, params)
    return found[0] if found else None


def _value(db: Database, sql: str, params: Params = ()) -> Any:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def _column(db: Database, sql: str, params: Params = ()) -> list[Any]:
    return [r[0] for r in db.execute(sql, params).fetchall()]
