"""The list, search and story tables fit the terminal and stay aligned with Korean text."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from photodesk.catalog import Catalog, photos, search, stories

KOREAN = "취안허 세관 앞에 화물 트럭들이 줄지어 서 있다. 두만강 건너 북한 원정 세관이 보인다."


@pytest.fixture
def listed(archive):
    with Catalog.open(archive) as catalog:
        ids = []
        for n in range(12):
            photo, _ = photos.add(
                catalog.db,
                {
                    "sha256": f"{n + 1:064x}",
                    "file_name": f"취안허_세관_{n:02}.jpg" if n % 2 else f"quanhe_{n:02}_gate.jpg",
                    "taken_start": "2023-07-24T10:41:07",
                    "taken_end": "2023-07-24T10:41:07",
                    "taken_precision": "second",
                    "taken_text": "2023-07-24 10:41:07",
                },
                {"ko": {"description": KOREAN * (1 + n % 2)}, "en": {"headline": f"Trucks {n}"}},
            )
            ids.append(photo)
        search.reindex(catalog.db, ids)
        stories.create(catalog.db, "Quanhe")
        stories.add(catalog.db, "Quanhe", ids)
    return archive


def _check(output: str, width: int) -> None:
    lines = output.rstrip("\n").split("\n")
    assert lines[0].startswith("ID") and "Caption" in lines[0]
    assert len(lines) >= 13
    caption_at = cell_len(lines[0][: lines[0].index("Caption")])
    for line in lines:
        assert cell_len(line) <= width, line
    for line in lines[1:]:
        # the caption column starts at the same display cell on every line
        assert line[:3].strip().isdigit()
        prefix_cells = 0
        for i, ch in enumerate(line):
            if prefix_cells == caption_at:
                assert line[i - 2 : i] == "  ", line  # the gap before the caption column
                break
            prefix_cells += cell_len(ch)
        else:
            pytest.fail(f"no cell boundary at the caption column: {line!r}")


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("command", [("list", "--lang", "ko"), ("search", "세관", "--lang", "ko")])
def test_tables_fit_the_terminal_in_display_cells(listed, run, monkeypatch, width, command):
    monkeypatch.setenv("COLUMNS", str(width))
    _check(run(*command).output, width)


@pytest.mark.parametrize("width", [80, 200])
def test_story_show_table_fits_too(listed, run, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("story", "show", "Quanhe", "--lang", "ko").output
    table = out[out.index("ID ") :] if "\nID " in out else out
    _check(table, width)


def test_wide_terminal_shows_the_whole_caption(listed, run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    out = run("list", "--lang", "ko").output
    assert KOREAN.strip() in out  # no cut at 60 characters on a wide terminal
