"""Full-text search: ranking, prefixes, CJK inside longer text, filters, hostile queries."""

import pytest

from photodesk.catalog import place_edits, places, search, stories
from photodesk.catalog.edits import Edit, apply_edit
from photodesk.catalog.search import SearchFilter, build_query, search_ids


@pytest.fixture
def story_photos(catalog, add_photo):
    ids = {
        "trucks": add_photo(
            captions={
                "en": {
                    "headline": "Trucks queue at Quanhe customs",
                    "description": "Cargo trucks wait at the customs gate.",
                },
                "ko": {"description": "화물차들이 취안허 세관 앞에서 통관을 기다리고 있다."},
            },
            credit="Northline",
            taken_start="2023-07-24T11:05:52",
            taken_end="2023-07-24T11:05:52",
        ),
        "nk": add_photo(
            captions={
                "en": {"description": "The North Korean customs house at Wonjong."},
                "ja": {"description": "中国側から見た北朝鮮の税関。"},
            },
            taken_start="2023-07-21T00:00:00",
            taken_end="2023-07-31T23:59:59",
        ),
        "fence": add_photo(
            captions={"en": {"description": "A single barbed-wire fence on the Tumen River."}},
            keywords='["fence", "border"]',
            taken_start="2019-09-01T00:00:00",
            taken_end="2019-09-30T23:59:59",
        ),
        "map": add_photo(kind="map", file_name="map_border.png"),
    }
    return ids


def _find(catalog, text, **flt):
    return search_ids(catalog.db, text, SearchFilter(**flt))


def test_english_words_all_required_and_ranked(catalog, story_photos):
    ids = story_photos
    assert set(_find(catalog, "customs")) == {ids["trucks"], ids["nk"]}
    # headline + caption hits outrank a caption-only hit
    assert _find(catalog, "customs")[0] == ids["trucks"]
    assert _find(catalog, "customs trucks") == [ids["trucks"]]
    assert _find(catalog, "Customs   TRUCKS") == [ids["trucks"]]
    assert _find(catalog, "customs fence") == []


def test_prefix_search_as_you_type(catalog, story_photos):
    ids = story_photos
    assert set(_find(catalog, "cust*")) == {ids["trucks"], ids["nk"]}
    assert _find(catalog, "barb*") == [ids["fence"]]
    assert _find(catalog, "cust") == []  # without * a word is a whole word


def test_korean_inside_longer_words(catalog, story_photos):
    trucks = story_photos["trucks"]
    assert _find(catalog, "세관") == [trucks]  # "세관" inside "세관 앞에서"
    assert _find(catalog, "화물차") == [trucks]  # start of "화물차들이"
    assert _find(catalog, "통관") == [trucks]  # inside "통관을"
    assert _find(catalog, "기다리고") == [trucks]
    assert _find(catalog, "세") == [trucks]  # a single syllable
    assert _find(catalog, "관세") == []  # the same syllables in another order


def test_japanese_and_chinese(catalog, story_photos):
    nk = story_photos["nk"]
    assert _find(catalog, "税関") == [nk]
    assert _find(catalog, "北朝鮮") == [nk]
    assert _find(catalog, "朝鮮の税関") == [nk]


def test_other_fields_are_searched(catalog, story_photos, add_photo):
    ids = story_photos
    assert _find(catalog, "northline") == [ids["trucks"]]  # credit
    assert set(_find(catalog, "border")) == {ids["fence"], ids["map"]}  # keyword, file name
    assert _find(catalog, "map_border") == [ids["map"]]


def test_place_names_and_edits_stay_in_step(catalog, story_photos):
    ids = story_photos
    places.add(catalog.db, "Wonjong customs house", city="Rason", country="North Korea")
    apply_edit(catalog.db, [ids["fence"]], Edit({"shown_place": "Wonjong customs house"}), "ed")
    assert ids["fence"] in _find(catalog, "Rason")
    place_edits.edit(catalog.db, "Wonjong customs house", city="Sonbong")
    assert _find(catalog, "Rason") == []
    assert _find(catalog, "Sonbong") == [ids["fence"]]
    apply_edit(catalog.db, [ids["fence"]], Edit({"description": "Double fence"}), "ed")
    assert _find(catalog, "barbed") == []
    assert _find(catalog, "double") == [ids["fence"]]


def test_filters(catalog, story_photos):
    ids = story_photos
    assert _find(catalog, "customs", lang="ko") == []  # its Korean caption has no "customs"
    assert _find(catalog, "세관", lang="en") == []
    assert _find(catalog, "세관", lang="ko") == [ids["trucks"]]
    assert _find(catalog, "customs", since="2023-07-25T00:00:00") == [ids["nk"]]
    assert _find(catalog, "the", until="2019-12-31T23:59:59") == [ids["fence"]]
    assert _find(catalog, "map", kind="map") == [ids["map"]]
    sid = stories.create(catalog.db, "Fence")
    stories.add(catalog.db, "Fence", [ids["fence"]])
    assert _find(catalog, "the", story_id=sid) == [ids["fence"]]
    assert _find(catalog, "map", uncaptioned_lang="en") == [ids["map"]]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "AND OR",
        "*",
        "NOT",
        "(",
        "a:b",
        "^x",
        "'",
        "-",
        "+",
        "NEAR(a b)",
        "col:customs",
        '"unterminated',
        "***",
        "",
    ],
)
def test_query_syntax_is_never_interpreted(catalog, story_photos, add_photo, text):
    """Operators are words, brackets and quotes are punctuation: found as written, or nothing."""
    signs = add_photo(
        captions={
            "en": {"description": 'Painted: NEAR(a b) AND OR NOT a:b ^x col:customs "unterminated'}
        }
    )
    assert _find(catalog, text) == ([signs] if build_query(text) else [])


def test_operators_are_plain_words(catalog, story_photos):
    assert build_query("customs OR fence") == '"customs" "OR" "fence"'
    assert _find(catalog, "customs OR fence") == []
    assert build_query("") is None and build_query('"*()') is None


def test_common_words_rank_by_weighted_occurrences(catalog, add_photo, monkeypatch):
    """Past COMMON_WORD documents, ranking needs no posting-list scan, and still ranks."""
    monkeypatch.setattr(search, "COMMON_WORD", 3)
    plain = [add_photo(captions={"en": {"description": f"customs scene {i}"}}) for i in range(5)]
    strong = add_photo(captions={"en": {"headline": "Customs", "description": "customs customs"}})
    newer = [add_photo(captions={"en": {"description": f"customs {i}"}}) for i in range(3)]
    # counted as common, so only the newest common_window matches are ranked, not window's
    assert _find(catalog, "customs", common_window=1, limit=None) == [newer[-1]]
    found = _find(catalog, "customs")
    assert found[0] == strong
    assert set(found) == {*plain, *newer, strong}
    # the window keeps the newest matches when there are more than it holds
    assert set(_find(catalog, "customs", common_window=2, limit=2)) <= {*newer, strong}
    assert _find(catalog, "customs scene 3") == [plain[3]]
    monkeypatch.setattr(search, "COMMON_WORD", 9)  # 9 matches: no longer common
    assert len(_find(catalog, "customs", common_window=1, limit=None)) == 9


@pytest.mark.parametrize(
    "text", ["税関、トラック", "세관a", "税関2023", "国境の税関、トラックの列"]
)
def test_a_caption_is_found_by_its_own_text(catalog, add_photo, text):
    pid = add_photo(captions={"en": {"description": text}})
    assert _find(catalog, text) == [pid]
