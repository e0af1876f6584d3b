"""The demo set imports with its notes, exactly as the README's first command runs it."""

import json

from archive_checks import assert_archive_whole
from conftest import REPO
from photodesk.catalog import Catalog, photos

PHOTOS = REPO / "photos"


def _import(run):
    result = run(
        "import",
        str(PHOTOS),
        "--captions",
        str(PHOTOS / "captions.csv"),
        "--story",
        "Rason–Quanhe trade hub, July 2023",
        "--json",
    )
    return json.loads(result.output)


def test_demo_import_is_complete_and_idempotent(run, archive):
    first = _import(run)
    # 8 photos, a map and a chart; the script and the notes are skipped
    assert (first["added"], first["failed"], first["skipped"]) == (10, 0, 2)
    assert first["warnings"] == []
    second = _import(run)
    assert (second["added"], second["duplicates"], second["failed"]) == (0, 10, 0)
    assert_archive_whole(archive)

    with Catalog.open(archive) as cat:
        db = cat.db
        assert db["photos"].count == 10
        kinds = dict(db.execute("SELECT file_name, kind FROM photos").fetchall())
        assert kinds["map_border.png"] == "map" and kinds["chart_trade.png"] == "graphic"
        nk = next(db["photos"].rows_where("file_name = 'quanhe_01_nk_customs.jpg'"))
        assert db["places"].get(nk["created_place_id"])["name"] == "Quanhe customs house"
        assert db["places"].get(nk["shown_place_id"])["name"] == "Wonjong customs house"
        assert nk["taken_start"].startswith("2023-07-2") and nk["body_serial"]
        assert set(photos.captions(db, nk["id"])) == {"en", "ko"}
        fence = next(db["photos"].rows_where("file_name = 'fence_2019_single.jpg'"))
        assert fence["taken_start"].startswith("2019-09-14")
        assert fence["creator"] == "Ilse Marquardt"
        story = db.execute("SELECT count(*) FROM story_photos").fetchone()[0]
        assert story == 10


def _ids_by_name(run) -> dict[str, int]:
    return {p["file_name"]: p["id"] for p in json.loads(run("list", "--json").output)}


def test_pair_suggest_ranks_the_fences_first(run):
    _import(run)
    ids = _ids_by_name(run)
    fences = (ids["fence_2019_single.jpg"], ids["quanhe_07_double_fence.jpg"])
    # Wider than the defaults, so the fences must win on likeness, not be alone.
    wide = json.loads(run("pair", "suggest", "--within", "10", "--min-gap", "0", "--json").output)
    assert len(wide) > 1
    first = wide[0]
    assert (first["before"]["photo_id"], first["after"]["photo_id"]) == fences
    assert any("Tumen River border fence" in r for r in first["reasons"])
    default = json.loads(run("pair", "suggest", "--json").output)
    assert [(s["before"]["photo_id"], s["after"]["photo_id"]) for s in default] == [fences]
    story = json.loads(
        run("pair", "suggest", "--story", "Rason–Quanhe trade hub, July 2023", "--json").output
    )
    assert story[0]["before"]["photo_id"] == fences[0]
    # Once paired, it is no longer suggested.
    run("pair", str(fences[0]), str(fences[1]), "--subject", "Border fence near Quanhe")
    assert json.loads(run("pair", "suggest", "--json").output) == []
    shown = json.loads(run("pair", "show", "1", "--json").output)
    assert shown["span"] == "about 3 years 10 months"
    assert shown["composed"].startswith("(Left) A single barbed-wire fence")


def test_export_pair_writes_a_diptych_with_labels_and_caption(run, archive, tmp_path):
    from PIL import Image, ImageChops

    from photodesk.metadata import read_metadata

    _import(run)
    ids = _ids_by_name(run)
    run("pair", str(ids["fence_2019_single.jpg"]), str(ids["quanhe_07_double_fence.jpg"]))
    plain, labelled = tmp_path / "plain.jpg", tmp_path / "labelled.jpg"
    run("export", "pair", "1", "--out", str(plain), "--width", "1200")
    result = run("export", "pair", "1", "--out", str(labelled), "--width", "1200", "--labels")
    assert "wrote" in result.output
    with Image.open(plain) as a, Image.open(labelled) as b:
        assert a.size == b.size and a.size[0] == 1200
        width, height = a.size
        # The demo photos are 4:3, so each takes about half, with a white gutter between.
        gutter = a.crop((width // 2 - 2, 0, width // 2 + 2, height)).convert("L")
        assert gutter.getextrema()[0] > 240
        left, right = a.crop((0, 0, width // 3, height)), a.crop((2 * width // 3, 0, width, height))
        assert ImageChops.difference(left, right).getbbox() is not None
        # The labels sit in the lower-left corner of each photo, and nowhere else.
        changed = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
        assert changed is not None and changed[1] > height // 2
        assert not a.getexif()  # no camera, no GPS from the originals
        data = labelled.read_bytes()
        meta = read_metadata(data, b, None, "en")
    caption = meta.captions["en"]["description"]
    assert caption.startswith("(Left) A single barbed-wire fence")
    assert "(Right) A second, taller fence" in caption
