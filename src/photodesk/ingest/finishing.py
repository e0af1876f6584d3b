"""The import's second phase: real thumbnails for every photo still waiting for one.

The first phase catalogues photos without decoding a pixel; this one decodes
each at reduced scale in the same worker processes, on the same budgets, and
records the thumbnail and perceptual hash. It takes every photo the catalog
marks as pending, not only this run's, so a run killed in either phase is
finished by the next.

A photo whose pixels cannot be decoded was a problem file all along: if this
run catalogued it and nobody has edited it since, it is taken out again
(with its archived copy) and reported as failed, as if the first phase had
refused it. Otherwise it stays, without a thumbnail, with a warning.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, photos, thumbs
from photodesk.ingest.store import Store
from photodesk.ingest.worker import Inspected, Job, preview_path


def jobs(catalog: Catalog, lang: str) -> list[Job]:
    """A second-phase job per pending photo: it reads the archived original or the file in place."""
    archive = catalog.archive
    out = []
    for row in thumbs.pending(catalog.db):
        original = archive.resolve(row["original_path"])
        # An archived copy is content-addressed and read-only: no need to check its hash.
        archived = original.is_relative_to(archive.originals)
        out.append(
            Job(
                str(original),
                row["file_size"] or 0,
                0,
                archive,
                archived,
                lang,
                photo_id=row["id"],
                sha256=row["sha256"],
                orientation=row["orientation"],
            )
        )
    return out


class Finisher:
    """Records second-phase results; `names` gives this run's source path of each photo."""

    def __init__(self, catalog: Catalog, store: Store, names: dict[int, str]) -> None:
        self.catalog = catalog
        self.store = store
        self.names = names

    def finished(self, result: Inspected) -> str:
        """Record one result; returns its outcome: 'thumbnail', 'failed' or 'warned'."""
        photo_id = int(result.record["photo_id"])
        archive = self.catalog.archive
        if result.status == "thumbnail":
            stored = archive.relative(Path(result.record["thumb_path"]))
            if thumbs.finish(self.catalog.db, photo_id, stored, result.record["phash"]):
                with contextlib.suppress(OSError):
                    preview_path(archive, result.sha256 or "").unlink(missing_ok=True)
            return "thumbnail"
        reason = result.reason or "cannot make its thumbnail"
        name = self.names.get(photo_id)
        row = photos.row(self.catalog.db, photo_id) or {}
        ours = row.get("import_run_id") == self.store.summary.run_id and name is not None
        if ours and name is not None and not thumbs.edited(self.catalog.db, photo_id):
            photos.delete(self.catalog.db, photo_id)
            self._remove_files(row)
            summary = self.store.summary
            summary.added -= 1
            with contextlib.suppress(ValueError):
                summary.photo_ids.remove(photo_id)
            self.store.problem(name, reason)
            return "failed"
        thumbs.give_up(self.catalog.db, photo_id)
        self.store.warning(name or row.get("file_name") or result.path, f"{reason}; no thumbnail")
        return "warned"

    def _remove_files(self, row: dict[str, Any]) -> None:
        archive = self.catalog.archive
        for stored in (row.get("original_path"), row.get("thumb_path")):
            if not stored:
                continue
            path = archive.resolve(stored)
            if path.is_relative_to(archive.originals) or path.is_relative_to(archive.thumbs):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
