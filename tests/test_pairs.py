"""Before/after pairs: the order rule, the span in words, composed captions, deletion, the CLI."""

import json

import pytest

from photodesk import pairs
from photodesk.catalog import pairs as pair_rows
from photodesk.catalog import photos
from photodesk.catalog.edits import Edit, apply_edit
from photodesk.dates import parse_date
from photodesk.pairs.caption import Side, compose
from photodesk.pairs.timing import OrderError, check_order, span


def _dated(add_photo, catalog, date: str | None, **captions: str) -> int:
    """A photo with a date phrase and a caption per language (en="…", ko="…")."""
    pid = add_photo(captions={lang: {"description": text} for lang, text in captions.items()})
    if date:
        apply_edit(catalog.db, [pid], Edit({"date": date}), "ed")
    return pid


# -- span wording ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "before, after, words",
    [
        # exact dates: the nearest whole month
        ("2019-09-14 10:12", "2023-07-29 16:34", "about 3 years 10 months"),
        ("2019-09-14", "2023-07-14", "about 3 years 10 months"),
        ("2022-07-01", "2023-07-01", "about 1 year"),
        ("2023-01-31", "2023-03-01", "about 1 month"),
        ("2023-07-01", "2023-07-20", "about 19 days"),
        ("2023-07-01", "2023-07-02", "about 1 day"),
        ("2023-07-01 09:00", "2023-07-01 17:00", "less than a day"),
        # ranges: the least and the most the span can be, in whole months
        ("September 2019", "late July 2023", "between 3 years 9 months and 3 years 11 months"),
        ("2019", "2023", "between 3 years and 5 years"),
        ("September 2019", "2023-07-29", "between 3 years 9 months and 3 years 11 months"),
        ("July 2023", "August 2023", "between less than a day and 2 months"),
        ("summer 2019", "summer 2023", "between 3 years 9 months and 4 years 3 months"),
    ],
)
def test_span_words(before, after, words):
    assert span(parse_date(before), parse_date(after)) == words


def test_span_of_an_undated_photo_says_so():
    assert span(None, parse_date("2023")) == "unknown: a photo has no date"


# -- the order rule --------------------------------------------------------------------


def test_before_later_than_after_is_refused():
    with pytest.raises(OrderError, match="later than the after photo"):
        check_order(parse_date("late July 2023"), parse_date("September 2019"))


def test_overlapping_dates_are_allowed_with_a_warning():
    (warning,) = check_order(parse_date("2019"), parse_date("September 2019"))
    assert "overlap" in warning and "2019" in warning


def test_ordered_dates_give_no_warning_and_undated_one_does():
    assert check_order(parse_date("September 2019"), parse_date("late July 2023")) == []
    (warning,) = check_order(None, parse_date("2023"))
    assert "no date" in warning


def test_create_refuses_wrong_order_same_photo_and_repeats(catalog, add_photo):
    old = _dated(add_photo, catalog, "September 2019")
    new = _dated(add_photo, catalog, "late July 2023")
    with pytest.raises(OrderError):
        pairs.create(catalog, new, old)
    with pytest.raises(pairs.PairError, match="two different photos"):
        pairs.create(catalog, old, old)
    with pytest.raises(pairs.PairError, match="no photo with id 999"):
        pairs.create(catalog, old, 999)
    pair_id, warnings = pairs.create(catalog, old, new, "Border fence", "From the levee")
    assert warnings == []
    with pytest.raises(pairs.PairError, match=f"already pair {pair_id}"):
        pairs.create(catalog, new, old)  # either order is the same two photos
    assert pair_rows.get(catalog.db, pair_id)["subject"] == "Border fence"
    assert pair_rows.listing(catalog.db)[0]["id"] == pair_id


def test_a_photo_can_be_in_several_pairs(catalog, add_photo):
    a = _dated(add_photo, catalog, "2015")
    b = _dated(add_photo, catalog, "2019")
    c = _dated(add_photo, catalog, "2023")
    first, _ = pairs.create(catalog, a, b)
    second, _ = pairs.create(catalog, b, c)
    third, _ = pairs.create(catalog, a, c)
    assert {p["id"] for p in pair_rows.listing(catalog.db)} == {first, second, third}


def test_swap_obeys_the_rule(catalog, add_photo):
    old = _dated(add_photo, catalog, "September 2019")
    new = _dated(add_photo, catalog, "late July 2023")
    undated = _dated(add_photo, catalog, None)
    pair_id, _ = pairs.create(catalog, old, new)
    with pytest.raises(OrderError):
        pairs.swap(catalog, pair_id)
    assert pair_rows.get(catalog.db, pair_id)["before_id"] == old  # nothing changed
    loose, warnings = pairs.create(catalog, undated, new)
    assert warnings and "no date" in warnings[0]
    pairs.swap(catalog, loose)
    row = pair_rows.get(catalog.db, loose)
    assert (row["before_id"], row["after_id"]) == (new, undated)


# -- deletion ---------------------------------------------------------------------------


def test_deleting_a_photo_takes_its_pairs_and_their_captions(catalog, add_photo):
    old = _dated(add_photo, catalog, "2019", en="Single fence")
    new = _dated(add_photo, catalog, "2023", en="Double fence")
    other = _dated(add_photo, catalog, "2021")
    pair_id, _ = pairs.create(catalog, old, new)
    kept, _ = pairs.create(catalog, other, new)
    pair_rows.set_caption(catalog.db, pair_id, "en", "Then and now")
    assert photos.delete(catalog.db, old)
    assert pair_rows.get(catalog.db, pair_id) is None
    assert pair_rows.captions(catalog.db, pair_id) == {}
    assert [p["id"] for p in pair_rows.listing(catalog.db)] == [kept]
    assert not photos.exists(catalog.db, old)
    assert catalog.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert not photos.delete(catalog.db, old)  # a second time: nothing left to delete


def test_deleting_a_pair_keeps_the_photos(catalog, add_photo):
    old = _dated(add_photo, catalog, "2019")
    new = _dated(add_photo, catalog, "2023")
    pair_id, _ = pairs.create(catalog, old, new)
    assert pair_rows.delete(catalog.db, pair_id)
    assert photos.exists(catalog.db, old) and photos.exists(catalog.db, new)
    assert not pair_rows.delete(catalog.db, pair_id)


# -- composed captions -------------------------------------------------------------------


def test_composed_caption_english_adds_each_date_unless_the_caption_already_says_it():
    before = Side("A single barbed-wire fence.", "September 2019")
    after = Side("A double fence stands there now.", "late July 2023")
    assert compose(before, after, "en") == (
        "(Left) A single barbed-wire fence. (September 2019) "
        "(Right) A double fence stands there now. (late July 2023)"
    )
    named = Side("The fence in September 2019.", "September 2019")
    assert compose(named, after, "en").startswith("(Left) The fence in September 2019. (Right)")
    # A year alone is not the date: "the 2019 survey" may be about something else.
    survey = Side("The fence of the 2019 survey.", "September 2019")
    assert "(Left) The fence of the 2019 survey. (September 2019) (Right)" in compose(
        survey, after, "en"
    )
    circa = Side("The fence, circa 2019.", "circa 2019")
    assert compose(circa, after, "en").startswith("(Left) The fence, circa 2019. (Right)")


def test_composed_caption_korean_and_japanese():
    ko = compose(
        Side("철조망 한 줄.", "2019년 9월"),
        Side("이중 울타리.", "2023년 7월 하순"),
        "ko",
    )
    assert ko == "(왼쪽) 철조망 한 줄. (2019년 9월) (오른쪽) 이중 울타리. (2023년 7월 하순)"
    ja = compose(Side("一重の鉄条網。", "2019年9月"), Side("二重の柵。", None), "ja")
    assert ja == "（左） 一重の鉄条網。（2019年9月） （右） 二重の柵。"


def test_no_composed_caption_without_both_captions():
    assert compose(Side(None, "2019"), Side("x", "2023"), "en") is None
    assert compose(Side("x", "2019"), Side("  ", "2023"), "en") is None


def test_view_composes_in_each_language_and_an_edited_caption_wins(catalog, add_photo):
    old = _dated(add_photo, catalog, "September 2019", en="A single fence.", ko="철조망 한 줄.")
    new = _dated(add_photo, catalog, "late July 2023", en="A double fence.", ko="이중 울타리.")
    pair_id, _ = pairs.create(catalog, old, new, "Border fence")
    en = pairs.view(catalog, pair_id, "en")
    assert (
        en.composed
        == "(Left) A single fence. (September 2019) (Right) A double fence. (late July 2023)"
    )
    assert en.caption == en.composed and en.edited is None
    assert en.span == "between 3 years 9 months and 3 years 11 months"
    ko = pairs.view(catalog, pair_id, "ko")
    assert (
        ko.composed == "(왼쪽) 철조망 한 줄. (2019년 9월) (오른쪽) 이중 울타리. (2023년 7월 하순)"
    )
    pair_rows.set_caption(catalog.db, pair_id, "ko", "울타리가 두 겹이 되었다.")
    ko = pairs.view(catalog, pair_id, "ko")
    assert ko.caption == "울타리가 두 겹이 되었다." and ko.composed.startswith("(왼쪽)")
    assert pairs.view(catalog, pair_id, "en").caption == en.composed  # other languages unchanged
    pair_rows.set_caption(catalog.db, pair_id, "ko", "")
    assert pairs.view(catalog, pair_id, "ko").caption.startswith("(왼쪽)")
    ja = pairs.view(catalog, pair_id, "ja")
    assert ja.composed is None and len(ja.missing) == 2


def test_view_reports_dates_corrected_into_the_wrong_order(catalog, add_photo):
    old = _dated(add_photo, catalog, "2019")
    new = _dated(add_photo, catalog, "2023")
    pair_id, _ = pairs.create(catalog, old, new)
    apply_edit(catalog.db, [old], Edit({"date": "2024"}), "ed")
    (warning,) = pairs.view(catalog, pair_id).warnings
    assert "later than the after photo" in warning


# -- the CLI -------------------------------------------------------------------------------


@pytest.fixture
def fence_pair(run, catalog, add_photo):
    old = _dated(add_photo, catalog, "September 2019", en="A single fence.")
    new = _dated(add_photo, catalog, "late July 2023", en="A double fence.")
    return old, new


def test_cli_pair_create_show_caption_swap_delete(run, catalog, fence_pair):
    old, new = fence_pair
    made = json.loads(run("pair", str(old), str(new), "--subject", "Fence", "--json").output)
    pair_id = made["id"]
    assert made["span"] == "between 3 years 9 months and 3 years 11 months"
    assert pair_rows.get(catalog.db, pair_id)["subject"] == "Fence"
    shown = json.loads(run("pair", "show", str(pair_id), "--json").output)
    assert shown["before"]["photo_id"] == old and shown["caption"].startswith("(Left) A single")
    run("pair", "caption", str(pair_id), "--lang", "en", "--text", "Then and now")
    assert "Then and now" in run("pair", "show", str(pair_id)).output
    assert pair_rows.captions(catalog.db, pair_id) == {"en": "Then and now"}
    run("pair", "edit", str(pair_id), "--note", "From the levee")
    assert pair_rows.get(catalog.db, pair_id)["note"] == "From the levee"
    refused = run("pair", "swap", str(pair_id), ok=False)
    assert "later than the after photo" in refused.output and refused.exit_code == 1
    listed = run("pair", "list").output
    assert f"{pair_id}" in listed and "Fence" in listed
    run("pair", "delete", str(pair_id))
    assert pair_rows.get(catalog.db, pair_id) is None
    assert run("pair", "delete", str(pair_id), ok=False).exit_code == 1


def test_cli_pair_errors_are_one_line(run, fence_pair):
    old, new = fence_pair
    wrong = run("pair", str(new), str(old), ok=False)
    assert wrong.exit_code == 1 and "later than the after photo" in wrong.output
    assert run("pair", str(old), "999", ok=False).exit_code == 1
    assert run("pair", "show", "42", ok=False).exit_code == 1
    assert run("pair", "nonsense", ok=False).exit_code == 2


def test_cli_warns_on_overlapping_dates(run, catalog, add_photo):
    a = _dated(add_photo, catalog, "2019")
    b = _dated(add_photo, catalog, "September 2019")
    result = run("pair", str(a), str(b))
    assert "warning: the dates overlap" in result.output


def test_pair_text_is_trimmed_code_expanded_and_escapes_dropped(run, catalog, fence_pair):
    from photodesk.catalog import codes

    old, new = fence_pair
    codes.add(catalog.db, "qh", "Quanhe")
    pair_id, warnings = pairs.create(catalog, old, new, "  Fence near =qh= =nope= ", "\x1b[31mnote")
    assert warnings == ["unknown code =nope= left as typed (see: photodesk codes list)"]
    row = pair_rows.get(catalog.db, pair_id)
    assert (row["subject"], row["note"]) == ("Fence near Quanhe =nope=", "[31mnote")
    tag, _ = pairs.set_caption(catalog, pair_id, None, " At =qh= ")
    assert (tag, pair_rows.captions(catalog.db, pair_id)) == ("en", {"en": "At Quanhe"})
    pairs.edit(catalog, pair_id, note="")
    assert pair_rows.get(catalog.db, pair_id)["note"] is None
    with pytest.raises(pairs.PairError, match="nothing to change"):
        pairs.edit(catalog, pair_id)


def test_swap_refusal_says_what_swapping_would_do(catalog, fence_pair):
    old, new = fence_pair
    pair_id, _ = pairs.create(catalog, old, new)
    with pytest.raises(OrderError, match=f"cannot swap pair {pair_id}: once swapped, the before"):
        pairs.swap(catalog, pair_id)


def test_suggestions_leave_out_maps_and_graphics(catalog, add_photo):
    a = _dated(add_photo, catalog, "2019")
    b = _dated(add_photo, catalog, "2023")
    apply_edit(catalog.db, [a, b], Edit({"shown_place": ""}), "ed")
    from photodesk.catalog import places

    places.add(catalog.db, "Fence")
    apply_edit(catalog.db, [a, b], Edit({"shown_place": "Fence"}), "ed")
    assert [(s.before.photo_id, s.after.photo_id) for s in pairs.suggestions(catalog)] == [(a, b)]
    apply_edit(catalog.db, [b], Edit({"kind": "map"}), "ed")
    assert pairs.suggestions(catalog) == []


def test_export_names_a_missing_original_and_an_undated_photo(run, catalog, tmp_path):
    from imagegen import jpeg_bytes, write

    src = tmp_path / "in"
    write(src / "a.jpg", jpeg_bytes(seed=1))
    write(src / "b.jpg", jpeg_bytes(seed=2))
    ids = json.loads(run("import", str(src), "--json").output)["photo_ids"]
    run("caption", str(ids[1]), "--date", "2023")
    made = run("pair", str(ids[0]), str(ids[1]))
    assert "apart" not in made.output and "no date" in made.output
    assert "undated" in run("pair", "show", "1").output
    labelled = run("export", "pair", "1", "--out", str(tmp_path / "d.jpg"), "--labels")
    assert f"photo {ids[0]} has no date: no label drawn on it" in labelled.output
    original = catalog.archive.resolve(photos.row(catalog.db, ids[0])["original_path"])
    original.chmod(0o644)
    original.unlink()
    missing = run("export", "pair", "1", "--out", str(tmp_path / "e.jpg"), ok=False)
    assert f"the original of photo {ids[0]} (a.jpg) is missing" in missing.output
