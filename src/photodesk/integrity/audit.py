"""`audit`: what would embarrass the desk or expose a partner, before anything leaves.

Which originals carry identifying metadata (GPS, serial numbers, owner
names — what publish copies remove, found here so the desk knows), which
photos lack a caption in the default language, a credit, a date or a shown
place, and which pairs break the date rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from photodesk.catalog import Catalog, fixity, photos
from photodesk.catalog import pairs as pair_rows
from photodesk.dates import from_columns
from photodesk.errors import PhotodeskError
from photodesk.integrity import Cancel, Progress
from photodesk.metadata.strip import UnreadableMetadata, identifying
from photodesk.pairs.timing import check_order

# What every photo should have before a story goes out, as `list --missing` names it.
NEEDED = ("caption", "credit", "date", "shown_place")


@dataclass
class AuditReport:
    language: str
    photos: int = 0
    identifying: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    missing: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in NEEDED})
    pairs: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _lacks(catalog: Catalog, row: dict[str, Any], lang: str) -> list[str]:
    caption = photos.captions(catalog.db, row["id"]).get(lang, {})
    present = {
        "caption": bool((caption.get("description") or "").strip()),
        "credit": bool((row.get("credit") or "").strip()),
        "date": from_columns(row) is not None,
        "shown_place": row.get("shown_place_id") is not None,
    }
    return [k for k in NEEDED if not present[k]]


def audit(
    catalog: Catalog, progress: Progress | None = None, cancel: Cancel | None = None
) -> AuditReport:
    db = catalog.db
    report = AuditReport(language=catalog.default_language)
    ids = [r["id"] for r in fixity.files(db)]
    for n, photo_id in enumerate(ids, 1):
        if cancel is not None and cancel():
            break
        row = photos.row(db, photo_id)
        if row is None:
            continue
        report.photos += 1
        for need in _lacks(catalog, row, report.language):
            report.missing[need].append(photo_id)
        path = catalog.archive.resolve(row.get("original_path") or "")
        try:
            found = identifying(path.read_bytes(), row.get("creator"))
        except (OSError, UnreadableMetadata, PhotodeskError) as exc:
            report.unreadable.append(
                {"photo_id": photo_id, "file_name": row["file_name"], "reason": str(exc)}
            )
            continue
        if found:
            report.identifying.append(
                {"photo_id": photo_id, "file_name": row["file_name"], "found": found}
            )
        if progress is not None:
            progress(n, len(ids))
    for pair in pair_rows.listing(db):
        before = from_columns(photos.row(db, pair["before_id"]) or {})
        after = from_columns(photos.row(db, pair["after_id"]) or {})
        try:
            check_order(before, after)
        except PhotodeskError as exc:  # the order is broken, not merely uncertain
            report.pairs.append({"pair_id": pair["id"], "problem": str(exc)})
    return report
