"""Nothing vanishes silently: files told apart by their bytes, missing files said and restored."""

from __future__ import annotations

import json
import os

from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog
from photodesk.files import source_key, source_path
from photodesk.ingest import ImportOptions, import_paths


def _import(archive, folder):
    with Catalog.open(archive) as catalog:
        return import_paths(catalog, [str(folder)], ImportOptions())


def test_a_non_utf8_name_and_its_escaped_spelling_are_two_files(archive, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    base = jpeg_bytes(size=(64, 48), seed=3)
    raw = os.fsencode(folder) + b"/caf\xe9.jpg"  # Latin-1, as an old Windows zip names it
    spelled = folder / "caf\\xe9.jpg"  # the same name as display text would show it
    stamp = 1_700_000_000_000_000_000
    with open(raw, "wb") as f:
        f.write(base + b"\x00")  # bytes after the JPEG's end: same size, other content
    os.utime(raw, ns=(stamp, stamp))
    assert _import(archive, folder).added == 1
    spelled.write_bytes(base + b"\x01")  # arrives later, looking like a file seen before
    os.utime(spelled, ns=(stamp, stamp))
    later = _import(archive, folder)
    assert later.added == 1, later  # read, not taken for the first
    assert _import(archive, folder).added == 0


def test_source_keys_keep_every_path_apart_and_come_back():
    odd = os.fsdecode(b"/in/caf\xe9.jpg")
    spelled = "/in/caf\\xe9.jpg"
    assert source_key(odd) != source_key(spelled)
    assert source_path(source_key(odd)) == odd and source_path(source_key(spelled)) == spelled
    assert source_key("/in/카페.jpg") == "/in/카페.jpg"


def test_show_says_which_files_are_missing(archive, run, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(size=(64, 48), seed=5))
    _import(archive, tmp_path / "in")
    with Catalog.open(archive) as catalog:
        row = catalog.db.execute("SELECT id, original_path, thumb_path FROM photos").fetchone()
        photo_id, original, thumb = row
        catalog.archive.resolve(original).unlink()
        catalog.archive.resolve(thumb).unlink()
    shown = run("show", str(photo_id)).output
    assert "original (expected at" in shown and "thumbnail" in shown
    data = json.loads(run("show", str(photo_id), "--json").output)
    assert (
        data["missing"][0].startswith("original (expected at") and data["missing"][1] == "thumbnail"
    )


def test_importing_the_same_bytes_restores_a_missing_original_and_thumbnail(archive, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(size=(64, 48), seed=11))
    write(tmp_path / "in" / "b.jpg", jpeg_bytes(size=(64, 48), seed=12))
    _import(archive, tmp_path / "in")
    with Catalog.open(archive) as catalog:
        rows = {
            r["file_name"]: r
            for r in catalog.db.query("SELECT id, file_name, original_path, thumb_path FROM photos")
        }
        lost_original = catalog.archive.resolve(rows["a.jpg"]["original_path"])
        lost_thumb = catalog.archive.resolve(rows["b.jpg"]["thumb_path"])
    lost_original.chmod(0o644)
    lost_original.unlink()
    lost_thumb.unlink()
    # The same folder again: path, size and mtime are known, yet the files are not there.
    again = _import(archive, tmp_path / "in")
    assert again.added == 0
    assert lost_original.is_file() and lost_thumb.is_file()
    with Catalog.open(archive) as catalog:
        assert all(
            not catalog.missing_files(dict(r)) for r in catalog.db.query("SELECT * FROM photos")
        )
    # And from another folder holding the same bytes (a renamed copy).
    lost_original.chmod(0o644)
    lost_original.unlink()
    write(tmp_path / "elsewhere" / "renamed.jpg", (tmp_path / "in" / "a.jpg").read_bytes())
    _import(archive, tmp_path / "elsewhere")
    assert lost_original.is_file()
