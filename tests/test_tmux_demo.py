"""scripts/tmux_demo.sh drives the real terminal UI in tmux: browse, search, edit, pair, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from photodesk.catalog import Catalog, browse
from photodesk.catalog import pairs as pair_rows
from photodesk.config import Archive

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "tmux_demo.sh"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (Debian: apt-get install tmux)"
)


def test_tmux_demo_goes_through_every_step(tmp_path: Path) -> None:
    keep = tmp_path / "archive"
    photodesk = Path(sys.executable).parent / "photodesk"
    env = {"PHOTODESK": str(photodesk), "DEMO_TIMEOUT": "20"} | os.environ  # $PHOTODESK wins
    done = subprocess.run(
        ["bash", str(SCRIPT), "--keep", str(keep)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout
    for step in ("import", "browse", "search fence", "edit caption", "pair", "quit"):
        assert f"===== {step} =====" in out
    shown = out.split("===== browse =====")[1].split("=====")[0]
    assert "10 photos" in shown and "quanhe_07_double_fence.jpg" in shown
    search = out.split("===== search fence =====")[1].split("=====")[0]
    assert "2 matches for 'fence'" in search and "fence_2019_single.jpg" in search
    assert "saved: 1 field(s)" in out
    pair = out.split("===== pair =====")[1].split("=====")[0]
    assert "Pair 1" in pair
    assert "Before: fence_2019_single.jpg" in pair and "After: quanhe_07_double_fence.jpg" in pair
    assert "about 3 years 10 months apart" in pair
    assert "all steps passed" in out

    with Catalog.open(Archive.locate(keep), create=False) as catalog:
        rows = browse.page(catalog.db, browse.BrowseFilter(), "en", None, 100)
        edited = [
            r["file_name"] for r in rows if (r["caption"] or "").startswith("EDITED IN TMUX:")
        ]
        assert edited == ["quanhe_07_double_fence.jpg"]
        made = [(r["before_file"], r["after_file"]) for r in pair_rows.listing(catalog.db)]
        assert made == [("fence_2019_single.jpg", "quanhe_07_double_fence.jpg")]
