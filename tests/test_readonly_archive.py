"""An archive on read-only media can be listed, shown, searched and exported, not changed.

Root writes anywhere, so the read-only media are simulated by the one check
the catalog makes (`catalog.writable`); a run as an ordinary user also
checks a folder whose permissions really forbid writing.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from photodesk import catalog as catalog_module
from photodesk.catalog import Catalog
from tui_fixtures import STORY, demo_archive


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    archive = demo_archive(tmp_path / "media")
    monkeypatch.setattr(catalog_module, "writable", lambda _archive: False)
    return archive


@pytest.fixture
def archive(frozen):
    """The `run` fixture's archive."""
    return frozen


def _extra_files(archive) -> list[str]:
    return sorted(p.name for p in archive.root.iterdir() if p.name.startswith("catalog.db-"))


def test_reading_commands_work_and_create_no_files(frozen, run, tmp_path):
    before = _extra_files(frozen)
    listed = json.loads(run("list", "--json").output)
    assert len(listed) == 10
    shown = json.loads(run("show", str(listed[0]["id"]), "--json").output)
    assert shown["file_name"] == listed[0]["file_name"]
    assert "fence" in run("search", "fence").output
    out = tmp_path / "sheet.csv"
    run("export", "sheet", "--story", STORY, "--format", "csv", "--out", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 11
    copies = tmp_path / "copies"
    run("export", "photos", "--story", STORY, "--out", str(copies))
    assert len(list(copies.glob("*.jpg"))) == 10
    assert _extra_files(frozen) == before == []  # no -wal, no -shm


def test_a_change_is_refused_in_one_line(frozen, run):
    result = run("caption", "1", "--headline", "new", ok=False)
    assert "read-only media" in result.output
    assert len(result.output.strip().splitlines()) == 1
    with Catalog.open(frozen) as catalog:
        assert catalog.read_only
        headline = catalog.db.execute(
            "SELECT headline FROM captions WHERE photo_id = 1 AND lang = 'en'"
        ).fetchone()[0]
    assert headline != "new"


def test_the_ui_opens_on_read_only_media(frozen):
    from tui_fixtures import drive

    seen = {}

    async def scenario(app, pilot):
        seen["rows"] = app.screen.table.row_count

    drive(frozen, scenario)
    assert seen["rows"] == 10


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever a folder's permissions say")
def test_a_folder_without_write_permission(tmp_path, monkeypatch):
    archive = demo_archive(tmp_path / "locked")
    monkeypatch.undo()
    for path in [archive.root, *archive.root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        with Catalog.open(archive, create=False) as catalog:
            assert catalog.read_only
            assert catalog.db.execute("SELECT count(*) FROM photos").fetchone()[0] == 10
    finally:
        for path in [archive.root, *archive.root.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
