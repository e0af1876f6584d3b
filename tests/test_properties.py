"""Property tests: caption text is data, and no search string can break search."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photodesk.catalog import codes, edits, history, photos, search
from photodesk.catalog.edits import Edit, apply_edit

# Any text: control characters, markup look-alikes, quotes, emoji, very long.
caption_text = st.one_of(
    st.text(min_size=1, max_size=300),
    st.sampled_from(
        [
            "[red]not markup[/red]",
            "[bold]**x**[/]",
            "<b>&amp;</b>",
            "=cmd|' /C calc'!A0",
            "\x1b[31mred\x1b[0m",
            "quote \" and ' both",
            "emoji 🚚🇰🇷 and 세관 税関",
            "line\nbreak\ttab\r\n",
            "\x00nul\x7f",
            "=qh= unknown code",
            "x" * 10_000,
        ]
    ),
)

settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("default")


@given(text=caption_text)
def test_caption_round_trips_through_save_search_and_history(catalog, add_photo, text):
    # Every example adds photos to the same catalog. The twin has the same file
    # name and never a caption; the photo is the newest in the catalog.
    twin = add_photo()
    pid = add_photo(file_name=photos.summaries(catalog.db, [twin], "en")[0]["file_name"])
    result = apply_edit(catalog.db, [pid], Edit({"description": text}), "ed")
    # No code is defined here: each one is reported and left as typed, so the text is kept exactly.
    assert result.unknown_codes == list(dict.fromkeys(m[0] for m in codes.CODE.finditer(text)))
    assert (result.photos_changed, result.fields_changed) == (1, 1)
    stored = photos.captions(catalog.db, pid)["en"]["description"]
    assert stored == text
    change = history.for_photo(catalog.db, pid)[-1]
    assert (change.old, change.new) == (None, text)
    assert result.change_set == change.change_set
    assert photos.summaries(catalog.db, [pid], "en")[0]["caption"] == text

    # Each word the index holds for the caption finds the photo, however many
    # photos share it: batch search (newest first) and ranked search unlimited,
    # the whole word and (as typed so far) its beginning.
    words = list(dict.fromkeys(search.index_text(text).split()))
    everything = search.SearchFilter(limit=None)
    for word in words:
        assert search.all_ids(catalog.db, word)[:1] == [pid], word
        assert pid in search.search_ids(catalog.db, word, everything), word
        for prefix in {word, word[:-1] or word}:
            assert search.all_ids(catalog.db, prefix + "*")[:1] == [pid], prefix
            assert pid in search.search_ids(catalog.db, prefix + "*", everything), prefix

    edits.undo(catalog.db, "ed")
    assert photos.captions(catalog.db, pid).get("en", {}).get("description") is None
    # ...and after undo only what the never-captioned twin is found by finds it
    for word in words:
        found = search.all_ids(catalog.db, word)
        assert (pid in found) == (twin in found), word


# Photos for the search properties, with the operator words of FTS5 as plain
# text in their captions; by hand, which of those words each caption holds.
OPERATOR_WORDS = ("AND", "OR", "NOT", "NEAR", "세관", "cust")


@pytest.fixture
def searchable(add_photo) -> dict[int, set[str]]:
    return {
        add_photo(
            captions={
                "en": {
                    "headline": "Trucks queue at Quanhe customs",
                    "description": "Cargo trucks wait at the customs gate.",
                },
                "ko": {"description": "화물차들이 취안허 세관 앞에서 통관을 기다리고 있다."},
            },
            credit="Northline",
        ): {"세관"},
        add_photo(
            captions={
                "en": {"description": "The North Korean customs house at Wonjong."},
                "ja": {"description": "中国側から見た北朝鮮の税関。"},
            }
        ): set(),
        add_photo(
            captions={"en": {"description": "A single barbed-wire fence."}},
            keywords='["fence", "border"]',
        ): set(),
        add_photo(kind="map", file_name="map_border.png"): set(),
        add_photo(
            captions={"en": {"description": 'Signs read "AND", (OR), NOT: NEAR^ cust* {세관}'}}
        ): set(OPERATOR_WORDS),
        add_photo(captions={"en": {"description": "cust or 세관에서 -+"}}): {"cust", "OR", "세관"},
    }


def check_search(catalog, run, query: str) -> list[int]:
    """What holds for any query: every result is a photo, once; the same query (even
    with spaces around it) gives the same results; ranked search, batch search and
    the CLI agree. Returns the results."""
    db = catalog.db
    ids = search.search_ids(db, query)
    assert len(ids) == len(set(ids)) <= search.SearchFilter().limit
    assert set(ids) <= {r["id"] for r in db["photos"].rows}
    assert search.search_ids(db, query) == ids
    assert search.search_ids(db, f" \t{query}\n ") == ids
    batch = search.all_ids(db, query)
    assert batch == sorted(set(batch), reverse=True)  # each match once, newest first
    # fewer photos than the limit and the window: ranked search returns every match
    assert set(ids) == set(batch)
    if not search.query_terms(query):
        assert ids == []
    cli = run("search", "--json", "--", query, ok=None)
    if search.build_query(query) is None:
        assert cli.exit_code == 2, cli.output  # a usage error: nothing to search for
    else:
        assert cli.exit_code == 0, cli.output
        assert [r["id"] for r in json.loads(cli.stdout)] == ids
    return ids


# Words the searchable photos hold, so random queries also find things.
SOME_WORDS = (
    *("customs", "cust*", "trucks", "the", "at", "세관", "세", "税関", "fence", "border"),
    *("map_border", "Northline", "wire", "barbed-wire", "AND", "NOT", "OR", "NEAR"),
)
words_and_junk = st.lists(
    st.one_of(st.sampled_from(SOME_WORDS), st.text(max_size=3)), max_size=6
).map(" ".join)


@given(query=st.one_of(st.text(max_size=200), words_and_junk))
def test_random_search_strings_keep_search_consistent(catalog, run, searchable, query):
    check_search(catalog, run, query)


@given(
    query=st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "AND",
                "OR",
                "NOT",
                "(",
                ")",
                ":",
                "^",
                "NEAR",
                "-",
                "+",
                "세관",
                "cust",
                "{",
                "}",
            ]
        ),
        max_size=8,
    )
)
def test_fts_operators_in_any_order_are_plain_words(catalog, run, searchable, query):
    # Apart, each word must be in the caption as a whole word; punctuation is no word.
    wanted = {q for q in query if q in OPERATOR_WORDS}
    expected = {pid for pid, holds in searchable.items() if wanted <= holds} if wanted else set()
    assert set(check_search(catalog, run, " ".join(query))) == expected
    # Run together they are one chunk: never syntax, whatever they find.
    check_search(catalog, run, "".join(query))


# Captions as a desk writes them: English, Korean and Japanese words, digits and
# punctuation, in any mix, with or without spaces between scripts.
_desk_word = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ0129")
        + list("세관화물차두만강")
        + list("税関国境の列トラック")
        + list("、,.-_/")
    ),
    min_size=1,
    max_size=12,
)


@given(words=st.lists(_desk_word, min_size=1, max_size=6))
def test_a_caption_is_found_by_its_own_text(catalog, add_photo, words):
    text = " ".join(words)
    pid = add_photo(captions={"en": {"description": text}})
    if search.build_query(text) is None:
        assert search.all_ids(catalog.db, text) == []
        return
    assert pid in search.all_ids(catalog.db, text)
    assert pid in search.search_ids(catalog.db, text, search.SearchFilter(limit=None))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["ko", "ja"]),
    st.integers(1990, 2030),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(["day", "part-month", "month", "season", "year", "circa"]),
)
def test_korean_and_japanese_phrases_read_back_to_the_same_span(lang, year, month, day, kind):
    from photodesk.dates import parse_date, phrase

    english = {
        "day": f"{year}-{month:02}-{day:02}",
        "part-month": f"{['early', 'mid', 'late'][day % 3]} {year}-{month:02}",
        "month": f"{year}-{month:02}",
        "season": f"{['spring', 'summer', 'autumn', 'winter'][month % 4]} {year}",
        "year": f"{year}",
        "circa": f"circa {year}",
    }[kind]
    if kind == "part-month":  # "late July 2023": the month as the desk writes it
        written = str(parse_date(f"{year}-{month:02}"))
        english = english.replace(english.split(" ", 1)[1], written)
    td = parse_date(english)
    back = parse_date(phrase(td, lang))
    assert (back.start, back.end, back.precision) == (td.start, td.end, td.precision)
