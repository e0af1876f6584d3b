"""`backup` and `restore`: a consistent copy of the archive, and its careful return.

A backup folder holds `catalog.db` (a snapshot through SQLite's backup API,
taken while the archive may be in use), `originals/` and `thumbs/` (only the
files the folder does not have yet: originals are named by their content, so
a name present is the bytes present), and `manifest.json` with the SHA-256
and size of every file. `restore` checks every file against the manifest
before it replaces anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, fixity
from photodesk.config import Archive
from photodesk.errors import PhotodeskError
from photodesk.files import write_atomic
from photodesk.integrity import Cancel, Progress
from photodesk.text import display_path

MANIFEST = "manifest.json"
FORMAT = "photodesk-backup/1"


class BackupError(PhotodeskError):
    """A backup or restore that cannot be made as asked; nothing was replaced."""


@dataclass
class BackupResult:
    folder: Path
    files: int = 0  # in the manifest
    copied: int = 0  # new in this run
    outside: list[str] = field(default_factory=list)  # originals imported in place, not copied

    def summary(self) -> str:
        text = (
            f"backed up the catalog and {self.files - 1} files to "
            f"{display_path(str(self.folder))} ({self.copied} new)"
        )
        if self.outside:
            text += (
                f"; {len(self.outside)} originals imported in place live outside the archive "
                "and are not in the backup"
            )
        return text


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _folder(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise BackupError(f"{display_path(str(dest))} is a file, not a folder")
    if not dest.exists():
        if not dest.parent.is_dir():
            raise BackupError(
                f"cannot create {display_path(str(dest))}: its parent folder does not exist"
            )
        dest.mkdir()


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".tmp-{dst.name}")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def backup(
    catalog: Catalog,
    dest: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BackupResult:
    """Copy the archive into `dest`: catalog snapshot first, then the files it names."""
    dest = Path(dest)
    _folder(dest)
    result = BackupResult(folder=dest)
    snapshot = dest / ".tmp-catalog.db"
    catalog.backup_to(snapshot)
    # The files to copy are those the snapshot names: a photo an import adds
    # meanwhile is not in this backup, whole, rather than half in it.
    with Catalog.open_copy(catalog.archive, snapshot) as copy:
        rows = list(fixity.files(copy.db))
        version = copy.schema_version
    root = catalog.archive.root.resolve()
    manifest: dict[str, dict[str, Any]] = {}
    wanted: list[tuple[Path, str]] = []
    for row in rows:
        for stored in (row["original_path"], row["thumb_path"]):
            if not stored:
                continue
            path = catalog.archive.resolve(stored).resolve()
            if not path.is_relative_to(root):
                if stored == row["original_path"]:
                    result.outside.append(display_path(str(path)))
                continue
            wanted.append((path, path.relative_to(root).as_posix()))
    for n, (path, relative) in enumerate(wanted, 1):
        if cancel is not None and cancel():
            snapshot.unlink(missing_ok=True)
            raise BackupError("backup cancelled: the folder holds what was copied, no manifest")
        target = dest / relative
        try:
            if not (target.is_file() and target.stat().st_size == path.stat().st_size):
                _copy(path, target)
                result.copied += 1
            manifest[relative] = {"sha256": _sha256(target), "size": target.stat().st_size}
        except FileNotFoundError:
            continue  # a thumbnail or original already missing: verify reports it
        except OSError as exc:
            raise BackupError(f"cannot copy {display_path(str(path))}: {exc.strerror}") from exc
        if progress is not None:
            progress(n, len(wanted))
    os.replace(snapshot, dest / "catalog.db")
    manifest["catalog.db"] = {
        "sha256": _sha256(dest / "catalog.db"),
        "size": (dest / "catalog.db").stat().st_size,
    }
    document = {
        "format": FORMAT,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": version,
        "files": manifest,
    }
    write_atomic(dest / MANIFEST, json.dumps(document, indent=1).encode("utf-8"))
    result.files = len(manifest)
    return result


@dataclass
class RestoreResult:
    archive: Path
    files: int = 0
    copied: int = 0

    def summary(self) -> str:
        return (
            f"restored the catalog and {self.files - 1} files into "
            f"{display_path(str(self.archive))} ({self.copied} copied)"
        )


def check_backup(src: Path) -> dict[str, Any]:
    """The backup's manifest, once every file in it is there with its size and SHA-256."""
    shown = display_path(str(src))
    try:
        document = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{shown} is not a photodesk backup (no {MANIFEST})") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"cannot read the manifest of {shown}: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{shown}: {MANIFEST} is not a photodesk backup manifest")
    files = document.get("files")
    if not isinstance(files, dict) or "catalog.db" not in files:
        raise BackupError(f"{shown}: the manifest lists no catalog")
    bad = []
    for relative, expected in files.items():
        path = src / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            bad.append(f"{relative} (outside the backup)")
        elif not path.is_file():
            bad.append(f"{relative} (missing)")
        elif path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            bad.append(f"{relative} (changed)")
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise BackupError(
            f"the backup at {shown} does not match its manifest: {', '.join(bad[:5])}{more}; "
            "nothing was restored"
        )
    return document


def restore(
    src: Path, target: Archive, replace: bool = False, progress: Progress | None = None
) -> RestoreResult:
    """Restore a backup into an archive folder, after checking every file of it.

    An archive that already has a catalog is replaced only with `replace`
    (close the other photodesks on it first). Files go first, the catalog
    last, so an interrupted restore never leaves a catalog naming absent files.
    """
    src = Path(src)
    document = check_backup(src)
    if target.db_path.exists() and target.db_path.stat().st_size > 0 and not replace:
        raise BackupError(
            f"{display_path(str(target.root))} already has a catalog: restore into an empty "
            "folder, or replace it knowingly (--replace)"
        )
    target.ensure()
    result = RestoreResult(archive=target.root, files=len(document["files"]))
    files = [r for r in document["files"] if r != "catalog.db"]
    for n, relative in enumerate(files, 1):
        path, dest = src / relative, target.root / relative
        if not (dest.is_file() and dest.stat().st_size == path.stat().st_size):
            _copy(path, dest)
            if relative.startswith("originals/"):
                dest.chmod(0o444)  # as the import leaves them: originals are never edited
            result.copied += 1
        if progress is not None:
            progress(n, len(files))
    Catalog.install(target, src / "catalog.db")
    return result
