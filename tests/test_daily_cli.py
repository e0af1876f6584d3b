"""The desk's daily work from the command line: the sharp edges issue 11 lists, one test each."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog
from photodesk.files import write_atomic


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_thumbnails_and_files_follow_the_umask(archive, tmp_path, mask):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(size=(64, 48), seed=7))
    # A fresh process, as the user runs it: its workers start with its umask.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "photodesk",
            "--archive",
            str(archive.root),
            "import",
            str(tmp_path / "in"),
        ],
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(mask),
    )
    with Catalog.open(archive) as catalog:
        (thumb,) = [r["thumb_path"] for r in catalog.db.query("SELECT thumb_path FROM photos")]
        thumb_mode = stat.S_IMODE(catalog.archive.resolve(thumb).stat().st_mode)
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "plain.txt", b"x")
    finally:
        os.umask(old)
    plain_mode = stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert thumb_mode == plain_mode == 0o666 & ~mask


# -- 17. dates in Korean and Japanese --------------------------------------------------


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("2023년 7월 하순", "late July 2023"),
        ("2023年7月下旬", "late July 2023"),
        ("2019년 9월", "September 2019"),
        ("2019年9月", "September 2019"),
        ("2023년 7월 24일", "24 July 2023"),
        ("２０２３年７月２４日", "24 July 2023"),
        ("2023년 여름", "summer 2023"),
        ("2023年夏", "summer 2023"),
        ("2023년경", "circa 2023"),
        ("2019–2023년", "2019-2023"),
    ],
)
def test_korean_and_japanese_dates_read_as_their_english_forms(written, english):
    from photodesk.dates import parse_date

    td, en = parse_date(written), parse_date(english)
    assert (td.start, td.end, td.precision) == (en.start, en.end, en.precision)
    assert td.text == written  # kept as the desk wrote it


def test_a_wrong_korean_date_is_refused_in_one_line():
    from photodesk.dates import DateParseError, parse_date

    with pytest.raises(DateParseError, match=r"month must be in 1\.\.12"):
        parse_date("2023년 13월")


def test_caption_date_in_korean_through_the_cli(archive, run, add_photo_cli):
    photo = add_photo_cli()
    run("caption", str(photo), "--date", "2023년 7월 하순")
    with Catalog.open(archive) as catalog:
        row = catalog.db.execute(
            "SELECT taken_start, taken_end, taken_precision FROM photos WHERE id = ?", [photo]
        ).fetchone()
    assert row == ("2023-07-21T00:00:00", "2023-07-31T23:59:59", "part-month")


@pytest.fixture
def add_photo_cli(archive):
    from photodesk.catalog import photos

    def add() -> int:
        with Catalog.open(archive) as catalog:
            photo, _ = photos.add(catalog.db, {"sha256": "c" * 64, "file_name": "c.jpg"})
        return photo

    return add


# -- 12. undo you can see ----------------------------------------------------------------


def _credit(archive, photo_id):
    with Catalog.open(archive) as catalog:
        return catalog.db.execute("SELECT credit FROM photos WHERE id = ?", [photo_id]).fetchone()[
            0
        ]


def test_history_without_an_id_lists_recent_change_sets(archive, run, add_photo_cli):
    photo = add_photo_cli()
    run("caption", str(photo), "--credit", "A", "--user", "mina")
    run("caption", str(photo), "--credit", "B", "--source", "S", "--user", "joon")
    out = run("history").output.splitlines()
    assert out[0].startswith("#2 ") and "joon: edit — 1 photo, 2 fields" in out[0]
    assert out[1].startswith("#1 ") and "mina" in out[1]
    data = json.loads(run("history", "--json", "--limit", "1").output)
    assert [d["id"] for d in data] == [2] and data[0]["fields"] == 2


def test_undo_dry_run_changes_nothing(archive, run, add_photo_cli):
    photo = add_photo_cli()
    run("caption", str(photo), "--credit", "A")
    run("caption", str(photo), "--credit", "B")
    out = run("undo", "--dry-run").output
    assert "undo would revert change set 2 (1 fields)" in out and "'B' → 'A'" in out
    assert _credit(archive, photo) == "B"


def test_redo_takes_back_an_undo_and_a_new_edit_ends_it(archive, run, add_photo_cli):
    photo = add_photo_cli()
    run("caption", str(photo), "--credit", "A")
    run("caption", str(photo), "--credit", "B")
    run("undo")
    run("undo")
    assert _credit(archive, photo) is None
    assert "redid" in run("redo").output
    assert _credit(archive, photo) == "A"
    assert "redid" in run("redo").output
    assert _credit(archive, photo) == "B"
    assert run("redo").output.strip() == "nothing to redo"
    run("undo")  # the redone edit can be undone again
    assert _credit(archive, photo) == "A"
    run("caption", str(photo), "--credit", "C")  # a new edit: nothing left to redo
    assert run("redo").output.strip() == "nothing to redo"
    assert _credit(archive, photo) == "C"
    summaries = [c["summary"] for c in json.loads(run("history", "--json").output)]
    assert summaries.count("redo of change set 1") == 1
    assert summaries.count("redo of change set 2") == 1
    with Catalog.open(archive) as catalog:
        steps = catalog.db.execute("SELECT count(*) FROM history WHERE photo_id = ?", [photo])
        assert steps.fetchone()[0] == 8  # 3 edits, 3 undos, 2 redos


# -- 13. batch captions ------------------------------------------------------------------

NOTE = "※ With the exception of one photograph, all photos were taken by the reporting partner."


@pytest.fixture
def three(archive):
    from photodesk.catalog import photos, search

    with Catalog.open(archive) as catalog:
        ids = []
        for n, (caption, credit) in enumerate(
            [("First.", "Desk"), ("Second.", None), (None, None)]
        ):
            photo, _ = photos.add(
                catalog.db,
                {"sha256": f"{n + 1:064x}", "file_name": f"{n}.jpg", "credit": credit},
                {"en": {"description": caption}} if caption else None,
            )
            ids.append(photo)
        search.reindex(catalog.db, ids)
    return ids


def _captions(archive, ids):
    with Catalog.open(archive) as catalog:
        rows = dict(
            catalog.db.execute("SELECT photo_id, description FROM captions WHERE lang = 'en'")
        )
    return [rows.get(i) for i in ids]


def test_append_a_note_to_every_caption_as_one_change_set(archive, run, three):
    ids = ",".join(map(str, three))
    run("caption", "--ids", ids, "--append-caption", NOTE)
    assert _captions(archive, three) == [f"First.\n{NOTE}", f"Second.\n{NOTE}", NOTE]
    run("caption", "--ids", ids, "--append-caption", NOTE)  # twice: still once
    assert _captions(archive, three)[0] == f"First.\n{NOTE}"
    run("caption", "--ids", ids, "--prepend-caption", "Quanhe:")
    assert _captions(archive, three)[1] == f"Quanhe:\nSecond.\n{NOTE}"
    run("undo")
    run("undo")
    assert _captions(archive, three) == ["First.", "Second.", None]


def test_a_template_fills_only_empty_fields(archive, run, three, tmp_path):
    template = tmp_path / "pad.json"
    template.write_text(
        json.dumps({"Credit Line": "Northline Photo Desk", "source": "Reporting partner"}),
        encoding="utf-8",
    )
    ids = ",".join(map(str, three))
    run("caption", "--ids", ids, "--template", str(template), "--append-caption", NOTE)
    with Catalog.open(archive) as catalog:
        rows = catalog.db.execute("SELECT credit, source FROM photos ORDER BY id").fetchall()
        sets = catalog.db.execute("SELECT count(*) FROM change_sets").fetchone()[0]
    assert rows == [
        ("Desk", "Reporting partner"),  # a credit already there is kept
        ("Northline Photo Desk", "Reporting partner"),
        ("Northline Photo Desk", "Reporting partner"),
    ]
    assert sets == 1  # template and note: one change set


def test_an_xmp_stationery_pad_is_read(archive, run, three, tmp_path):
    from imagegen import xmp_packet

    pad = tmp_path / "pad.xmp"
    pad.write_text(xmp_packet(credit="Northline Photo Desk"), encoding="utf-8")
    run("caption", "--ids", ",".join(map(str, three)), "--template", str(pad))
    with Catalog.open(archive) as catalog:
        credits = [r[0] for r in catalog.db.execute("SELECT credit FROM photos ORDER BY id")]
    assert credits == ["Desk", "Northline Photo Desk", "Northline Photo Desk"]


def test_a_bad_template_is_refused_in_one_line(archive, run, three, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"Colour": "red"}', encoding="utf-8")
    result = run("caption", "--ids", "1", "--template", str(bad), ok=False)
    assert result.exit_code == 2 and "'Colour' is not a field" in result.output


# -- 8. places and positions ----------------------------------------------------------


def test_a_place_needs_both_coordinates_or_none(archive, run):
    run("init")
    result = run("place", "add", "Quanhe", "--lat", "42.5", ok=False)
    assert "a latitude without a longitude is no position" in result.output
    run("place", "add", "Quanhe")
    result = run("place", "edit", "Quanhe", "--lon", "130.6", ok=False)
    assert "a longitude without a latitude is no position" in result.output
    run("place", "edit", "Quanhe", "--lat", "42.4561", "--lon", "130.6")
    run("place", "edit", "Quanhe", "--lat", "42.5")  # the longitude is there already
    with Catalog.open(archive) as catalog:
        row = catalog.db.execute("SELECT latitude, longitude FROM places").fetchone()
    assert row == (42.5, 130.6)


def test_positions_print_without_float_noise(archive, run):
    from photodesk.catalog import photos

    with Catalog.open(archive) as catalog:
        photo, _ = photos.add(
            catalog.db,
            {
                "sha256": "d" * 64,
                "file_name": "d.jpg",
                "gps_lat": 42.456100000000006,
                "gps_lon": 130.60000000000002,
            },
        )
    data = json.loads(run("show", str(photo), "--json").output)
    assert (data["gps_lat"], data["gps_lon"]) == (42.4561, 130.6)
    text = run("show", str(photo)).output
    assert "42.4561" in text and "42.456100000000006" not in text


def test_an_export_of_a_huge_id_range_says_so_briefly(archive, run):
    with Catalog.open(archive):
        pass
    result = run("export", "sheet", "--ids", "1-99999", "--format", "csv", ok=False)
    assert len(result.output) < 300 and "99,994 more" in result.output


# -- 11. where the archive is ---------------------------------------------------------


def test_the_archive_is_found_from_any_folder_inside_or_beside_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from photodesk.cli import main

    project = tmp_path / "desk"
    deep = project / "stories" / "quanhe"
    deep.mkdir(parents=True)
    runner = CliRunner()
    monkeypatch.chdir(project)
    made = runner.invoke(main, ["init"])
    assert made.exit_code == 0 and (project / "archive" / "catalog.db").is_file()
    monkeypatch.chdir(deep)  # below the folder that holds archive/
    assert runner.invoke(main, ["place", "add", "Quanhe"]).exit_code == 0
    monkeypatch.chdir(project / "archive" / "originals")  # inside the archive itself
    listed = runner.invoke(main, ["place", "list"])
    assert "Quanhe" in listed.output
    assert (
        not (deep / "archive").exists()
        and not (project / "archive" / "originals" / "archive").exists()
    )


def test_a_stray_folder_gets_no_archive_and_a_clear_message(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from photodesk.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["place", "add", "Quanhe"])
    assert result.exit_code == 1
    assert "--archive DIR or PHOTODESK_ARCHIVE=DIR" in result.output
    assert "photodesk init" in result.output
    assert not (tmp_path / "archive").exists()


def test_the_environment_is_the_fallback_and_archive_goes_anywhere(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from photodesk.cli import main

    runner = CliRunner()
    target = tmp_path / "shared"
    assert runner.invoke(main, ["--archive", str(target), "init"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PHOTODESK_ARCHIVE", str(target))
    assert runner.invoke(main, ["place", "add", "Hunchun"]).exit_code == 0
    monkeypatch.delenv("PHOTODESK_ARCHIVE")
    after = runner.invoke(main, ["place", "list", "--archive", str(target)])  # after the command
    assert after.exit_code == 0 and "Hunchun" in after.output


def test_story_membership_and_order_are_change_sets_undo_reaches(archive, run, three):
    from photodesk.catalog import stories

    run("story", "create", "Quanhe")
    run("story", "add", "Quanhe", ",".join(map(str, three)))
    run("story", "order", "Quanhe", f"{three[2]},{three[0]}")
    run("story", "remove", "Quanhe", str(three[1]))

    def order():
        with Catalog.open(archive) as catalog:
            return stories.photo_order(catalog.db, stories.require(catalog.db, "Quanhe"))

    assert order() == [three[2], three[0]]
    summaries = [c["summary"] for c in json.loads(run("history", "--json").output)]
    assert summaries[:3] == ["story remove: Quanhe", "story order: Quanhe", "story add: Quanhe"]
    assert f"photos {three[2]}, {three[0]}" in run("undo", "--dry-run").output
    run("undo")
    assert order() == [three[2], three[0], three[1]]  # removed photo back, at its place
    run("undo")
    assert order() == three  # the order as it was added
    run("redo")
    assert order() == [three[2], three[0], three[1]]
    run("undo")
    run("undo")
    assert order() == []


@pytest.mark.parametrize(
    "typed",
    [
        ("--date", "next tuesday"),
        ("--created", "Atlantis"),
        ("--status", "approved"),
        ("--lang", "zz"),
    ],
)
def test_a_value_typed_wrong_is_a_usage_error(archive, run, add_photo_cli, typed):
    photo = add_photo_cli()
    args = ["caption", str(photo), *typed]
    if typed[0] == "--lang":
        args += ["--headline", "x"]
    result = run(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    with Catalog.open(archive) as catalog:
        assert catalog.db.execute("SELECT count(*) FROM history").fetchone()[0] == 0
