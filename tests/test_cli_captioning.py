"""The captioning commands end to end, asserting on the catalog as well as the output."""

import json

import pytest

from imagegen import exif_block, jpeg_bytes, write
from photodesk.catalog import Catalog

# A value typed wrong (a date phrase, a place name) is a usage error, exit 2; the rest exit 1.
TYPED_WRONG = ("cannot read", "no place named")


@pytest.fixture
def ids(run, tmp_path):
    src = tmp_path / "in"
    write(src / "a.jpg", jpeg_bytes(seed=1, exif=exif_block(gps=(42.4312, 130.6021, 14.0))))
    write(src / "b.jpg", jpeg_bytes(seed=2, exif=exif_block(taken="2019:09:14 10:12:33")))
    write(src / "c.jpg", jpeg_bytes(seed=3, exif=exif_block(gps=None)))
    return json.loads(run("import", str(src), "--json").output)["photo_ids"]


def _db(archive):
    return Catalog.open(archive)


def test_caption_one_photo_with_codes_places_and_date(run, ids, archive, tmp_path):
    codes = tmp_path / "codes.txt"
    codes.write_text("qh\tQuanhe customs house\n")
    run("codes", "import", str(codes))
    run(
        "place",
        "add",
        "Quanhe customs house",
        "--city",
        "Hunchun",
        "--province",
        "Jilin",
        "--country",
        "China",
        "--code",
        "CN",
        "--lat",
        "42.4325",
        "--lon",
        "130.5985",
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
    a = str(ids[0])
    out = run(
        "caption",
        a,
        "--headline",
        "Customs",
        "--caption",
        "Seen from =qh=, =xx=.",
        "--created",
        "Quanhe customs house",
        "--shown",
        "Wonjong customs house",
        "--date",
        "late July 2023",
        "--keywords",
        "border, trade",
        "--status",
        "captioned",
    )
    assert "change set 1" in out.output
    assert "unknown code =xx= left as typed" in out.output
    run("caption", a, "--lang", "ko", "--caption", "세관")
    shown = json.loads(run("show", a, "--json").output)
    assert shown["caption"] == "Seen from Quanhe customs house, =xx=."
    assert (shown["created_place"], shown["shown_place"]) == (
        "Quanhe customs house",
        "Wonjong customs house",
    )
    assert (shown["taken_text"], shown["taken_start"]) == ("late July 2023", "2023-07-21T00:00:00")
    assert shown["keywords"] == ["border", "trade"] and shown["status"] == "captioned"
    assert shown["captions"]["ko"]["description"] == "세관"
    history = run("history", a).output
    assert "description [en]" in history and "Quanhe customs house" in history
    assert "'late July 2023'" in history
    suggest = run("place", "suggest", a).output
    assert "Quanhe customs house" in suggest and "km" in suggest


def test_batch_edit_and_undo(run, ids, archive):
    run("caption", "--ids", ",".join(map(str, ids)), "--credit", "Northline", "--source", "P")
    with _db(archive) as cat:
        assert {r["credit"] for r in cat.db["photos"].rows} == {"Northline"}
    out = run("undo")
    assert "undid change set 1" in out.output
    with _db(archive) as cat:
        assert {r["credit"] for r in cat.db["photos"].rows} == {None}
    assert "nothing to undo" in run("undo").output


def test_batch_by_story_and_by_search(run, ids, archive):
    run("story", "create", "Fences", "--job-id", "F-19")
    run("story", "add", "Fences", str(ids[1]), str(ids[2]))
    run("caption", "--story", "fences", "--credit", "Archive")
    run("caption", str(ids[0]), "--caption", "Trucks at the gate")
    run("caption", "--search", "trucks", "--status", "checked")
    with _db(archive) as cat:
        rows = {r["id"]: r for r in cat.db["photos"].rows}
    assert [rows[i]["credit"] for i in ids] == [None, "Archive", "Archive"]
    assert [rows[i]["status"] for i in ids] == ["checked", "new", "new"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("caption", "1", "--date", "next tuesday"), 'cannot read "next tuesday"'),
        (("caption", "1", "--created", "Atlantis"), "no place named 'Atlantis'"),
        (("caption", "--ids", "1,2", "--caption", "same"), "one photo at a time"),
        (("caption", "999", "--credit", "x"), "no photo with id 999"),
        (("caption", "1"), "nothing to change"),
        (("caption", "--ids", "1,2"), "nothing to change"),
        (("place", "add", "X", "--lat", "95"), "outside -90..90"),
    ],
)
def test_mistakes_are_one_line_errors(run, ids, args, message):
    result = run(*args, ok=False)
    assert result.exit_code == (2 if message.startswith(TYPED_WRONG) else 1)
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("story", "add", "Nope", "1"), "no story named 'Nope'"),
        (("search", "cust*", "--lang", "!!"), "not a language tag"),
        (("story", "show", "99999999999999999999999"), "no story named"),
        (("story", "show", "²"), "no story named '²'"),
        (("place", "edit", "³", "--city", "x"), "no place named '³'"),
        (("caption", "1", "--lang", "jp", "--caption", "x"), "the language tag is 'ja'"),
    ],
)
def test_usage_mistakes_are_one_line_errors_exit_2(run, ids, args, message):
    """A name that names nothing, a tag that is none: usage errors (issue 11, item 9)."""
    run("story", "create", "S")
    result = run(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("show", "9223372036854775808"),
        ("caption", "0", "--credit", "x"),
        ("history", "-1"),
        ("caption", "1", "--ids", "2", "--credit", "x"),
        ("caption", "--ids", "a-b", "--credit", "x"),
        ("list", "--since", "soon"),
        ("search", "!!!"),
    ],
)
def test_usage_errors(run, ids, args):
    result = run(*args, ok=False)
    assert result.exit_code == 2, result.output


def test_since_error_names_the_option(run, ids):
    assert "--since" in run("list", "--since", "soon", ok=False).output


def test_search_cli(run, ids):
    run("caption", str(ids[0]), "--caption", "Cargo trucks at the customs gate")
    run("caption", str(ids[1]), "--lang", "ko", "--caption", "취안허 세관 앞 화물차")
    rows = json.loads(run("search", "cust*", "--json").output)
    assert [r["id"] for r in rows] == [ids[0]]
    assert {"id", "file_name", "caption", "headline", "taken_start"} <= set(rows[0])
    assert [r["id"] for r in json.loads(run("search", "세관", "--json").output)] == [ids[1]]
    assert json.loads(run("search", "세관", "--lang", "en", "--json").output) == []
    assert json.loads(run("search", '"AND OR *', "--json").output) == []
    assert "no photos match" in run("search", "nothing-like-this").output
    assert [
        r["id"] for r in json.loads(run("search", "trucks", "--until", "2020", "--json").output)
    ] == []


def test_story_commands(run, ids):
    run("story", "create", "Rason–Quanhe trade hub, July 2023", "--job-id", "RQ-0723")
    run("story", "add", "Rason–Quanhe trade hub, July 2023", f"{ids[0]}-{ids[2]}")
    out = run("story", "order", "Rason–Quanhe trade hub, July 2023", str(ids[2]))
    assert out.output.strip() == f"order: {ids[2]} {ids[0]} {ids[1]}"
    run("story", "remove", "Rason–Quanhe trade hub, July 2023", str(ids[0]))
    shown = json.loads(run("story", "show", "rason–quanhe trade hub, july 2023", "--json").output)
    assert shown["job_id"] == "RQ-0723"
    assert [p["id"] for p in shown["photos"]] == [ids[2], ids[1]]
    listing = json.loads(run("story", "list", "--json").output)
    assert listing[0]["photos"] == 2


def test_place_edit_merge_list(run, ids):
    run("place", "add", "Quanhe")
    run("place", "add", "Quanhe crossing", "--code", "cn")
    run("caption", str(ids[0]), "--created", "Quanhe crossing")
    run("place", "edit", "Quanhe", "--city", "Hunchun", "--lat", "42.43", "--lon", "130.6")
    run("place", "merge", "Quanhe crossing", "Quanhe")
    places = json.loads(run("place", "list", "--json").output)
    assert [(p["name"], p["city"], p["photos"]) for p in places] == [("Quanhe", "Hunchun", 1)]


def test_default_language(run, ids):
    run("config", "default-language", "KO")
    run("caption", str(ids[0]), "--caption", "세관")
    shown = json.loads(run("show", str(ids[0]), "--json").output)
    assert shown["caption"] == "세관" and shown["captions"]["ko"]["description"] == "세관"
    assert json.loads(run("config", "show", "--json").output)["default_language"] == "ko"


def test_markup_and_controls_are_plain_text(run, ids):
    run("caption", str(ids[0]), "--caption", "[bold red]x[/] \x1b[31m =SUM(A1)")
    out = run("list").output
    assert "[bold red]x[/]" in out and "\x1b" not in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("undo", "999"), "no photo with id 999"),
        (("caption", "1", "--created", "99999999999999999999999"), "no place named"),
        (("caption", "1", "--created", "²"), "no place named '²'"),
        (("story", "remove", "S", "2"), "not in the story: 2"),
        (("codes", "add", "x", ""), "needs a replacement"),
    ],
)
def test_more_mistakes_are_one_line_errors(run, ids, args, message):
    run("story", "create", "S")
    result = run(*args, ok=False)
    assert result.exit_code == (2 if message.startswith(TYPED_WRONG) else 1), result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--since", "2023", "--until", "2019"),
        ("search", "x", "--since", "2023", "--until", "2019"),
        ("place", "suggest", "1", "--within", "-5"),
        ("place", "suggest", "1", "--within", "nan"),
    ],
)
def test_more_usage_errors(run, ids, args):
    assert run(*args, ok=False).exit_code == 2


def test_search_takes_words_without_quotes_and_leading_dashes(run, ids):
    run("caption", str(ids[0]), "--caption", "Cargo trucks at the customs gate")
    found = json.loads(run("search", "--json", "trucks", "customs").output)
    assert [r["id"] for r in found] == [ids[0]]
    assert json.loads(run("search", "--json", "-customs").output)[0]["id"] == ids[0]


def test_place_merge_is_undone_from_the_cli(run, ids, archive):
    run("place", "add", "Quanhe", "--city", "Hunchun")
    run("place", "add", "Quanhe crossing")
    run("caption", str(ids[0]), "--created", "Quanhe")
    run("place", "merge", "Quanhe", "Quanhe crossing")
    assert "undid change set 2" in run("undo").output
    places = {p["name"]: p for p in json.loads(run("place", "list", "--json").output)}
    assert places["Quanhe"]["city"] == "Hunchun" and places["Quanhe"]["photos"] == 1
    assert json.loads(run("show", str(ids[0]), "--json").output)["created_place"] == "Quanhe"


def test_long_iim_fields_warn(run, ids):
    result = run("caption", str(ids[0]), "--creator", "김" * 18)
    assert "creator is 54 bytes" in result.output


def test_partial_undo_shows_in_history(run, ids):
    run("caption", "--ids", f"{ids[0]},{ids[1]}", "--credit", "X")
    run("undo", str(ids[0]))
    assert "(undone)" in run("history", str(ids[0])).output
    assert "(undone)" not in run("history", str(ids[1])).output


def test_batch_by_search_takes_every_match_not_a_window(run, archive):
    from photodesk.catalog import photos, search

    n = search.WINDOW + 100  # more matches than interactive search ranks
    with _db(archive) as cat:
        for i in range(n):
            pid, _ = photos.add(
                cat.db,
                {"sha256": f"{i:064x}", "file_name": f"{i}.jpg"},
                {"en": {"description": "customs yard"}},
            )
            search.reindex(cat.db, [pid])
    with _db(archive) as cat:  # interactive search ranks only the newest WINDOW matches
        assert len(search.search_ids(cat.db, "customs", search.SearchFilter(limit=None))) < n
    run("caption", "--search", "customs", "--credit", "Desk")
    with _db(archive) as cat:
        assert (
            cat.db.execute("SELECT count(*) FROM photos WHERE credit = 'Desk'").fetchone()[0] == n
        )
