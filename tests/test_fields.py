"""The field table (photodesk.fields) drives notes, CLI, show, search, IIM limits and readers.

Every loop here iterates over fields.FIELDS, so a field added to the table is
covered by these tests without touching them: it must round-trip through the
partner's notes, the `caption` command, `show --json` and `history`, have its
catalog column, its search column and unique IIM/CLI/notes names.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import photodesk
from imagegen import insert_segment, iptc_app13, jpeg_bytes, write
from photodesk import fields
from photodesk.dates import DATE_COLUMNS
from photodesk.fields import FIELDS, Field

PACKAGE = Path(photodesk.__file__).parent

EDITABLE = [f for f in FIELDS if f.name in fields.EDITABLE]
CAPTION_SCOPES = ("language", "photo")
IN_NOTES = [f for f in FIELDS if f.notes]
IN_CAPTION_CLI = [f for f in FIELDS if f.cli and f.scope in CAPTION_SCOPES]
PLACE_PARTS = [f for f in FIELDS if f.scope == "place"]
IIM_LIMITED = [f for f in IN_CAPTION_CLI if f.iim_limit is not None and f.type in ("text", "list")]

NOTES_LANG = "fr"  # notes rows name a language other than the archive's default
DEFAULT_LANG = "en"


def _ids(fs: list[Field]) -> list[str]:
    return [f.name for f in fs]


# -- values per field type --------------------------------------------------------


def _text(f: Field, tag: str) -> str:
    """A short text naming the field, with a non-ASCII letter, within every IIM limit."""
    value = f"{f.name} {tag} é"
    assert f.iim_limit is None or len(value.encode()) <= f.iim_limit, value
    return value


def note_value(f: Field) -> tuple[str, Any]:
    """(what the notes column holds, what `show --json` gives back)."""
    if f.type == "text":
        value = _text(f, "notes")
        return value, value
    if f.type == "list":
        return f"{f.name}-one, {f.name}-two", [f"{f.name}-one", f"{f.name}-two"]
    if f.type == "choice":
        return f.choices[-1], f.choices[-1]
    if f.type == "date":
        return "September 2019", "September 2019"
    if f.type == "place":
        return f"{f.label} notes place", f"{f.label} notes place"
    raise AssertionError(f"no notes value for a {f.type} field ({f.name}): extend note_value")


def cli_value(f: Field) -> tuple[str, Any]:
    """(what the `caption` option is given, what `show --json` gives back)."""
    if f.type == "text":
        value = _text(f, "cli")
        return value, value
    if f.type == "list":
        return f"{f.name}-a,{f.name}-b", [f"{f.name}-a", f"{f.name}-b"]
    if f.type == "choice":
        # The last choice: never the default (kind=photo, status=new), so it is a change.
        return f.choices[-1], f.choices[-1]
    if f.type == "date":
        return "late July 2023", "late July 2023"
    if f.type == "place":
        return f"{f.label} cli place", f"{f.label} cli place"
    raise AssertionError(f"no CLI value for a {f.type} field ({f.name}): extend cli_value")


def shown(photo: dict[str, Any], f: Field, lang: str) -> Any:
    """A field's value as `show --json` presents it."""
    if f.scope == "language":
        return photo["captions"].get(lang, {}).get(f.name)
    if f.type == "date":
        return photo["taken_text"]
    return photo[f.name]


# -- running the CLI ----------------------------------------------------------------


def _show(run, photo_id: int) -> dict[str, Any]:
    return json.loads(run("show", str(photo_id), "--json").stdout)


def _import(run, src: Path, *extra: str) -> dict[str, Any]:
    return json.loads(run("import", str(src), *extra, "--json").stdout)


@pytest.fixture
def photo_id(run, tmp_path) -> int:
    """One photo, imported without notes (and without EXIF)."""
    write(tmp_path / "in" / "plain.jpg", jpeg_bytes(seed=7))
    (photo_id,) = _import(run, tmp_path / "in")["photo_ids"]
    return photo_id


# -- 1. round trips ---------------------------------------------------------------


def test_the_table_has_fields_of_every_kind_these_tests_drive():
    # Guards the loops below against silently covering nothing.
    assert {f.type for f in IN_NOTES} >= {"text", "list", "choice", "date", "place"}
    assert {f.scope for f in IN_CAPTION_CLI} == {"language", "photo"}
    assert IIM_LIMITED and PLACE_PARTS


def test_every_notes_field_round_trips_through_import_and_show(run, tmp_path):
    src = tmp_path / "in"
    # No EXIF: the notes' date is the only date the photo has.
    write(src / "noted.jpg", jpeg_bytes(seed=3))
    notes = tmp_path / "notes.csv"
    row = {"file": "noted.jpg", "language": NOTES_LANG}
    expected = {}
    for f in IN_NOTES:
        row[f.notes[0]], expected[f.name] = note_value(f)
    with notes.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)

    summary = _import(run, src, "--captions", str(notes))
    assert summary["warnings"] == [], summary["warnings"]
    (photo_id,) = summary["photo_ids"]
    photo = _show(run, photo_id)

    got = {f.name: shown(photo, f, NOTES_LANG) for f in IN_NOTES}
    assert got == expected
    for f in IN_NOTES:
        if f.type == "date":
            assert photo["taken_source"] == "caption"
            assert photo["taken_start"].startswith("2019-09-01")
            assert photo["taken_end"].startswith("2019-09-30")
    # Per-language fields went into the notes' language, not the archive's default.
    assert DEFAULT_LANG not in photo["captions"]


@pytest.mark.parametrize("f", IN_NOTES, ids=_ids(IN_NOTES))
def test_every_notes_alias_fills_its_field(f, run, tmp_path):
    for i, alias in enumerate(f.notes):
        src = tmp_path / f"in{i}"
        write(src / "a.jpg", jpeg_bytes(seed=100 + i))
        notes = tmp_path / f"notes{i}.csv"
        value, expected = note_value(f)
        with notes.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([["file", alias], ["a.jpg", value]])
        summary = _import(run, src, "--captions", str(notes))
        assert summary["warnings"] == [], (alias, summary["warnings"])
        (photo_id,) = summary["photo_ids"]
        assert shown(_show(run, photo_id), f, DEFAULT_LANG) == expected, alias


def test_every_caption_option_round_trips_through_show_and_history(run, photo_id):
    expected = {}
    for f in IN_CAPTION_CLI:
        value, expected[f.name] = cli_value(f)
        if f.type == "place":
            run("place", "add", value)
        result = run("caption", str(photo_id), f.cli, value, "--user", "tester", "--json")
        done = json.loads(result.stdout)
        assert done["fields_changed"] == 1, (f.name, done)
        assert done["warnings"] == [], (f.name, done)

    photo = _show(run, photo_id)
    assert {f.name: shown(photo, f, DEFAULT_LANG) for f in IN_CAPTION_CLI} == expected
    if any(f.type == "date" for f in IN_CAPTION_CLI):
        assert photo["taken_source"] == "manual"
        assert photo["taken_start"].startswith("2023-07-21")
        assert photo["taken_end"].startswith("2023-07-31")

    changes = json.loads(run("history", str(photo_id), "--json").stdout)
    assert Counter(c["field"] for c in changes) == {f.name: 1 for f in IN_CAPTION_CLI}
    for c in changes:
        f = fields.field(c["field"])
        assert c["lang"] == (DEFAULT_LANG if f.scope == "language" else None), c
        assert c["new"] is not None and c["user"] == "tester", c


def test_every_caption_option_clears_with_an_empty_value(run, photo_id):
    for f in IN_CAPTION_CLI:
        if f.type == "choice":
            continue  # a choice always holds one of its choices
        value, _ = cli_value(f)
        if f.type == "place":
            run("place", "add", value)
        run("caption", str(photo_id), f.cli, value)
        run("caption", str(photo_id), f.cli, "")
        photo = _show(run, photo_id)
        assert shown(photo, f, DEFAULT_LANG) in (None, []), f.name


def test_iim_fields_round_trip_from_a_jpeg(run, tmp_path):
    """What another tool wrote in IPTC-IIM arrives in the field the table names."""
    datasets: dict[int, str | list[str]] = {}
    expected: dict[str, Any] = {}
    for f in EDITABLE:
        if f.iim is None or f.type not in ("text", "list"):
            continue
        if f.type == "list":
            datasets[f.iim] = [f"{f.name}-x", f"{f.name}-y"]
            expected[f.name] = [f"{f.name}-x", f"{f.name}-y"]
        else:
            datasets[f.iim] = expected[f.name] = _text(f, "iim")
    jpeg = insert_segment(jpeg_bytes(seed=11), 0xED, iptc_app13(datasets))
    write(tmp_path / "in" / "iim.jpg", jpeg)
    (photo_id,) = _import(run, tmp_path / "in")["photo_ids"]
    photo = _show(run, photo_id)
    got = {name: shown(photo, fields.field(name), DEFAULT_LANG) for name in expected}
    assert got == expected


# -- 2. the table's own consistency -----------------------------------------------


def test_search_columns_are_the_index_columns_in_order(catalog):
    for f in FIELDS:
        assert f.search is None or f.search in fields.SEARCH_COLUMNS, f.name
    columns = [r[1] for r in catalog.db.execute("PRAGMA table_info(search_docs_fts)").fetchall()]
    assert columns == list(fields.SEARCH_COLUMNS)
    # The schema's bm25 weights are the table's weights.
    (rank,) = catalog.db.execute("SELECT v FROM search_docs_fts_config WHERE k = 'rank'").fetchone()
    weights = [float(w) for w in re.fullmatch(r"bm25\((.*)\)", rank).group(1).split(",")]
    assert weights == list(fields.SEARCH_COLUMNS.values())


def test_every_searchable_caption_text_is_in_the_search_docs_table(catalog):
    docs = {r[1] for r in catalog.db.execute("PRAGMA table_info(search_docs)").fetchall()}
    assert set(fields.SEARCH_COLUMNS) <= docs


def test_iim_datasets_cli_options_and_notes_aliases_are_unique():
    def repeated(values):
        return sorted(v for v, n in Counter(values).items() if n > 1)

    assert repeated(f.name for f in FIELDS) == []
    assert repeated(f.iim for f in FIELDS if f.iim is not None) == []
    assert repeated(f.cli for f in FIELDS if f.cli) == []
    assert repeated(a for f in FIELDS for a in f.notes) == []
    assert repeated(f.xmp for f in FIELDS if f.xmp) == []


def test_notes_aliases_are_in_the_form_the_reader_matches():
    from photodesk.ingest.notes import KEY_COLUMNS

    for f in FIELDS:
        for alias in f.notes:
            # The reader casefolds a header and turns spaces into underscores.
            assert alias == alias.strip().casefold().replace(" ", "_"), (f.name, alias)
            assert alias not in KEY_COLUMNS, (f.name, alias)


def test_field_attributes_fit_together():
    for f in FIELDS:
        assert (f.xmp is None) == (f.xmp_kind is None), f.name
        assert f.xmp_prefix is None or f.xmp_prefix in fields.XMP_NAMESPACES, f.name
        assert (f.iim is None) <= (f.iim_limit is None), f.name
        assert bool(f.choices) == (f.type == "choice"), f.name
        assert f.cli is None or re.fullmatch(r"--[a-z][a-z0-9-]*", f.cli), f.name
        assert f.scope != "place" or f.type == "text", f.name
        assert fields.field(f.name) is f


def test_every_field_has_its_catalog_column(catalog):
    def columns(table: str) -> set[str]:
        return {r[1] for r in catalog.db.execute(f"PRAGMA table_info({table})").fetchall()}

    photos, captions, places = columns("photos"), columns("captions"), columns("places")
    for f in FIELDS:
        if f.scope == "language":
            assert f.name in captions, f.name
        elif f.scope == "place":
            assert f.name in places, f.name
        elif f.type in ("text", "choice", "list"):
            assert f.name in photos, f.name
        elif f.type == "place":
            assert f"{f.name}_id" in photos, f.name
        elif f.type == "date":
            assert set(DATE_COLUMNS) <= photos, f.name
        else:
            raise AssertionError(f"{f.name}: no catalog column check for type {f.type}")


# -- 3. CLI help --------------------------------------------------------------------


def _lists_option(help_text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text) is not None


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_caption_help_lists_every_caption_field(run):
    out = run("caption", "--help").output
    for f in IN_CAPTION_CLI:
        assert _lists_option(out, f.cli), f.cli
        assert _flat(f.help or f"{f.label}.") in _flat(out), f.name
    for f in PLACE_PARTS:
        assert not _lists_option(out, f.cli), f.cli


@pytest.mark.parametrize("command", [("place", "add"), ("place", "edit")])
def test_place_help_lists_every_place_part(run, command):
    out = run(*command, "--help").output
    for f in PLACE_PARTS:
        assert _lists_option(out, f.cli), f.cli
        assert _flat(f.help or f"{f.label}.") in _flat(out), f.name


def test_field_options_do_not_clash_with_other_options():
    from photodesk.cli.captioning import caption_cmd
    from photodesk.cli.places import place_add, place_edit

    for command in (caption_cmd, place_add, place_edit):
        opts = [o for p in command.params for o in (*p.opts, *p.secondary_opts)]
        names = [p.name for p in command.params]
        assert sorted(o for o, n in Counter(opts).items() if n > 1) == [], command.name
        assert sorted(o for o, n in Counter(names).items() if n > 1) == [], command.name


def test_place_parts_round_trip_through_place_add(run):
    args = []
    expected = {}
    for f in PLACE_PARTS:
        value = "XY" if f.iim_limit is not None and f.iim_limit < 8 else f"{f.label} part"
        args += [f.cli, value]
        expected[f.name] = value
    run("init")
    run("place", "add", "Somewhere", *args)
    (place,) = json.loads(run("place", "list", "--json").stdout)
    assert {name: place[name] for name in expected} == expected


# -- 4. IIM byte limits -------------------------------------------------------------


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize("f", IIM_LIMITED, ids=_ids(IIM_LIMITED))
def test_iim_limit_warnings_come_from_the_table(f, run, photo_id):
    limit = f.iim_limit
    # Bytes, not characters: a two-byte letter at the end.
    at_limit = "a" * (limit - 2) + "é"
    over = "a" * (limit - 1) + "é"
    assert len(at_limit.encode()) == limit and len(over.encode()) == limit + 1

    def caption(value: str):
        if f.type == "list":
            value = f"short,{value}"
        return run("caption", str(photo_id), f.cli, value)

    assert _warnings(caption(at_limit)) == []
    warned = _warnings(caption(over))
    assert len(warned) == 1, warned
    assert f.name in warned[0] or f.label in warned[0] or f.cli in warned[0], warned
    assert str(limit) in warned[0], warned
    # The text is kept whole.
    expected = ["short", over] if f.type == "list" else over
    assert shown(_show(run, photo_id), f, DEFAULT_LANG) == expected


# -- 5. no second list of field names ---------------------------------------------

# Frozen migrations name columns as they were then; the table itself is the list.
_ALLOWED = {PACKAGE / "fields.py", PACKAGE / "catalog" / "schema.py"}
CAPTION_TEXT = {f.name for f in EDITABLE if f.scope in ("language", "photo") and f.type == "text"}


def _field_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Literal tuples/lists/sets/dicts holding three or more caption text field names.

    A dict of field names to values computed at run time ({"headline": subject})
    is a use of the fields, not a table of them: only dicts of constants count.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            if not all(isinstance(v, ast.Constant) for v in node.values):
                continue
            items = [k for k in node.keys if k is not None] + node.values
        else:
            continue
        names = {
            e.value
            for e in items
            if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value in CAPTION_TEXT
        }
        if len(names) >= 3:
            found.append((node.lineno, sorted(names)))
    return found


def test_the_field_list_detector_finds_a_second_list():
    assert len(CAPTION_TEXT) >= 3
    three = sorted(CAPTION_TEXT)[:3]
    for source in (f"X = {tuple(three)!r}", f"X = {{{', '.join(f'{n!r}: 1' for n in three)}}}"):
        assert _field_lists(ast.parse(source)), source
    assert not _field_lists(ast.parse(f"X = {tuple(three[:2])!r}"))
    values = ", ".join(f"{n!r}: value" for n in three)
    assert not _field_lists(ast.parse(f"X = {{{values}}}"))  # values for fields, not a table


def test_no_module_keeps_its_own_list_of_caption_fields():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "fields.py" in modules and len(modules) > 10
    offenders = {
        str(path.relative_to(PACKAGE)): hits
        for path in modules
        if path not in _ALLOWED
        for hits in [_field_lists(ast.parse(path.read_text(encoding="utf-8")))]
        if hits
    }
    assert offenders == {}
