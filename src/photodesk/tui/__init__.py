"""The terminal UI: a thin Textual shell over the headless core.

`make_app(archive)` builds the app for the CLI, the tests and the snapshots alike.
"""

from __future__ import annotations

from photodesk.config import Archive
from photodesk.tui.app import PhotodeskApp


def make_app(archive: Archive) -> PhotodeskApp:
    return PhotodeskApp(archive)


__all__ = ["PhotodeskApp", "make_app"]
