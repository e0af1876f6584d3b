"""The terminal UI under a pilot: each test drives the keys and checks the catalog and the files."""

from __future__ import annotations

import json
import sqlite3

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog, history, photos
from photodesk.catalog import pairs as pair_rows
from photodesk.config import Archive
from photodesk.tui import actions
from photodesk.tui.app import STATE_FILE
from tui_fixtures import STORY, cell_texts, demo_archive, drive, ids_by_name, settle

FENCES = {"fence_2019_single.jpg", "quanhe_07_double_fence.jpg"}
MARKUP = "[bold red]x[/]"
ANSI = "\x1b[31mred"


@pytest.fixture(autouse=True)
def _halfcell(monkeypatch):
    monkeypatch.setenv("PHOTODESK_IMAGES", "halfcell")


@pytest.fixture
def demo(tmp_path) -> Archive:
    return demo_archive(tmp_path / "demo")


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def shown_names(app) -> list[str]:
    return [row["file_name"] for row in app.screen.table.rows_shown]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def move_to(app, pilot, file_name: str) -> None:
    """Put the browse table's cursor on a photo, with the keys."""
    table = app.screen.table
    target = shown_names(app).index(file_name)
    table.focus()
    step = "down" if target > table.cursor_row else "up"
    await pilot.press(*[step] * abs(target - table.cursor_row))
    assert table.current["file_name"] == file_name


# -- 1. browse -------------------------------------------------------------------------


def test_browse_opens_on_the_demo_archive(demo):
    seen = {}

    async def scenario(app, pilot):
        table = app.screen.query_one("#photos", DataTable)
        seen["rows"] = table.row_count
        seen["names"] = [cells[1] for cells in cell_texts(table)]
        seen["status"] = text_of(app, "#status")
        seen["empty_shown"] = app.screen.query_one("#empty").display

    drive(demo, scenario)
    with Catalog.open(demo) as catalog:
        names = {r["file_name"] for r in catalog.db.query("SELECT file_name FROM photos")}
    assert seen["rows"] == 10
    assert set(seen["names"]) == names
    assert str(demo.root) in seen["status"] and "10 photos" in seen["status"]
    assert not seen["empty_shown"]


def test_an_empty_archive_says_how_to_import(tmp_path):
    archive = Archive.locate(tmp_path / "new")
    seen = {}

    async def scenario(app, pilot):
        seen["rows"] = app.screen.table.row_count
        seen["empty"] = text_of(app, "#empty")
        seen["shown"] = app.screen.query_one("#empty").display
        seen["status"] = text_of(app, "#status")

    drive(archive, scenario)
    assert seen["rows"] == 0 and seen["shown"]
    assert f"The archive at {archive.root} is empty" in seen["empty"]
    assert "Press i to import" in seen["empty"]
    assert "0 photos" in seen["status"]
    assert archive.db_path.is_file()  # the app made the archive it was pointed at


# -- 2. search -------------------------------------------------------------------------


def test_search_follows_the_typing(demo):
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#search", Input)
        await type_text(pilot, "fence")
        await settle(app, pilot, delay=0.4)  # the debounce, then the worker
        seen["names"] = shown_names(app)
        seen["ids"] = [r["id"] for r in app.screen.table.rows_shown]
        seen["status"] = text_of(app, "#status")

    drive(demo, scenario)
    ids = ids_by_name(demo)
    assert set(seen["names"]) == FENCES and len(seen["names"]) == 2
    assert set(seen["ids"]) == {ids[name] for name in FENCES}
    assert "2 matches for 'fence'" in seen["status"]


def test_a_burst_of_typing_searches_once_more_at_its_end(demo):
    """The debounce: changes closer together than SEARCH_DELAY run one search after them."""
    seen = {}

    async def scenario(app, pilot):
        screen = app.screen
        ran = []
        real = screen.run_search
        screen.run_search = lambda text: (ran.append(text), real(text))
        box = screen.query_one("#search", Input)
        box.focus()
        await pilot.pause(0.1)
        for i in range(1, len("fence") + 1):  # one tick: a paste or key repeat
            box.value = "fence"[:i]
        await settle(app, pilot, delay=0.3)
        seen["ran"] = ran
        seen["names"] = shown_names(app)

    drive(demo, scenario)
    assert seen["ran"] == ["f", "fence"]  # the first change at once, the rest coalesced
    assert set(seen["names"]) == FENCES


def test_a_newer_search_interrupts_the_older_query(demo, monkeypatch):
    """An older search's SQL is stopped, not waited for, and that is not an error."""
    from photodesk.catalog import search
    from photodesk.tui.screens.dialogs import ErrorDialog

    real_ids = search.search_ids
    stuck = []

    def search_ids(db, text, f=None):
        if text == "slow":  # seconds of SQL (bounded, so a broken interrupt fails, not hangs)
            try:
                db.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 20000000) SELECT count(*) FROM n"
                ).fetchall()
            except sqlite3.OperationalError as exc:
                stuck.append(str(exc))
                raise
            stuck.append("finished")
        return real_ids(db, text, f)

    monkeypatch.setattr(search, "search_ids", search_ids)
    seen = {}

    async def scenario(app, pilot):
        box = app.screen.query_one("#search", Input)
        box.focus()
        await pilot.pause(0.1)
        box.value = "slow"
        await pilot.pause(0.3)
        box.value = "fence"
        await settle(app, pilot, delay=0.3)
        seen["names"] = shown_names(app)
        seen["error_shown"] = isinstance(app.screen, ErrorDialog)
        seen["running"] = [w.name for w in app.workers if w.is_running and w.name != "_loader"]

    drive(demo, scenario)
    assert stuck == ["interrupted"]
    assert set(seen["names"]) == FENCES
    assert not seen["error_shown"] and seen["running"] == []


# -- 3. filter -------------------------------------------------------------------------


def test_filter_from_the_dialog_persists_between_runs(demo):
    from photodesk.tui.screens.dialogs import FilterDialog

    seen = {}

    async def scenario(app, pilot):
        await pilot.press("f")
        assert isinstance(app.screen, FilterDialog)
        app.screen.query_one("#missing", Input).focus()
        await type_text(pilot, "ko")
        await pilot.click("#apply")
        await settle(app, pilot)
        assert not isinstance(app.screen, FilterDialog)
        seen["ids"] = {r["id"] for r in app.screen.table.rows_shown}
        seen["status"] = text_of(app, "#status")

    drive(demo, scenario)
    with Catalog.open(demo) as catalog:
        all_ids = [r["id"] for r in catalog.db.query("SELECT id FROM photos")]
        without_ko = {i for i in all_ids if "ko" not in photos.captions(catalog.db, i)}
    assert 0 < len(without_ko) < 10
    assert seen["ids"] == without_ko
    assert "no caption in ko" in seen["status"]

    state = json.loads((demo.root / STATE_FILE).read_text())
    assert state["filter"]["missing_lang"] == "ko"

    async def again(app, pilot):
        seen["filter"] = app.filter.missing_lang
        seen["again"] = {r["id"] for r in app.screen.table.rows_shown}
        seen["status"] = text_of(app, "#status")

    drive(demo, again)
    assert seen["filter"] == "ko" and seen["again"] == without_ko
    assert "no caption in ko" in seen["status"]


# -- 4. the caption editor ---------------------------------------------------------------


def test_edit_save_and_undo_a_caption(demo):
    from photodesk.tui.screens.browse import BrowseScreen
    from photodesk.tui.screens.editor import EditorScreen

    photo_id = ids_by_name(demo)["fence_2019_single.jpg"]
    with Catalog.open(demo) as catalog:
        old_caption = photos.captions(catalog.db, photo_id)["en"]["description"]
        old_credit = photos.row(catalog.db, photo_id)["credit"]
        changes_before = len(history.for_photo(catalog.db, photo_id))
    new_caption = "A single fence, seen from the Chinese bank."
    seen = {}

    async def scenario(app, pilot):
        await move_to(app, pilot, "fence_2019_single.jpg")
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.photo_id == photo_id
        assert editor.query_one("#f-description", TextArea).text == old_caption
        editor.query_one("#f-description", TextArea).load_text(new_caption)
        credit = editor.query_one("#f-credit", Input)
        credit.focus()
        credit.value = ""
        await type_text(pilot, "Desk Pool")
        await pilot.press("ctrl+s")
        await pilot.pause()
        with Catalog.open(demo) as catalog:
            seen["saved_caption"] = photos.captions(catalog.db, photo_id)["en"]["description"]
            seen["saved_credit"] = photos.row(catalog.db, photo_id)["credit"]
            seen["history"] = history.for_photo(catalog.db, photo_id)[changes_before:]
        assert editor.changes() == {}  # saved: nothing left to ask about
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        seen["cell"] = app.screen.table.current["caption"]
        await pilot.press("u")
        await pilot.pause()

    drive(demo, scenario)
    assert seen["saved_caption"] == new_caption
    assert seen["saved_credit"] == "Desk Pool"
    assert {c.field for c in seen["history"]} == {"description", "credit"}
    assert len({c.change_set for c in seen["history"]}) == 1
    assert seen["cell"] == new_caption  # the table shows what was saved
    with Catalog.open(demo) as catalog:  # and "u" took it back
        assert photos.captions(catalog.db, photo_id)["en"]["description"] == old_caption
        assert photos.row(catalog.db, photo_id)["credit"] == old_credit
        undone = history.for_photo(catalog.db, photo_id)[changes_before:]
        assert all(c.undone_by for c in undone if c.undoes is None)


def test_editor_date_feedback_confirm_and_bad_date(demo):
    from photodesk.tui.screens.dialogs import Confirm, ErrorDialog
    from photodesk.tui.screens.editor import EditorScreen

    photo_id = ids_by_name(demo)["quanhe_03_bridges.jpg"]
    with Catalog.open(demo) as catalog:
        before = photos.row(catalog.db, photo_id)
    kept = "Text I have not saved yet."
    seen = {}

    async def scenario(app, pilot):
        await move_to(app, pilot, "quanhe_03_bridges.jpg")
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        date = editor.query_one("#f-date", Input)
        date.focus()
        date.value = ""
        await type_text(pilot, "late July 2023")
        await pilot.pause()
        seen["feedback"] = text_of(app, "#date-feedback")

        # Escape with unsaved changes asks; "n" and Escape both keep the editor and the text
        editor.query_one("#f-description", TextArea).load_text(kept)
        for answer in ("n", "escape"):
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, Confirm)
            await pilot.press(answer)
            await pilot.pause()
            assert app.screen is editor
            assert editor.query_one("#f-description", TextArea).text == kept

        # a date that cannot be read is not saved, says why, and the text stays
        date.value = "07/08/2023"
        await pilot.pause()
        seen["bad_feedback"] = text_of(app, "#date-feedback")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        seen["error"] = app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor
        seen["text"] = editor.query_one("#f-description", TextArea).text
        seen["date"] = date.value

        # and "y" discards
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        seen["closed"] = not isinstance(app.screen, EditorScreen | Confirm)

    drive(demo, scenario)
    assert seen["feedback"] == "late July 2023 → 2023-07-21 … 2023-07-31"
    assert seen["bad_feedback"].startswith("✗")
    assert seen["error"].startswith("not saved:") and "07/08/2023" in seen["error"]
    assert seen["text"] == kept and seen["date"] == "07/08/2023"
    assert seen["closed"]
    with Catalog.open(demo) as catalog:  # nothing was written
        assert photos.row(catalog.db, photo_id) == before
        assert photos.captions(catalog.db, photo_id)["en"]["description"] != kept


# -- 5. batch --------------------------------------------------------------------------


def test_batch_edit_sets_the_credit_of_the_selection_in_one_change_set(demo):
    from photodesk.tui.screens.batch import BatchScreen

    seen = {}

    async def scenario(app, pilot):
        app.screen.table.focus()
        await pilot.press("space", "down", "space")
        seen["selected"] = set(app.screen.table.selected)
        seen["status"] = text_of(app, "#status")
        await pilot.press("B")
        assert isinstance(app.screen, BatchScreen)
        assert sorted(app.screen.photo_ids) == sorted(seen["selected"])
        app.screen.query_one("#b-credit", Input).focus()
        await type_text(pilot, "Pool")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, BatchScreen)

    drive(demo, scenario)
    assert len(seen["selected"]) == 2 and "2 selected" in seen["status"]
    with Catalog.open(demo) as catalog:
        credits = {i: photos.row(catalog.db, i)["credit"] for i in seen["selected"]}
        change_sets = {
            c.change_set for i in seen["selected"] for c in history.for_photo(catalog.db, i)
        }
        others = catalog.db.execute("SELECT count(*) FROM photos WHERE credit = 'Pool'").fetchone()[
            0
        ]
    assert set(credits.values()) == {"Pool"}
    assert len(change_sets) == 1
    assert others == 2


# -- 6. pairs --------------------------------------------------------------------------


def test_mark_before_and_after_makes_a_pair(demo):
    from photodesk.tui.screens.pairs import PairScreen

    ids = ids_by_name(demo)
    caption = "The fence doubled in four years."
    seen = {}

    async def scenario(app, pilot):
        await move_to(app, pilot, "fence_2019_single.jpg")
        await pilot.press("b")
        await pilot.pause()
        seen["status"] = text_of(app, "#status")
        await move_to(app, pilot, "quanhe_07_double_fence.jpg")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PairScreen)
        seen["span"] = text_of(app, "#pair-span")
        seen["before"] = text_of(app, "#before-text")
        seen["after"] = text_of(app, "#after-text")
        app.screen.query_one("#pair-caption", TextArea).load_text(caption)
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["shown"] = app.screen.query_one("#pair-caption", TextArea).text

    drive(demo, scenario)
    assert f"before: photo {ids['fence_2019_single.jpg']}" in seen["status"]
    assert "about 3 years 10 months" in seen["span"]
    assert "fence_2019_single.jpg" in seen["before"]
    assert "quanhe_07_double_fence.jpg" in seen["after"]
    with Catalog.open(demo) as catalog:
        (pair,) = pair_rows.listing(catalog.db)
        assert (pair["before_id"], pair["after_id"]) == (
            ids["fence_2019_single.jpg"],
            ids["quanhe_07_double_fence.jpg"],
        )
        assert pair_rows.captions(catalog.db, pair["id"]) == {"en": caption}
    assert seen["shown"] == caption


# -- 7. import -------------------------------------------------------------------------


def test_import_a_folder_from_the_ui(tmp_path):
    from photodesk.tui.screens.importer import ImportScreen

    folder = tmp_path / "incoming"
    for n in range(3):
        write(folder / f"img_{n}.jpg", jpeg_bytes(size=(64, 48), seed=n + 1))
    archive = Archive.locate(tmp_path / "new")
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#folder", Input).value = str(folder)
        app.screen.query_one("#folder", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        seen["counts"] = text_of(app, "#counts")
        seen["summary"] = app.screen.summary
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        seen["rows"] = app.screen.table.row_count
        seen["status"] = text_of(app, "#status")
        seen["empty"] = app.screen.query_one("#empty").display

    drive(archive, scenario)
    assert seen["counts"].startswith("added 3,")
    assert seen["summary"].added == 3
    assert seen["rows"] == 3 and "3 photos" in seen["status"] and not seen["empty"]
    with Catalog.open(archive) as catalog:
        rows = list(catalog.db.query("SELECT file_name, original_path FROM photos"))
    assert sorted(r["file_name"] for r in rows) == ["img_0.jpg", "img_1.jpg", "img_2.jpg"]
    assert all(archive.resolve(r["original_path"]).is_file() for r in rows)


def test_export_a_caption_sheet_from_the_ui(demo, tmp_path):
    from textual.widgets import Select

    from photodesk.tui.screens.exporter import ExportScreen

    out = tmp_path / "story.csv"
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        what = screen.query_one("#what", Select)
        story = next(i for i, c in enumerate(screen.choices) if c.story == STORY)
        what.value = story
        screen.query_one("#format", Select).value = "csv"
        await pilot.pause()
        assert screen.query_one("#out", Input).value.endswith(".csv")  # the suffix follows
        screen.query_one("#out", Input).value = str(out)
        await pilot.click("#start")
        await settle(app, pilot)
        seen["outcome"] = text_of(app, "#outcome")
        await pilot.press("escape")
        await pilot.pause()
        seen["closed"] = not isinstance(app.screen, ExportScreen)

    drive(demo, scenario)
    assert seen["outcome"].startswith(f"wrote {out}: 10 items in en")
    assert seen["closed"]
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("No.,Kind,File Name,Headline,Description")
    assert len(rows) == 11


def test_publish_copies_from_the_ui(demo, tmp_path):
    from textual.widgets import Select

    from photodesk.export.publish import MANIFEST_JSON

    out = tmp_path / "publish"
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("x")
        screen = app.screen
        story = next(i for i, c in enumerate(screen.choices) if c.story == STORY)
        screen.query_one("#what", Select).value = story
        screen.query_one("#format", Select).value = "photos"
        await pilot.pause()
        screen.query_one("#out", Input).value = str(out)
        await pilot.click("#start")
        await settle(app, pilot)
        seen["outcome"] = text_of(app, "#outcome")
        seen["bar"] = screen.query_one("#progress").percentage

    drive(demo, scenario)
    assert seen["outcome"].startswith("wrote 10 copies to")
    assert seen["bar"] == 1.0
    copies = sorted(p.name for p in out.glob("*.jpg"))
    assert len(copies) == 10
    manifest = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))
    assert manifest  # the manifest lists what was written


def test_a_failed_export_says_why_and_keeps_the_dialog(demo, tmp_path):
    from textual.widgets import Select

    from photodesk.tui.screens.exporter import ExportScreen

    seen = {}

    async def scenario(app, pilot):
        await pilot.press("x")
        screen = app.screen
        screen.query_one("#format", Select).value = "md"
        screen.query_one("#out", Input).value = str(tmp_path / "missing" / "s.md")
        await pilot.click("#start")
        await settle(app, pilot)
        seen["outcome"] = text_of(app, "#outcome")
        seen["still_open"] = isinstance(app.screen, ExportScreen)

    drive(demo, scenario)
    assert seen["outcome"].startswith("export failed: no folder")
    assert seen["still_open"] and not (tmp_path / "missing").exists()


# -- 8. text is data ---------------------------------------------------------------------


def test_markup_and_escapes_in_the_catalog_are_shown_as_typed(archive, add_photo):
    name = f"{MARKUP}{ANSI}.jpg"
    caption = f"{MARKUP} and {ANSI}"
    photo_id = add_photo({"en": {"description": caption}}, file_name=name, credit=MARKUP)
    seen = {}

    async def scenario(app, pilot):
        table = app.screen.table
        seen["cells"] = cell_texts(table)[0]
        seen["meta"] = str(app.screen.query_one("#preview-meta", Static).render())
        seen["svg"] = app.export_screenshot()

    drive(archive, scenario)
    file_cell, caption_cell = seen["cells"][1], seen["cells"][4]
    assert file_cell.startswith(MARKUP) and "\x1b" not in file_cell
    assert "red" in file_cell and "31m" in file_cell  # the escape is shown, not obeyed
    assert caption_cell.startswith(f"{MARKUP} and ") and "\x1b" not in caption_cell
    assert f"Photo: {photo_id}" in seen["meta"]
    assert MARKUP in seen["meta"] and "\x1b" not in seen["meta"]
    svg = seen["svg"]
    assert "\x1b" not in svg
    # the markup is text on screen (escaped for SVG), never a bold red style
    assert "[bold&#160;red]x[/]" in svg or "[bold red]x[/]" in svg


# -- 9. actions, help and the palette ------------------------------------------------------


def test_every_action_has_a_binding_id_and_a_method():
    from photodesk.tui.app import PhotodeskApp
    from photodesk.tui.screens.batch import BatchScreen
    from photodesk.tui.screens.browse import BrowseScreen
    from photodesk.tui.screens.dialogs import Confirm, ErrorDialog, FilterDialog
    from photodesk.tui.screens.editor import EditorScreen
    from photodesk.tui.screens.exporter import ExportScreen
    from photodesk.tui.screens.help import HelpScreen
    from photodesk.tui.screens.importer import ImportScreen
    from photodesk.tui.screens.pairs import PairListScreen, PairScreen

    owners = {
        "export": ExportScreen,
        "app": PhotodeskApp,
        "browse": BrowseScreen,
        "editor": EditorScreen,
        "pair": PairScreen,
        "pairs": PairListScreen,
        "import": ImportScreen,
        "batch": BatchScreen,
        "help": HelpScreen,
        "confirm": Confirm,
        "error": ErrorDialog,
        "filter": FilterDialog,
    }
    assert {a.where for a in actions.ACTIONS} == set(owners)
    for action in actions.ACTIONS:
        owner = owners[action.where]
        assert callable(getattr(owner, f"action_{action.id}", None)), action
        ids = {b.id for b in owner.BINDINGS}
        assert f"{action.where}.{action.id}" in ids, action
    for owner in owners.values():
        assert all(b.id for b in owner.BINDINGS), owner
    palettes = [(a.where, a.palette) for a in actions.ACTIONS]
    assert len(palettes) == len(set(palettes))


def test_help_lists_every_action_and_the_palette_offers_edit(demo):
    from rich.console import Console

    from photodesk.tui.screens.help import HelpScreen

    seen = {}

    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        for static in app.screen.query(Static):
            console.print(static.content)
        seen["help"] = console.export_text()
        await pilot.press("escape")
        await pilot.pause()
        seen["commands"] = [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "edit caption")
        await pilot.pause(0.3)
        seen["palette"] = app.export_screenshot()

    drive(demo, scenario)
    for action in actions.ACTIONS:
        assert action.palette in seen["help"], action
    assert "photo: edit caption" in seen["commands"]
    assert "pair: mark before" in seen["commands"]
    assert "edit" in seen["palette"] and "caption" in seen["palette"]


def test_notifications_show_catalog_text_as_typed(demo):
    seen = {}

    async def scenario(app, pilot):
        app.screen.notify(f"unknown code ={MARKUP}= {ANSI}", severity="warning")
        await pilot.pause()
        (note,) = list(app._notifications)
        seen["message"], seen["markup"] = note.message, note.markup

    drive(demo, scenario)
    assert seen["markup"] is False
    assert seen["message"] == "unknown code =[bold red]x[/]= \\x1b[31mred"
