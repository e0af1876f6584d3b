"""XMP sidecars: the same fields as a publish copy, read by exiftool and by our own import."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog
from photodesk.cli import main
from photodesk.config import Archive
from photodesk.export.entries import load
from photodesk.export.selection import ExportError, select
from photodesk.export.sidecar import sidecar_names, write_sidecars
from photodesk.metadata.strip import identifying
from test_publish import CAPTIONS, STORY, build_desk, exiftool, identifying_tags


@pytest.fixture
def desk(run, tmp_path, archive) -> dict:
    return build_desk(run, tmp_path, archive)


def sidecars(archive, out=None, beside=False, story=STORY, ids=None, **kwargs):
    with Catalog.open(archive) as catalog:
        chosen = select(catalog, story=None if ids else story, ids=ids)
        return write_sidecars(catalog, chosen, out, beside, **kwargs)


def test_sidecars_carry_every_field_and_nothing_identifying(desk, tmp_path):
    out = tmp_path / "xmp"
    result = sidecars(desk["archive"], out)
    assert sorted(p.name for p in out.iterdir()) == ["IMG_0001.xmp", "IMG_0002.xmp", "IMG_0003.xmp"]
    assert [w.path for w in result.files] == [out / f"IMG_000{n}.xmp" for n in (1, 2, 3)]
    tags = exiftool(out / "IMG_0001.xmp")
    assert tags["File:FileType"] == "XMP"
    for lang, text in CAPTIONS.items():
        assert tags[f"XMP-dc:Description-{lang}"] == text
    assert tags["XMP-dc:Description"] == CAPTIONS["en"]
    assert tags["XMP-photoshop:Headline"] == "Wonjong customs"
    assert tags["XMP-photoshop:Credit"] == "Reporting partner/Agency"
    assert tags["XMP-dc:Creator"] == ["Reporting partner"]
    assert tags["XMP-photoshop:DateCreated"] == "2023:07"
    assert tags["XMP-photodesk:TakenText"] == "late July 2023"
    (created,) = tags["XMP-iptcExt:LocationCreated"]
    assert created["LocationName"] == "Quanhe customs house" and created["CountryCode"] == "CN"
    (shown,) = tags["XMP-iptcExt:LocationShown"]
    assert shown["City"] == "Rason"
    assert tags["XMP-photoshop:City"] == "Rason"
    for path in out.iterdir():
        assert identifying_tags(exiftool(path)) == []
        assert identifying(path.read_bytes()) == []
    assert result.summary() == f"wrote 3 sidecars to {out}"


def test_keep_location_writes_gps_into_the_sidecar(desk, tmp_path):
    sidecars(desk["archive"], tmp_path / "xmp", keep_location=True)
    tags = exiftool(tmp_path / "xmp" / "IMG_0001.xmp")
    assert tags["XMP-exif:GPSLatitude"].startswith("42 deg 25'")
    assert tags["XMP-iptcExt:LocationCreated"][0]["GPSLatitude"].startswith("42 deg 25'")


def test_two_photos_of_the_same_name_are_told_apart_by_id(run, tmp_path, archive):
    for seed, folder in enumerate(("day1", "day2")):
        write(tmp_path / "in" / folder / "IMG_0001.JPG", jpeg_bytes(seed=seed + 30))
    write(tmp_path / "in" / "other.jpeg", jpeg_bytes(seed=40))
    ids = json.loads(run("import", str(tmp_path / "in"), "--json").stdout)["photo_ids"]
    with Catalog.open(archive) as catalog:
        entries = load(catalog, ids)
    names = dict(zip([e.file_name for e in entries], sidecar_names(entries), strict=False))
    assert sorted(sidecar_names(entries)) == sorted(
        [f"IMG_0001-{e.id}.xmp" for e in entries if e.file_name == "IMG_0001.JPG"] + ["other.xmp"]
    )
    assert names["other.jpeg"] == "other.xmp"


def test_existing_sidecars_are_kept_unless_overwrite(desk, tmp_path):
    out = tmp_path / "xmp"
    out.mkdir()
    (out / "IMG_0002.xmp").write_text("someone's edits")
    with pytest.raises(ExportError, match=r"IMG_0002\.xmp exists already"):
        sidecars(desk["archive"], out)
    assert (out / "IMG_0002.xmp").read_text() == "someone's edits"
    assert sorted(p.name for p in out.iterdir()) == ["IMG_0002.xmp"]
    sidecars(desk["archive"], out, overwrite=True)
    assert "someone's edits" not in (out / "IMG_0002.xmp").read_text()


def test_a_mistyped_folder_is_refused(desk, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        sidecars(desk["archive"], tmp_path / "nope" / "xmp")
    assert not (tmp_path / "nope").exists()
    with pytest.raises(ExportError, match="one of the two"):
        sidecars(desk["archive"], tmp_path / "xmp", beside=True)
    with pytest.raises(ExportError, match="one of the two"):
        sidecars(desk["archive"])


def test_beside_writes_next_to_each_original_named_after_it(desk):
    result = sidecars(desk["archive"], beside=True)
    with Catalog.open(desk["archive"]) as catalog:
        entries = load(catalog, desk["ids"])
    for entry, written in zip(entries, result.files, strict=True):
        assert written.path == entry.original.with_suffix(".xmp")
        assert written.path.is_file()
    assert result.summary() == "wrote 3 sidecars beside their originals"


def test_beside_a_read_only_original_folder_is_a_clear_error(desk, monkeypatch):
    with Catalog.open(desk["archive"]) as catalog:
        folder = load(catalog, desk["ids"][:1])[0].original.parent
    real = os.access
    # Simulated: root, who runs CI containers, may write into any folder.
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != folder and real(p, mode))
    with pytest.raises(ExportError, match="is not writable") as info:
        sidecars(desk["archive"], beside=True)
    assert str(folder) in str(info.value)
    assert list(folder.glob("*.xmp")) == []


def test_an_image_with_its_sidecar_imports_with_every_field(desk, tmp_path):
    """The round trip: a picture that says nothing, and its sidecar, into an empty archive."""
    out = tmp_path / "delivery"
    sidecars(desk["archive"], out)
    write(out / "IMG_0001.jpg", jpeg_bytes(seed=77))
    fresh = tmp_path / "fresh"

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--archive", str(fresh), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    (photo_id,) = json.loads(cli("import", str(out / "IMG_0001.jpg"), "--json"))["photo_ids"]
    shown = json.loads(cli("show", str(photo_id), "--json"))
    assert {lang: c["description"] for lang, c in shown["captions"].items()} == CAPTIONS
    assert shown["captions"]["en"]["headline"] == "Wonjong customs"
    assert (shown["creator"], shown["credit"]) == ("Reporting partner", "Reporting partner/Agency")
    assert (shown["taken_text"], shown["taken_source"]) == ("late July 2023", "metadata")
    assert shown["created_place"] == "Quanhe customs house"
    assert shown["shown_place"] == "Wonjong customs house"


def test_a_date_changed_by_another_tool_wins_over_our_phrase(desk, tmp_path):
    """Lightroom edits photoshop:DateCreated but not our namespace: the newer date is kept."""
    out = tmp_path / "delivery"
    sidecars(desk["archive"], out)
    sidecar = out / "IMG_0001.xmp"
    sidecar.write_text(
        sidecar.read_text().replace('DateCreated="2023-07"', 'DateCreated="2019-09"')
    )
    write(out / "IMG_0001.jpg", jpeg_bytes(seed=78))
    result = CliRunner().invoke(
        main, ["--archive", str(tmp_path / "fresh"), "import", str(out / "IMG_0001.jpg")]
    )
    assert result.exit_code == 0, result.output
    with Catalog.open(Archive.locate(tmp_path / "fresh")) as catalog:
        (entry,) = load(catalog, [1])
    assert entry.taken is not None and entry.taken.start.year == 2019


def test_export_xmp_command(desk, run, tmp_path):
    out = tmp_path / "cli"
    result = run("export", "xmp", "--story", STORY, "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["IMG_0001.xmp", "IMG_0002.xmp", "IMG_0003.xmp"]
    assert result.stdout.splitlines()[-1] == f"wrote 3 sidecars to {out}"
    run("export", "xmp", "--ids", str(desk["ids"][0]), "--beside")
    with Catalog.open(desk["archive"]) as catalog:
        original = load(catalog, desk["ids"][:1])[0].original
    assert original.with_suffix(".xmp").is_file()
    result = run("export", "xmp", "--story", STORY, ok=False)
    assert "--out DIR or --beside" in result.output
    result = run("export", "xmp", "--story", STORY, "--out", str(out), ok=False)
    assert "exists already" in result.output and len(result.output.strip().splitlines()) == 1
