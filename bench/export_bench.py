"""Exporting a story of N photos: the HTML and PDF caption sheets, and publish copies.

    python bench/export_bench.py                 # 1,000 photos
    python bench/export_bench.py --n 200 --keep /tmp/export200

Generates N 6-megapixel JPEGs carrying what a partner's camera writes (GPS,
a body serial number, an owner's name), imports them as one story with
English and Korean captions through photodesk's own importer, then times, in
this same process and on the same warm files:

- the HTML sheet (thumbnails inlined) against a floor: reading every
  thumbnail and base64-encoding it, which any self-contained page must do;
- the PDF sheet (the same template laid out by WeasyPrint);
- publish copies (orientation applied, 2048 px, captions embedded, every
  identifying field removed and each file read back to check) against a
  floor: a plain Pillow loop that opens, orients, resizes and saves the same
  originals as 2048 px JPEGs with no metadata and no checks.

Each line prints seconds, photos per second and the ratio to its floor.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageOps

WIDTH, HEIGHT = 3000, 2000
STORY = "Benchmark story"
MAX_SIZE, QUALITY = 2048, 88


def _make(args: tuple[Path, int]) -> None:
    path, seed = args
    rnd = random.Random(seed)
    base = Image.merge(
        "RGB",
        [Image.effect_noise((WIDTH // 8, HEIGHT // 8), 60 + rnd.random() * 20) for _ in range(3)],
    ).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "FUJIFILM", "X-T4"
    exif[0x013B] = "Partner Name"  # Artist
    exif[0x0112] = rnd.choice([1, 1, 1, 6])
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = f"2023:07:{rnd.randint(21, 31):02} {rnd.randint(6, 19):02}:{seed % 60:02}:07"
    sub[0xA431] = f"SN{seed:08}"  # BodySerialNumber
    sub[0xA430] = "Partner Name"  # CameraOwnerName
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (42.0, 25.0, 30.0 + rnd.random())
    gps[3], gps[4] = "E", (130.0, 36.0, 5.0 + rnd.random())
    out = io.BytesIO()
    base.save(out, "JPEG", quality=88, exif=exif.tobytes())
    path.write_bytes(out.getvalue())


def build(folder: Path, n: int) -> Path:
    """N photos with notes, imported as one story; returns the archive's folder."""
    from photodesk.catalog import Catalog
    from photodesk.config import Archive
    from photodesk.ingest import ImportOptions, import_paths
    from photodesk.ingest.notes import load_notes

    photos = folder / "photos"
    photos.mkdir(parents=True)
    with ProcessPoolExecutor() as pool:
        list(pool.map(_make, [(photos / f"IMG_{i:05}.jpg", i) for i in range(n)], chunksize=8))
    with open(photos / "notes.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["file", "language", "headline", "caption", "date", "credit", "creator"])
        for i in range(n):
            name = f"IMG_{i:05}.jpg"
            out.writerow(
                [
                    name,
                    "en",
                    f"Trucks at the Quanhe gate, frame {i}",
                    f"Cargo trucks queue at the gate of the Chinese customs house at Quanhe ({i}).",
                    "late July 2023",
                    "Northline Photo Desk",
                    "a reporting partner",
                ]
            )
            out.writerow(
                [
                    name,
                    "ko",
                    "",
                    f"취안허 세관 정문 앞에 화물 트럭들이 줄지어 서 있다 ({i}).",
                    "",
                    "",
                    "",
                ]
            )
    archive = Archive.locate(folder / "archive")
    with Catalog.open(archive, create=True) as catalog:
        summary = import_paths(
            catalog,
            [str(photos)],
            ImportOptions(notes=load_notes(photos / "notes.csv"), story=STORY),
        )
    if summary.added != n:
        sys.exit(f"imported {summary.added} of {n}: {summary.problems[:3]}")
    return folder / "archive"


def _floor_thumbs(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        base64.b64encode(path.read_bytes())
    return time.perf_counter() - started


def _floor_copies(originals: list[Path], out: Path) -> float:
    out.mkdir()
    started = time.perf_counter()
    for i, path in enumerate(originals):
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((MAX_SIZE, MAX_SIZE), Image.Resampling.LANCZOS)
            im.save(out / f"{i:05}.jpg", "JPEG", quality=QUALITY)
    return time.perf_counter() - started


def _line(what: str, seconds: float, n: int, floor: float | None = None) -> None:
    ratio = f"   {seconds / floor:.2f}x the floor's time" if floor else ""
    print(f"  {what:<44}{seconds:8.2f} s {n / seconds:9.1f} photos/s{ratio}")


def report(root: Path, n: int) -> None:
    from photodesk.catalog import Catalog
    from photodesk.config import Archive
    from photodesk.export import sheet, write_sheet
    from photodesk.export.entries import load
    from photodesk.export.selection import select

    archive = Archive.locate(root)
    out = Path(tempfile.mkdtemp(prefix="photodesk-export-out-"))
    try:
        with Catalog.open(archive) as catalog:
            chosen = select(catalog, story=STORY)
            entries = load(catalog, chosen.photo_ids)
            started = time.perf_counter()
            made = sheet.build(catalog, chosen, "en")
            built = time.perf_counter() - started
        thumbs = [e.thumbnail for e in entries if e.thumbnail]
        originals = [e.original for e in entries]
        print(f"\nA story of {len(entries):,} photos ({WIDTH}x{HEIGHT} JPEGs):")
        _line("reading the story into a sheet", built, len(entries))
        floor = _floor_thumbs(thumbs)
        _line("floor: read and base64 every thumbnail", floor, len(entries))
        started = time.perf_counter()
        write_sheet(made, "html", out / "sheet.html")
        html = time.perf_counter() - started
        _line("HTML sheet, thumbnails inlined", html, len(entries), floor)
        size = (out / "sheet.html").stat().st_size / 1e6
        print(f"  {'':<44}({size:.1f} MB)")
        try:
            started = time.perf_counter()
            write_sheet(made, "pdf", out / "sheet.pdf")
            _line("PDF sheet", time.perf_counter() - started, len(entries))
        except Exception as exc:  # a machine without Pango: say so, go on
            print(f"  PDF sheet: not measured ({exc})")
        floor = _floor_copies(originals, out / "floor")
        _line(f"floor: Pillow open, orient, {MAX_SIZE} px, save", floor, len(entries))
        publish_copies(archive, out / "copies", len(entries), floor)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def publish_copies(archive: object, out: Path, n: int, floor: float) -> None:
    from photodesk.catalog import Catalog
    from photodesk.export.publish import PublishOptions, publish
    from photodesk.export.selection import select

    with Catalog.open(archive) as catalog:  # type: ignore[arg-type]
        chosen = select(catalog, story=STORY)
        started = time.perf_counter()
        result = publish(catalog, chosen, out, PublishOptions(max_size=MAX_SIZE, quality=QUALITY))
        seconds = time.perf_counter() - started
    _line("publish copies (embedded, stripped, re-read)", seconds, n, floor)
    print(f"  {'':<44}({result.summary()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="photos in the story")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix=f"photodesk-export-{args.n}-"))
    try:
        root = folder / "archive"
        if not (root / "catalog.db").exists():
            started = time.perf_counter()
            build(folder, args.n)
            print(
                f"{args.n:,} photos generated and imported in {time.perf_counter() - started:.1f} s"
            )
        report(root, args.n)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
