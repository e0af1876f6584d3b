"""The gazetteer and stories."""

import pytest

from photodesk.catalog import place_edits, places, stories
from photodesk.catalog.edits import Edit, apply_edit
from photodesk.catalog.places import PlaceError
from photodesk.catalog.stories import StoryError


def test_place_hierarchy_and_edit(catalog):
    pid = places.add(
        catalog.db,
        "Quanhe customs house",
        sublocation="Customs house",
        city="Hunchun",
        province="Jilin",
        country="China",
        country_code="cn",
        latitude=42.4325,
        longitude=130.5985,
    )
    row = catalog.db["places"].get(pid)
    assert (row["city"], row["province"], row["country_code"]) == ("Hunchun", "Jilin", "CN")
    place_edits.edit(catalog.db, "QUANHE CUSTOMS HOUSE", new_name="Quanhe customs", sublocation="")
    row = catalog.db["places"].get(pid)
    assert (row["name"], row["sublocation"], row["city"]) == ("Quanhe customs", None, "Hunchun")


@pytest.mark.parametrize(
    "details, message",
    [
        ({"latitude": 91.0}, "outside -90..90"),
        ({"longitude": -181.0}, "outside -180..180"),
        ({"country_code": "China"}, "not an ISO 3166 code"),
    ],
)
def test_place_values_are_checked(catalog, details, message):
    with pytest.raises(PlaceError, match=message):
        places.add(catalog.db, "Somewhere", **details)
    assert catalog.db["places"].count == 0


def test_duplicate_place_names_are_refused(catalog):
    places.add(catalog.db, "Rason")
    with pytest.raises(PlaceError, match="exists already"):
        places.add(catalog.db, "rason")


def test_merge_moves_photos(catalog, add_photo):
    places.add(catalog.db, "Quanhe")
    places.add(catalog.db, "Quanhe crossing")
    pid = add_photo()
    apply_edit(
        catalog.db, [pid], Edit({"created_place": "Quanhe crossing", "shown_place": "Quanhe"}), "e"
    )
    assert place_edits.merge(catalog.db, "Quanhe crossing", "Quanhe") == 1
    row = catalog.db["photos"].get(pid)
    target = places.find(catalog.db, "Quanhe")
    assert row["created_place_id"] == row["shown_place_id"] == target
    assert places.find(catalog.db, "Quanhe crossing") is None
    with pytest.raises(PlaceError, match="into itself"):
        place_edits.merge(catalog.db, "Quanhe", "quanhe")


def test_suggest_by_distance_never_assigns(catalog, add_photo):
    places.add(catalog.db, "Quanhe customs house", latitude=42.4325, longitude=130.5985)
    places.add(catalog.db, "Wonjong customs house", latitude=42.4230, longitude=130.6210)
    places.add(catalog.db, "Hunchun", latitude=42.8680, longitude=130.3590)
    places.add(catalog.db, "Somewhere without coordinates")
    near = places.near(catalog.db, 42.4312, 130.6021, within_km=25)
    assert [p["name"] for p in near] == ["Quanhe customs house", "Wonjong customs house"]
    assert near[0]["distance_km"] == pytest.approx(0.33, abs=0.02)
    assert places.distance_km(42.4312, 130.6021, 42.8680, 130.3590) == pytest.approx(52.7, abs=0.5)


def test_story_add_order_remove(catalog, add_photo):
    a, b, c, d = (add_photo() for _ in range(4))
    sid = stories.create(catalog.db, "Rason–Quanhe trade hub, July 2023", job_id="RQ-0723")
    assert stories.add(catalog.db, "rason–quanhe trade hub, july 2023", [a, b, c]) == 3
    assert stories.add(catalog.db, str(sid), [b, d]) == 1  # b is in already
    assert stories.photo_order(catalog.db, sid) == [a, b, c, d]
    assert stories.order(catalog.db, "Rason–Quanhe trade hub, July 2023", [d, b]) == [d, b, a, c]
    assert stories.photo_order(catalog.db, sid) == [d, b, a, c]
    assert stories.remove(catalog.db, str(sid), [b]) == 1
    assert stories.photo_order(catalog.db, sid) == [d, a, c]
    assert stories.listing(catalog.db)[0]["photos"] == 3
    assert stories.get(catalog.db, sid)["job_id"] == "RQ-0723"


def test_a_photo_may_be_in_several_stories(catalog, add_photo):
    p = add_photo()
    stories.create(catalog.db, "One")
    stories.create(catalog.db, "Two")
    stories.add(catalog.db, "One", [p])
    stories.add(catalog.db, "Two", [p])
    assert {s["photos"] for s in stories.listing(catalog.db)} == {1}


def test_story_mistakes(catalog, add_photo):
    p = add_photo()
    stories.create(catalog.db, "One")
    with pytest.raises(StoryError, match="exists already"):
        stories.create(catalog.db, "ONE")
    with pytest.raises(StoryError, match="no story named"):
        stories.add(catalog.db, "Nope", [p])
    with pytest.raises(StoryError, match="no photo with id 77"):
        stories.add(catalog.db, "One", [p, 77])
    assert stories.photo_order(catalog.db, stories.find(catalog.db, "One")) == []
    stories.add(catalog.db, "One", [p])
    with pytest.raises(StoryError, match="not in the story"):
        stories.order(catalog.db, "One", [p, 99])
