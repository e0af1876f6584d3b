"""Publish copies: what leaves the desk as image files, with the captions in and the source out.

Each copy is drawn anew from the original's pixels (turned upright, resized,
re-encoded as JPEG), so nothing the camera or an earlier tool wrote comes
along; only an ICC profile is kept, because colours depend on it. The
captions are then embedded with exiv2 (IPTC-IIM and XMP, every language),
and the written file is read back: if anything that could identify the
partner survived (a GPS position, a serial number, maker notes…) the export
stops and the file is removed. A manifest says which original each copy came
from (by content hash, never by its file name: the folder may travel) and
what was removed from it.

Long exports report progress and can be cancelled through the same two
callbacks the import uses, so the terminal UI can run them in a worker.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from photodesk.catalog import Catalog
from photodesk.export.entries import Entry, load_chosen
from photodesk.export.names import NAME_BYTES, safe_name
from photodesk.export.selection import ExportError, Selection
from photodesk.fields import where
from photodesk.files import write_atomic
from photodesk.metadata.strip import GPS, UnreadableMetadata, identifying
from photodesk.metadata.write import Embedding, Location, embed_embedding
from photodesk.text import display_path

__all__ = [
    "DEFAULT_MAX_SIZE",
    "DEFAULT_PATTERN",
    "DEFAULT_QUALITY",
    "NAME_BYTES",
    "CancelCheck",
    "ExportProgress",
    "ProgressCallback",
    "PublishOptions",
    "PublishResult",
    "Published",
    "embedding",
    "publish",
    "safe_name",
]

DEFAULT_PATTERN = "{story}-{n:02}"
DEFAULT_MAX_SIZE = 2048
DEFAULT_QUALITY = 88
PLACEHOLDERS = ("story", "n", "id")
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
UNREAD = "metadata exiv2 could not read"
# Bytes, not characters: file systems count bytes (255 at most), and the folder may
# travel to one that adds a prefix or a counter.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportProgress:
    done: int
    total: int
    path: str | None = None  # the file just written, for display
    outcome: str | None = None  # "written"


ProgressCallback = Callable[[ExportProgress], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class PublishOptions:
    max_size: int = DEFAULT_MAX_SIZE  # pixels on the long edge; smaller images stay as they are
    quality: int = DEFAULT_QUALITY  # JPEG quality, 1-100
    keep_location: bool = False  # also write the camera's GPS position (EXIF and XMP)
    name_pattern: str = DEFAULT_PATTERN  # placeholders {story}, {n} (1, 2…), {id}
    overwrite: bool = False  # replace files of the same names in the folder


@dataclass
class Published:
    file: str  # its name in the folder
    photo_id: int
    original_sha256: str
    width: int
    height: int
    languages: list[str]  # caption languages embedded
    removed: list[str]  # what identified the source in the original (strip's labels)
    warnings: list[str] = field(default_factory=list)  # IIM byte limits


@dataclass
class PublishResult:
    folder: Path
    files: list[Published] = field(default_factory=list)
    cancelled: bool = False

    def removed_counts(self) -> dict[str, int]:
        """How many copies had each kind of identifying metadata removed, most frequent first."""
        counts = Counter(label for f in self.files for label in f.removed)
        return dict(counts.most_common())

    def summary(self) -> str:
        """One line: "wrote 10 copies to DIR; removed: GPS position (3), maker notes (10)"."""
        n = len(self.files)
        text = f"wrote {n} {'copy' if n == 1 else 'copies'} to {display_path(str(self.folder))}"
        removed = ", ".join(f"{label} ({count})" for label, count in self.removed_counts().items())
        text += f"; removed: {removed}" if removed else "; no identifying metadata found"
        return text + (" (cancelled)" if self.cancelled else "")


# -- names --------------------------------------------------------------------------


def check_pattern(pattern: str) -> None:
    """Refuse a name pattern with a placeholder other than {story}, {n}, {id}, or one that fails."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ExportError(f"name pattern {pattern!r} is not valid: {exc}") from None
    for _text, name, spec, _conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise ExportError(
                f"name pattern {pattern!r}: unknown placeholder {{{name}}} ({allowed})"
            )
        if spec and "{" in spec:
            raise ExportError(f"name pattern {pattern!r}: a placeholder inside a placeholder")
    try:
        pattern.format(story="story", n=1, id=1)
    except (ValueError, TypeError) as exc:
        raise ExportError(f"name pattern {pattern!r} is not valid: {exc}") from None


def _unique(stem: str, photo_id: int, used: set[str], suffix: str) -> str:
    """The name, or with the photo's id when another photo has it (case-blind, as macOS is)."""
    candidates = [stem, f"{stem}-{photo_id}"]
    candidates += [f"{stem}-{photo_id}-{k}" for k in range(2, len(used) + 3)]
    for candidate in candidates:
        if (candidate + suffix).casefold() not in used:
            used.add((candidate + suffix).casefold())
            return candidate + suffix
    raise AssertionError("unreachable: there are more candidates than names used")


def copy_names(entries: list[Entry], pattern: str, story: str | None) -> list[str]:
    check_pattern(pattern)
    used = {MANIFEST_JSON, MANIFEST_CSV}
    names = []
    for n, entry in enumerate(entries, 1):
        raw = pattern.format(story=story or "photos", n=n, id=entry.id)
        names.append(_unique(safe_name(raw, f"photo-{entry.id}"), entry.id, used, ".jpg"))
    return names


# -- the folder -----------------------------------------------------------------------


def prepare_folder(out: Path) -> None:
    """Refuse a folder that cannot be made here, before anything is read or written.

    A folder whose parent does not exist is a mistyped path: it is refused
    rather than created with its parents somewhere unexpected.
    """
    shown = display_path(str(out))
    if out.exists():
        if not out.is_dir():
            raise ExportError(f"{shown} is a file, not a folder")
        if not os.access(out, os.W_OK | os.X_OK):
            raise ExportError(f"cannot write into {shown}: permission denied")
        return
    parent = out.parent
    if not parent.is_dir():
        raise ExportError(
            f"cannot create {shown}: its parent folder {display_path(str(parent))} "
            "does not exist (mistyped?)"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot create {shown}: permission denied")


def check_free(paths: Iterable[Path], overwrite: bool) -> None:
    """Refuse to replace files unless asked; never replace a folder."""
    for path in paths:
        if path.is_dir():
            raise ExportError(f"{display_path(str(path))} is a folder: it cannot be replaced")
        if path.exists() and not overwrite:
            raise ExportError(
                f"{display_path(str(path))} exists already: allow overwriting to replace it"
            )


def make_folder(out: Path) -> None:
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {display_path(str(out))}: {exc.strerror}") from exc


# -- one photo ------------------------------------------------------------------------


def embedding(entry: Entry, default_lang: str, keep_location: bool = False) -> Embedding:
    """What a publish copy or a sidecar of this photo says, from the field table's rows."""
    per_photo: dict[str, Any] = dict(entry.fields)
    for f in where(scope="photo", type="list"):
        per_photo[f.name] = getattr(entry, f.name, None) or None
    for f in where(scope="photo", type="date"):
        per_photo[f.name] = entry.date_iso
    places = {
        f.name: Location(place.name, dict(place.parts))
        for f in where(type="place")
        if (place := getattr(entry, f.name, None)) is not None
    }
    return Embedding(
        captions=entry.captions,
        default_lang=default_lang,
        fields=per_photo,
        taken=entry.taken,
        places=places,
        gps=entry.gps if keep_location else None,
    )


def read_original(entry: Entry) -> bytes:
    """The original's bytes, checked against the hash the catalog knows it by."""
    shown = display_path(str(entry.original))
    what = f"photo {entry.id} ({display_path(entry.file_name)})"
    try:
        data = entry.original.read_bytes()
    except FileNotFoundError:
        raise ExportError(f"{what}: its original {shown} is missing") from None
    except OSError as exc:
        raise ExportError(f"{what}: cannot read its original {shown}: {exc.strerror}") from exc
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise ExportError(
            f"{what}: its original {shown} no longer matches the catalog (its SHA-256 "
            "differs); check the archive's fixity before publishing"
        )
    return data


def removed_from(data: bytes, creator: str | None) -> list[str]:
    try:
        return identifying(data, creator)
    except UnreadableMetadata:
        return [UNREAD]  # nothing of it reaches the copy, whatever it was


@functools.cache
def _heif() -> None:
    # Phones deliver HEIC; importing read them through the same plugin.
    with contextlib.suppress(ImportError):
        import pillow_heif

        pillow_heif.register_heif_opener()


def render(data: bytes, max_size: int, quality: int) -> tuple[bytes, int, int]:
    """New JPEG bytes from the original's pixels: upright, fitted, without any of its metadata."""
    _heif()
    with Image.open(io.BytesIO(data)) as original:
        icc = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
    # Pillow writes what an image's info holds (a JPEG comment, for one): start empty.
    image.info = {}
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    image.save(out, "JPEG", quality=quality, optimize=True, **extra)
    return out.getvalue(), image.width, image.height


def verify(data: bytes, keep_location: bool, shown: str) -> None:
    """A written file must carry nothing that identifies the source: else the export stops."""
    allowed = {GPS} if keep_location else set()
    try:
        found = [label for label in identifying(data) if label not in allowed]
    except UnreadableMetadata as exc:
        raise ExportError(f"{shown} cannot be checked after writing: {exc}") from exc
    if found:
        raise ExportError(
            f"{shown} still carries {', '.join(found)} after writing: removed it and stopped"
        )


def _publish_one(
    entry: Entry, target: Path, options: PublishOptions, default_lang: str
) -> Published:
    data = read_original(entry)
    creator = entry.fields.get("creator")
    removed = removed_from(data, creator)
    try:
        pixels, width, height = render(data, options.max_size, options.quality)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        what = f"photo {entry.id} ({display_path(entry.file_name)})"
        raise ExportError(f"{what}: cannot decode its original: {exc}") from exc
    copy, warnings = embed_embedding(pixels, embedding(entry, default_lang, options.keep_location))
    shown = display_path(str(target))
    verify(copy, options.keep_location, shown)
    write_atomic(target, copy, mode=0o644)
    try:
        # What is on disk is what leaves the desk: check that too, not only the bytes sent.
        verify(target.read_bytes(), options.keep_location, shown)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return Published(
        file=target.name,
        photo_id=entry.id,
        original_sha256=entry.sha256,
        width=width,
        height=height,
        languages=entry.languages,
        removed=removed,
        warnings=warnings,
    )


# -- the manifest ---------------------------------------------------------------------


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text  # a spreadsheet must not run it


def write_manifest(result: PublishResult, selection: Selection, options: PublishOptions) -> None:
    files = [asdict(f) | {"size": f"{f.width}x{f.height}"} for f in result.files]
    for listed in files:
        del listed["warnings"]  # the user has read them; the manifest says what the files are
    document = {
        "selection": selection.title,
        "story": selection.story,
        "job_id": selection.job_id,
        "max_size": options.max_size,
        "quality": options.quality,
        "keep_location": options.keep_location,
        "cancelled": result.cancelled,
        "files": files,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomic(result.folder / MANIFEST_JSON, text.encode("utf-8"), mode=0o644)
    columns = ["file", "photo_id", "original_sha256", "width", "height", "languages", "removed"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for f in result.files:
        row = [f.file, f.photo_id, f.original_sha256, f.width, f.height]
        row += [" ".join(f.languages), "; ".join(f.removed)]
        writer.writerow([_cell(v) for v in row])
    write_atomic(result.folder / MANIFEST_CSV, buffer.getvalue().encode("utf-8"), mode=0o644)


# -- the export -----------------------------------------------------------------------


def _check_options(options: PublishOptions) -> None:
    if not 16 <= options.max_size <= 65_000:  # JPEG's own limit is 65,535 pixels a side
        raise ExportError(f"max size {options.max_size} is not between 16 and 65000 pixels")
    if not 1 <= options.quality <= 100:
        raise ExportError(f"quality {options.quality} is not between 1 and 100")
    check_pattern(options.name_pattern)


def missing_originals(entries: list[Entry]) -> None:
    """Name every photo whose original is gone, before any file is written."""
    gone = [e for e in entries if not e.original.is_file()]
    if gone:
        listed = "; ".join(
            f"photo {e.id} ({display_path(e.file_name)}): {display_path(str(e.original))}"
            for e in gone[:5]
        )
        more = f" and {len(gone) - 5} more" if len(gone) > 5 else ""
        raise ExportError(f"original missing for {listed}{more}")


def publish(
    catalog: Catalog,
    selection: Selection,
    out: Path,
    options: PublishOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> PublishResult:
    """Write a publish copy of every selected photo into `out`, and a manifest of them.

    Everything that can be checked is checked before the first file is
    written: the options, the folder, the originals, the names. A cancel
    stops between photos; the manifest then lists the copies written.
    """
    options = options or PublishOptions()
    _check_options(options)
    out = Path(out)
    prepare_folder(out)
    entries = load_chosen(catalog, selection.photo_ids)
    missing_originals(entries)
    names = copy_names(entries, options.name_pattern, selection.story)
    targets = [out / name for name in names]
    check_free([*targets, out / MANIFEST_JSON, out / MANIFEST_CSV], options.overwrite)
    make_folder(out)
    report = progress or (lambda _p: None)
    cancelled = cancel or (lambda: False)
    result = PublishResult(folder=out)
    default_lang = catalog.default_language
    for entry, target in zip(entries, targets, strict=True):
        if cancelled():
            result.cancelled = True
            break
        try:
            result.files.append(_publish_one(entry, target, options, default_lang))
        except OSError as exc:
            raise ExportError(
                f"cannot write {display_path(str(target))}: {exc.strerror or exc}"
            ) from exc
        report(ExportProgress(len(result.files), len(entries), target.name, "written"))
    write_manifest(result, selection, options)
    return result
