"""Browse while importing: how soon a batch is catalogued, and how soon its thumbnails exist.

Generates N 12-megapixel JPEGs with EXIF and an embedded EXIF thumbnail (the
generator of import_bench.py), then, in one run, on the same folder (warm in
the page cache for everyone), times:

  catalogued   photodesk import until all N photos are listed and searchable (phase 1)
  thumbnails   the same import until every real 512 px thumbnail exists (the whole import)
  tools        exiftool -json, vipsthumbnail and sha256sum, each split over all cores
  floor        the same files hashed, draft-decoded and thumbnailed by a plain Pillow
               loop in as many processes as cores, with no catalog

Targets: catalogued in at most a fifth of the whole import; the whole import at
least 0.9x the floor's speed and 1.5x the tools'.

Each round runs all four, one after another, so drift in the machine's speed
hits every side; each round's figures are printed, then each side's best. On
a freshly started virtual machine, memory the guest has never touched costs a
fault in the host the first time, and writing the 1.1 GB of archive copies pays
most of it; memory freed between rounds may go back to the host and cost it
again. `--touch-memory GB` touches that much memory once before timing, as on a
machine that has been up for a while; the figures with and without it show what
the copies cost there.

    python bench/two_phase_bench.py --n 300 [--in-place] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from photodesk.ingest.thumbnails import RESAMPLE, THUMB_SIZE

sys.path.insert(0, str(Path(__file__).parent))
from import_bench import HEIGHT, WIDTH, _warm, generate, tools_pipeline

# Run in a fresh interpreter per import, as the CLI would be, reporting its own times:
# the moment the last file of phase 1 is committed, and the end.
_IMPORT = """
import json, sys, time
started = time.perf_counter()
from photodesk.catalog import Catalog
from photodesk.config import Archive
from photodesk.ingest import ImportOptions, import_paths
seen = {}
def heard(p):
    if p.phase == "catalogue" and p.done == p.total:
        seen["catalogued"] = time.perf_counter() - started
archive = Archive.locate(sys.argv[1])
with Catalog.open(archive) as catalog:
    s = import_paths(catalog, [sys.argv[2]], ImportOptions(copy=sys.argv[3] == "copy"), heard)
    count = catalog.db.execute("SELECT count(*) FROM photos").fetchone()[0]
    done = catalog.db.execute(
        "SELECT count(*) FROM photos WHERE thumb_pending IS NULL AND thumb_path IS NOT NULL"
    ).fetchone()[0]
print(json.dumps({"catalogued": seen.get("catalogued"), "total": time.perf_counter() - started,
                  "photos": count, "thumbnails": done, "failed": s.failed}))
"""


def photodesk(folder: Path, scratch: Path, mode: str) -> dict[str, float]:
    archive = scratch / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(archive), str(folder), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.rmtree(archive, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _floor_one(args: tuple[str, str]) -> None:
    path, out = args
    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    image = Image.open(io.BytesIO(data))
    # The same pixel work as photodesk's thumbnails (size, filter), with nothing else.
    image.draft("RGB", (THUMB_SIZE, THUMB_SIZE))
    image.thumbnail((THUMB_SIZE, THUMB_SIZE), RESAMPLE, reducing_gap=2.0)
    image.convert("RGB").save(f"{out}/{sha}.jpg", "JPEG", quality=82)


def floor(files: list[Path], scratch: Path, cores: int) -> float:
    out = scratch / "floor"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_floor_one, [(str(f), str(out)) for f in files], chunksize=1))
    return time.perf_counter() - start


def touch_memory(gib: float) -> None:
    """Touch `gib` GiB of memory once and give it back: the host backs it from then on."""
    size = int(gib * (1 << 30))
    block = mmap.mmap(-1, size)
    for offset in range(0, size, mmap.PAGESIZE):
        block[offset] = 1
    block.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="how many 12-megapixel JPEGs")
    parser.add_argument("--dir", type=Path, help="keep generated photos here (reused if present)")
    parser.add_argument("--rounds", type=int, default=3, help="alternate rounds; best is kept")
    parser.add_argument("--in-place", action="store_true", help="import --in-place (no copies)")
    parser.add_argument(
        "--touch-memory",
        type=float,
        default=0,
        metavar="GB",
        help="touch this much memory once before timing (a fresh virtual machine)",
    )
    args = parser.parse_args()
    for tool in ("exiftool", "vipsthumbnail", "sha256sum"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found (apt-get install libimage-exiftool-perl libvips-tools)")
    scratch = Path(tempfile.mkdtemp(prefix="photodesk-2phase-"))
    folder = args.dir or scratch / "photos"
    mode = "in-place" if args.in_place else "copy"
    try:
        size = generate(folder, args.n)
        files = sorted(folder.glob("*.JPG"))[: args.n]
        cores = os.cpu_count() or 1
        print(
            f"{args.n} JPEGs, {WIDTH}x{HEIGHT}, {size / len(files) / 1e6:.1f} MB each; "
            f"{cores} cores; photodesk --{mode}"
        )
        _warm(files)
        if args.touch_memory:
            touch_memory(args.touch_memory)
            print(f"touched {args.touch_memory:g} GiB of memory before timing")
        best: dict[str, float] = {}
        for r in range(args.rounds):  # alternate, so drift in machine speed hits every side
            found = photodesk(folder, scratch, mode)
            assert found["photos"] == found["thumbnails"] == args.n, found
            this = {
                "catalogued": found["catalogued"],
                "thumbnails (whole import)": found["total"],
                "tools": sum(tools_pipeline(files, scratch, cores).values()),
                "floor": floor(files, scratch, cores),
            }
            print(f"round {r + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in this.items()))
            for name, seconds in this.items():
                best[name] = min(best.get(name, float("inf")), seconds)
        print(f"{'best of ' + str(args.rounds):<28}{'seconds':>9}{'photos/s':>10}")
        for name, seconds in best.items():
            print(f"{name:<28}{seconds:>9.2f}{args.n / seconds:>10.1f}")
        whole = best["thumbnails (whole import)"]
        print(f"catalogued / whole import: {best['catalogued'] / whole:.2f} (target <= 0.20)")
        print(f"whole import / floor: {best['floor'] / whole:.2f}x speed (target >= 0.90)")
        print(f"whole import / tools: {best['tools'] / whole:.2f}x speed (target >= 1.50)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
