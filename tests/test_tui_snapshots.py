"""Screenshots of the terminal UI on the demo archive, compared with the accepted ones.

Regenerate after a deliberate change of the UI with
`pytest tests/test_tui_snapshots.py --snapshot-update`, and look at the SVGs.
What would vary between runs is pinned: the archive lives at a fixed path
(the status line shows it), the import folder too (the import dialog shows the
working folder), and the import's clock is stopped (the summary shows seconds).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

import photodesk.ingest
from imagegen import jpeg_bytes, write
from photodesk.config import Archive
from photodesk.tui import make_app
from tui_fixtures import SIZE, demo_archive, settle

FIXED = Path("/tmp/photodesk-snapshots")


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch):
    monkeypatch.setenv("PHOTODESK_IMAGES", "halfcell")
    if FIXED.exists():
        shutil.rmtree(FIXED)
    FIXED.mkdir(parents=True)
    yield
    shutil.rmtree(FIXED, ignore_errors=True)


@pytest.fixture
def demo() -> Archive:
    return demo_archive(FIXED / "archive")


async def to_row(pilot, file_name: str) -> None:
    table = pilot.app.screen.table
    target = [r["file_name"] for r in table.rows_shown].index(file_name)
    await pilot.press(*["down"] * (target - table.cursor_row))


def test_browse_screen(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE)


def test_caption_editor(snap_compare, demo):
    async def open_editor(pilot):
        await to_row(pilot, "quanhe_01_nk_customs.jpg")
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=open_editor)


def test_pair_screen(snap_compare, demo):
    async def make_pair(pilot):
        await to_row(pilot, "fence_2019_single.jpg")
        await pilot.press("b")
        await to_row(pilot, "quanhe_07_double_fence.jpg")
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=make_pair)


def test_import_summary(snap_compare, monkeypatch):
    folder = FIXED / "here" / "incoming"
    for n in range(3):
        write(folder / f"img_{n}.jpg", jpeg_bytes(size=(64, 48), seed=n + 1))
    monkeypatch.chdir(folder.parent)  # the dialog starts in the working folder
    monkeypatch.setattr(photodesk.ingest, "time", SimpleNamespace(monotonic=lambda: 0.0))
    archive = Archive.locate(FIXED / "archive")

    async def import_folder(pilot):
        app = pilot.app
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#folder").value = str(folder)
        app.screen.query_one("#folder").focus()
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(make_app(archive), terminal_size=SIZE, run_before=import_folder)
