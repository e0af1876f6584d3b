"""Issue 11, items 4, 7, 9, 10, 14 and 15: language tags, code replacements, one rule for
usage mistakes, proofreading views, filters and search, and names that are nearly right.

Each test drives the CLI and then checks the catalog, not only the text printed.
"""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from photodesk.catalog import codes, photos, places, search, stories

KO_CAPTION = (
    "중국 측에서 바라본 북한 원정리 세관. 화물차들이 취안허 세관 앞에서 통관을 기다리고 있다. "
    "두만강 위로 옛 다리와 새 다리가 나란히 놓여 있다."
)
EN_CAPTION = (
    "The North Korean customs house in Wonjong, seen from the Chinese side; trucks wait "
    "at the Quanhe customs gate while the old and new bridges cross the Tumen River."
)


@pytest.fixture
def package(run, add_photo, catalog):
    """Three photos with English and Korean captions, places, a story with an en dash."""
    run("place", "add", "Wonjong customs house", "--city", "Rason", "--country", "North Korea",
        "--code", "KP")  # fmt: skip
    run("place", "add", "Quanhe customs house", "--city", "Hunchun", "--province", "Jilin",
        "--country", "China", "--code", "CN")  # fmt: skip
    run("story", "create", "Rason–Quanhe trade hub, July 2023")
    a = add_photo(
        {
            "en": {"headline": "Customs house", "description": EN_CAPTION},
            "ko": {"headline": "원정리 세관", "description": KO_CAPTION},
        },
        credit="Reporting partner",
    )
    b = add_photo({"en": {"description": "A double fence with guards at the border."}})
    c = add_photo(kind="map", file_name="map_border.png")
    run("caption", str(a), "--date", "2023-07-28", "--shown", "Wonjong", "--created", "Quanhe")
    run("caption", str(b), "--date", "september 2019", "--status", "checked")
    run("story", "add", "Rason-Quanhe trade hub, July 2023", str(a), str(b), str(c))
    return a, b, c


def _one_line_usage_error(result) -> None:
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output and "Usage:" not in result.output


# -- item 4: language tags ------------------------------------------------------


def test_language_tags_are_checked_and_a_redundant_region_is_folded(run, catalog, package):
    a, _, _ = package
    _one_line_usage_error(run("show", str(a), "--lang", "kr", ok=False))
    for args in (("show", str(a)), ("list",), ("search", "customs"), ("story", "show", "1")):
        result = run(*args, "--lang", "zz", ok=False)
        assert "'zz'" in result.output and "registry" in result.output, result.output
        assert result.exit_code == 2
    result = run("caption", str(a), "--lang", "zz", "--headline", "x", ok=False)
    assert result.exit_code == 2 and "registry" in result.output
    assert "zz" not in photos.captions(catalog.db, a)
    for typed in ("ko-KR", "ko_KR"):
        result = run("caption", str(a), "--lang", typed, "--headline", f"세관 {typed}")
        assert f"{typed} is taken as ko" in result.output  # said so, on stderr
    held = photos.captions(catalog.db, a)
    assert set(held) == {"en", "ko"}  # no separate ko-KR caption set
    assert held["ko"]["headline"] == "세관 ko_KR"
    shown = run("show", str(a), "--lang", "ko-KR")
    assert "is taken as ko" in shown.output


# -- item 7: code replacements --------------------------------------------------


def test_code_alternatives_and_malformed_codes(run, catalog, package, tmp_path):
    a, _, _ = package
    table = tmp_path / "codes.txt"
    table.write_text("ju\tJulian Kim\tJ. Kim\t김줄리안\nqh\tQuanhe customs house\n")
    assert "2 code(s) imported" in run("codes", "import", str(table)).output
    assert codes.all_codes(catalog.db) == {
        "ju": "Julian Kim",
        "ju#2": "J. Kim",
        "ju#3": "김줄리안",
        "qh": "Quanhe customs house",
    }
    result = run("caption", str(a), "--caption", "By =ju=, =ju#2=, =ju#3= at =qh= (=ju!2=, =ju#9=)")
    assert photos.captions(catalog.db, a)["en"]["description"] == (
        "By Julian Kim, J. Kim, 김줄리안 at Quanhe customs house (=ju!2=, =ju#9=)"
    )
    assert "=ju!2=" in result.output and "=ju#9=" in result.output  # reported, not silent
    # A shorter line for the code later leaves no stale alternative behind.
    table.write_text("ju\tJulian Kim\tJ. Kim\n")
    run("codes", "import", str(table))
    assert "ju#3" not in codes.all_codes(catalog.db)
    run("codes", "remove", "ju")
    assert set(codes.all_codes(catalog.db)) == {"qh"}


# -- item 9: one rule for usage mistakes ---------------------------------------


@pytest.mark.parametrize(
    "args, words",
    [
        (("list", "--story", "Nope"), "no story named 'Nope'"),
        (("search", "--story", "Nope", "customs"), "no story named 'Nope'"),
        (("story", "show", "Nope"), "no story named 'Nope'"),
        (("caption", "--ids", "10-4", "--credit", "x"), "write the smaller id first: 4-10"),
        (("export", "sheet", "--ids", "10-4"), "runs backwards"),
        (("list", "--bogus"), "list --help)"),
        (("list", "--status", "finished"), "'finished' is not one of"),
        (("place", "edit", "Nowhere", "--city", "x"), "no place named 'Nowhere'"),
    ],
)
def test_usage_mistakes_exit_2_in_one_line(run, catalog, package, args, words):
    before = catalog.db.execute("SELECT count(*) FROM change_sets").fetchone()[0]
    result = run(*args, ok=False)
    _one_line_usage_error(result)
    assert words in result.output
    assert catalog.db.execute("SELECT count(*) FROM change_sets").fetchone()[0] == before


# -- item 10: proofreading -------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 200])
def test_list_full_lays_languages_side_by_side_within_the_width(run, package, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = run("list", "--full", "--lang", "en,ko").output
    lines = out.splitlines()
    assert all(cell_len(line) <= columns for line in lines), [
        (cell_len(x), x) for x in lines if cell_len(x) > columns
    ]
    text = " ".join(" ".join(line.split()) for line in lines)
    assert "[en]" in out and "[ko]" in out
    for word in ("Customs house", "원정리 세관", "Reporting partner", "28 July 2023"):
        assert word in text, word
    assert "2023년 7월 28일" in text  # the date as each language writes it
    assert "Wonjong customs house — Rason, North Korea (KP)" in text  # place with its hierarchy
    # Korean text wraps: no line of the caption column is wider than its share.
    assert sum("세관" in line for line in lines) >= 2
    story = run("story", "show", "rason-quanhe trade hub, july 2023", "--full", "--lang", "en,ko")
    assert all(cell_len(line) <= columns for line in story.output.splitlines())
    assert "원정리 세관" in story.output


def test_list_fields_chooses_what_is_proofread(run, package, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = run("list", "--fields", "headline,credit").output
    assert "Customs house" in out and "Reporting partner" in out
    assert "Caption" not in out and "Tumen" not in out
    assert run("list", "--fields", "nonsense", ok=False).exit_code == 2
    assert run("list", "--lang", "en,ko", ok=False).exit_code == 2  # several need --full


def test_show_is_grouped_and_keeps_json_complete(run, catalog, package, monkeypatch):
    a, _, _ = package
    monkeypatch.setenv("COLUMNS", "100")
    out = run("show", str(a)).output
    groups = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert groups[1:6] == ["Caption", "Date", "Places", "Source", "File"]
    assert out.count("The North Korean customs house") == 1  # the caption once
    assert "28 July 2023" in out and "2023-07-28" not in out.split("Places")[0]
    assert "Wonjong customs house — Rason, North Korea (KP)" in out
    sha = photos.row(catalog.db, a)["sha256"]
    assert sha not in out and "shown_place_id" not in out
    everything = run("show", str(a), "--all").output
    assert sha in everything and "shown_place_id" in everything
    data = json.loads(run("show", str(a), "--json").stdout)
    assert data["sha256"] == sha and data["captions"]["ko"]["headline"] == "원정리 세관"
    assert data["shown_place_id"] == places.find(catalog.db, "Wonjong customs house")


# -- item 14: filters and search ------------------------------------------------


def _ids(result) -> list[int]:
    return [r["id"] for r in json.loads(result.stdout)]


def test_list_filters_status_kind_missing_and_pages(run, package):
    a, b, c = package
    assert _ids(run("list", "--status", "checked", "--json")) == [b]
    assert _ids(run("list", "--kind", "map", "--json")) == [c]
    assert _ids(run("list", "--missing", "date", "--json")) == [c]
    assert _ids(run("list", "--missing", "shown-place", "--json")) == [b, c]
    assert _ids(run("list", "--missing", "headline", "--lang", "ko", "--json")) == [b, c]
    assert _ids(run("list", "--missing", "credit", "--missing", "date", "--json")) == [c]
    assert _ids(run("list", "--limit", "1", "--json")) == [b]  # by date: 2019 first
    page = run("list", "--limit", "1", "--offset", "1", "--json")
    assert _ids(page) == [a] and "2–2 of 3" in page.output


def test_search_stems_shows_the_match_and_says_when_capped(run, catalog, package, add_photo):
    a, b, _ = package
    assert _ids(run("search", "fence", "--json")) == [b]  # "fence" finds "fences"…
    assert _ids(run("search", "guard", "--json")) == [b]  # …and "guard" finds "guards"
    assert _ids(run("search", "fen*", "--json")) == [b]
    assert _ids(run("search", '"guard"', "--json")) == []  # quoted: that form only
    found = json.loads(run("search", "통관", "--json").stdout)
    assert [r["id"] for r in found] == [a]
    assert found[0]["match"]["lang"] == "ko" and "통관" in found[0]["match"]["text"]
    assert "[ko]" in run("search", "통관").output
    more = [add_photo({"en": {"description": f"Trucks at the fence, {i}"}}) for i in range(4)]
    capped = run("search", "fences", "--limit", "2")
    assert "2 of 5; --limit to see more" in capped.output
    assert len(search.search_ids(catalog.db, "fences", search.SearchFilter(limit=None))) == 5
    assert set(_ids(run("search", "fence", "--offset", "2", "--limit", "10", "--json"))) <= set(
        [*more, b]
    )


def test_search_with_filters_and_no_words_is_a_filter(run, package):
    a, b, c = package
    in_story = run("search", "--story", "rason-quanhe trade hub, july 2023", "--json")
    assert _ids(in_story) == [a, b, c]  # in story order
    assert _ids(run("search", "--kind", "map", "--json")) == [c]
    _one_line_usage_error(run("search", ok=False))


# -- item 15: names that are nearly right ---------------------------------------


def test_names_nearly_right_ids_and_ambiguity(run, catalog, package):
    a, b, _ = package
    story_id = stories.find(catalog.db, "Rason–Quanhe trade hub, July 2023")
    for typed in (
        "Rason-Quanhe trade hub, July 2023",
        "rason – quanhe  TRADE hub,  july 2023",
        str(story_id),
        "Rason",  # the start of one story's name
    ):
        assert stories.require(catalog.db, typed) == story_id, typed
        assert _ids(run("list", "--story", typed, "--json"))[:2] == [a, b], typed
    wonjong = places.find(catalog.db, "Wonjong customs house")
    assert photos.row(catalog.db, a)["shown_place_id"] == wonjong  # --shown Wonjong, above
    run("caption", str(b), "--shown", str(wonjong))
    assert photos.row(catalog.db, b)["shown_place_id"] == wonjong
    run("place", "add", "Wonjong bridge")
    result = run("caption", str(b), "--shown", "wonjong", ok=False)
    assert result.exit_code == 2 and "matches 2 places" in result.output
    assert (
        "Wonjong bridge" in result.output and f"{wonjong}: Wonjong customs house" in result.output
    )
    assert photos.row(catalog.db, b)["shown_place_id"] == wonjong  # nothing guessed
    assert "name (or its start) or an id" in " ".join(run("caption", "--help").output.split())
    assert "or an id" in " ".join(run("list", "--help").output.split())
