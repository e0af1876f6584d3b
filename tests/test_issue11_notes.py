"""Issue 11, items 1, 2, 6 and 16: the camera's date kept beside the desk's, notes in the
history, notes header errors, and an import summary that names and counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imagegen import exif_block, jpeg_bytes, png_bytes, write
from photodesk.catalog import Catalog, edits, photos
from photodesk.fields import FIELDS
from photodesk.ingest.notes import NotesError, known_columns, load_notes

FENCE_EXIF = "2019:09:14 10:12:33"


def _import(run, src: Path, *extra: str) -> dict[str, Any]:
    return json.loads(run("import", str(src), "--workers", "1", *extra, "--json").stdout)


def _row(archive, photo_id: int) -> dict[str, Any]:
    with Catalog.open(archive) as cat:
        row = photos.row(cat.db, photo_id)
    assert row is not None
    return row


def _ids_by_name(summary: dict[str, Any], archive) -> dict[str, int]:
    with Catalog.open(archive) as cat:
        return {photos.row(cat.db, i)["file_name"]: i for i in summary["photo_ids"]}


def _notes(tmp_path: Path, text: str, name: str = "notes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fence(run, archive, tmp_path) -> int:
    """The 2019 fence photo, its EXIF date in the file."""
    write(tmp_path / "in" / "fence.jpg", jpeg_bytes(seed=11, exif=exif_block(taken=FENCE_EXIF)))
    (photo_id,) = _import(run, tmp_path / "in")["photo_ids"]
    return photo_id


# -- 1. the camera's date is a fact beside the desk's -------------------------------------


def test_import_keeps_the_cameras_date_in_its_own_columns(fence, archive):
    row = _row(archive, fence)
    assert (row["taken_start"], row["taken_source"]) == ("2019-09-14T10:12:33", "exif")
    assert (row["camera_taken_start"], row["camera_taken_end"]) == (
        "2019-09-14T10:12:33",
        "2019-09-14T10:12:33",
    )
    assert (row["camera_taken_precision"], row["camera_taken_offset"]) == ("second", "+08:00")


def test_a_date_that_disagrees_with_the_camera_warns_and_both_are_kept(run, archive, fence):
    result = run("caption", str(fence), "--date", "late July 2023")
    # The warning names both dates, in the desk's own wording.
    assert "late July 2023" in result.stderr and "2019-09-14 10:12:33" in result.stderr
    assert "disagrees" in result.stderr
    row = _row(archive, fence)
    assert (row["taken_text"], row["taken_source"]) == ("late July 2023", "manual")
    assert row["camera_taken_start"] == "2019-09-14T10:12:33"  # never replaced

    shown = json.loads(run("show", str(fence), "--json").stdout)
    assert shown["camera_date"] == "2019-09-14 10:12:33 +08:00"
    assert (shown["date_differs"], shown["date_conflict"]) == (True, True)
    text = run("show", str(fence)).stdout
    assert "2019-09-14 10:12:33" in text and "July 2023" in text

    listed = json.loads(run("list", "--date-conflicts", "--json").stdout)
    assert [(r["id"], r["camera_taken_start"]) for r in listed] == [(fence, "2019-09-14T10:12:33")]

    # Undo brings the camera's date back as the desk's: no conflict is left.
    run("undo")
    row = _row(archive, fence)
    assert (row["taken_start"], row["taken_source"]) == ("2019-09-14T10:12:33", "exif")
    assert json.loads(run("list", "--date-conflicts", "--json").stdout) == []
    shown = json.loads(run("show", str(fence), "--json").stdout)
    assert (shown["date_differs"], shown["date_conflict"]) == (False, False)


def test_a_date_that_holds_the_cameras_is_no_conflict(run, archive, fence):
    result = run("caption", str(fence), "--date", "September 2019", "--json")
    assert json.loads(result.stdout)["warnings"] == []
    shown = json.loads(run("show", str(fence), "--json").stdout)
    assert (shown["date_differs"], shown["date_conflict"]) == (True, False)
    assert "Camera" in run("show", str(fence)).stdout  # they differ: both shown
    assert json.loads(run("list", "--date-conflicts", "--json").stdout) == []
    # Clearing the desk's date leaves the camera's where it was.
    run("caption", str(fence), "--date", "")
    row = _row(archive, fence)
    assert row["taken_start"] is None and row["camera_taken_start"] == "2019-09-14T10:12:33"


def test_the_cameras_date_cannot_be_written_after_import(catalog, add_photo):
    pid = add_photo(
        taken_start="2019-09-14T10:12:33",
        taken_end="2019-09-14T10:12:33",
        taken_precision="second",
        taken_source="exif",
        camera_taken_start="2019-09-14T10:12:33",
        camera_taken_end="2019-09-14T10:12:33",
        camera_taken_precision="second",
    )
    photos.update(catalog.db, pid, {"camera_taken_start": "2023-07-28T00:00:00", "credit": "X"})
    row = photos.row(catalog.db, pid)
    assert (row["camera_taken_start"], row["credit"]) == ("2019-09-14T10:12:33", "X")
    with pytest.raises(edits.EditError):
        edits.apply_edit(catalog.db, [pid], edits.Edit({"camera_taken_start": "x"}), "ed")


def test_a_batch_date_names_a_few_conflicts_and_counts_the_rest(catalog, add_photo):
    camera = {
        "taken_start": "2019-09-14T10:12:33",
        "taken_end": "2019-09-14T10:12:33",
        "taken_precision": "second",
        "taken_source": "exif",
        "camera_taken_start": "2019-09-14T10:12:33",
        "camera_taken_end": "2019-09-14T10:12:33",
        "camera_taken_precision": "second",
    }
    ids = [add_photo(**camera) for _ in range(5)] + [add_photo()]
    result = edits.apply_edit(catalog.db, ids, edits.Edit({"date": "2023"}), "ed")
    assert result.photos_changed == 6
    assert len(result.warnings) == 4
    assert result.warnings[0].startswith(f"photo {ids[0]}: the desk's date, 2023, disagrees")
    assert "2 more photos" in result.warnings[3]
    flt = photos.PhotoFilter(date_conflicts=True)
    assert [r["id"] for r in photos.listing(catalog.db, "en", flt)] == ids[:5]


# -- 2. notes applied to photos already in the catalog are a change set -----------------


def test_notes_on_photos_already_catalogued_are_one_change_set_undo_reverts(run, archive, tmp_path):
    src = tmp_path / "in"
    write(src / "trucks.jpg", jpeg_bytes(seed=21, exif=exif_block()))
    write(src / "bridge.png", png_bytes(seed=22))
    ids = _ids_by_name(_import(run, src), archive)
    trucks, bridge = ids["trucks.jpg"], ids["bridge.png"]
    run("caption", str(trucks), "--caption", "The desk's caption")
    notes = _notes(
        tmp_path,
        "file,caption,credit,keywords,date\n"
        "trucks.jpg,The partner's caption,Partner,trucks,September 2019\n"
        'bridge.png,The old and new bridges,Partner,"bridge, Tumen",late July 2023\n'
        "gone.jpg,Not in the batch,,,\n",
    )
    summary = _import(run, src, "--captions", str(notes))

    assert summary["notes"] == {"applied": 1, "conflicting": 1, "skipped": 1, "unchanged": 0}
    change_set = summary["notes_change_set"]
    assert change_set is not None
    with Catalog.open(archive) as cat:
        assert photos.captions(cat.db, bridge)["en"]["description"] == "The old and new bridges"
        assert photos.captions(cat.db, trucks)["en"]["description"] == "The desk's caption"
    assert _row(archive, trucks)["credit"] == "Partner"  # was empty: filled
    assert _row(archive, bridge)["taken_text"] == "late July 2023"
    # Every note not applied is reported, with its reason.
    reasons = [w["reason"] for w in summary["warnings"]]
    (conflict,) = [r for r in reasons if r.startswith("notes.csv line 2")]
    assert "kept the catalog's caption [en]" in conflict
    assert "kept the camera's date" in conflict
    assert any("line 4 names 'gone.jpg'" in r for r in reasons)

    sets = json.loads(run("history", "--json").stdout)
    assert sets[0]["id"] == change_set and sets[0]["summary"] == "notes from notes.csv"
    assert sets[0]["photos"] == 2
    fields = {c["field"] for c in json.loads(run("history", str(bridge), "--json").stdout)}
    assert fields == {"description", "credit", "keywords", "date"}

    run("undo")
    with Catalog.open(archive) as cat:
        assert "en" not in photos.captions(cat.db, bridge)
        assert photos.captions(cat.db, trucks)["en"]["description"] == "The desk's caption"
    assert _row(archive, trucks)["credit"] is None
    assert (_row(archive, bridge)["taken_start"], _row(archive, bridge)["keywords"]) == (
        None,
        None,
    )

    # The same notes again, now agreeing with nothing undone... and a second run of the
    # same notes after they are applied changes nothing and opens no change set.
    again = _import(run, src, "--captions", str(notes))
    assert again["notes"]["applied"] == 1 and again["notes_change_set"] is not None
    third = _import(run, src, "--captions", str(notes))
    assert third["notes"] == {"applied": 0, "conflicting": 1, "skipped": 1, "unchanged": 1}
    assert third["notes_change_set"] is None


def test_notes_on_new_photos_are_part_of_the_import_not_history(run, archive, tmp_path):
    src = tmp_path / "in"
    write(src / "map.png", png_bytes(seed=31))
    notes = _notes(tmp_path, "file,caption,kind\nmap.png,Border map,map\n")
    summary = _import(run, src, "--captions", str(notes))
    assert summary["notes"]["applied"] == 1 and summary["notes_change_set"] is None
    (pid,) = summary["photo_ids"]
    assert _row(archive, pid)["kind"] == "map"
    assert json.loads(run("history", str(pid), "--json").stdout) == []


def test_a_note_whose_file_fails_is_reported_not_dropped(run, archive, tmp_path):
    src = tmp_path / "in"
    write(src / "broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg" * 4)
    notes = _notes(tmp_path, "file,caption\nbroken.jpg,Lost caption\n")
    result = run("import", str(src), "--captions", str(notes), "--json", ok=False)
    summary = json.loads(result.stdout)
    assert summary["failed"] == 1 and summary["notes"]["skipped"] == 1
    assert any(
        "line(s) 2 not applied: its file could not be imported" in w["reason"]
        for w in summary["warnings"]
    )


# -- 6. notes header errors ----------------------------------------------------------------


def test_an_unknown_header_column_points_at_line_1_and_lists_every_alias(run, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=41))
    notes = _notes(tmp_path, "file,captoin\na.jpg,x\n")
    result = run("import", str(tmp_path / "in"), "--captions", str(notes), ok=False)
    assert result.exit_code == 2
    assert "notes.csv line 1: unknown column 'captoin'" in result.output
    assert "line 2" not in result.output
    for name in ("caption", "place", "file", "language", "shown_place"):
        assert name in result.output


def test_known_columns_come_from_the_field_table():
    listed = known_columns()
    for f in FIELDS:
        for alias in f.notes:
            assert alias in listed, alias
    assert "caption (or description)" in listed
    assert "place (or created_place, location)" in listed


def test_a_header_only_file_with_a_bad_column_is_refused(run, archive, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=42))
    notes = _notes(tmp_path, "file,caption,bogus\n")
    result = run("import", str(tmp_path / "in"), "--captions", str(notes), ok=False)
    assert result.exit_code == 2
    assert "notes.csv line 1: unknown column 'bogus'" in result.output
    with Catalog.open(archive) as cat:
        assert cat.db["photos"].count == 0  # refused before anything was imported


def test_semicolon_separated_notes_are_read(run, archive, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=43))
    notes = _notes(tmp_path, "file;caption;credit\na.jpg;Trucks wait, engines off;Partner\n")
    summary = _import(run, tmp_path / "in", "--captions", str(notes))
    (pid,) = summary["photo_ids"]
    with Catalog.open(archive) as cat:
        assert photos.captions(cat.db, pid)["en"]["description"] == "Trucks wait, engines off"
    assert _row(archive, pid)["credit"] == "Partner"


def test_a_header_split_by_the_wrong_separator_says_what_was_found(tmp_path):
    notes = _notes(tmp_path, "file;caption,date\na.jpg;x,2019\n")
    with pytest.raises(NotesError) as info:
        load_notes(notes)
    message = str(info.value)
    assert message.startswith("notes.csv line 1: unknown column 'file;caption'")
    assert "semicolons" in message and "commas" in message
    with pytest.raises(NotesError, match="line 1: a column has no name"):
        load_notes(_notes(tmp_path, "file,caption,\n", name="trailing.csv"))


# -- 16. the import summary names and counts ------------------------------------------------


def test_import_summary_names_skipped_files_and_counts_notes(run, archive, tmp_path):
    src = tmp_path / "in"
    write(src / "a.jpg", jpeg_bytes(seed=51))
    write(src / "readme.txt", b"the partner's notes")
    write(src / "sub" / "script.sh", b"#!/bin/sh\n")
    notes = _notes(tmp_path, "file,caption\na.jpg,A caption\nnowhere.jpg,x\n")
    summary = _import(run, src, "--captions", str(notes))
    assert summary["skipped"] == 2
    assert sorted(Path(p).name for p in summary["skipped_files"]) == ["readme.txt", "script.sh"]
    assert summary["notes"] == {"applied": 1, "conflicting": 0, "skipped": 1, "unchanged": 0}
    with Catalog.open(archive) as cat:
        (run_row,) = list(cat.db["import_runs"].rows)
        assert (run_row["added"], run_row["skipped"]) == (1, 2)

    write(src / "b.jpg", jpeg_bytes(seed=52))
    quiet = run("import", str(src), "--workers", "1").stdout
    assert "skipped 2" in quiet and "readme.txt" not in quiet and "-v names" in quiet
    verbose = run("import", str(src), "--workers", "1", "-v", "--captions", str(notes)).stdout
    assert "skipped: " in verbose and "readme.txt" in verbose and "script.sh" in verbose
    assert "notes: applied 0, conflicting 0, skipped 1, already in the catalog 1" in verbose
