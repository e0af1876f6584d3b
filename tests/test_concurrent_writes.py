"""Long writes never make other writers give up: they wait their turn, and say so."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

import pytest

import photodesk.catalog as catalog_module
from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog, CatalogError, history, photos
from photodesk.catalog.edits import BATCH_PHOTOS, Edit, apply_edit, undo
from photodesk.ingest import ImportOptions, import_paths


def _hold_write_lock(path, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def _photo(catalog, n: int) -> int:
    photo_id, _ = photos.add(catalog.db, {"sha256": f"{n:064x}", "file_name": f"p{n}.jpg"})
    return photo_id


def test_a_writer_waits_past_the_busy_timeout_and_is_told(archive, monkeypatch):
    monkeypatch.setattr(catalog_module, "BUSY_TIMEOUT_MS", 100)  # each attempt: 0.1 s
    heard: list[float] = []
    with Catalog.open(archive) as catalog, Catalog.waiting(heard.append):
        photo = _photo(catalog, 1)
        held = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(archive.db_path, 1.0, held))
        holder.start()
        held.wait(5)
        result = apply_edit(catalog.db, [photo], Edit({"credit": "Desk"}), "ed")
        holder.join()
    assert result.fields_changed == 1
    assert len(heard) >= 3 and heard == sorted(heard)  # told while it waited, not failed


def test_a_writer_gives_up_after_its_budget_in_one_line(archive, monkeypatch):
    monkeypatch.setattr(catalog_module, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setenv("PHOTODESK_WRITE_WAIT", "0.3")
    with Catalog.open(archive) as catalog:
        photo = _photo(catalog, 1)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(archive.db_path, 1.5, held))
    holder.start()
    held.wait(5)
    try:
        with (
            pytest.raises(CatalogError, match="in use by another photodesk"),
            Catalog.open(archive) as catalog,
        ):
            apply_edit(catalog.db, [photo], Edit({"credit": "Desk"}), "ed")
    finally:
        holder.join()


def test_the_cli_says_it_is_waiting(archive, run, monkeypatch):
    monkeypatch.setattr(catalog_module, "BUSY_TIMEOUT_MS", 100)
    with Catalog.open(archive) as catalog:
        photo = _photo(catalog, 1)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(archive.db_path, 0.6, held))
    holder.start()
    held.wait(5)
    result = run("caption", str(photo), "--credit", "Desk")
    holder.join()
    assert "waiting for another photodesk to finish writing" in result.output


def test_a_long_batch_is_one_change_set_in_bounded_transactions(archive):
    n = BATCH_PHOTOS * 2 + 7
    with Catalog.open(archive) as catalog:
        ids = [_photo(catalog, i) for i in range(1, n + 1)]
        commits: list[str] = []
        catalog.db.conn.set_trace_callback(lambda s: commits.append(s) if s == "COMMIT" else None)
        result = apply_edit(catalog.db, ids, Edit({"credit": "Desk"}), "ed")
        catalog.db.conn.set_trace_callback(None)
        assert result.photos_changed == n and len(commits) == 3
        assert len(history.entries(catalog.db, result.change_set)) == n
        undone = undo(catalog.db, "ed")
        assert undone is not None and undone[0] == result.change_set
        credits = {r["credit"] for r in catalog.db.query("SELECT credit FROM photos")}
    assert credits == {None}  # the whole batch reverted


# -- three processes at once -----------------------------------------------------------


def _batch(root: str, ids: list[int], done) -> None:
    from photodesk.config import Archive

    with Catalog.open(Archive.locate(root)) as catalog:
        apply_edit(catalog.db, ids, Edit({"source": "batch"}), "batch")
    done.put(("batch", len(ids)))


def _edit_loop(root: str, ids: list[int], done) -> None:
    """An editor at the command line, one `photodesk caption` after another."""
    from click.testing import CliRunner

    from photodesk.cli import main

    landed = 0
    runner = CliRunner()
    for i, photo_id in enumerate(ids):
        result = runner.invoke(
            main,
            [
                "--archive",
                root,
                "caption",
                str(photo_id),
                "--credit",
                f"loop {i}",
                "--user",
                "loop",
            ],
        )
        assert result.exit_code == 0, result.output
        landed += 1
    done.put(("loop", landed))


def _import(root: str, folder: str, done) -> None:
    from photodesk.config import Archive

    with Catalog.open(Archive.locate(root)) as catalog:
        summary = import_paths(catalog, [folder], ImportOptions(workers=1))
    done.put(("import", summary.added))


def _reader(root: str, stop, done) -> None:
    """The terminal UI's part: reading pages and searching while the others write."""
    from photodesk.catalog import browse
    from photodesk.catalog import search as searching
    from photodesk.config import Archive

    reads = 0
    while not stop.is_set():
        catalog = Catalog.open_readonly(Archive.locate(root))
        assert catalog is not None
        with catalog:
            f = browse.resolve(catalog.db, browse.BrowseFilter())
            browse.page(catalog.db, f, "en", None, 100)
            searching.search_ids(catalog.db, "batch")
            reads += 1
    done.put(("reader", reads))


def test_a_long_batch_an_edit_loop_and_an_import_all_land(archive, tmp_path):
    n = BATCH_PHOTOS * 4
    with Catalog.open(archive) as catalog:
        ids = [_photo(catalog, i) for i in range(1, n + 1)]
    folder = tmp_path / "incoming"
    for i in range(12):
        write(folder / f"new_{i}.jpg", jpeg_bytes(size=(64, 48), seed=100 + i))
    ctx = multiprocessing.get_context("spawn")
    done = ctx.Queue()
    stop = ctx.Event()
    reader = ctx.Process(target=_reader, args=(str(archive.root), stop, done))
    reader.start()
    jobs = [
        ctx.Process(target=_batch, args=(str(archive.root), ids, done)),
        ctx.Process(target=_edit_loop, args=(str(archive.root), ids[:40], done)),
        ctx.Process(target=_import, args=(str(archive.root), str(folder), done)),
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=120)
    stop.set()
    reader.join(timeout=30)
    assert all(job.exitcode == 0 for job in [*jobs, reader]), [j.exitcode for j in jobs]
    reports = dict(done.get(timeout=5) for _ in range(4))
    reads = reports.pop("reader")
    assert reports == {"batch": n, "loop": 40, "import": 12}
    assert reads > 0
    with Catalog.open(archive) as catalog:
        db = catalog.db
        assert db.execute("SELECT count(*) FROM photos WHERE source = 'batch'").fetchone()[0] == n
        loop_sets = db.execute("SELECT count(*) FROM change_sets WHERE user = 'loop'").fetchone()[0]
        assert loop_sets == 40  # every edit of the loop is in the history
        assert db.execute("SELECT count(*) FROM photos").fetchone()[0] == n + 12
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
