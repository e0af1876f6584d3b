"""The catalog's schema, as an ordered list of migrations that run on open.

Never edit a migration that has shipped: add a new one. Each runs in one
transaction with the record of it having run, so a crash mid-migration
leaves the previous schema intact.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("photodesk")

PHOTO_COLUMNS = {
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


@migrations()
def m001_initial(db: Database) -> None:
    db["places"].create(
        {
            "id": int,
            "name": str,
            "sublocation": str,
            "city": str,
            "province": str,
            "country": str,
            "country_code": str,
            "latitude": float,
            "longitude": float,
        },
        pk="id",
        not_null={"name"},
    )
    db.execute("CREATE UNIQUE INDEX idx_places_name ON places (name COLLATE NOCASE)")
    db["import_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running / finished / cancelled / interrupted
            "pid": int,  # of the importing process, to tell a dead run from a live one
            "paths": str,  # JSON list of what the user named
            "mode": str,  # copy / in-place
            "added": int,
            "duplicates": int,
            "skipped": int,
            "failed": int,
        },
        pk="id",
    )
    db["photos"].create(
        PHOTO_COLUMNS,
        pk="id",
        not_null={"sha256", "kind", "status"},
        defaults={"kind": "photo", "status": "new"},
        foreign_keys=[
            ("created_place_id", "places", "id"),
            ("shown_place_id", "places", "id"),
            ("import_run_id", "import_runs", "id"),
        ],
    )
    db["photos"].create_index(["sha256"], unique=True)
    db["photos"].create_index(["taken_start", "taken_end"])
    db["captions"].create(
        {"photo_id": int, "lang": str, "headline": str, "title": str, "description": str},
        pk=("photo_id", "lang"),
        foreign_keys=[("photo_id", "photos", "id")],
    )
    db["stories"].create(
        {"id": int, "name": str, "job_id": str, "created_at": str},
        pk="id",
        not_null={"name"},
    )
    db.execute("CREATE UNIQUE INDEX idx_stories_name ON stories (name COLLATE NOCASE)")
    db["story_photos"].create(
        {"story_id": int, "photo_id": int, "position": int},
        pk=("story_id", "photo_id"),
        foreign_keys=[("story_id", "stories", "id"), ("photo_id", "photos", "id")],
    )
    # Every path a photo was imported from; (path, size, mtime) known means
    # the file need not be read again on the next run.
    db["source_files"].create(
        {"path": str, "size": int, "mtime_ns": int, "photo_id": int, "import_run_id": int},
        pk="path",
        foreign_keys=[("photo_id", "photos", "id"), ("import_run_id", "import_runs", "id")],
    )
    db["source_files"].create_index(["photo_id"])
    db["import_problems"].create(
        {"id": int, "run_id": int, "path": str, "reason": str, "severity": str},
        pk="id",
        foreign_keys=[("run_id", "import_runs", "id")],
    )
    db["import_problems"].create_index(["run_id"])
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["settings"].insert({"key": "default_language", "value": "en"})
