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
