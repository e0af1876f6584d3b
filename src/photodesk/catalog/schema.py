"""The catalog's schema, as an ordered list of migrations that run on open.

Never edit a migration that has shipped: add a new one. A migration is frozen
history: it runs fixed statements and never calls today's code (whose tables
and columns may since have changed). Each runs in one transaction with the
record of it having run, so a crash mid-migration leaves the previous schema
intact. Derived data (the search index) is rebuilt by `Catalog.open` after
pending migrations have run.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("photodesk")


def known_migrations() -> list[str]:
    """The names of every migration this photodesk knows, oldest first."""
    return [m.name for m in migrations.pending(Database(memory=True))]


@migrations()
def m001_initial(db: Database) -> None:
    # AUTOINCREMENT: a merged-away place's id is never handed to a new place,
    # so undoing the merge can bring it back under the id history refers to.
    db.execute(
        "CREATE TABLE places (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "sublocation TEXT, city TEXT, province TEXT, country TEXT, country_code TEXT, "
        "latitude FLOAT, longitude FLOAT)"
    )
    db.execute("CREATE UNIQUE INDEX idx_places_name ON places (name COLLATE NOCASE)")
    db.table("import_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running / finished / cancelled / interrupted
            "pid": int,  # of the importing process, to tell a dead run from a live one
            "pid_started": str,  # its start time, so a reused pid is not taken for it
            "paths": str,  # JSON list of what the user named
            "mode": str,  # copy / in-place
            "added": int,
            "duplicates": int,
            "skipped": int,
            "failed": int,
        },
        pk="id",
    )
    photo_columns = {
        "id": int,
        "sha256": str,
        "kind": str,  # photo / map / graphic
        "file_name": str,
        "file_size": int,
        "format": str,
        "width": int,
        "height": int,
        "orientation": int,
        "camera_make": str,
        "camera_model": str,
        "lens_model": str,
        "body_serial": str,  # sensitive: identifies the partner's camera
        "gps_lat": float,  # sensitive: where the partner stood
        "gps_lon": float,
        "gps_alt": float,
        "taken_start": str,  # naive local ISO, inclusive
        "taken_end": str,
        "taken_precision": str,
        "taken_text": str,
        "taken_source": str,  # exif / metadata / caption / manual
        "taken_offset": str,  # UTC offset the camera gave, e.g. +08:00
        "creator": str,
        "creator_title": str,
        "credit": str,
        "source": str,
        "copyright": str,
        "job_id": str,
        "instructions": str,
        "caption_writer": str,
        "keywords": str,  # JSON list
        "status": str,  # new / captioned / checked
        "created_place_id": int,
        "shown_place_id": int,
        "original_path": str,  # relative to the archive when copied, absolute when in place
        "thumb_path": str,
        "phash": str,
        "import_run_id": int,
        "imported_at": str,
    }
    db.table("photos").create(
        photo_columns,
        pk="id",
        not_null={"sha256", "kind", "status"},
        defaults={"kind": "photo", "status": "new"},
        foreign_keys=[
            ("created_place_id", "places", "id"),
            ("shown_place_id", "places", "id"),
            ("import_run_id", "import_runs", "id"),
        ],
    )
    db.table("photos").create_index(["sha256"], unique=True)
    db.table("photos").create_index(["taken_start", "taken_end"])
    db.table("captions").create(
        {"photo_id": int, "lang": str, "headline": str, "title": str, "description": str},
        pk=("photo_id", "lang"),
        foreign_keys=[("photo_id", "photos", "id")],
    )
    db.table("stories").create(
        {"id": int, "name": str, "job_id": str, "created_at": str},
        pk="id",
        not_null={"name"},
    )
    db.execute("CREATE UNIQUE INDEX idx_stories_name ON stories (name COLLATE NOCASE)")
    db.table("story_photos").create(
        {"story_id": int, "photo_id": int, "position": int},
        pk=("story_id", "photo_id"),
        foreign_keys=[("story_id", "stories", "id"), ("photo_id", "photos", "id")],
    )
    # Every path a photo was imported from; (path, size, mtime) known means
    # the file need not be read again on the next run.
    db.table("source_files").create(
        {"path": str, "size": int, "mtime_ns": int, "photo_id": int, "import_run_id": int},
        pk="path",
        foreign_keys=[("photo_id", "photos", "id"), ("import_run_id", "import_runs", "id")],
    )
    db.table("source_files").create_index(["photo_id"])
    db.table("import_problems").create(
        {"id": int, "run_id": int, "path": str, "reason": str, "severity": str},
        pk="id",
        foreign_keys=[("run_id", "import_runs", "id")],
    )
    db.table("import_problems").create_index(["run_id"])
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("settings").insert({"key": "default_language", "value": "en"})


@migrations()
def m002_captioning(db: Database) -> None:
    """History with change sets, code replacements, and full-text search."""
    db.table("change_sets").create(
        {"id": int, "at": str, "user": str, "summary": str, "undoes": int, "undone_by": int},
        pk="id",
    )
    db.table("history").create(
        {
            "id": int,
            "change_set": int,
            "photo_id": int,
            "field": str,
            "lang": str,
            "old": str,
            "new": str,
        },
        pk="id",
        foreign_keys=[("change_set", "change_sets", "id"), ("photo_id", "photos", "id")],
    )
    db.table("history").create_index(["photo_id", "change_set"])
    db.table("history").create_index(["change_set"])
    db.table("codes").create({"code": str, "text": str}, pk="code")
    # One search document per photo and caption language (lang '' holds a photo
    # with no caption), so --lang can restrict matches to one language. The
    # text is stored as indexed: CJK runs split into overlapping bigrams. A
    # document's id is photo_id * 64 + its language's slot, so a search reads
    # photo and language from the index alone, and newest photos come first.
    db.table("search_langs").create({"slot": int, "lang": str}, pk="slot", not_null={"lang"})
    db.table("search_langs").create_index(["lang"], unique=True)
    db.table("search_langs").insert({"slot": 0, "lang": ""})
    db.table("search_docs").create(
        {
            "id": int,
            "photo_id": int,
            "lang": str,
            "headline": str,
            "title": str,
            "description": str,
            "keywords": str,
            "places": str,
            "file_name": str,
            "credit": str,
        },
        pk="id",
        foreign_keys=[("photo_id", "photos", "id")],
    )
    db.table("search_docs").create_index(["photo_id"])
    db.table("search_docs").enable_fts(
        ["headline", "title", "description", "keywords", "places", "file_name", "credit"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
        replace=True,
    )
    # sqlite-utils made the triggers that keep the index in step with every
    # edit; rebuild the index table itself (same name and columns, so those
    # triggers still apply) with prefix indexes, which make search-as-you-type
    # (`cust*`) an index lookup instead of a scan. enable_fts has no option for it.
    db.execute("DROP TABLE search_docs_fts")
    db.execute(
        "CREATE VIRTUAL TABLE search_docs_fts USING fts5 (headline, title, description, "
        "keywords, places, file_name, credit, content=[search_docs], "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
    )
    db.execute(
        "INSERT INTO search_docs_fts (search_docs_fts, rank) "
        "VALUES ('rank', 'bm25(8.0, 4.0, 5.0, 3.0, 2.0, 1.0, 1.0)')"  # fields.SEARCH_COLUMNS
    )
