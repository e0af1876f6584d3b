"""Opening, migrating and sharing the catalog."""

import json
import sqlite3
import time

import pytest

from photodesk.catalog import Catalog, CatalogError
from photodesk.catalog.schema import known_migrations, migrations


def test_new_catalog_is_wal_with_schema_version(archive):
    with Catalog.open(archive) as cat:
        assert cat.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cat.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert cat.schema_version == len(known_migrations()) >= 1
        assert {
            "photos",
            "captions",
            "places",
            "stories",
            "story_photos",
            "import_runs",
            "import_problems",
            "source_files",
            "settings",
        } <= set(cat.db.table_names())
        assert cat.default_language == "en"


def test_reopening_keeps_data_and_runs_no_migration_twice(archive):
    with Catalog.open(archive) as cat:
        cat.db["places"].insert({"name": "Quanhe"})
        cat.set_default_language("ko")
    with Catalog.open(archive) as cat:
        assert cat.db["places"].count == 1
        assert cat.default_language == "ko"
        applied = [m.name for m in migrations.applied(cat.db)]
        assert len(applied) == len(set(applied))


def test_catalog_from_a_newer_photodesk_is_refused(archive):
    with Catalog.open(archive) as cat:
        cat.db["_sqlite_migrations"].insert(
            {"migration_set": "photodesk", "name": "m999_future", "applied_at": "2030"}
        )
    with pytest.raises(CatalogError, match="newer photodesk"):
        Catalog.open(archive)


def test_not_a_database_is_a_clear_error(archive):
    archive.root.mkdir(parents=True)
    archive.db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CatalogError, match="not a readable photodesk catalog"):
        Catalog.open(archive)


def test_missing_catalog_without_create(archive):
    with pytest.raises(CatalogError, match="no catalog"):
        Catalog.open(archive, create=False)


def test_reader_sees_committed_rows_while_a_writer_holds_a_transaction(archive):
    with Catalog.open(archive) as writer, Catalog.open(archive) as reader:
        writer.db["places"].insert({"name": "Hunchun"})
        writer.db.execute("BEGIN IMMEDIATE")
        writer.db.execute("INSERT INTO places (name) VALUES ('Rason')")
        # WAL: the reader is not blocked and sees the last committed state
        assert [r["name"] for r in reader.db["places"].rows] == ["Hunchun"]
        writer.db.execute("COMMIT")
        assert reader.db["places"].count == 2


def test_second_writer_waits_then_reports_in_use(archive, monkeypatch):
    import photodesk.catalog as catalog_module

    with Catalog.open(archive) as first:
        first.db.execute("BEGIN IMMEDIATE")
        conn = sqlite3.connect(str(archive.db_path), timeout=0.1)
        with pytest.raises(sqlite3.OperationalError) as info:
            conn.execute("BEGIN IMMEDIATE")
        message = catalog_module.describe_sqlite_error(info.value, archive.db_path)
        assert "in use by another photodesk" in message
        first.db.execute("ROLLBACK")


def test_a_first_release_catalog_migrates_without_losing_data(archive):
    """A catalog written before captioning existed: open it, and everything is still there."""
    from sqlite_utils import Database

    from photodesk.catalog import search

    archive.root.mkdir(parents=True)
    db = Database(archive.db_path)
    migrations.apply(db, stop_before="m002_captioning")
    assert [m.name for m in migrations.applied(db)] == ["m001_initial"]
    db["photos"].insert(
        {"sha256": "ab" * 32, "file_name": "old.jpg", "kind": "photo", "status": "new"}
    )
    db["captions"].insert({"photo_id": 1, "lang": "ko", "description": "옛 세관 건물"})
    db.close()
    with Catalog.open(archive) as cat:
        assert cat.schema_version == len(known_migrations())
        assert cat.db["captions"].get((1, "ko"))["description"] == "옛 세관 건물"
        assert search.search_ids(cat.db, "세관") == [1]  # existing captions were indexed
        assert search.search_ids(cat.db, "old") == [1]


def test_a_killed_import_run_is_marked_interrupted_even_if_its_pid_is_reused(archive):
    import os

    from photodesk.catalog import imports

    with Catalog.open(archive) as cat:
        me = os.getpid()
        cat.db["import_runs"].insert_all(
            [
                {"id": 1, "status": "running", "pid": me, "pid_started": "1"},  # pid reused
                {"id": 2, "status": "running", "pid": 2**22 + 1},  # gone
                {
                    "id": 3,
                    "status": "running",
                    "pid": me,
                    "pid_started": imports.process_started(me),
                },
            ]
        )
        imports.start_run(cat.db, ["x"], "copy")
        assert [r["status"] for r in cat.db["import_runs"].rows] == [
            "interrupted",
            "interrupted",
            "running",
            "running",
        ]


def test_interrupt_stops_a_running_query_from_another_thread(archive):
    import threading

    with Catalog.open(archive):
        pass
    outcome: dict[str, object] = {}
    opened = threading.Event()

    def endless() -> None:
        reader = outcome["reader"] = Catalog.open_readonly(archive)  # this thread's own
        opened.set()
        try:
            with reader:
                reader.db.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                    "SELECT count(*) FROM n"
                ).fetchall()
        except CatalogError as exc:
            outcome["error"] = str(exc)

    worker = threading.Thread(target=endless)
    worker.start()
    opened.wait(10)
    time.sleep(0.2)
    reader = outcome["reader"]
    reader.interrupt()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert "interrupt" in outcome["error"]
    reader.interrupt()  # closed by now: a no-op, not an error


def _with_an_original(archive):
    with Catalog.open(archive):
        pass
    holder = archive.originals / "ab"
    holder.mkdir(parents=True)
    (holder / ("ab" + "0" * 62 + ".jpg")).write_bytes(b"\xff\xd8\xff")


def test_an_empty_catalog_beside_originals_is_refused_not_renewed(archive):
    _with_an_original(archive)
    archive.db_path.write_bytes(b"")  # emptied: by a failed copy, a full disk, a mistake
    for path in archive.root.glob("catalog.db-*"):
        path.unlink()
    with pytest.raises(CatalogError, match="restore"):
        Catalog.open(archive)
    assert archive.db_path.stat().st_size == 0  # left as found, for the restore


def test_a_missing_catalog_beside_originals_is_refused(archive):
    _with_an_original(archive)
    archive.db_path.unlink()
    for path in archive.root.glob("catalog.db-*"):
        path.unlink()
    with pytest.raises(CatalogError, match="missing or empty"):
        Catalog.open(archive, create=True)
    assert not archive.db_path.exists()


@pytest.mark.parametrize("stop", ["m003_pairs", "m004_browse_index", "m005_camera_date"])
def test_an_earlier_catalog_gets_the_cameras_date_beside_the_desks(archive, stop):
    """m005: photos dated by EXIF keep that date as the camera's; one whose EXIF date an
    edit replaced gets it back from history; every other row is as it was."""
    from sqlite_utils import Database

    from photodesk.catalog import photos

    archive.root.mkdir(parents=True)
    db = Database(archive.db_path)
    migrations.apply(db, stop_before=stop)
    exif = {
        "taken_start": "2019-09-14T10:12:33",
        "taken_end": "2019-09-14T10:12:33",
        "taken_precision": "second",
        "taken_text": "2019-09-14 10:12:33",
        "taken_source": "exif",
        "taken_offset": "+08:00",
    }
    manual = {
        "taken_start": "2023-07-21T00:00:00",
        "taken_end": "2023-07-31T23:59:59",
        "taken_precision": "part-month",
        "taken_text": "late July 2023",
        "taken_source": "manual",
    }
    base = {"kind": "photo", "status": "new", "credit": "Partner"}
    db["photos"].insert({"id": 1, "sha256": "a" * 64, "file_name": "exif.jpg"} | base | exif)
    db["photos"].insert({"id": 2, "sha256": "b" * 64, "file_name": "edited.jpg"} | base | manual)
    db["photos"].insert({"id": 3, "sha256": "c" * 64, "file_name": "undated.png"} | base)
    db["captions"].insert({"photo_id": 2, "lang": "ko", "description": "옛 세관 건물"})
    db["change_sets"].insert({"id": 1, "at": "2024-01-01T00:00:00", "user": "ed"})
    db["history"].insert_all(
        [
            {"change_set": 1, "photo_id": 3, "field": "date", "old": "not json", "new": None},
            {
                "change_set": 1,
                "photo_id": 2,
                "field": "date",
                "old": json.dumps(exif),
                "new": json.dumps(manual | {"taken_offset": None}),
            },
        ]
    )
    before = {r["id"]: r for r in db["photos"].rows}
    db.close()

    with Catalog.open(archive) as cat:
        assert cat.schema_version == len(known_migrations())
        after = {r["id"]: r for r in cat.db["photos"].rows}
        for photo_id, row in before.items():  # every earlier column kept as it was
            assert {k: after[photo_id][k] for k in row} == row
        assert after[1]["camera_taken_start"] == "2019-09-14T10:12:33"
        assert after[1]["camera_taken_offset"] == "+08:00"
        assert after[2]["camera_taken_start"] == "2019-09-14T10:12:33"  # from history
        assert (after[2]["taken_text"], after[2]["camera_taken_precision"]) == (
            "late July 2023",
            "second",
        )
        assert after[3]["camera_taken_start"] is None
        assert cat.db["captions"].get((2, "ko"))["description"] == "옛 세관 건물"
        assert cat.db["history"].count == 2
        flt = photos.PhotoFilter(date_conflicts=True)
        assert [r["id"] for r in photos.listing(cat.db, "en", flt)] == [2]
        assert "m005_first_exif" not in cat.db.table_names()


def test_a_first_release_catalog_gets_the_cameras_date_too(archive):
    """m001 had no history: EXIF-dated photos are backfilled all the same."""
    from sqlite_utils import Database

    archive.root.mkdir(parents=True)
    db = Database(archive.db_path)
    migrations.apply(db, stop_before="m002_captioning")
    db["photos"].insert(
        {
            "sha256": "ab" * 32,
            "file_name": "old.jpg",
            "kind": "photo",
            "status": "new",
            "taken_start": "2019-09-14T10:12:33",
            "taken_end": "2019-09-14T10:12:33",
            "taken_precision": "second",
            "taken_source": "exif",
        }
    )
    db.close()
    with Catalog.open(archive) as cat:
        row = cat.db["photos"].get(1)
        assert (row["taken_source"], row["camera_taken_start"]) == ("exif", "2019-09-14T10:12:33")
