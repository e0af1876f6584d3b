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
