"""The command line: exit codes, JSON field names, filters, and one-line errors."""

import json

import pytest
from click.testing import CliRunner

from imagegen import exif_block, jpeg_bytes, png_bytes, write
from photodesk.cli import main

SUMMARY_FIELDS = {
    "id",
    "sha256",
    "file_name",
    "kind",
    "format",
    "width",
    "height",
    "taken_start",
    "taken_end",
    "taken_text",
    "gps_lat",
    "gps_lon",
    "camera_make",
    "camera_model",
    "caption",
    "headline",
    "creator",
    "credit",
}


@pytest.fixture
def imported(run, tmp_path):
    src = tmp_path / "in"
    write(
        src / "a_fence_2019.jpg",
        jpeg_bytes(
            seed=1,
            exif=exif_block(
                make="Canon", model="Canon EOS 80D", taken="2019:09:14 10:12:33", offset=None
            ),
        ),
    )
    write(src / "b_trucks.jpg", jpeg_bytes(seed=2, exif=exif_block()))
    write(src / "c_map.png", png_bytes(seed=3))
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "file,headline,caption,date,credit,kind\n"
        "b_trucks.jpg,Queue,Trucks wait at the gate [red]not markup[/red],,Partner,\n"
        "c_map.png,Map,Border map,late July 2023,Northline,map\n"
    )
    result = run("import", str(src), "--captions", str(notes), "--story", "Quanhe", "--json")
    return json.loads(result.output)


def test_import_json_summary(imported):
    assert (imported["added"], imported["failed"], imported["skipped"]) == (3, 0, 0)
    assert imported["problems"] == []


def test_import_exit_1_when_a_file_failed(run, tmp_path):
    write(tmp_path / "in" / "ok.jpg", jpeg_bytes())
    write(tmp_path / "in" / "bad.jpg", b"not an image")
    result = run("import", str(tmp_path / "in"), "--json", ok=False)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["added"] == 1 and data["failed"] == 1
    assert set(data["problems"][0]) >= {"path", "reason"}
    assert data["problems"][0]["path"].endswith("bad.jpg")


def test_import_text_summary_names_each_failure(run, tmp_path):
    write(tmp_path / "in" / "bad.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    result = run("import", str(tmp_path / "in"), ok=False)
    assert result.exit_code == 1
    assert "added 0, already in the archive 0, skipped 0, failed 1" in result.output
    assert "bad.png:" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("import",),
        ("import", "/no/such/folder"),
        ("import", ".", "--bogus"),
        ("list", "--since", "next tuesday"),
        ("show", "abc"),
    ],
)
def test_usage_errors_exit_2(run, args):
    result = run(*args, ok=False)
    assert result.exit_code == 2


def test_bad_captions_file_is_a_usage_error(run, tmp_path):
    notes = tmp_path / "n.csv"
    notes.write_text("file,captoin\na.jpg,x\n")
    result = run("import", str(tmp_path), "--captions", str(notes), ok=False)
    assert result.exit_code == 2
    assert "unknown column 'captoin'" in result.output


def test_list_json_fields_and_order(run, imported):
    result = run("list", "--json")
    rows = json.loads(result.output)
    assert set(rows[0]) >= SUMMARY_FIELDS
    # dated photos by date (ranges by their start), undated last
    assert [r["file_name"] for r in rows] == ["a_fence_2019.jpg", "c_map.png", "b_trucks.jpg"]
    trucks = rows[2]
    assert trucks["caption"] == "Trucks wait at the gate [red]not markup[/red]"
    assert (trucks["camera_make"], trucks["credit"]) == ("FUJIFILM", "Partner")


def test_list_filters(run, imported):
    def names(*args):
        result = run("list", "--json", *args)
        return [r["file_name"] for r in json.loads(result.output)]

    # "late July 2023" overlaps --since 2023-07-25; the exact 2023-07-28 photo too
    assert names("--since", "2023-07-25") == ["c_map.png", "b_trucks.jpg"]
    assert names("--until", "2019") == ["a_fence_2019.jpg"]
    assert names("--since", "September 2019", "--until", "September 2019") == ["a_fence_2019.jpg"]
    assert names("--uncaptioned") == ["a_fence_2019.jpg"]
    assert names("--story", "quanhe") == ["a_fence_2019.jpg", "b_trucks.jpg", "c_map.png"]


def test_list_unknown_story(run, imported):
    result = run("list", "--story", "Nope", ok=False)
    assert result.exit_code == 2 and "no story named 'Nope'" in result.output


def test_list_text_is_plain(run, imported):
    result = run("list")
    assert "[red]not markup" in result.output
    assert len(result.output.strip().splitlines()) == 4  # a header, then a line a photo


def test_show_json(run, imported):
    photo_id = imported["photo_ids"][1]
    result = run("show", str(photo_id), "--json")
    data = json.loads(result.output)
    assert set(data) >= SUMMARY_FIELDS
    assert data["file_name"] == "b_trucks.jpg"
    assert data["taken_start"] == "2023-07-28T14:05:09"
    assert data["headline"] == "Queue"
    assert data["stories"] == ["Quanhe"]


def test_show_unknown_id(run, imported):
    result = run("show", "9999", ok=False)
    assert result.exit_code == 1 and "no photo with id 9999" in result.output


def test_show_escapes_terminal_controls(run, imported, archive):
    from photodesk.catalog import Catalog, photos

    with Catalog.open(archive) as cat:
        photos.set_caption(cat.db, imported["photo_ids"][0], "en", {"description": "a\x1b[31mred"})
    result = run("show", str(imported["photo_ids"][0]))
    assert "\x1b" not in result.output and "a\\x1b[31mred" in result.output


def test_list_before_any_import(run):
    result = run("list", ok=False)
    assert result.exit_code == 1
    assert "no catalog" in result.output


def test_archive_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODESK_ARCHIVE", str(tmp_path / "envarchive"))
    write(tmp_path / "in" / "a.jpg", jpeg_bytes())
    result = CliRunner().invoke(main, ["import", str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envarchive" / "catalog.db").is_file()
