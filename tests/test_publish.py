"""Publish copies: captions in every language in, everything that identifies the source out.

The originals here carry what a partner's camera and tools leave in a file
(GPS, body and lens serials, owner and artist names, Canon maker notes, an
EXIF thumbnail, XMP history and the file's old name, a comment), written with
exiv2 so every expected value is known. The copies are read with exiftool,
the reference reader, and imported back into an empty archive.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyexiv2
import pytest
from PIL import Image

from imagegen import exif_block, heic_bytes, jpeg_bytes, write
from photodesk.catalog import Catalog
from photodesk.config import Archive
from photodesk.export import publish as publish_module
from photodesk.export.publish import PublishOptions, check_pattern, publish, safe_name
from photodesk.export.selection import ExportError, select
from photodesk.metadata.write import Embedding, embed_embedding

STORY = "Rason–Quanhe trade hub, July 2023"
CAPTIONS = {
    "en": "A North Korean customs house seen from the Chinese side",
    "ko": "중국 쪽에서 본 북한 세관",
    "ja": "中国側から見た北朝鮮の税関",
}
PARTNER_GPS = (42.4321, 130.6012, 35.0)
# exiftool's names (-G1) for what must never reach a copy, by what they are.
IDENTIFYING_TAGS = (
    "GPS",
    "SerialNumber",
    "OwnerName",
    "Artist",
    "MakerNote",
    "Canon:",
    "ThumbnailImage",
    "PreservedFileName",
    "DocumentID",
    "History",
    "Comment",
    "RegionInfo",
)


# -- helpers --------------------------------------------------------------------------


def exiftool(path: Path) -> dict:
    tool = shutil.which("exiftool")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("exiftool is missing in CI (.ci/run installs libimage-exiftool-perl)")
        pytest.skip("exiftool is not installed (Debian: libimage-exiftool-perl)")
    out = subprocess.run([tool, "-j", "-G1", "-struct", str(path)], capture_output=True, check=True)
    (tags,) = json.loads(out.stdout)
    return tags


def identifying_tags(tags: dict) -> list[str]:
    return [k for k in tags if any(marker in k for marker in IDENTIFYING_TAGS)]


def partner_original(seed: int = 0, orientation: int | None = 6) -> bytes:
    """A JPEG as a partner's camera and tools leave it: every identifying field filled."""
    data = jpeg_bytes(
        seed=seed,
        exif=exif_block(
            make=None,
            model=None,
            gps=PARTNER_GPS,
            serial="BODY-0042",
            artist="Partner Kim",
            orientation=orientation,
        ),
    )
    img = pyexiv2.ImageData(data)
    try:
        img.modify_exif(
            {
                "Exif.Image.Make": "Canon",
                "Exif.Image.Model": "Canon EOS 5D",
                "Exif.Canon.SerialNumber": "7654321",
                "Exif.Canon.OwnerName": "Kim Owner",
                "Exif.Photo.LensSerialNumber": "LENS-0099",
                "Exif.Photo.CameraOwnerName": "Kim Owner",
            }
        )
        img.modify_xmp(
            {
                "Xmp.xmpMM.DocumentID": "xmp.did:0f1e2d",
                "Xmp.xmpMM.PreservedFileName": "KIM_20230728_140509.jpg",
                "Xmp.aux.SerialNumber": "BODY-0042",
            }
        )
        img.modify_comment("Kim's camera")
        thumb = io.BytesIO()
        Image.new("RGB", (16, 12), "green").save(thumb, "JPEG")
        img.modify_thumbnail(thumb.getvalue())
        return img.get_bytes()
    finally:
        img.close()


def caption(run, photo_id: int, *args: str) -> None:
    run("caption", str(photo_id), "--user", "desk", *args)


@pytest.fixture
def desk(run, tmp_path, archive) -> dict:
    return build_desk(run, tmp_path, archive)


def build_desk(run, tmp_path: Path, archive: Archive) -> dict:
    """The reference story in small: three partner photos, captions in en/ko/ja, two places."""
    src = tmp_path / "partner"
    for n in range(3):
        write(src / f"IMG_000{n + 1}.JPG", partner_original(seed=n + 1))
    summary = json.loads(run("import", str(src), "--story", STORY, "--json").stdout)
    ids = summary["photo_ids"]
    run(
        "place",
        "add",
        "Quanhe customs house",
        "--sublocation",
        "Customs house",
        "--city",
        "Quanhe",
        "--province",
        "Jilin",
        "--country",
        "China",
        "--code",
        "CN",
    )
    run(
        "place",
        "add",
        "Wonjong customs house",
        "--city",
        "Rason",
        "--country",
        "North Korea",
        "--code",
        "KP",
    )
    first = ids[0]
    caption(
        run,
        first,
        "--caption",
        CAPTIONS["en"],
        "--headline",
        "Wonjong customs",
        "--credit",
        "Reporting partner/Agency",
        "--creator",
        "Reporting partner",
        "--source",
        "Agency",
        "--copyright",
        "© Agency",
        "--keywords",
        "border,customs",
        "--date",
        "late July 2023",
        "--created",
        "Quanhe customs house",
        "--shown",
        "Wonjong customs house",
    )
    caption(run, first, "--lang", "ko", "--caption", CAPTIONS["ko"], "--headline", "원정 세관")
    caption(run, first, "--lang", "ja", "--caption", CAPTIONS["ja"])
    caption(run, ids[1], "--caption", "Trucks at the gate", "--date", "2023-07-28")
    caption(run, ids[2], "--caption", "A single fence", "--date", "2019")
    return {"ids": ids, "archive": archive, "src": src}


def run_publish(archive: Archive, out: Path, story: str | None = STORY, **kwargs):
    with Catalog.open(archive) as catalog:
        ids = kwargs.pop("ids", None)
        chosen = select(catalog, story=story if ids is None else None, ids=ids)
        options = PublishOptions(**{k: v for k, v in kwargs.items() if k in _OPTIONS})
        callbacks = {k: v for k, v in kwargs.items() if k in ("progress", "cancel")}
        return publish(catalog, chosen, out, options, **callbacks)


_OPTIONS = ("max_size", "quality", "keep_location", "name_pattern", "overwrite")


# -- what a copy carries, read by exiftool --------------------------------------------


def test_the_originals_carry_what_the_copies_must_not(desk):
    """Guards the next test: stripping is proved only if the originals had it all."""
    tags = exiftool(next(desk["src"].iterdir()))
    found = " ".join(identifying_tags(tags))
    # exiftool names decoded maker notes by their maker ("Canon:"); these originals hold
    # no history or face regions (test_strip covers those).
    for marker in IDENTIFYING_TAGS:
        if marker not in ("MakerNote", "History", "RegionInfo"):
            assert marker in found, marker


def test_a_copy_carries_every_caption_language_and_nothing_that_identifies(desk, tmp_path):
    result = run_publish(desk["archive"], tmp_path / "out")
    first = tmp_path / "out" / result.files[0].file
    tags = exiftool(first)
    assert tags["XMP-dc:Description"] == CAPTIONS["en"]  # x-default: the archive's language
    for lang, text in CAPTIONS.items():
        assert tags[f"XMP-dc:Description-{lang}"] == text
    assert tags["IPTC:CodedCharacterSet"] == "UTF8"
    assert tags["IPTC:Caption-Abstract"] == CAPTIONS["en"]
    assert tags["XMP-photoshop:Headline"] == tags["IPTC:Headline"] == "Wonjong customs"
    assert tags["XMP-photoshop:Credit"] == tags["IPTC:Credit"] == "Reporting partner/Agency"
    assert tags["XMP-dc:Creator"] == ["Reporting partner"]
    assert tags["IPTC:By-line"] == "Reporting partner"
    assert tags["XMP-photoshop:Source"] == "Agency"
    assert tags["XMP-dc:Rights"] == "© Agency"
    assert tags["XMP-dc:Subject"] == ["border", "customs"]
    # "late July 2023": IPTC can say the month, and no more; our namespace says the rest.
    assert tags["XMP-photoshop:DateCreated"] == "2023:07"
    assert "IPTC:DateCreated" not in tags  # IIM holds only whole days
    assert tags["XMP-photodesk:TakenText"] == "late July 2023"
    (created,) = tags["XMP-iptcExt:LocationCreated"]
    assert created == {
        "LocationName": "Quanhe customs house",
        "Sublocation": "Customs house",
        "City": "Quanhe",
        "ProvinceState": "Jilin",
        "CountryName": "China",
        "CountryCode": "CN",
    }
    (shown,) = tags["XMP-iptcExt:LocationShown"]
    assert shown["LocationName"] == "Wonjong customs house" and shown["City"] == "Rason"
    # The legacy location fields say what the frame shows.
    assert tags["XMP-photoshop:City"] == tags["IPTC:City"] == "Rason"
    assert tags["IPTC:Country-PrimaryLocationCode"] == "KP"
    for copy in result.files:
        assert identifying_tags(exiftool(tmp_path / "out" / copy.file)) == []


def test_each_date_keeps_its_real_precision(desk, tmp_path):
    result = run_publish(desk["archive"], tmp_path / "out")
    day, year = (exiftool(tmp_path / "out" / f.file) for f in result.files[1:])
    assert day["XMP-photoshop:DateCreated"] == "2023:07:28"
    assert day["IPTC:DateCreated"] == "2023:07:28"
    assert str(year["XMP-photoshop:DateCreated"]) == "2019"
    assert "IPTC:DateCreated" not in year


def test_the_copy_is_upright_resized_and_a_new_jpeg(desk, tmp_path):
    result = run_publish(desk["archive"], tmp_path / "out", max_size=320, quality=70)
    path = tmp_path / "out" / result.files[0].file
    with Image.open(path) as im:
        # 640x480 turned a quarter by EXIF orientation 6, then fitted into 320.
        assert im.size == (240, 320) == (result.files[0].width, result.files[0].height)
        assert im.getexif() == {}  # no orientation left to apply twice
        # The red top of the original is on the right once turned clockwise.
        r, _, b = im.convert("RGB").getpixel((220, 160))
        assert r > 150 and b < 100
        r, _, b = im.convert("RGB").getpixel((20, 160))
        assert b > 150 and r < 100
        assert "comment" not in im.info and "exif" not in im.info


def test_a_small_photo_is_not_enlarged(desk, tmp_path):
    result = run_publish(desk["archive"], tmp_path / "out", max_size=4000)
    assert (result.files[0].width, result.files[0].height) == (480, 640)


def test_keep_location_publishes_the_camera_position_and_nothing_else(desk, tmp_path):
    result = run_publish(desk["archive"], tmp_path / "out", keep_location=True)
    tags = exiftool(tmp_path / "out" / result.files[0].file)
    assert tags["GPS:GPSLatitudeRef"] == "North"
    assert tags["Composite:GPSLatitude"].startswith("42 deg 25'")
    (created,) = tags["XMP-iptcExt:LocationCreated"]
    assert created["GPSLatitude"].startswith("42 deg 25'") and created["City"] == "Quanhe"
    assert [k for k in identifying_tags(tags) if "GPS" not in k] == []


# -- the manifest ---------------------------------------------------------------------


def test_the_manifest_lists_copies_originals_by_hash_and_what_was_removed(desk, tmp_path):
    out = tmp_path / "out"
    result = run_publish(desk["archive"], out)
    manifest = json.loads((out / "manifest.json").read_text())
    rows = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    originals = sorted(desk["src"].iterdir())
    assert len(manifest["files"]) == len(rows) == 3
    for entry, row, original in zip(manifest["files"], rows, originals, strict=True):
        sha = hashlib.sha256(original.read_bytes()).hexdigest()
        assert entry["original_sha256"] == row["original_sha256"] == sha
        assert (out / entry["file"]).is_file() and row["file"] == entry["file"]
        with Image.open(out / entry["file"]) as im:
            assert [entry["width"], entry["height"]] == list(im.size)
        assert int(row["photo_id"]) == entry["photo_id"]
        for label in ("GPS position", "body serial number", "lens serial number", "maker notes"):
            assert label in entry["removed"] and label in row["removed"]
        for label in ("camera owner name", "embedded thumbnail", "original file name"):
            assert label in entry["removed"]
    assert manifest["files"][0]["languages"] == ["en", "ja", "ko"]
    assert manifest["story"] == STORY
    # The folder may travel: nothing in it names the partner's files.
    for name in ("manifest.json", "manifest.csv"):
        text = (out / name).read_text()
        assert "IMG_000" not in text and "KIM_2023" not in text
    summary = result.summary()
    assert summary.startswith(f"wrote 3 copies to {out}; removed: GPS position (3)")
    assert "body serial number (3)" in summary


# -- verification ---------------------------------------------------------------------


def _leaky(data: bytes) -> bytes:
    img = pyexiv2.ImageData(data)
    try:
        img.modify_exif({"Exif.Photo.BodySerialNumber": "BODY-0042"})
        return img.get_bytes()
    finally:
        img.close()


def test_a_writer_that_leaks_stops_the_export_and_leaves_no_such_file(desk, tmp_path, monkeypatch):
    def leaks(data, emb):
        copy, warnings = embed_embedding(data, emb)
        return _leaky(copy), warnings

    monkeypatch.setattr(publish_module, "embed_embedding", leaks)
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="still carries body serial number"):
        run_publish(desk["archive"], out)
    assert list(out.glob("*.jpg")) == []
    assert not (out / "manifest.json").exists()


def test_a_file_that_differs_on_disk_is_caught_and_removed(desk, tmp_path, monkeypatch):
    """The check runs on what was written, not only on the bytes meant to be written."""
    real = publish_module.write_atomic

    def corrupting(path, data, mode=None):
        real(path, _leaky(data) if path.suffix == ".jpg" else data, mode)

    monkeypatch.setattr(publish_module, "write_atomic", corrupting)
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="still carries body serial number"):
        run_publish(desk["archive"], out)
    assert list(out.glob("*.jpg")) == []


def test_the_writer_drops_control_characters(tmp_path):
    hostile = '=HYPERLINK("http://x") <script>alert(1)</script> ../../x \x1b[31mred\x07'
    emb = Embedding(
        captions={"en": {"description": hostile, "headline": hostile}}, default_lang="en"
    )
    data, _ = embed_embedding(jpeg_bytes(), emb)
    path = write(tmp_path / "c.jpg", data)
    tags = exiftool(path)
    literal = '=HYPERLINK("http://x") <script>alert(1)</script> ../../x [31mred'
    assert tags["XMP-dc:Description-en"] == literal
    assert tags["IPTC:Caption-Abstract"] == literal
    assert b"\x1b[31m" not in data
    img = pyexiv2.ImageData(data)
    try:
        written = [*img.read_iptc().values(), img.read_raw_xmp()]
    finally:
        img.close()
    # The only ESC left is IIM's own UTF-8 mark (1:90).
    assert [v for v in map(str, written) if "\x1b" in v or "\x07" in v] == ["\x1b%G"]


def test_hostile_story_names_and_captions_are_inert(run, tmp_path, archive):
    hostile = '=HYPERLINK("x")/../../x\x1b[31m<script>'
    write(tmp_path / "in" / "a.jpg", partner_original(seed=9, orientation=None))
    (photo_id,) = json.loads(
        run("import", str(tmp_path / "in"), "--story", hostile, "--json").stdout
    )["photo_ids"]
    caption(run, photo_id, "--caption", '=HYPERLINK("http://x") <script>alert(1)</script>')
    out = tmp_path / "out"
    result = run_publish(archive, out, story=hostile)
    (copy,) = result.files
    assert copy.file == "HYPERLINK(-x-)-x-31m-script-01.jpg"
    assert sorted(p.name for p in out.iterdir()) == [copy.file, "manifest.csv", "manifest.json"]
    tags = exiftool(out / copy.file)
    assert tags["XMP-dc:Description"] == '=HYPERLINK("http://x") <script>alert(1)</script>'
    row = next(csv.DictReader((out / "manifest.csv").open()))
    assert not row["file"].startswith(("=", "+", "-", "@"))


# -- names and folders ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Rason–Quanhe trade hub, July 2023-01", "Rason-Quanhe-trade-hub-July-2023-01"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "fallback"),
        (".hidden", "hidden"),
        ("a/b\\c:d", "a-b-c-d"),
        ("x\x1b[31my\x07z\u202eevil", "x-31myzevil"),
        ("=SUM(A1)", "SUM(A1)"),
        ("-rf", "rf"),
        ("CON", "fallback"),
        ("nul.txt", "fallback"),
        ("취안허 세관", "취안허-세관"),
        ("", "fallback"),
    ],
)
def test_safe_name(raw, expected):
    assert safe_name(raw, "fallback") == expected


def test_a_long_name_is_cut_to_a_safe_length_in_bytes():
    name = safe_name("세관" * 200, "fallback")
    assert 0 < len(name.encode()) <= publish_module.NAME_BYTES


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{file}", "unknown placeholder {file}"),
        ("{story.__class__}", "unknown placeholder"),
        ("{0}", "unknown placeholder"),
        ("{n:{id}}", "placeholder inside a placeholder"),
        ("{n", "not valid"),
        ("{story:d}", "not valid"),
    ],
)
def test_bad_name_patterns_are_refused(pattern, message):
    with pytest.raises(ExportError, match=message) as info:
        check_pattern(pattern)
    assert "\n" not in str(info.value)


def test_name_patterns_and_collisions(desk, tmp_path):
    ids = desk["ids"]
    result = run_publish(desk["archive"], tmp_path / "a", name_pattern="desk-{id}-{n:03}")
    assert [f.file for f in result.files] == [f"desk-{i}-{n:03}.jpg" for n, i in enumerate(ids, 1)]
    result = run_publish(desk["archive"], tmp_path / "b", name_pattern="same")
    assert [f.file for f in result.files] == [
        "same.jpg",
        f"same-{ids[1]}.jpg",
        f"same-{ids[2]}.jpg",
    ]
    result = run_publish(desk["archive"], tmp_path / "c", story=None, ids=ids[:1])
    assert [f.file for f in result.files] == ["photos-01.jpg"]


def test_existing_files_are_refused_unless_overwrite(desk, tmp_path):
    out = tmp_path / "out"
    run_publish(desk["archive"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(ExportError, match="exists already"):
        run_publish(desk["archive"], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    run_publish(desk["archive"], out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def test_a_mistyped_folder_is_refused_and_not_created(desk, tmp_path):
    out = tmp_path / "exprots" / "july"
    with pytest.raises(ExportError, match="does not exist"):
        run_publish(desk["archive"], out)
    assert not (tmp_path / "exprots").exists()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        run_publish(desk["archive"], tmp_path / "a-file")


def test_a_new_folder_is_created_when_its_parent_exists(desk, tmp_path):
    run_publish(desk["archive"], tmp_path / "new")
    assert len(list((tmp_path / "new").glob("*.jpg"))) == 3


def test_a_missing_original_is_named_before_anything_is_written(desk, tmp_path):
    with Catalog.open(desk["archive"]) as catalog:
        from photodesk.export.entries import load

        entry = load(catalog, [desk["ids"][1]])[0]
    entry.original.rename(entry.original.with_suffix(".gone"))
    out = tmp_path / "out"
    with pytest.raises(ExportError) as info:
        run_publish(desk["archive"], out)
    message = str(info.value)
    assert f"photo {desk['ids'][1]} (IMG_0002.JPG)" in message and "missing" in message
    assert not out.exists()


def test_a_heic_original_becomes_a_jpeg_copy(run, tmp_path, archive, monkeypatch):
    write(tmp_path / "in" / "IMG_5195.HEIC", heic_bytes((320, 240), seed=4))
    run("import", str(tmp_path / "in"), "--story", "phone")
    # Making the test file taught this process HEIC: forget it, as a fresh CLI process would be.
    monkeypatch.setattr(Image, "ID", [i for i in Image.ID if i != "HEIF"])
    monkeypatch.delitem(Image.OPEN, "HEIF")
    publish_module._heif.cache_clear()
    result = run_publish(archive, tmp_path / "out", story="phone")
    with Image.open(tmp_path / "out" / result.files[0].file) as im:
        assert (im.format, im.size) == ("JPEG", (320, 240))


def test_bad_options_are_refused(desk, tmp_path):
    with pytest.raises(ExportError, match="quality 0"):
        run_publish(desk["archive"], tmp_path / "out", quality=0)
    with pytest.raises(ExportError, match="max size 2"):
        run_publish(desk["archive"], tmp_path / "out", max_size=2)


# -- progress and cancel --------------------------------------------------------------


def test_progress_is_reported_and_cancel_stops_between_photos(desk, tmp_path):
    seen = []
    result = run_publish(
        desk["archive"],
        tmp_path / "out",
        progress=seen.append,
        cancel=lambda: len(seen) >= 2,
    )
    assert [(p.done, p.total) for p in seen] == [(1, 3), (2, 3)]
    assert result.cancelled and len(result.files) == 2
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["cancelled"] and len(manifest["files"]) == 2
    assert len(list((tmp_path / "out").glob("*.jpg"))) == 2


# -- round trip -----------------------------------------------------------------------


def test_a_copy_imported_into_an_empty_archive_recovers_the_caption(desk, tmp_path):
    out = tmp_path / "out"
    run_publish(desk["archive"], out)
    from click.testing import CliRunner

    from photodesk.cli import main

    fresh = tmp_path / "fresh"

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--archive", str(fresh), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    (first, second, third) = json.loads(cli("import", str(out), "--json"))["photo_ids"]
    shown = json.loads(cli("show", str(first), "--json"))
    assert {lang: c["description"] for lang, c in shown["captions"].items()} == CAPTIONS
    assert shown["captions"]["en"]["headline"] == "Wonjong customs"
    assert shown["creator"] == "Reporting partner"
    assert shown["credit"] == "Reporting partner/Agency"
    assert shown["source"] == "Agency"
    assert shown["keywords"] == ["border", "customs"]
    assert (shown["taken_text"], shown["taken_precision"]) == ("late July 2023", "part-month")
    assert shown["taken_start"] == "2023-07-21T00:00:00"
    assert shown["created_place"] == "Quanhe customs house"
    assert shown["shown_place"] == "Wonjong customs house"
    assert shown["gps_lat"] is None and shown["body_serial"] is None
    places = {p["name"]: p for p in json.loads(cli("place", "list", "--json"))}
    assert places["Quanhe customs house"]["province"] == "Jilin"
    assert places["Wonjong customs house"]["country_code"] == "KP"
    assert json.loads(cli("show", str(second), "--json"))["taken_text"] == "2023-07-28"
    assert json.loads(cli("show", str(third), "--json"))["taken_precision"] == "year"


# -- the command ----------------------------------------------------------------------


def test_export_photos_command(desk, run, tmp_path):
    out = tmp_path / "cli"
    result = run(
        "export", "photos", "--story", STORY, "--out", str(out), "--max-size", "300",
        "--name-pattern", "qh-{n}",
    )  # fmt: skip
    names = sorted(p.name for p in out.iterdir())
    assert names == ["manifest.csv", "manifest.json", "qh-1.jpg", "qh-2.jpg", "qh-3.jpg"]
    with Image.open(out / "qh-1.jpg") as im:
        assert max(im.size) == 300
    lines = result.stdout.splitlines()
    assert str(out / "qh-1.jpg") in lines[0]
    assert lines[-1].startswith(f"wrote 3 copies to {out}; removed: GPS position (3), ")
    assert identifying_tags(exiftool(out / "qh-2.jpg")) == []


def test_export_photos_command_errors_are_one_line(desk, run, tmp_path):
    for args, message in [
        (["--name-pattern", "{file}"], "unknown placeholder {file}"),
        (["--out", str(tmp_path / "no" / "such")], "does not exist"),
    ]:
        full = ["export", "photos", "--story", STORY, "--out", str(tmp_path / "x"), *args]
        result = run(*full, ok=False)
        assert message in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
    result = run("export", "photos", "--ids", "1", "--story", STORY, "--out", "x", ok=False)
    assert "exactly one" in result.output
