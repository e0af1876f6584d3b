"""The photo's thumbnail drawn in the terminal, and what the catalog knows about it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static
from textual_image.widget import HalfcellImage, Image

from photodesk.config import Archive
from photodesk.tui.text import plain

# Kitty graphics or Sixel where the terminal has them, Unicode half-blocks
# elsewhere; PHOTODESK_IMAGES=halfcell forces half-blocks (tests, snapshots, tmux).
IMAGE_MODE_ENV = "PHOTODESK_IMAGES"


def image_widget(**kwargs: Any) -> Widget:
    cls = HalfcellImage if os.environ.get(IMAGE_MODE_ENV) == "halfcell" else Image
    return cls(**kwargs)


_SHOWN = (
    ("id", "Photo"),
    ("file_name", "File"),
    ("taken_text", "Date"),
    ("created_place", "Created"),
    ("shown_place", "Shown"),
    ("headline", "Headline"),
    ("caption", "Caption"),
    ("creator", "Creator"),
    ("credit", "Credit"),
    ("status", "Status"),
    ("languages", "Languages"),
)


def describe(row: dict[str, Any] | None, missing: list[str] | None = None) -> Text:
    if row is None:
        return Text("no photo")
    out = Text()
    for what in missing or []:
        out.append("Missing: ", style="bold red")
        out.append_text(plain(what))
        out.append(" — import the same file again to restore it\n")
    for key, label in _SHOWN:
        value = row.get(key)
        if value not in (None, ""):
            out.append(f"{label}: ", style="bold")
            out.append_text(plain(value))
            out.append("\n")
    if row.get("paired"):
        out.append("In a before/after pair\n", style="italic")
    return out


def thumbnail(archive: Archive, stored: str | None) -> Path | None:
    """The thumbnail file of a photo, if it is there (thumbnails can be rebuilt)."""
    path = archive.resolve(stored) if stored else None
    return path if path is not None and path.is_file() else None


class Preview(Vertical):
    """Thumbnail above, metadata below."""

    def __init__(self, archive: Archive, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.archive = archive

    def compose(self) -> ComposeResult:
        yield image_widget(id="preview-image")
        yield Static(id="preview-meta", markup=False)

    def show(self, row: dict[str, Any] | None, missing: list[str] | None = None) -> None:
        image = self.query_one("#preview-image")
        image.image = thumbnail(self.archive, (row or {}).get("thumb_path"))  # type: ignore[attr-defined]
        self.query_one("#preview-meta", Static).update(describe(row, missing))
