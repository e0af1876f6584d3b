"""The catalog's schema, as an ordered list of migrations that run on open.

Never edit a migration that has shipped: add a new one. A migration is frozen
history: the exact statements it ran when it shipped, never today's code
(whose tables, columns and libraries may since have changed). Each runs in one
transaction with the record of it having run, so a crash mid-migration leaves
the previous schema intact. Derived data (the search index) is rebuilt by
`Catalog.open` after pending migrations have run.
"""

from __future__ import annotations

import functools

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("photodesk")


@functools.cache
def known_migrations() -> tuple[str, ...]:
    """The names of every migration this photodesk knows, oldest first."""
    empty = Database(memory=True)
    try:
        return tuple(m.name for m in migrations.pending(empty))
    finally:
        empty.close()


# Photos, their captions, places, stories, import runs and the files seen.
# places uses AUTOINCREMENT: a merged-away place's id is never handed to a new
# place, so undoing the merge can bring it back under the id history refers to.
# source_files: (path, size, mtime) known means the file need not be read again.
_M001 = (
    (
        "CREATE TABLE places (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "sublocation TEXT, city TEXT, province TEXT, country TEXT, country_code TEXT, "
        "latitude FLOAT, longitude FLOAT)"
    ),
    "CREATE UNIQUE INDEX idx_places_name ON places (name COLLATE NOCASE)",
    (
        'CREATE TABLE "import_runs" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "started_at" TEXT,\n'
        '   "finished_at" TEXT,\n'
        '   "status" TEXT,\n'
        '   "pid" INTEGER,\n'
        '   "pid_started" TEXT,\n'
        '   "paths" TEXT,\n'
        '   "mode" TEXT,\n'
        '   "added" INTEGER,\n'
        '   "duplicates" INTEGER,\n'
        '   "skipped" INTEGER,\n'
        '   "failed" INTEGER\n'
        ")"
    ),
    (
        'CREATE TABLE "photos" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "sha256" TEXT NOT NULL,\n'
        "   \"kind\" TEXT NOT NULL DEFAULT 'photo',\n"
        '   "file_name" TEXT,\n'
        '   "file_size" INTEGER,\n'
        '   "format" TEXT,\n'
        '   "width" INTEGER,\n'
        '   "height" INTEGER,\n'
        '   "orientation" INTEGER,\n'
        '   "camera_make" TEXT,\n'
        '   "camera_model" TEXT,\n'
        '   "lens_model" TEXT,\n'
        '   "body_serial" TEXT,\n'
        '   "gps_lat" REAL,\n'
        '   "gps_lon" REAL,\n'
        '   "gps_alt" REAL,\n'
        '   "taken_start" TEXT,\n'
        '   "taken_end" TEXT,\n'
        '   "taken_precision" TEXT,\n'
        '   "taken_text" TEXT,\n'
        '   "taken_source" TEXT,\n'
        '   "taken_offset" TEXT,\n'
        '   "creator" TEXT,\n'
        '   "creator_title" TEXT,\n'
        '   "credit" TEXT,\n'
        '   "source" TEXT,\n'
        '   "copyright" TEXT,\n'
        '   "job_id" TEXT,\n'
        '   "instructions" TEXT,\n'
        '   "caption_writer" TEXT,\n'
        '   "keywords" TEXT,\n'
        "   \"status\" TEXT NOT NULL DEFAULT 'new',\n"
        '   "created_place_id" INTEGER REFERENCES "places"("id"),\n'
        '   "shown_place_id" INTEGER REFERENCES "places"("id"),\n'
        '   "original_path" TEXT,\n'
        '   "thumb_path" TEXT,\n'
        '   "phash" TEXT,\n'
        '   "import_run_id" INTEGER REFERENCES "import_runs"("id"),\n'
        '   "imported_at" TEXT\n'
        ")"
    ),
    ('CREATE UNIQUE INDEX "idx_photos_sha256"\n    ON "photos" ("sha256")'),
    (
        'CREATE INDEX "idx_photos_taken_start_taken_end"\n'
        '    ON "photos" ("taken_start", "taken_end")'
    ),
    (
        'CREATE TABLE "captions" (\n'
        '   "photo_id" INTEGER REFERENCES "photos"("id"),\n'
        '   "lang" TEXT,\n'
        '   "headline" TEXT,\n'
        '   "title" TEXT,\n'
        '   "description" TEXT,\n'
        '   PRIMARY KEY ("photo_id", "lang")\n'
        ")"
    ),
    (
        'CREATE TABLE "stories" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "name" TEXT NOT NULL,\n'
        '   "job_id" TEXT,\n'
        '   "created_at" TEXT\n'
        ")"
    ),
    "CREATE UNIQUE INDEX idx_stories_name ON stories (name COLLATE NOCASE)",
    (
        'CREATE TABLE "story_photos" (\n'
        '   "story_id" INTEGER REFERENCES "stories"("id"),\n'
        '   "photo_id" INTEGER REFERENCES "photos"("id"),\n'
        '   "position" INTEGER,\n'
        '   PRIMARY KEY ("story_id", "photo_id")\n'
        ")"
    ),
    (
        'CREATE TABLE "source_files" (\n'
        '   "path" TEXT PRIMARY KEY,\n'
        '   "size" INTEGER,\n'
        '   "mtime_ns" INTEGER,\n'
        '   "photo_id" INTEGER REFERENCES "photos"("id"),\n'
        '   "import_run_id" INTEGER REFERENCES "import_runs"("id")\n'
        ")"
    ),
    ('CREATE INDEX "idx_source_files_photo_id"\n    ON "source_files" ("photo_id")'),
    (
        'CREATE TABLE "import_problems" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "run_id" INTEGER REFERENCES "import_runs"("id"),\n'
        '   "path" TEXT,\n'
        '   "reason" TEXT,\n'
        '   "severity" TEXT\n'
        ")"
    ),
    ('CREATE INDEX "idx_import_problems_run_id"\n    ON "import_problems" ("run_id")'),
    ('CREATE TABLE "settings" (\n   "key" TEXT PRIMARY KEY,\n   "value" TEXT\n)'),
    "INSERT INTO settings (key, value) VALUES ('default_language', 'en')",
)


# History with change sets, code replacements, and full-text search. One
# search document per photo and caption language (lang '' holds a photo with no
# caption), so --lang can restrict matches to one language. The text is stored
# as indexed: CJK runs split into overlapping bigrams. A document's id is
# photo_id * 64 + its language's slot, so a search reads photo and language
# from the index alone, and newest photos come first. The FTS5 table keeps
# prefix indexes, which make search-as-you-type (`cust*`) an index lookup, and
# the triggers keep it in step with every edit. The bm25 weights are
# fields.SEARCH_COLUMNS' as they were when this shipped.
_M002 = (
    (
        'CREATE TABLE "change_sets" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "at" TEXT,\n'
        '   "user" TEXT,\n'
        '   "summary" TEXT,\n'
        '   "undoes" INTEGER,\n'
        '   "undone_by" INTEGER\n'
        ")"
    ),
    (
        'CREATE TABLE "history" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "change_set" INTEGER REFERENCES "change_sets"("id"),\n'
        '   "photo_id" INTEGER REFERENCES "photos"("id"),\n'
        '   "field" TEXT,\n'
        '   "lang" TEXT,\n'
        '   "old" TEXT,\n'
        '   "new" TEXT\n'
        ")"
    ),
    ('CREATE INDEX "idx_history_photo_id_change_set"\n    ON "history" ("photo_id", "change_set")'),
    ('CREATE INDEX "idx_history_change_set"\n    ON "history" ("change_set")'),
    ('CREATE TABLE "codes" (\n   "code" TEXT PRIMARY KEY,\n   "text" TEXT\n)'),
    ('CREATE TABLE "search_langs" (\n   "slot" INTEGER PRIMARY KEY,\n   "lang" TEXT NOT NULL\n)'),
    ('CREATE UNIQUE INDEX "idx_search_langs_lang"\n    ON "search_langs" ("lang")'),
    (
        'CREATE TABLE "search_docs" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "photo_id" INTEGER REFERENCES "photos"("id"),\n'
        '   "lang" TEXT,\n'
        '   "headline" TEXT,\n'
        '   "title" TEXT,\n'
        '   "description" TEXT,\n'
        '   "keywords" TEXT,\n'
        '   "places" TEXT,\n'
        '   "file_name" TEXT,\n'
        '   "credit" TEXT\n'
        ")"
    ),
    ('CREATE INDEX "idx_search_docs_photo_id"\n    ON "search_docs" ("photo_id")'),
    (
        "CREATE VIRTUAL TABLE search_docs_fts USING fts5 (headline, title, description, "
        "keywords, places, file_name, credit, content=[search_docs], tokenize='unicode61 "
        "remove_diacritics 2', prefix='2 3 4')"
    ),
    (
        'CREATE TRIGGER "search_docs_ai" AFTER INSERT ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_docs_fts" (rowid, '
        '"headline", '
        '"title", '
        '"description", '
        '"keywords", '
        '"places", '
        '"file_name", '
        '"credit") VALUES (new.rowid, '
        'new."headline", '
        'new."title", '
        'new."description", '
        'new."keywords", '
        'new."places", '
        'new."file_name", '
        'new."credit");\n'
        "END"
    ),
    (
        'CREATE TRIGGER "search_docs_ad" AFTER DELETE ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_docs_fts" ("search_docs_fts", '
        "rowid, "
        '"headline", '
        '"title", '
        '"description", '
        '"keywords", '
        '"places", '
        '"file_name", '
        "\"credit\") VALUES('delete', "
        "old.rowid, "
        'old."headline", '
        'old."title", '
        'old."description", '
        'old."keywords", '
        'old."places", '
        'old."file_name", '
        'old."credit");\n'
        "END"
    ),
    (
        'CREATE TRIGGER "search_docs_au" AFTER UPDATE ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_docs_fts" ("search_docs_fts", '
        "rowid, "
        '"headline", '
        '"title", '
        '"description", '
        '"keywords", '
        '"places", '
        '"file_name", '
        "\"credit\") VALUES('delete', "
        "old.rowid, "
        'old."headline", '
        'old."title", '
        'old."description", '
        'old."keywords", '
        'old."places", '
        'old."file_name", '
        'old."credit");\n'
        '  INSERT INTO "search_docs_fts" (rowid, '
        '"headline", '
        '"title", '
        '"description", '
        '"keywords", '
        '"places", '
        '"file_name", '
        '"credit") VALUES (new.rowid, '
        'new."headline", '
        'new."title", '
        'new."description", '
        'new."keywords", '
        'new."places", '
        'new."file_name", '
        'new."credit");\n'
        "END"
    ),
    "INSERT INTO search_langs (slot, lang) VALUES (0, '')",
    (
        "INSERT INTO search_docs_fts (search_docs_fts, rank) VALUES ('rank', 'bm25(8.0, "
        "4.0, 5.0, 3.0, 2.0, 1.0, 1.0)')"
    ),
)


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _M001:
        db.execute(statement)


@migrations()
def m002_captioning(db: Database) -> None:
    for statement in _M002:
        db.execute(statement)


# Before/after pairs. A photo may be in several pairs; deleting a photo (or a
# pair) takes its pairs (and their captions) with it, so none is left dangling.
_M003 = (
    (
        "CREATE TABLE pairs (\n"
        "   id INTEGER PRIMARY KEY,\n"
        "   before_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,\n"
        "   after_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,\n"
        "   subject TEXT,\n"
        "   note TEXT,\n"
        "   created_at TEXT,\n"
        "   CHECK (before_id != after_id)\n"
        ")"
    ),
    "CREATE UNIQUE INDEX idx_pairs_before_after ON pairs (before_id, after_id)",
    "CREATE INDEX idx_pairs_after ON pairs (after_id)",
    (
        "CREATE TABLE pair_captions (\n"
        "   pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,\n"
        "   lang TEXT NOT NULL,\n"
        "   text TEXT NOT NULL,\n"
        "   PRIMARY KEY (pair_id, lang)\n"
        ")"
    ),
)


@migrations()
def m003_pairs(db: Database) -> None:
    for statement in _M003:
        db.execute(statement)


# Browsing pages through photos by date with keyset queries: (taken_start, id)
# walks the archive in order from any photo, however large it grows.
_M004 = ("CREATE INDEX idx_photos_taken_start_id ON photos (taken_start, id)",)


@migrations()
def m004_browse_index(db: Database) -> None:
    for statement in _M004:
        db.execute(statement)


# The camera's date beside the desk's: taken_* is what the desk asserts (and
# edits), camera_taken_* what EXIF said when the file was read, which nothing
# edits. Photos whose date is still the camera's get it copied; a photo whose
# camera date an edit already replaced gets it back from history, where the
# first edit kept it as the old value (CASE: malformed history text is skipped,
# not a failed migration).
_M005 = (
    "ALTER TABLE photos ADD COLUMN camera_taken_start TEXT",
    "ALTER TABLE photos ADD COLUMN camera_taken_end TEXT",
    "ALTER TABLE photos ADD COLUMN camera_taken_precision TEXT",
    "ALTER TABLE photos ADD COLUMN camera_taken_text TEXT",
    "ALTER TABLE photos ADD COLUMN camera_taken_offset TEXT",
    (
        "UPDATE photos SET camera_taken_start = taken_start, camera_taken_end = taken_end, "
        "camera_taken_precision = taken_precision, camera_taken_text = taken_text, "
        "camera_taken_offset = taken_offset WHERE taken_source = 'exif'"
    ),
    (
        "CREATE TEMP TABLE m005_first_exif AS "
        "SELECT photo_id, min(id) AS history_id FROM history "
        "WHERE field = 'date' AND photo_id IS NOT NULL AND CASE WHEN json_valid(old) "
        "THEN json_extract(old, '$.taken_source') = 'exif' ELSE 0 END "
        "GROUP BY photo_id"
    ),
    (
        "UPDATE photos SET "
        "camera_taken_start = (SELECT json_extract(h.old, '$.taken_start') "
        "FROM m005_first_exif f JOIN history h ON h.id = f.history_id "
        "WHERE f.photo_id = photos.id), "
        "camera_taken_end = (SELECT json_extract(h.old, '$.taken_end') "
        "FROM m005_first_exif f JOIN history h ON h.id = f.history_id "
        "WHERE f.photo_id = photos.id), "
        "camera_taken_precision = (SELECT json_extract(h.old, '$.taken_precision') "
        "FROM m005_first_exif f JOIN history h ON h.id = f.history_id "
        "WHERE f.photo_id = photos.id), "
        "camera_taken_text = (SELECT json_extract(h.old, '$.taken_text') "
        "FROM m005_first_exif f JOIN history h ON h.id = f.history_id "
        "WHERE f.photo_id = photos.id), "
        "camera_taken_offset = (SELECT json_extract(h.old, '$.taken_offset') "
        "FROM m005_first_exif f JOIN history h ON h.id = f.history_id "
        "WHERE f.photo_id = photos.id) "
        "WHERE camera_taken_start IS NULL "
        "AND id IN (SELECT photo_id FROM m005_first_exif)"
    ),
    "DROP TABLE m005_first_exif",
)


@migrations()
def m005_camera_date(db: Database) -> None:
    for statement in _M005:
        db.execute(statement)


# English words found by their other forms ("fence" finds "fences"): a second
# index over the same search documents, its words reduced to their stems by
# FTS5's porter tokenizer. Porter leaves tokens that are not ASCII letters as
# they are, so Korean and Japanese bigrams, digits and file names index as in
# the exact index beside it, which stays for exact ("quoted") words. Filled
# from the documents as they stand; triggers keep it in step from then on.
_M006 = (
    (
        "CREATE VIRTUAL TABLE search_stems USING fts5 (headline, title, description, "
        "keywords, places, file_name, credit, content=[search_docs], tokenize='porter "
        "unicode61 remove_diacritics 2', prefix='2 3 4')"
    ),
    (
        'CREATE TRIGGER "search_stems_ai" AFTER INSERT ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_stems" (rowid, "headline", "title", "description", '
        '"keywords", "places", "file_name", "credit") VALUES (new.rowid, new."headline", '
        'new."title", new."description", new."keywords", new."places", new."file_name", '
        'new."credit");\n'
        "END"
    ),
    (
        'CREATE TRIGGER "search_stems_ad" AFTER DELETE ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_stems" ("search_stems", rowid, "headline", "title", '
        '"description", "keywords", "places", "file_name", "credit") VALUES(\'delete\', '
        'old.rowid, old."headline", old."title", old."description", old."keywords", '
        'old."places", old."file_name", old."credit");\n'
        "END"
    ),
    (
        'CREATE TRIGGER "search_stems_au" AFTER UPDATE ON "search_docs" BEGIN\n'
        '  INSERT INTO "search_stems" ("search_stems", rowid, "headline", "title", '
        '"description", "keywords", "places", "file_name", "credit") VALUES(\'delete\', '
        'old.rowid, old."headline", old."title", old."description", old."keywords", '
        'old."places", old."file_name", old."credit");\n'
        '  INSERT INTO "search_stems" (rowid, "headline", "title", "description", '
        '"keywords", "places", "file_name", "credit") VALUES (new.rowid, new."headline", '
        'new."title", new."description", new."keywords", new."places", new."file_name", '
        'new."credit");\n'
        "END"
    ),
    "INSERT INTO search_stems (search_stems) VALUES ('rebuild')",
    (
        "INSERT INTO search_stems (search_stems, rank) VALUES ('rank', 'bm25(8.0, "
        "4.0, 5.0, 3.0, 2.0, 1.0, 1.0)')"
    ),
)


@migrations()
def m006_search_stems(db: Database) -> None:
    for statement in _M006:
        db.execute(statement)


# Imports catalogue a photo before its thumbnail exists (two phases): a photo
# whose 512 px thumbnail is still to be made is marked, and its thumb_path may
# meanwhile point at the preview embedded in the file. The partial index keeps
# finding the unfinished ones cheap in an archive where almost none are.
_M007 = (
    'ALTER TABLE "photos" ADD COLUMN "thumb_pending" INTEGER',
    ('CREATE INDEX "idx_photos_thumb_pending"\n    ON "photos" ("id") WHERE "thumb_pending" = 1'),
)


@migrations()
def m007_thumbnails_pending(db: Database) -> None:
    for statement in _M007:
        db.execute(statement)
