"""The folder exports as the terminal UI runs them: one signature, progress in photos.

The CLI calls `publish.publish` and `sidecar.write_sidecars` with its own
options; the UI's export dialog offers their defaults through FILE_EXPORTS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from photodesk.catalog import Catalog
from photodesk.export import Cancel, Progress
from photodesk.export.publish import ExportProgress, PublishOptions, publish
from photodesk.export.selection import Selection
from photodesk.export.sidecar import write_sidecars


def _relay(progress: Progress | None) -> Callable[[ExportProgress], None]:
    def report(p: ExportProgress) -> None:
        if progress is not None:
            progress(p.done, p.total, f"{p.done} of {p.total}: {p.path or ''}")

    return report


def publish_copies(
    catalog: Catalog,
    chosen: Selection,
    out: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[str]:
    """Publish copies with the default options (every caption language goes in)."""
    result = publish(catalog, chosen, out, PublishOptions(), _relay(progress), cancel)
    return [result.summary(), *(w for f in result.files for w in f.warnings)]


def sidecars(
    catalog: Catalog,
    chosen: Selection,
    out: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[str]:
    """XMP sidecars into `out` (every caption language goes in)."""
    result = write_sidecars(catalog, chosen, out, progress=_relay(progress), cancel=cancel)
    return [result.summary(), *(w for f in result.files for w in f.warnings)]
