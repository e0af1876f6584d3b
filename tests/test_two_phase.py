"""The import's two phases: catalogued first (with the file's own preview), thumbnails after.

Each test builds its photos here (Pillow, with an EXIF thumbnail where one is
needed), so what the preview and the real thumbnail look like is known.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from archive_checks import assert_archive_whole
from imagegen import exif_block, heic_bytes, jpeg_bytes, write
from photodesk.catalog import Catalog, photos, thumbs
from photodesk.ingest import ImportOptions, import_paths
from photodesk.integrity.status import status

GREEN = (0, 200, 0)


def _green_thumbnail() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), GREEN).save(out, "JPEG", quality=90)
    return out.getvalue()


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def test_the_exif_thumbnail_is_the_first_preview_and_the_real_one_replaces_it(catalog, tmp_path):
    # Orientation 6: the camera was turned; both the preview and the thumbnail must stand upright.
    data = jpeg_bytes(
        size=(1200, 900),
        seed=3,
        exif=exif_block(orientation=6),
        exif_thumbnail=_green_thumbnail(),
    )
    write(tmp_path / "in" / "turned.jpg", data)
    first: dict = {}

    def heard(p) -> None:
        if p.phase == "catalogue" and p.outcome == "added":
            row = photos.row(catalog.db, p.photo_id)
            first["row"] = row
            first["pending"] = thumbs.pending_count(catalog.db)
            with Image.open(catalog.archive.resolve(row["thumb_path"])) as shown:
                first["size"], first["pixel"] = shown.size, shown.convert("RGB").getpixel((60, 80))

    s = import_paths(catalog, [str(tmp_path / "in")], progress=heard)

    assert s.added == 1 and s.failed == 0 and s.thumbnails_pending == 0
    preview = first["row"]
    assert first["pending"] == 1 and preview["thumb_pending"] == 1
    assert preview["thumb_path"].endswith(".preview.jpg")
    assert first["size"] == (120, 160)  # the 160x120 EXIF thumbnail, turned upright
    assert _near(first["pixel"], GREEN)
    assert preview["phash"] is None  # no pixels of the photo decoded yet

    real = photos.row(catalog.db, s.photo_ids[0])
    assert real["thumb_pending"] is None and real["phash"]
    assert real["thumb_path"] == catalog.archive.relative(
        catalog.archive.thumb_path(real["sha256"])
    )
    with Image.open(catalog.archive.resolve(real["thumb_path"])) as made:
        assert made.size == (384, 512)  # 1200x900 turned upright, at most 512 px
        assert not _near(made.convert("RGB").getpixel((100, 100)), GREEN)
    assert not catalog.archive.resolve(preview["thumb_path"]).exists()  # the stand-in is gone
    assert_archive_whole(catalog.archive)


def test_a_heic_preview_image_is_the_first_preview_and_the_real_one_replaces_it(catalog, tmp_path):
    write(tmp_path / "in" / "phone.heic", heic_bytes(size=(1200, 900), seed=6, thumbnails=(160,)))
    write(tmp_path / "in" / "bare.heic", heic_bytes(size=(1200, 900), seed=7))
    first: dict = {}

    def heard(p) -> None:
        if p.phase == "catalogue" and p.outcome == "added":
            row = photos.row(catalog.db, p.photo_id)
            shown = catalog.archive.resolve(row["thumb_path"]) if row["thumb_path"] else None
            size = Image.open(shown).size if shown else None
            first[row["file_name"]] = (row["thumb_pending"], row["phash"], size)

    s = import_paths(catalog, [str(tmp_path / "in")], progress=heard)

    assert (s.added, s.failed, s.thumbnails_pending) == (2, 0, 0)
    # The phone's own 160 px preview stands in at once, and no pixel of the photo was decoded;
    # a HEIC without one waits for its thumbnail rather than being decoded in the first phase.
    assert first["phone.heic"] == (1, None, (160, 120))
    assert first["bare.heic"] == (1, None, None)
    for photo_id in s.photo_ids:
        real = photos.row(catalog.db, photo_id)
        assert real["thumb_pending"] is None and real["phash"]
        assert real["thumb_path"] == catalog.archive.relative(
            catalog.archive.thumb_path(real["sha256"])
        )
        with Image.open(catalog.archive.resolve(real["thumb_path"])) as made:
            assert made.size == (512, 384)
    assert not list(catalog.archive.thumbs.rglob("*.preview.jpg"))  # the stand-ins are gone
    assert_archive_whole(catalog.archive)


def test_a_photo_without_a_preview_is_searchable_before_its_thumbnail(catalog, tmp_path):
    write(tmp_path / "in" / "plain.jpg", jpeg_bytes(seed=4, exif=exif_block()))
    seen: dict = {}

    def heard(p) -> None:
        if p.phase == "catalogue" and p.outcome == "added":
            seen["row"] = photos.row(catalog.db, p.photo_id)
            seen["status"] = status(catalog)["thumbnails_pending"]

    s = import_paths(catalog, [str(tmp_path / "in")], progress=heard)
    assert s.added == 1
    assert seen["row"]["thumb_path"] is None and seen["row"]["thumb_pending"] == 1
    assert seen["row"]["camera_make"] == "FUJIFILM"  # the metadata is all there already
    assert seen["status"] == 1
    assert status(catalog)["thumbnails_pending"] == 0


def test_a_file_whose_pixels_cannot_be_decoded_is_taken_out_again(catalog, tmp_path):
    good = jpeg_bytes(size=(800, 600), seed=5, exif=exif_block())
    write(tmp_path / "in" / "1.jpg", good)
    # The header and EXIF are whole, so the first phase catalogues it; the pixels are not.
    write(tmp_path / "in" / "2-cut.jpg", good[:-40_000] if len(good) > 60_000 else good[:2000])
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(workers=1))
    names = {os.path.basename(p["path"]): p["reason"] for p in s.problems}
    assert (s.added, s.failed) == (1, 1), names
    assert "truncated" in names["2-cut.jpg"]
    assert [r["file_name"] for r in catalog.db.query("SELECT file_name FROM photos")] == ["1.jpg"]
    assert len(list(catalog.archive.originals.rglob("*.jpg"))) == 1  # its copy went with it


# -- a kill during the second phase --------------------------------------------------

N = 40


def _real_thumbnails(archive) -> dict[str, tuple[int, int]]:
    """Every real thumbnail on disk, by name: (inode, mtime_ns), which a rewrite changes."""
    out = {}
    for p in archive.thumbs.rglob("*.jpg"):
        if not p.name.endswith(".preview.jpg"):
            st = p.stat()
            out[p.name] = (st.st_ino, st.st_mtime_ns)
    return out


def _phase_counts(db_path: Path) -> tuple[int, int]:
    """(photos catalogued, photos still waiting for a thumbnail); (0, 0) until readable."""
    try:
        conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE thumb_pending = 1) FROM photos"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0, 0


def test_a_kill_during_the_thumbnails_is_finished_by_the_next_run_each_made_once(tmp_path, archive):
    src = tmp_path / "in"
    for i in range(N):
        write(src / f"{i:03}.jpg", jpeg_bytes(size=(2400, 1800), seed=i, exif=exif_block()))
    cmd = [sys.executable, "-m", "photodesk", "--archive", str(archive.root), "import", str(src)]
    proc = subprocess.Popen(
        [*cmd, "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        catalogued, pending = _phase_counts(archive.db_path)
        if catalogued == N and pending < N - 2:  # every photo in, thumbnails under way
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the import finished before it could be killed; raise N"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    catalogued, pending = _phase_counts(archive.db_path)
    assert catalogued == N and 0 < pending < N
    assert_archive_whole(archive)
    before = _real_thumbnails(archive)
    assert len(before) >= N - pending  # some may be written but not yet recorded

    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _phase_counts(archive.db_path) == (N, 0)
    after = _real_thumbnails(archive)
    assert len(after) == N
    # Made exactly once: none written before the kill was written again.
    assert {name: after[name] for name in before} == before
    assert not list(archive.thumbs.rglob("*.preview.jpg"))
    with Catalog.open(archive) as catalog:
        rows = list(catalog.db.query("SELECT sha256, thumb_path, phash FROM photos"))
        assert all(r["phash"] for r in rows)
        assert {Path(r["thumb_path"]).name for r in rows} == set(after)
    assert_archive_whole(archive)

    again = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _real_thumbnails(archive) == after  # nothing left to make, nothing remade


# -- the terminal UI ---------------------------------------------------------------


def test_rows_appear_in_the_table_while_the_import_runs(tmp_path, monkeypatch):
    from textual.widgets import Input

    from photodesk.config import Archive
    from photodesk.tui.screens.browse import BrowseScreen
    from photodesk.tui.screens.importer import ImportScreen
    from tui_fixtures import drive, settle

    folder = tmp_path / "incoming"
    for n in range(6):
        data = jpeg_bytes(size=(800, 600), seed=n + 1, exif=exif_block(orientation=6))
        write(folder / f"img_{n}.jpg", data)
    archive = Archive.locate(tmp_path / "new")
    heard: list[tuple[str, int, int, bool]] = []
    imported = BrowseScreen.imported

    def watched(self, photo_ids, phase):
        imported(self, photo_ids, phase)
        running = next(s for s in self.app.screen_stack if isinstance(s, ImportScreen))
        heard.append((phase, len(photo_ids), self.table.row_count, running.summary is None))

    monkeypatch.setattr(BrowseScreen, "imported", watched)
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("i")
        app.screen.query_one("#folder", Input).value = str(folder)
        app.screen.query_one("#folder", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        seen["summary"] = app.screen.summary
        await pilot.press("escape")
        await pilot.pause()
        seen["rows"] = app.screen.table.row_count
        seen["thumb"] = app.screen.table.current["thumb_path"]

    drive(archive, scenario)
    assert seen["summary"].added == 6 and seen["rows"] == 6
    catalogued = [h for h in heard if h[0] == "catalogue"]
    sharpened = [h for h in heard if h[0] == "thumbnails"]
    # Every row reached the table in batches before the import had finished,
    # and the table held them while the thumbnails were still being made.
    assert sum(h[1] for h in catalogued) == 6 and all(h[3] for h in catalogued)
    assert catalogued[-1][2] == 6
    assert sum(h[1] for h in sharpened) == 6 and all(h[3] for h in sharpened)
    assert not seen["thumb"].endswith(".preview.jpg") and seen["thumb"].startswith("thumbs/")
