"""`verify`: is every original still there, and still the bytes that were imported?

The full check re-hashes every original (two threads by default: hashlib
releases the GIL while it hashes, so both cores work without any worker
process to outlive the run). `quick` compares sizes only. Either way the
result is kept in the catalog, so `status` can say when the archive was
last verified and what was found.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, fixity
from photodesk.integrity import Cancel, Progress
from photodesk.text import display_path

CHUNK = 1 << 20


@dataclass(frozen=True)
class Finding:
    photo_id: int
    file_name: str
    path: str
    problem: str  # "missing", "changed", "unreadable: …", "thumbnail missing"


@dataclass
class VerifyReport:
    quick: bool
    at: str
    checked: int = 0
    missing: list[Finding] = field(default_factory=list)
    changed: list[Finding] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)
    thumbnails: list[Finding] = field(default_factory=list)  # to rebuild
    unknown_files: list[str] = field(default_factory=list)  # in originals/, in no photo
    catalog: str = "ok"  # PRAGMA integrity_check
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not (self.missing or self.changed or self.unreadable or self.thumbnails)
            and self.catalog == "ok"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}

    def summary(self) -> str:
        kind = "quick check (sizes)" if self.quick else "full check (SHA-256)"
        if self.ok:
            return f"{kind} of {self.checked} originals: all present and unchanged"
        parts = [
            f"{len(items)} {label}"
            for items, label in (
                (self.missing, "missing"),
                (self.changed, "changed"),
                (self.unreadable, "unreadable"),
                (self.thumbnails, "thumbnails to rebuild"),
            )
            if items
        ]
        if self.catalog != "ok":
            parts.append(f"catalog damaged ({self.catalog})")
        return f"{kind} of {self.checked} originals: " + ", ".join(parts)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check(archive: Any, row: dict[str, Any], quick: bool) -> list[Finding]:
    found: list[Finding] = []
    name = row["file_name"] or ""
    path = archive.resolve(row["original_path"] or "")
    shown = display_path(str(path))
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileNotFoundError(path)
        resized = row["file_size"] is not None and size != row["file_size"]
        if resized or (not quick and _hash(path) != row["sha256"]):
            found.append(Finding(row["id"], name, shown, "changed"))
    except FileNotFoundError:
        found.append(Finding(row["id"], name, shown, "missing"))
    except OSError as exc:
        found.append(Finding(row["id"], name, shown, f"unreadable: {exc.strerror or exc}"))
    thumb = row["thumb_path"]
    if thumb and not archive.resolve(thumb).is_file():
        shown_thumb = display_path(str(archive.resolve(thumb)))
        found.append(Finding(row["id"], name, shown_thumb, "thumbnail missing"))
    return found


def _unknown_files(archive: Any, known: set[str]) -> list[str]:
    out = []
    if archive.originals.is_dir():
        for folder, _dirs, names in os.walk(archive.originals):
            for n in names:
                path = os.path.join(folder, n)
                if os.path.realpath(path) not in known and not n.startswith(".tmp-"):
                    out.append(display_path(path))
    return sorted(out)


def verify(
    catalog: Catalog,
    quick: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    workers: int = 2,
) -> VerifyReport:
    """Check every original against the catalog, record the result, and return it."""
    started = time.monotonic()
    report = VerifyReport(quick=quick, at=datetime.now(UTC).isoformat(timespec="seconds"))
    rows = list(fixity.files(catalog.db))
    total = len(rows)
    known = {
        os.path.realpath(catalog.archive.resolve(r["original_path"]))
        for r in rows
        if r["original_path"]
    }
    cancelled = cancel or (lambda: False)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending = {}
        it = iter(rows)
        # A bounded queue of work: memory stays flat whatever the archive's size.
        for row in it:
            pending[pool.submit(_check, catalog.archive, row, quick)] = row
            if len(pending) >= workers * 4:
                break
        while pending:
            done_future = next(iter(pending))
            findings = done_future.result()
            del pending[done_future]
            report.checked += 1
            for f in findings:
                target = (
                    report.missing
                    if f.problem == "missing"
                    else report.changed
                    if f.problem == "changed"
                    else report.thumbnails
                    if f.problem == "thumbnail missing"
                    else report.unreadable
                )
                target.append(f)
            if progress is not None:
                progress(report.checked, total)
            if cancelled():
                report.cancelled = True
                for future in pending:
                    future.cancel()
                break
            nxt = next(it, None)
            if nxt is not None:
                pending[pool.submit(_check, catalog.archive, nxt, quick)] = nxt
    if not report.cancelled:
        report.unknown_files = _unknown_files(catalog.archive, known)
    report.catalog = fixity.integrity_check(catalog.db)
    report.seconds = time.monotonic() - started
    if not catalog.read_only:
        fixity.record_verify(
            catalog.db,
            {
                "at": report.at,
                "quick": quick,
                "checked": report.checked,
                "ok": report.ok,
                "cancelled": report.cancelled,
                "summary": report.summary(),
            },
        )
    return report
