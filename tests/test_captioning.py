"""Editing caption fields: per-language text, shared fields, dates, places, codes, history, undo."""

import json

import pytest

from photodesk.catalog import codes, history, photos, place_edits, places
from photodesk.catalog.edits import Edit, EditError, apply_edit, undo
from photodesk.language import normalize_lang


def _caption(catalog, photo_id, lang="en"):
    return photos.captions(catalog.db, photo_id).get(lang, {})


def _row(catalog, photo_id):
    return catalog.db["photos"].get(photo_id)


def test_per_language_fields(catalog, add_photo):
    pid = add_photo()
    apply_edit(catalog.db, [pid], Edit({"headline": "Customs", "description": "Trucks"}), "ed")
    apply_edit(catalog.db, [pid], Edit({"description": "트럭"}, lang="ko"), "ed")
    apply_edit(catalog.db, [pid], Edit({"title": "税関"}, lang="JA"), "ed")
    assert _caption(catalog, pid) == {"headline": "Customs", "title": None, "description": "Trucks"}
    assert _caption(catalog, pid, "ko")["description"] == "트럭"
    assert _caption(catalog, pid, "ja")["title"] == "税関"  # tag normalised


def test_default_language_decides_where_text_goes(catalog, add_photo):
    pid = add_photo()
    catalog.set_default_language("ko")
    apply_edit(catalog.db, [pid], Edit({"description": "세관"}), "ed")  # reads the default itself
    assert _caption(catalog, pid, "ko")["description"] == "세관"
    assert _caption(catalog, pid, "en") == {}


def test_shared_fields_keywords_kind_status(catalog, add_photo):
    pid = add_photo()
    apply_edit(
        catalog.db,
        [pid],
        Edit(
            {
                "credit": "Northline",
                "creator": "Min",
                "creator_title": "Partner",
                "source": "Partner",
                "copyright": "© 2023 Northline",
                "job_id": "RQ-2023-07",
                "instructions": "Do not publish GPS",
                "caption_writer": "desk",
                "keywords": ["border", " trade ", "border", ""],
                "kind": "map",
                "status": "checked",
            }
        ),
        "ed",
    )
    row = _row(catalog, pid)
    assert (row["credit"], row["job_id"], row["caption_writer"]) == (
        "Northline",
        "RQ-2023-07",
        "desk",
    )
    assert json.loads(row["keywords"]) == ["border", "trade"]
    assert (row["kind"], row["status"]) == ("map", "checked")


@pytest.mark.parametrize(
    "edit, message",
    [
        (Edit({"kind": "poster"}), "kind 'poster'"),
        (Edit({"status": "done"}), "status 'done'"),
        (Edit({"date": "next tuesday"}), 'cannot read "next tuesday" as a date'),
        (Edit({"created_place": "Atlantis"}), "no place named 'Atlantis'"),
        (Edit({"description": "x"}, lang="english!"), "not a language tag"),
        (Edit(), "nothing to change"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(catalog, add_photo, edit, message):
    pid = add_photo()
    before = _row(catalog, pid)
    with pytest.raises(EditError, match=message):
        apply_edit(catalog.db, [pid], edit, "ed")
    assert _row(catalog, pid) == before
    assert catalog.db["history"].count == 0 and catalog.db["change_sets"].count == 0


def test_dates_keep_their_uncertainty(catalog, add_photo):
    pid = add_photo()
    apply_edit(catalog.db, [pid], Edit({"date": "late July 2023"}), "ed")
    row = _row(catalog, pid)
    assert (
        row["taken_start"],
        row["taken_end"],
        row["taken_precision"],
        row["taken_text"],
        row["taken_source"],
    ) == ("2023-07-21T00:00:00", "2023-07-31T23:59:59", "part-month", "late July 2023", "manual")
    apply_edit(catalog.db, [pid], Edit({"date": ""}), "ed")
    assert _row(catalog, pid)["taken_start"] is None


def test_two_places_per_photo(catalog, add_photo):
    places.add(
        catalog.db,
        "Quanhe customs house",
        city="Hunchun",
        province="Jilin",
        country="China",
        country_code="cn",
        latitude=42.43,
        longitude=130.60,
    )
    places.add(
        catalog.db, "Wonjong customs house", city="Rason", country="North Korea", country_code="KP"
    )
    pid = add_photo()
    apply_edit(
        catalog.db,
        [pid],
        Edit({"created_place": "quanhe customs house", "shown_place": "Wonjong customs house"}),
        "ed",
    )
    row = photos.get(catalog.db, pid, "en")
    assert (row["created_place"], row["shown_place"]) == (
        "Quanhe customs house",
        "Wonjong customs house",
    )
    assert catalog.db["places"].get(row["created_place_id"])["country_code"] == "CN"


def test_code_replacements_expand_and_unknown_codes_are_reported(catalog, add_photo):
    codes.add(catalog.db, "qh", "Quanhe customs house")
    codes.add(catalog.db, "=wj=", "Wonjong")
    pid = add_photo()
    result = apply_edit(
        catalog.db,
        [pid],
        Edit(
            {
                "description": "Trucks at =qh=, facing =wj= (=nope=); a=b= stays",
                "credit": "=qh= pool",
            }
        ),
        "ed",
    )
    assert _caption(catalog, pid)["description"] == (
        "Trucks at Quanhe customs house, facing Wonjong (=nope=); a=b= stays"
    )
    assert _row(catalog, pid)["credit"] == "Quanhe customs house pool"
    assert result.unknown_codes == ["=nope=", "=b="]


def test_photo_mechanic_code_file(catalog, tmp_path):
    f = tmp_path / "codes.txt"
    f.write_text("qh\tQuanhe customs house\nwj\tWonjong\t원정\n\n# comment\n")
    assert codes.import_file(catalog.db, f) == 2
    assert codes.all_codes(catalog.db) == {
        "qh": "Quanhe customs house",
        "wj": "Wonjong",
        "wj#2": "원정",  # a further column: an alternative expansion, =wj#2=
    }
    bad = tmp_path / "bad.txt"
    bad.write_text("no tabs here\n")
    with pytest.raises(codes.CodeError, match="no code<TAB>text lines"):
        codes.import_file(catalog.db, bad)


def test_history_records_every_change(catalog, add_photo):
    pid = add_photo(captions={"en": {"description": "old text"}})
    apply_edit(catalog.db, [pid], Edit({"description": "new text", "credit": "N"}), "alice")
    apply_edit(catalog.db, [pid], Edit({"description": "new text"}), "bob")  # no-op
    changes = history.for_photo(catalog.db, pid)
    assert [(c.field, c.lang, c.old, c.new, c.user) for c in changes] == [
        ("description", "en", "old text", "new text", "alice"),
        ("credit", None, None, "N", "alice"),
    ]
    assert changes[0].change_set == changes[1].change_set
    assert catalog.db["change_sets"].count == 1  # the no-op left no empty change set


def test_undo_reverts_the_last_change_set_and_walks_back(catalog, add_photo):
    pid = add_photo(captions={"en": {"description": "v0"}})
    for text in ("v1", "v2"):
        apply_edit(catalog.db, [pid], Edit({"description": text}), "ed")
    undo(catalog.db, "ed")
    assert _caption(catalog, pid)["description"] == "v1"
    undo(catalog.db, "ed")
    assert _caption(catalog, pid)["description"] == "v0"
    assert undo(catalog.db, "ed") is None
    # the undos are in the history too
    assert [c.new for c in history.for_photo(catalog.db, pid)][-2:] == ["v1", "v0"]


def test_batch_edit_is_one_change_set_and_undoes_as_one(catalog, add_photo):
    ids = [add_photo(credit="old") for _ in range(3)]
    other = add_photo(credit="untouched")
    result = apply_edit(
        catalog.db,
        ids,
        Edit({"credit": "Northline", "status": "checked", "keywords": ["border"]}),
        "ed",
        summary="batch",
    )
    assert (result.photos_changed, result.fields_changed) == (3, 9)
    assert {_row(catalog, i)["credit"] for i in ids} == {"Northline"}
    undo(catalog.db, "ed")
    assert [_row(catalog, i)["credit"] for i in ids] == ["old"] * 3
    assert [_row(catalog, i)["status"] for i in ids] == ["new"] * 3
    assert _row(catalog, other)["credit"] == "untouched"


def test_batch_edit_refuses_per_photo_text_and_unknown_ids(catalog, add_photo):
    a, b = add_photo(), add_photo()
    with pytest.raises(EditError, match="one photo at a time"):
        apply_edit(catalog.db, [a, b], Edit({"description": "same for all"}), "ed")
    with pytest.raises(EditError, match="no photo with id 999"):
        apply_edit(catalog.db, [a, 999], Edit({"credit": "x"}), "ed")
    assert _row(catalog, a)["credit"] is None  # all or nothing


def test_undo_one_photo_of_a_batch(catalog, add_photo):
    a, b = add_photo(credit="a0"), add_photo(credit="b0")
    apply_edit(catalog.db, [a, b], Edit({"credit": "X"}), "ed")
    undo(catalog.db, "ed", photo_id=a)
    assert (_row(catalog, a)["credit"], _row(catalog, b)["credit"]) == ("a0", "X")
    undo(catalog.db, "ed")  # the rest of the batch
    assert (_row(catalog, a)["credit"], _row(catalog, b)["credit"]) == ("a0", "b0")
    assert undo(catalog.db, "ed") is None


def test_undo_restores_dates_and_places(catalog, add_photo):
    places.add(catalog.db, "Quanhe")
    pid = add_photo(
        taken_start="2023-07-28T14:05:09",
        taken_end="2023-07-28T14:05:09",
        taken_precision="second",
        taken_text="2023-07-28 14:05:09 +08:00",
        taken_source="exif",
        taken_offset="+08:00",
    )
    before = _row(catalog, pid)
    apply_edit(catalog.db, [pid], Edit({"date": "2019", "created_place": "Quanhe"}), "ed")
    undo(catalog.db, "ed")
    assert _row(catalog, pid) == before


def test_a_place_merge_is_undone_like_any_change(catalog, add_photo):
    places.add(catalog.db, "Quanhe", city="Hunchun", latitude=42.43, longitude=130.6)
    places.add(catalog.db, "Quanhe crossing")
    a, b = add_photo(), add_photo()
    apply_edit(catalog.db, [a], Edit({"created_place": "Quanhe", "shown_place": "Quanhe"}), "ed")
    apply_edit(catalog.db, [b], Edit({"created_place": "Quanhe crossing"}), "ed")
    quanhe = catalog.db["places"].get(places.find(catalog.db, "Quanhe"))
    place_edits.merge(catalog.db, "Quanhe", "Quanhe crossing", user="ed")
    crossing = places.find(catalog.db, "Quanhe crossing")
    assert _row(catalog, a)["created_place_id"] == _row(catalog, a)["shown_place_id"] == crossing
    assert [c.new for c in history.for_photo(catalog.db, a)][-2:] == [str(crossing)] * 2
    undo(catalog.db, "ed")  # the merge: the place comes back, as it was, with its photo
    assert catalog.db["places"].get(quanhe["id"]) == quanhe
    assert (
        _row(catalog, a)["created_place_id"] == _row(catalog, a)["shown_place_id"] == quanhe["id"]
    )
    assert _row(catalog, b)["created_place_id"] == crossing
    # earlier history still names the place the photo really had
    assert history.for_photo(catalog.db, a)[0].new == str(quanhe["id"])
    undo(catalog.db, "ed")
    undo(catalog.db, "ed")
    assert _row(catalog, a)["created_place_id"] is None
    assert places.add(catalog.db, "New place") > quanhe["id"] + 1  # ids never reused


def test_undo_of_a_first_caption_leaves_no_empty_language(catalog, add_photo):
    pid = add_photo()
    apply_edit(catalog.db, [pid], Edit({"headline": "税関"}, lang="ja"), "ed")
    undo(catalog.db, "ed")
    assert photos.captions(catalog.db, pid) == {}


def test_long_iim_values_warn_and_are_kept_whole(catalog, add_photo):
    pid = add_photo()
    creator = "김" * 18  # 54 bytes in UTF-8; IIM's by-line holds 32
    result = apply_edit(catalog.db, [pid], Edit({"creator": creator}), "ed")
    assert _row(catalog, pid)["creator"] == creator
    assert result.warnings and "creator is 54 bytes" in result.warnings[0]


def test_codes_expand_in_keywords_and_empty_codes_are_refused(catalog, add_photo):
    codes.add(catalog.db, "qh", "Quanhe customs house")
    pid = add_photo()
    apply_edit(catalog.db, [pid], Edit({"keywords": ["=qh=", "border"]}), "ed")
    assert json.loads(_row(catalog, pid)["keywords"]) == ["Quanhe customs house", "border"]
    with pytest.raises(codes.CodeError, match="needs a replacement"):
        codes.add(catalog.db, "x", " ")
    assert codes.remove(catalog.db, " =qh= ")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("qh\t취안허 세관\n".encode(), "취안허 세관"),
        ("\ufeffqh\t취안허 세관\r\n".encode(), "취안허 세관"),
        ("qh\t취안허 세관\n".encode("utf-16"), "취안허 세관"),
        ("qh\tQuanhe\n".encode("utf-16-le"), "Quanhe"),
        ("qh\tQuanhe\n".encode("utf-16-be"), "Quanhe"),
    ],
)
def test_codes_file_encodings(catalog, tmp_path, raw, expected):
    f = tmp_path / "codes.txt"
    f.write_bytes(raw)
    codes.import_file(catalog.db, f)
    assert codes.all_codes(catalog.db) == {"qh": expected}


@pytest.mark.parametrize(
    "raw",
    [
        "qh\t취안허 세관\n".encode("cp949"),
        b"qh\tQuanhe \x81\x8d\xe9x\n",
        "qh\tcaf\xe9\n".encode("cp1252"),
    ],
)
def test_codes_file_in_a_legacy_encoding_is_refused(catalog, tmp_path, raw):
    f = tmp_path / "codes.txt"
    f.write_bytes(raw)
    with pytest.raises(codes.CodeError, match="save it as UTF-8"):
        codes.import_file(catalog.db, f)
    assert codes.all_codes(catalog.db) == {}


def test_normalize_lang():
    from photodesk.language import LanguageError

    assert normalize_lang("en_gb") == "en-GB"
    assert normalize_lang("en_us") == "en"  # the region en is written in unless one is named
    assert normalize_lang("ZH-hant") == "zh-Hant"
    for typo, right in (("jp", "ja"), ("KR", "ko"), ("cn", "zh")):
        with pytest.raises(LanguageError, match=f"the language tag is '{right}'"):
            normalize_lang(typo)


@pytest.mark.parametrize("values", [{"description": "Trucks"}, {"credit": "Desk"}])
def test_one_field_edit_reads_the_photo_once_and_never_the_schema(catalog, add_photo, values):
    pid = add_photo(captions={"en": {"headline": "Customs"}})
    statements: list[str] = []
    catalog.db.conn.set_trace_callback(statements.append)
    try:
        apply_edit(catalog.db, [pid], Edit(values), "ed")
    finally:
        catalog.db.conn.set_trace_callback(None)
    # "--" lines are FTS5's own; a statement that fires triggers is traced again for each.
    traced = [s for s in statements if not s.startswith("--")]
    ours = [s for i, s in enumerate(traced) if i == 0 or s != traced[i - 1]]
    assert sum(s.startswith("SELECT * FROM photos") for s in ours) == 1
    assert not [s for s in ours if "sqlite_master" in s or "table_info" in s]
    assert len(ours) <= 13, "\n".join(ours)
    assert _caption(catalog, pid).get("headline") == "Customs"
