"""Batch import against files made here, each with a known fate."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import time

import pytest
from PIL import Image

from archive_checks import assert_archive_whole, count_rows, photos_and_distinct_hashes
from imagegen import (
    exif_block,
    heic_bytes,
    insert_segment,
    iptc_app13,
    jpeg_bytes,
    png_bomb,
    png_bytes,
    write,
)
from photodesk.catalog import photos
from photodesk.ingest import ImportOptions, import_paths, pool
from photodesk.ingest.notes import load_notes
from photodesk.ingest.worker import STEPS


def _photo(catalog, name: str) -> dict:
    rows = list(catalog.db["photos"].rows_where("file_name = ?", [name]))
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows[0]


@pytest.fixture
def batch(tmp_path):
    src = tmp_path / "batch"
    write(src / "a.jpg", jpeg_bytes(seed=1, exif=exif_block()))
    write(src / "sub" / "b.JPG", jpeg_bytes(seed=2, exif=exif_block(taken="2019:09:14 10:12:33")))
    write(src / "sub" / "deeper" / "c.png", png_bytes(seed=3))
    write(src / "notes.txt", b"the partner's notes")
    return src


def test_imports_recursively_and_counts(catalog, archive, batch):
    s = import_paths(catalog, [str(batch)])
    assert (s.added, s.duplicates, s.skipped, s.failed) == (3, 0, 1, 0)
    assert count_rows(archive.db_path) == 3
    a = _photo(catalog, "a.jpg")
    assert a["taken_start"] == a["taken_end"] == "2023-07-28T14:05:09"
    assert a["taken_offset"] == "+08:00"
    assert a["taken_source"] == "exif"
    assert (a["camera_make"], a["camera_model"]) == ("FUJIFILM", "X-T4")
    assert a["gps_lat"] == pytest.approx(42.4321, abs=1e-5)
    assert (a["width"], a["height"], a["format"]) == (640, 480, "JPEG")
    run = catalog.db["import_runs"].get(s.run_id)
    assert (run["status"], run["added"], run["skipped"]) == ("finished", 3, 1)
    assert_archive_whole(archive)


def test_second_run_adds_nothing_and_reads_nothing(catalog, archive, batch, monkeypatch):
    import_paths(catalog, [str(batch)])

    def must_not_run(*args, **kwargs):
        raise AssertionError("a known file was read again")

    monkeypatch.setattr(pool, "crew", must_not_run)
    s = import_paths(catalog, [str(batch)])
    assert (s.added, s.duplicates, s.failed) == (0, 3, 0)
    assert count_rows(archive.db_path) == 3


def test_same_bytes_under_other_names_is_one_photo(catalog, archive, tmp_path):
    data = jpeg_bytes(seed=9, exif=exif_block())
    write(tmp_path / "in" / "IMG_0001.jpg", data)
    write(tmp_path / "in" / "copy of IMG_0001.jpeg", data)
    write(tmp_path / "in" / "x" / "renamed.JPG", data)
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert (s.added, s.duplicates) == (1, 2)
    assert count_rows(archive.db_path) == 1
    assert count_rows(archive.db_path, "source_files") == 3
    # and later, under yet another name, in another run
    write(tmp_path / "later" / "final.jpg", data)
    s = import_paths(catalog, [str(tmp_path / "later")])
    assert (s.added, s.duplicates) == (0, 1)
    assert count_rows(archive.db_path) == 1


def test_heic_named_jpg_is_recognised(catalog, tmp_path):
    write(tmp_path / "in" / "phone.jpg", heic_bytes())
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert s.added == 1
    p = _photo(catalog, "phone.jpg")
    assert p["format"] == "HEIF"
    assert p["original_path"].endswith(".heic")  # named by content in the archive


def test_bad_files_become_problems_and_never_stop_the_batch(catalog, archive, tmp_path):
    src = tmp_path / "in"
    good = jpeg_bytes(seed=5, exif=exif_block())
    write(src / "00_good.jpg", good)
    write(src / "01_empty.jpg", b"")
    write(src / "02_text.jpg", b"this is not a picture at all, just words")
    write(src / "03_truncated.jpg", good[: len(good) // 2])
    write(src / "04_bomb.png", png_bomb())
    write(src / "05_corrupt_body.png", png_bytes()[:60] + b"\x00" * 200)
    write(src / "06_bad_exif.jpg", insert_segment(jpeg_bytes(seed=6), 0xE1, b"Exif\0\0MM\0*\xff"))
    os.symlink(src / "missing.jpg", src / "07_dangling.jpg")
    write(src / "99_good.png", png_bytes(seed=7))
    s = import_paths(catalog, [str(src)])
    reasons = {os.path.basename(p["path"]): p["reason"] for p in s.problems}
    assert set(reasons) == {
        "01_empty.jpg",
        "02_text.jpg",
        "03_truncated.jpg",
        "04_bomb.png",
        "05_corrupt_body.png",
        "07_dangling.jpg",
    }
    assert reasons["01_empty.jpg"] == "empty file (0 bytes)"
    assert "not one" in reasons["02_text.jpg"]
    assert "truncated" in reasons["03_truncated.jpg"]
    assert "decompression bomb" in reasons["04_bomb.png"]
    assert "broken symbolic link" in reasons["07_dangling.jpg"]
    assert all("\n" not in r for r in reasons.values())
    assert s.added == 3 and s.failed == 6
    # recorded in the catalog, and no half-written photo rows for them
    stored = {os.path.basename(r["path"]) for r in catalog.db["import_problems"].rows}
    assert stored == set(reasons)
    assert {r["file_name"] for r in catalog.db["photos"].rows} == {
        "00_good.jpg",
        "06_bad_exif.jpg",
        "99_good.png",
    }
    assert_archive_whole(archive)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_a_problem(catalog, tmp_path):
    f = write(tmp_path / "in" / "locked.jpg", jpeg_bytes())
    f.chmod(0)
    try:
        s = import_paths(catalog, [str(tmp_path / "in")])
    finally:
        f.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert s.failed == 1 and "ermission" in s.problems[0]["reason"]


def test_copy_keeps_a_read_only_original(catalog, archive, tmp_path):
    data = jpeg_bytes(seed=11, exif=exif_block())
    src = write(tmp_path / "in" / "x.jpg", data)
    import_paths(catalog, [str(src)])
    p = _photo(catalog, "x.jpg")
    original = archive.resolve(p["original_path"])
    assert original.is_relative_to(archive.originals)
    assert original.read_bytes() == data
    assert not original.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert src.read_bytes() == data  # the partner's file is untouched


def test_in_place_records_the_path_only(catalog, archive, tmp_path):
    src = write(tmp_path / "in" / "x.jpg", jpeg_bytes(seed=12))
    import_paths(catalog, [str(src)], ImportOptions(copy=False))
    p = _photo(catalog, "x.jpg")
    assert p["original_path"] == str(src)
    assert not any(archive.originals.rglob("*.jpg"))
    assert_archive_whole(archive)  # the original is the partner's file, still there


def test_thumbnail_is_small_and_upright(catalog, archive, tmp_path):
    # Stored sideways: the top (red) half of the scene is on the left; orientation 6 turns it up.
    upright = Image.open(__import__("io").BytesIO(jpeg_bytes(size=(1200, 1600), seed=0)))
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    import io

    buf = io.BytesIO()
    sideways.save(buf, "JPEG", exif=exif_block(orientation=6).tobytes())
    write(tmp_path / "in" / "turned.jpg", buf.getvalue())
    import_paths(catalog, [str(tmp_path / "in")])
    p = _photo(catalog, "turned.jpg")
    assert (p["width"], p["height"], p["orientation"]) == (1600, 1200, 6)
    thumb = Image.open(archive.resolve(p["thumb_path"]))
    assert max(thumb.size) == 512 and thumb.size[1] > thumb.size[0]
    top = thumb.getpixel((thumb.width // 2 + 60, 20))
    bottom = thumb.getpixel((thumb.width // 2 + 60, thumb.height - 20))
    assert top[0] > 150 and top[2] < 100, top  # red on top
    assert bottom[2] > 150 and bottom[0] < 100, bottom  # blue below


def test_captions_from_embedded_metadata(catalog, tmp_path):
    data = insert_segment(
        jpeg_bytes(), 0xED, iptc_app13({120: "Trucks wait", 105: "Queue", 110: "Northline"})
    )
    write(tmp_path / "in" / "iptc.jpg", data)
    import_paths(catalog, [str(tmp_path / "in")])
    p = _photo(catalog, "iptc.jpg")
    assert photos.captions(catalog.db, p["id"])["en"]["description"] == "Trucks wait"
    assert p["credit"] == "Northline"


def test_xmp_sidecar_is_read(catalog, tmp_path):
    from imagegen import xmp_packet

    write(tmp_path / "in" / "s.jpg", jpeg_bytes(seed=21))
    (tmp_path / "in" / "s.xmp").write_text(
        xmp_packet(description={"x-default": "Sidecar caption", "ko": "사이드카"}, credit="Desk")
    )
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert (s.added, s.skipped) == (1, 1)
    p = _photo(catalog, "s.jpg")
    caps = photos.captions(catalog.db, p["id"])
    assert caps["en"]["description"] == "Sidecar caption"
    assert caps["ko"]["description"] == "사이드카"
    assert p["credit"] == "Desk"


def _notes(tmp_path, text: str, name: str = "notes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_notes(path)


def test_partner_notes_are_applied(catalog, tmp_path):
    write(tmp_path / "in" / "trucks.jpg", jpeg_bytes(seed=31, exif=exif_block()))
    write(tmp_path / "in" / "map.png", png_bytes(seed=32))
    notes = _notes(
        tmp_path,
        "file,language,headline,caption,date,created_place,shown_place,credit,kind\n"
        'trucks.jpg,,Queue at Quanhe,"Trucks wait, engines off",late July 2023,'
        "Quanhe customs house,Wonjong customs house,Partner / Northline,photo\n"
        "trucks.jpg,ko,취안허 세관,트럭들이 기다린다,,,,,\n"
        "map.png,,Border map,The crossing,2023,,,Northline,map\n"
        "gone.jpg,,Lost,Not in the batch,,,,,\n",
    )
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(notes=notes))
    t = _photo(catalog, "trucks.jpg")
    caps = photos.captions(catalog.db, t["id"])
    assert caps["en"]["description"] == "Trucks wait, engines off"
    assert caps["en"]["headline"] == "Queue at Quanhe"
    assert caps["ko"] == {
        "headline": "취안허 세관",
        "title": None,
        "description": "트럭들이 기다린다",
    }
    assert t["credit"] == "Partner / Northline"
    assert catalog.db["places"].get(t["created_place_id"])["name"] == "Quanhe customs house"
    assert catalog.db["places"].get(t["shown_place_id"])["name"] == "Wonjong customs house"
    # the camera's exact time stays; the note's phrase agrees with it, so no warning
    assert (t["taken_start"], t["taken_source"]) == ("2023-07-28T14:05:09", "exif")
    m = _photo(catalog, "map.png")
    assert m["kind"] == "map"
    assert (m["taken_start"], m["taken_end"], m["taken_precision"], m["taken_source"]) == (
        "2023-01-01T00:00:00",
        "2023-12-31T23:59:59",
        "year",
        "caption",
    )
    assert [w["reason"] for w in s.warnings] == [
        "line 5 names 'gone.jpg', which is not in this batch"
    ]
    assert s.failed == 0


def test_notes_never_overwrite_and_conflicting_dates_warn(catalog, tmp_path):
    write(tmp_path / "in" / "f.jpg", jpeg_bytes(seed=41, exif=exif_block()))
    import_paths(catalog, [str(tmp_path / "in")])
    pid = _photo(catalog, "f.jpg")["id"]
    photos.set_caption(catalog.db, pid, "en", {"description": "Desk's own caption"})
    notes = _notes(tmp_path, "file,caption,date,credit\nf.jpg,Partner's text,September 2019,P\n")
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(notes=notes))
    assert photos.captions(catalog.db, pid)["en"]["description"] == "Desk's own caption"
    assert _photo(catalog, "f.jpg")["credit"] == "P"  # was empty: filled
    assert _photo(catalog, "f.jpg")["taken_start"] == "2023-07-28T14:05:09"
    assert len(s.warnings) == 1 and "kept the camera's date" in s.warnings[0]["reason"]


def test_bad_date_phrase_in_notes_is_a_warning(catalog, tmp_path):
    write(tmp_path / "in" / "g.png", png_bytes(seed=51))
    notes = _notes(tmp_path, "file,date\ng.png,next tuesday\n")
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(notes=notes))
    assert s.added == 1
    assert 'cannot read "next tuesday" as a date' in s.warnings[0]["reason"]
    assert _photo(catalog, "g.png")["taken_start"] is None


def test_json_notes(tmp_path):
    notes = _notes(
        tmp_path, json.dumps({"a.jpg": {"caption": "A", "lang": "ja"}}), name="notes.json"
    )
    found = notes.assign(["/x/A.JPG"])
    assert found.by_path["/x/A.JPG"][0].values == {"description": "A", "language": "ja"}


def test_unknown_note_column_is_refused(tmp_path):
    from photodesk.ingest.notes import NotesError

    with pytest.raises(NotesError, match="unknown column 'captoin'"):
        _notes(tmp_path, "file,captoin\na.jpg,x\n")


def test_story_collects_the_batch_in_order(catalog, batch):
    import_paths(catalog, [str(batch)], ImportOptions(story="Rason–Quanhe trade hub, July 2023"))
    story = next(catalog.db["stories"].rows)
    assert story["name"] == "Rason–Quanhe trade hub, July 2023"
    names = [
        r[0]
        for r in catalog.db.execute(
            "SELECT p.file_name FROM story_photos s JOIN photos p ON p.id = s.photo_id "
            "ORDER BY s.position"
        ).fetchall()
    ]
    assert names == ["a.jpg", "b.JPG", "c.png"]


def test_cancel_stops_and_marks_the_run(catalog, archive, tmp_path):
    for i in range(20):
        write(tmp_path / "in" / f"{i:02}.jpg", jpeg_bytes(seed=100 + i))
    seen = []

    def cancel() -> bool:
        return len(seen) >= 5

    s = import_paths(catalog, [str(tmp_path / "in")], progress=seen.append, cancel=cancel)
    assert s.cancelled
    assert 5 <= s.added < 20
    assert catalog.db["import_runs"].get(s.run_id)["status"] == "cancelled"
    assert count_rows(archive.db_path) == s.added
    assert_archive_whole(archive)  # what the cancelled run stored is whole
    s2 = import_paths(catalog, [str(tmp_path / "in")])
    assert s2.added + s.added == 20 and count_rows(archive.db_path) == 20


def test_a_crashing_decoder_is_named_and_the_rest_import(tmp_path):
    """A worker killed by a decoder crash costs only that file, and it is named."""
    import crashy
    from photodesk.config import Archive
    from photodesk.ingest.worker import Job

    jobs = []
    for i in range(7):
        name = "3_crash.jpg" if i == 3 else f"{i}.jpg"
        f = write(tmp_path / "in" / name, jpeg_bytes(seed=200 + i))
        jobs.append(Job(str(f), f.stat().st_size, 0, Archive(tmp_path), copy=False))
    results = []
    with pool.crew(2, work=crashy.inspect) as crew:
        crew.run(jobs, results.append, lambda: False)
    assert [os.path.basename(r.path) for r in results] == [os.path.basename(j.path) for j in jobs]
    assert [r.status for r in results] == ["new"] * 3 + ["problem"] + ["new"] * 3
    assert "crashed" in results[3].reason


def test_one_crew_reads_batch_after_batch_and_pins_a_crash_on_its_own_file(tmp_path):
    """Files are numbered across a crew's batches: what a worker published in the first
    batch is never taken for a file of the second, so a crash is still pinned right."""
    import crashy
    from photodesk.config import Archive
    from photodesk.ingest.worker import Job

    def jobs(prefix: str, names: list[str]) -> list[Job]:
        out = []
        for i, name in enumerate(names):
            f = write(tmp_path / prefix / name, jpeg_bytes(seed=300 + i + len(prefix)))
            out.append(Job(str(f), f.stat().st_size, 0, Archive(tmp_path), copy=False))
        return out

    first = jobs("a", [f"{i}.jpg" for i in range(5)])
    second = jobs("bb", ["0.jpg", "1_crash.jpg", "2.jpg", "3.jpg"])
    started: list[int] = []
    with pool.crew(2, work=crashy.inspect) as crew:
        started.append(len(crew.workers))
        one: list = []
        crew.run(first, one.append, lambda: False)
        kept = list(crew.workers)
        two: list = []
        crew.run(second, two.append, lambda: False)
        replaced = [w for w in crew.workers if w not in kept]
    assert [r.status for r in one] == ["new"] * 5
    assert crew.workers == []  # all stopped when the crew ends
    assert [os.path.basename(r.path) for r in two] == ["0.jpg", "1_crash.jpg", "2.jpg", "3.jpg"]
    assert [r.status for r in two] == ["new", "problem", "new", "new"]
    assert "crashed" in two[1].reason
    assert started == [2] and len(replaced) == 1  # only the crashed worker was replaced


def test_a_result_sent_before_its_worker_died_is_kept_and_not_blamed(tmp_path):
    """A worker killed while idle (the OOM killer's choice) had already sent its last
    result: that file imported, and nothing is pinned on it."""
    import pacing
    from photodesk.config import Archive
    from photodesk.ingest.worker import Job

    jobs = [Job(f"f{i}:ok", 0, 0, Archive(tmp_path), copy=False) for i in range(3)]
    got: list = []

    def on_result(r) -> None:
        got.append(r)
        if len(got) == 1:
            time.sleep(0.5)  # meanwhile the worker reads f1 and sends its result
            os.kill(r.record["pid"], signal.SIGKILL)
            time.sleep(0.2)

    with pool.crew(1, work=pacing.inspect) as crew:
        crew.run(jobs, on_result, lambda: False)
    assert [(r.path, r.status) for r in got] == [(j.path, "new") for j in jobs]


def test_a_step_budget_runs_from_when_the_worker_began_the_step():
    """However late this process reads the previous result, a hung step is timed from its start."""
    words = [2.0, 7.0, float(list(STEPS).index("decode")), 100.0]  # gen, seq, step, since
    w = pool._Worker(process=None, conn=None, words=words, poller=None)  # type: ignore[arg-type]
    w.ready, w.since = True, 250.0  # the previous result was read at 250
    w.queue.extend([7, 8])
    assert w.doing() == (7, "decode", 100.0)
    assert w.deadline(60.0) == 160.0
    w.queue.popleft()  # 7 done; 8 not begun: timed from when it became due
    assert w.doing() == (None, "read", 250.0)


def test_a_batch_that_fails_stops_its_crew_with_nothing_left_running(tmp_path):
    """Files still in the workers' hands must not leak into the next batch: the crew stops."""
    import pacing
    from photodesk.config import Archive
    from photodesk.ingest.worker import Job

    jobs = [Job(f"f{i}:ok", 0, 0, Archive(tmp_path), copy=False) for i in range(6)]

    def refuse(_r) -> None:
        raise RuntimeError("the catalog write failed")

    with pool.crew(2, work=pacing.inspect) as crew:
        processes = [w.process for w in crew.workers]
        with pytest.raises(RuntimeError):
            crew.run(jobs, refuse, lambda: False)
        assert crew.closed and crew.workers == []
        assert not any(p.is_alive() for p in processes)
        with pytest.raises(pool.WorkersFailed):
            crew.run(jobs, lambda _r: None, lambda: False)


def test_an_import_starts_its_workers_once_for_both_phases(catalog, tmp_path, monkeypatch):
    for i in range(4):
        write(tmp_path / "in" / f"{i}.jpg", jpeg_bytes(seed=400 + i, exif=exif_block()))
    crews: list[pool.Crew] = []
    real = pool.crew

    sizes: list[int] = []

    @contextlib.contextmanager
    def counted(*args, **kwargs):
        with real(*args, **kwargs) as c:
            crews.append(c)
            sizes.append(len(c.workers))
            yield c

    monkeypatch.setattr(pool, "crew", counted)
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(workers=2))
    assert (s.added, s.thumbnails_pending) == (4, 0)
    assert len(crews) == 1 and crews[0].issued == 8  # 4 files catalogued, then 4 thumbnails
    import_paths(catalog, [str(tmp_path / "in")])  # nothing to read: no workers at all
    assert len(crews) == 1
    write(tmp_path / "one" / "5.jpg", jpeg_bytes(seed=405, exif=exif_block()))
    import_paths(catalog, [str(tmp_path / "one")], ImportOptions(workers=8))
    assert len(crews) == 2 and crews[1].issued == 2  # one file: one worker, not eight
    assert sizes == [2, 1]


def test_notes_with_folders_tell_same_named_files_apart(catalog, tmp_path):
    write(tmp_path / "cards" / "day1" / "IMG_0001.JPG", jpeg_bytes(seed=61))
    write(tmp_path / "cards" / "day2" / "IMG_0001.JPG", jpeg_bytes(seed=62))
    notes = _notes(
        tmp_path,
        "file,caption\n"
        "day1/IMG_0001.JPG,Trucks at the gate\n"
        "cards/day2/img_0001.jpg,Fence in 2019\n"
        "IMG_0001.JPG,Which one?\n",
    )
    s = import_paths(catalog, [str(tmp_path / "cards")], ImportOptions(notes=notes))
    by_folder = {
        r[0].split("/")[-2]: r[1]
        for r in catalog.db.execute(
            "SELECT s.path, c.description FROM source_files s "
            "JOIN captions c ON c.photo_id = s.photo_id"
        ).fetchall()
    }
    assert by_folder == {"day1": "Trucks at the gate", "day2": "Fence in 2019"}
    assert len(s.warnings) == 1
    assert "fits 2 files" in s.warnings[0]["reason"] and "not applied" in s.warnings[0]["reason"]


def test_repeated_note_rows_and_headers_are_reported(catalog, tmp_path):
    from photodesk.ingest.notes import NotesError

    write(tmp_path / "in" / "y.jpg", jpeg_bytes(seed=71))
    notes = _notes(tmp_path, "file,caption\ny.jpg,one\ny.jpg,two\n")
    s = import_paths(catalog, [str(tmp_path / "in")], ImportOptions(notes=notes))
    assert [w["reason"] for w in s.warnings] == [
        "line 3 repeats line 2 for 'y.jpg'; only line 2 used"
    ]
    with pytest.raises(NotesError, match="column 'file' appears twice"):
        _notes(tmp_path, "file,caption,filename\na,b,c\n")
    with pytest.raises(NotesError, match="not a language tag"):
        _notes(tmp_path, "file,language\na.jpg,../../etc\n")
    with pytest.raises(NotesError, match="not a text file"):
        _notes(tmp_path, "file,caption\n\x00\x01garbage")


def test_special_files_and_overlapping_paths(catalog, tmp_path):
    src = tmp_path / "in"
    write(src / "sub" / "x.jpg", jpeg_bytes(seed=81))
    write(src / "y.jpg", jpeg_bytes(seed=82))
    os.mkfifo(src / "pipe.jpg")  # would block a naive open() forever
    s = import_paths(catalog, [str(src), str(src), str(src / "sub" / "x.jpg"), str(src / "sub")])
    # A pipe named like an image is a problem to report, not a file to pass over.
    assert (s.added, s.duplicates, s.skipped, s.failed) == (2, 0, 0, 1)
    assert "named pipe (FIFO)" in s.problems[0]["reason"]


def test_file_names_that_are_not_utf8(catalog, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    name = os.fsdecode(b"caf\xe9.jpg")
    (src / name).write_bytes(jpeg_bytes(seed=91))
    write(src / "ok.jpg", jpeg_bytes(seed=92))
    s = import_paths(catalog, [str(src)])
    assert (s.added, s.failed) == (2, 0)
    assert {r["file_name"] for r in catalog.db["photos"].rows} == {"caf\\xe9.jpg", "ok.jpg"}
    again = import_paths(catalog, [str(src)])
    assert (again.added, again.duplicates) == (0, 2)


def test_unreadable_folder_is_reported(catalog, tmp_path, monkeypatch):
    src = tmp_path / "in"
    write(src / "open" / "a.jpg", jpeg_bytes(seed=93))
    write(src / "locked" / "b.jpg", jpeg_bytes(seed=94))
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    s = import_paths(catalog, [str(src)])
    assert s.added == 1 and s.failed == 1
    assert s.problems[0]["path"].endswith("locked")
    assert "cannot read the folder" in s.problems[0]["reason"]


def test_the_archive_is_never_imported_into_itself(tmp_path):
    from photodesk.catalog import Catalog
    from photodesk.config import Archive

    project = tmp_path / "project"
    write(project / "photos" / "a.jpg", jpeg_bytes(seed=95))
    os.symlink(project, tmp_path / "link")
    # the archive inside the imported folder, reached by another spelling
    archive = Archive.locate(project / "photos" / ".." / "archive")
    with Catalog.open(archive) as cat:
        for _ in range(3):
            s = import_paths(cat, [str(tmp_path / "link")])
            assert s.failed == 0
        assert cat.db["photos"].count == 1
        s = import_paths(cat, [str(archive.thumbs)])
        assert "inside the archive" in s.problems[0]["reason"]


def test_two_imports_at_once_both_finish_without_duplicates(tmp_path, archive):
    import subprocess
    import sys

    src = tmp_path / "in"
    for i in range(40):
        write(src / f"{i:02}.jpg", jpeg_bytes(size=(800, 600), seed=300 + i))
    cmd = [
        sys.executable,
        "-m",
        "photodesk",
        "--archive",
        str(archive.root),
        "import",
        str(src),
        "--json",
    ]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    results = [json.loads(o[0]) for o in outs]
    assert sum(r["added"] for r in results) == 40
    assert all(r["added"] + r["duplicates"] == 40 for r in results)
    assert photos_and_distinct_hashes(archive.db_path) == (40, 40)
    assert_archive_whole(archive)
