"""Archive integrity: fixity, backup and restore, audit, status, migrations, concurrent use."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time

import pytest
from sqlite_utils import Database

from imagegen import jpeg_bytes, write
from photodesk import pairs
from photodesk.catalog import Catalog, edits, photos
from photodesk.catalog.schema import known_migrations, migrations
from photodesk.config import Archive
from photodesk.ingest import ImportOptions, import_paths
from photodesk.integrity import backup as backups
from photodesk.integrity.audit import audit
from photodesk.integrity.verify import verify
from tui_fixtures import demo_archive, ids_by_name


@pytest.fixture
def demo(tmp_path):
    return demo_archive(tmp_path / "demo")


@pytest.fixture
def archive(demo):
    """The `run` fixture's archive."""
    return demo


def _original(archive, photo_id):
    with Catalog.open(archive) as catalog:
        row = photos.row(catalog.db, photo_id)
        return catalog.archive.resolve(row["original_path"])


def test_verify_reports_exactly_the_flipped_and_the_deleted_original(demo, run):
    ids = ids_by_name(demo)
    flipped = _original(demo, ids["quanhe_03_bridges.jpg"])
    deleted = _original(demo, ids["quanhe_05_cn_customs_front.jpg"])
    flipped.chmod(0o644)
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, deep inside: same size
    flipped.write_bytes(bytes(data))
    deleted.chmod(0o644)
    deleted.unlink()
    result = run("verify", "--json", ok=False)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [f["photo_id"] for f in report["changed"]] == [ids["quanhe_03_bridges.jpg"]]
    assert [f["photo_id"] for f in report["missing"]] == [ids["quanhe_05_cn_customs_front.jpg"]]
    assert report["unreadable"] == [] and report["thumbnails"] == [] and report["checked"] == 10
    # The quick check sees the deletion but, by design, not a same-size change.
    quick = json.loads(run("verify", "--quick", "--json", ok=False).output)
    assert [f["photo_id"] for f in quick["missing"]] == [ids["quanhe_05_cn_customs_front.jpg"]]
    assert quick["changed"] == []
    status = json.loads(run("status", "--json").output)
    assert status["last_verify"]["quick"] is True and status["last_verify"]["ok"] is False
    assert status["counts"]["photos"] == 10


def test_verify_passes_on_an_intact_archive_and_says_when(demo, run):
    assert "all present and unchanged" in run("verify").output
    assert "last verify  20" in run("status").output


def test_a_missing_thumbnail_is_reported_for_rebuilding(demo):
    with Catalog.open(demo) as catalog:
        row = photos.row(catalog.db, 1)
        catalog.archive.resolve(row["thumb_path"]).unlink()
        report = verify(catalog)
    assert [f.photo_id for f in report.thumbnails] == [1] and not report.ok


def test_restore_checks_the_manifest_before_replacing_anything(demo, tmp_path):
    dest = tmp_path / "backup"
    with Catalog.open(demo) as catalog:
        backups.backup(catalog, dest)
    some = next((dest / "originals").rglob("*.jpg"))
    some.chmod(0o644)
    some.write_bytes(some.read_bytes()[:-1] + b"\x00")
    target = Archive.locate(tmp_path / "restored")
    with pytest.raises(backups.BackupError, match="does not match its manifest"):
        backups.restore(dest, target)
    assert not target.root.exists()  # nothing was written
    good = tmp_path / "good"
    with Catalog.open(demo) as catalog:
        backups.backup(catalog, good)
    with pytest.raises(backups.BackupError, match="already has a catalog"):
        backups.restore(good, demo)


def test_a_backup_is_incremental(demo, tmp_path):
    dest = tmp_path / "backup"
    with Catalog.open(demo) as catalog:
        first = backups.backup(catalog, dest)
        second = backups.backup(catalog, dest)
    assert first.copied == 20 and second.copied == 0 and second.files == first.files


def _slow_import(root: str, folder: str, started) -> None:
    with Catalog.open(Archive.locate(root)) as catalog:

        def progress(p):
            if p.outcome in ("added", "stored", "imported") or p.done >= 3:
                started.set()
            time.sleep(0.02)  # a long batch: the backup lands in the middle of it

        import_paths(catalog, [folder], ImportOptions(workers=1), progress=progress)


def test_a_backup_taken_during_an_import_restores_and_verifies(tmp_path):
    archive = Archive.locate(tmp_path / "live")
    folder = tmp_path / "incoming"
    for i in range(40):
        write(folder / f"img_{i:02}.jpg", jpeg_bytes(size=(320, 240), seed=200 + i))
    with Catalog.open(archive):
        pass
    ctx = multiprocessing.get_context("spawn")
    started = ctx.Event()
    job = ctx.Process(target=_slow_import, args=(str(archive.root), str(folder), started))
    job.start()
    try:
        assert started.wait(60)
        with Catalog.open(archive) as catalog:
            backups.backup(catalog, tmp_path / "backup")
    finally:
        job.join(120)
    assert job.exitcode == 0
    restored = Archive.locate(tmp_path / "restored")
    backups.restore(tmp_path / "backup", restored)
    with Catalog.open(restored) as catalog:
        kept = catalog.db.execute("SELECT count(*) FROM photos").fetchone()[0]
        report = verify(catalog)
    assert 0 < kept <= 40
    assert report.ok, report.summary()


def test_restore_through_the_cli_into_an_empty_folder(demo, run, tmp_path):
    run("backup", str(tmp_path / "bk"))
    target = tmp_path / "elsewhere"
    from click.testing import CliRunner

    from photodesk.cli import main

    result = CliRunner().invoke(main, ["--archive", str(target), "restore", str(tmp_path / "bk")])
    assert result.exit_code == 0, result.output
    verified = CliRunner().invoke(main, ["--archive", str(target), "verify"])
    assert verified.exit_code == 0 and "all present and unchanged" in verified.output


def test_audit_finds_identifying_metadata_gaps_and_broken_pairs(demo, run):
    ids = ids_by_name(demo)
    before, after = ids["fence_2019_single.jpg"], ids["quanhe_07_double_fence.jpg"]
    with Catalog.open(demo) as catalog:
        pairs.create(catalog, before, after)
        # The dates are corrected later, so the pair now runs backwards.
        edits.apply_edit(catalog.db, [before], edits.Edit({"date": "2024"}), "ed")
        edits.apply_edit(catalog.db, [after], edits.Edit({"credit": ""}), "ed")
        report = audit(catalog)
    found = {item["file_name"]: item["found"] for item in report.identifying}
    assert "body serial number" in found["quanhe_01_nk_customs.jpg"]
    assert "GPS position" in found["fence_2019_single.jpg"]
    assert "chart_trade.png" not in found
    assert report.missing["credit"] == [after]
    assert report.missing["shown_place"] == [ids["chart_trade.png"]]
    (problem,) = [p["problem"] for p in report.pairs]
    assert problem.startswith("the before photo (2024)")
    out = json.loads(run("audit", "--json").output)
    assert out["missing"]["credit"] == [after]


# -- migrations ------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(1, len(known_migrations())))
def test_a_catalog_of_each_earlier_schema_upgrades_and_keeps_everything(tmp_path, version):
    """Built by the frozen migrations up to `version`, as that release left it."""
    archive = Archive.locate(tmp_path / f"v{version}")
    archive.root.mkdir()
    db = Database(archive.db_path)
    names = known_migrations()
    migrations.apply(db, stop_before=names[version])
    assert len(migrations.applied(db)) == version
    db["photos"].insert(
        {"sha256": "ab" * 32, "file_name": "old.jpg", "kind": "photo", "status": "new"}
    )
    if "captions" in db.table_names():
        db["captions"].insert({"photo_id": 1, "lang": "ko", "description": "옛 세관 건물"})
    if "history" in db.table_names():
        db["change_sets"].insert({"id": 1, "at": "2023-07-28T00:00:00", "user": "ed"})
        db["history"].insert(
            {"change_set": 1, "photo_id": 1, "field": "credit", "old": None, "new": "Desk"}
        )
    db.close()
    with Catalog.open(archive) as catalog:
        assert catalog.schema_version == len(names)
        assert catalog.db["photos"].get(1)["file_name"] == "old.jpg"
        if version >= 2:
            assert catalog.db["captions"].get((1, "ko"))["description"] == "옛 세관 건물"
            assert catalog.db.execute("SELECT count(*) FROM history").fetchone()[0] == 1
    kept = archive.db_path.with_name(f"catalog.db.schema-{version}.bak")
    old = sqlite3.connect(kept)
    assert old.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == version
    old.close()


def test_a_catalog_from_a_newer_photodesk_is_refused_and_left_alone(tmp_path):
    archive = Archive.locate(tmp_path / "newer")
    with Catalog.open(archive):
        pass
    db = sqlite3.connect(archive.db_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('photodesk', 'm999_from_the_future', '2030-01-01')"
    )
    db.commit()
    db.close()
    before = archive.db_path.read_bytes()
    from photodesk.catalog import CatalogError

    with pytest.raises(CatalogError, match="newer photodesk"):
        Catalog.open(archive)
    assert archive.db_path.read_bytes() == before
