"""Hostile text in files and arguments: caption languages, notes and id ranges.

Each test is one class of attack (issue 10, items 3, 5, 8 and 10): what a
file or an argument can do to the import, the catalog and the messages.
"""

from __future__ import annotations

import codecs
import os
import tracemalloc
import unicodedata

import pytest

from imagegen import jpeg_bytes, write, xmp_packet
from photodesk.catalog import edits, photos, search
from photodesk.catalog.search import SearchError, SearchFilter
from photodesk.ingest import ImportOptions, import_paths
from photodesk.ingest.notes import NotesError, load_notes
from photodesk.language import MAX_PER_PHOTO

# ISO 639's private-use codes (qaa–qtz): valid tags, so only the per-photo bound stops them.
PRIVATE = [f"q{a}{b}" for a in "abcdefghijklmnopqrst" for b in "abcdefghijklmnopqrstuvwxyz"]
ONE_WORKER = ImportOptions(workers=1)


def _id(catalog, name: str) -> int:
    [found] = [r["id"] for r in catalog.db["photos"].rows_where("file_name = ?", [name])]
    return found


def _flood(seed: int, langs: list[str]) -> bytes:
    texts = {t: f"flood {t}" for t in langs} | {"x-default": f"Flood {seed} in English"}
    return jpeg_bytes(seed=seed, xmp=xmp_packet(description=texts))


def _notes(tmp_path, text: str, name: str = "notes.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- item 3: caption languages ------------------------------------------------


def test_seventy_xml_lang_entries_cost_only_their_own_file(catalog, tmp_path):
    src = tmp_path / "in"
    for n in range(3):  # 210 distinct languages: far past the archive's 63 search slots
        write(src / f"flood{n}.jpg", _flood(n, PRIVATE[70 * n : 70 * n + 70]))
    write(src / "fine.jpg", jpeg_bytes(seed=9, xmp=xmp_packet(description={"ko": "세관 앞"})))
    s = import_paths(catalog, [str(src)], ONE_WORKER)
    assert (s.added, s.failed) == (4, 0)
    flood = photos.captions(catalog.db, _id(catalog, "flood0.jpg"))
    # the archive's language first, then the file's order, up to the bound
    assert list(flood) == sorted(["en", *PRIVATE[: MAX_PER_PHOTO - 1]])
    assert flood["en"]["description"] == "Flood 0 in English"
    reasons = {w["path"].rsplit("/", 1)[-1]: w["reason"] for w in s.warnings}
    assert set(reasons) == {"flood0.jpg", "flood1.jpg", "flood2.jpg"}
    assert reasons["flood0.jpg"].startswith("captions in 39 more language(s) than the 32")
    assert PRIVATE[MAX_PER_PHOTO - 1] in reasons["flood0.jpg"]
    assert photos.captions(catalog.db, _id(catalog, "fine.jpg"))["ko"]["description"] == "세관 앞"

    # The archive still takes new languages, and --lang still tells them apart.
    fine = _id(catalog, "fine.jpg")
    edits.apply_edit(catalog.db, [fine], edits.Edit({"description": "Hải quan"}, lang="vi"), "t")
    vi = SearchFilter(lang="vi")
    assert search.search_ids(catalog.db, "Hải", vi) == [fine]
    assert search.search_ids(catalog.db, "flood", vi) == []
    late = SearchFilter(lang=PRIVATE[140])  # a language of the third flood: no slot of its own
    assert search.search_ids(catalog.db, "flood", late) == [_id(catalog, "flood2.jpg")]
    assert search.all_ids(catalog.db, "flood", late) == [_id(catalog, "flood2.jpg")]


def test_languages_past_the_slots_borrow_free_ones_and_stay_apart(catalog, add_photo):
    """A late language borrows a slot in its photo; --lang must still be exact."""
    slotted = PRIVATE[:63]
    a = add_photo({t: {"description": f"border {t}"} for t in slotted})
    b = add_photo({"zzz": {"description": "border late"}})  # borrows slot 63 in b
    c = add_photo({slotted[62]: {"description": "border c"}, "yyy": {"description": "border y"}})
    find = search.search_ids
    assert find(catalog.db, "border", SearchFilter(lang=slotted[62])) == [c, a]
    assert find(catalog.db, "border", SearchFilter(lang="zzz")) == [b]
    assert find(catalog.db, "border", SearchFilter(lang="yyy")) == [c]
    assert find(catalog.db, "border", SearchFilter(lang=slotted[61])) == [a]
    assert sorted(find(catalog.db, "border")) == [a, b, c]
    with pytest.raises(SearchError, match="search tells at most 63 apart in one photo"):
        add_photo({t: {"description": "x"} for t in PRIVATE[:64]})


def test_seventy_languages_in_notes_for_one_photo(catalog, tmp_path):
    src = tmp_path / "in"
    write(src / "a.jpg", jpeg_bytes(seed=1))
    write(src / "b.jpg", jpeg_bytes(seed=2))
    rows = [f"a.jpg,{t},text {t},\n" for t in PRIVATE[:69]]
    rows.append(f"a.jpg,{PRIVATE[69]},text {PRIVATE[69]},Partner\n")  # over the bound: credit only
    rows.append("a.jpg,en,English caption,\n")  # the archive's language comes first
    rows.append("b.jpg,,B's caption,\n")
    notes = load_notes(_notes(tmp_path, "file,language,caption,credit\n" + "".join(rows)))
    s = import_paths(catalog, [str(src)], ImportOptions(notes=notes, workers=1))
    assert (s.added, s.failed) == (2, 0)
    a = photos.get(catalog.db, _id(catalog, "a.jpg"), "en")
    assert a is not None
    assert set(a["captions"]) == {"en", *PRIVATE[: MAX_PER_PHOTO - 1]}
    assert a["caption"] == "English caption"
    assert a["credit"] == "Partner"
    [warning] = s.warnings
    assert warning["reason"].startswith("notes.csv line(s) 33, 34, 35 and 36 more: captions in 39")
    b = photos.captions(catalog.db, _id(catalog, "b.jpg"))
    assert b["en"]["description"] == "B's caption"
    # The next batch's languages are taken as ever.
    write(src / "c.jpg", jpeg_bytes(seed=3))
    notes = load_notes(_notes(tmp_path, "file,language,caption\nc.jpg,th,ด่านศุลกากร\n"))
    import_paths(catalog, [str(src)], ImportOptions(notes=notes, workers=1))
    assert photos.captions(catalog.db, _id(catalog, "c.jpg"))["th"]["description"]


def test_language_tags_from_files_are_judged_as_a_users(catalog, run, tmp_path):
    src = tmp_path / "in"
    junk = {"[31m": "red", "en us": "space", "x" * 500: "long", "kr": "country", "ko": "세관"}
    write(src / "tags.jpg", jpeg_bytes(seed=1, xmp=xmp_packet(description=junk)))
    s = import_paths(catalog, [str(src)], ONE_WORKER)
    assert s.added == 1
    assert list(photos.captions(catalog.db, _id(catalog, "tags.jpg"))) == ["ko"]
    [warning] = s.warnings
    assert "4 language(s) that are not language tags" in warning["reason"]
    assert len(warning["reason"]) < 200
    # An escape sequence as a notes language refuses the notes, in one escaped line,
    # before anything is imported.
    notes = _notes(tmp_path, "file,language,caption\ntags.jpg,\x1b[31m,red\n")
    write(tmp_path / "other" / "new.jpg", jpeg_bytes(seed=2))
    result = run("import", str(tmp_path / "other"), "--captions", str(notes), ok=False)
    assert "\x1b" not in result.output
    assert "notes.csv line 2: language '\\x1b[31m' is not a language tag" in result.output
    assert catalog.db["photos"].count == 1
    run("story", "create", "S")
    result = run("story", "show", "S", "--lang", "\x1b[31m", ok=False)
    assert "'\\x1b[31m' is not a language tag" in result.output and "\x1b" not in result.output


# -- item 5: names as people see them -------------------------------------------


@pytest.mark.parametrize("on_disk", ["NFD", "NFC"])
def test_notes_match_names_in_either_unicode_form(catalog, tmp_path, on_disk):
    name = "취안허_세관_Café.jpg"
    in_notes = "NFC" if on_disk == "NFD" else "NFD"
    src = tmp_path / "in"
    write(src / unicodedata.normalize(on_disk, name), jpeg_bytes(seed=1))
    path = _notes(tmp_path, f"file,caption\n{unicodedata.normalize(in_notes, name)},Trucks\n")
    s = import_paths(catalog, [str(src)], ImportOptions(notes=load_notes(path), workers=1))
    assert (s.added, s.warnings) == (1, [])
    [caption] = [r["description"] for r in catalog.db["captions"].rows]
    assert caption == "Trucks"


def test_a_notes_name_that_fits_two_files_is_ambiguous(catalog, tmp_path):
    src = tmp_path / "in"
    write(src / unicodedata.normalize("NFC", "café.jpg"), jpeg_bytes(seed=1))
    write(src / unicodedata.normalize("NFD", "café.jpg"), jpeg_bytes(seed=2))
    long_name = "x" * 5000 + ".jpg"
    path = _notes(tmp_path, f"file,caption\ncafé.jpg,Which one?\n{long_name},Nowhere\n")
    s = import_paths(catalog, [str(src)], ImportOptions(notes=load_notes(path), workers=1))
    assert s.added == 2
    unmatched, ambiguous = (w["reason"] for w in s.warnings)
    assert "fits 2 files" in ambiguous and "differ only in case or Unicode form" in ambiguous
    assert ambiguous.endswith("not applied")
    assert unmatched.endswith("which is not in this batch") and len(unmatched) < 200
    assert catalog.db["captions"].count == 0


# -- item 8: values from notes, nesting, id ranges ------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('[{"file": "a.jpg", "caption": true}]', "entry 1: 'caption' is true, not text"),
        (
            '[{"file": "a.jpg"}, {"file": "b.jpg", "headline": {"en": "x"}}]',
            "entry 2: 'headline' is an object, not text",
        ),
        (
            '[{"file": "a.jpg", "keywords": ["x", ["y"]]}]',
            "entry 1: 'keywords' holds a list in its list",
        ),
        ('[{"file": "a.jpg", "caption": ["x"]}]', "entry 1: 'caption' is a list, not text"),
        ('{"a.jpg": false}', "entry 1: 'caption' is false, not text"),
        ('[{"file": ["a.jpg"]}]', "entry 1: 'file' is a list, not text"),
        ('[{"file": "a.jpg", "caption": NaN}]', "not valid JSON"),
        ('[{"file": "a.jpg", "caption": "x", "caption": "y"}]', "'caption' appears twice"),
    ],
)
def test_notes_json_values_that_are_not_text_are_refused(tmp_path, data, message):
    with pytest.raises(NotesError, match=r"^notes\.json") as refused:
        load_notes(_notes(tmp_path, data, "notes.json"))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_notes_json_numbers_are_taken_as_written(tmp_path):
    data = '[{"file": "a.jpg", "job_id": 42.50e999, "keywords": ["x", "y"], "date": 2019}]'
    [row] = load_notes(_notes(tmp_path, data, "n.json")).rows
    assert row.values == {"job_id": "42.50e999", "keywords": "x, y", "date": "2019"}


@pytest.mark.parametrize(
    "bomb",
    ["[" * 100_000, '{"a": ' * 100_000, '[{"file": "a.jpg", "keywords": ' + "[" * 100_000],
)
def test_a_notes_nesting_bomb_is_one_line(run, catalog, tmp_path, bomb):
    path = _notes(tmp_path, bomb, "notes.json")
    with pytest.raises(NotesError, match="nested too deeply"):
        load_notes(path)
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=1))
    result = run("import", str(tmp_path / "in"), "--captions", str(path), ok=False)
    [line] = [x for x in result.output.splitlines() if x.startswith("Error")]
    assert "nested too deeply" in line
    assert catalog.db["photos"].count == 0


def test_story_add_of_a_huge_range_is_answered_briefly(run, catalog, add_photo):
    ids = [add_photo() for _ in range(3)]
    run("story", "create", "S")
    tracemalloc.start()
    try:
        result = run("story", "add", "S", "1-99999", ok=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024
    assert len(result.output) < 200
    assert "99,996 of the 99,999 ids given are not photos in the archive: 4, 5, 6, 7, 8 and" in (
        result.output
    )
    result = run("story", "add", "S", "1-60000", "60001-120000", ok=False)
    assert "more than 100,000 ids" in result.output and len(result.output) < 300
    result = run("story", "add", "S", "1" * 5000, ok=False)
    assert len(result.output) < 300
    run("story", "add", "S", *map(str, ids))
    result = run("story", "remove", "S", "1-99999", ok=False)
    assert "99,996 of the 99,999 ids given are not in the story" in result.output
    assert catalog.db["story_photos"].count == 3


# -- item 10: notes as spreadsheets save "Unicode text" --------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8", "utf-32-le"])
def test_unicode_text_notes_with_a_byte_order_mark(catalog, tmp_path, encoding):
    text = "\ufefffile\tlanguage\tcaption\r\n취안허.jpg\tko\t세관 앞 트럭\r\n"
    src = tmp_path / "in"
    write(src / "취안허.jpg", jpeg_bytes(seed=1))
    path = _notes(tmp_path, text, "notes.txt", encoding)
    s = import_paths(catalog, [str(src)], ImportOptions(notes=load_notes(path), workers=1))
    assert (s.added, s.warnings) == (1, [])
    [caption] = catalog.db["captions"].rows
    assert (caption["lang"], caption["description"]) == ("ko", "세관 앞 트럭")


def test_notes_that_are_broken_unicode_or_not_a_file(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "file,caption\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(NotesError, match="starts as UTF-16 text but byte"):
        load_notes(path)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # an open() that waited for a writer would hang here
    with pytest.raises(NotesError, match="not a regular file"):
        load_notes(fifo)
