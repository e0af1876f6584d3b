"""Import throughput: photodesk against the best pipeline of existing tools.

Generates N 12-megapixel JPEGs with EXIF, then, in this same run and on the
same folder (warm in the page cache for everyone), times:

  photodesk   `photodesk import` into a fresh archive (--in-place, and the default --copy)
  tools       exiftool -json, vipsthumbnail and sha256sum, each split over all cores

and prints photos per second for each and the ratio photodesk / tools, plus
photodesk's peak memory (largest process) on the full set and on a third of
it, to show memory does not grow with N.

    python bench/import_bench.py --n 300

Needs exiftool and vipsthumbnail (Debian: libimage-exiftool-perl, libvips-tools).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 4000, 3000


def _make(args: tuple[Path, int]) -> int:
    path, seed = args
    rnd = random.Random(seed)
    # Smooth colour fields plus fine noise: compresses like a photo (a few MB at q90).
    base = Image.merge(
        "RGB",
        [Image.effect_noise((WIDTH // 8, HEIGHT // 8), 60 + rnd.random() * 20) for _ in range(3)],
    ).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((WIDTH, HEIGHT), 12).convert("RGB")
    image = Image.blend(base, grain, 0.25)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "FUJIFILM", "X-T4"
    exif[0x0112] = rnd.choice([1, 1, 1, 6])
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = f"2023:07:{rnd.randint(21, 31):02} {rnd.randint(6, 19):02}:{seed % 60:02}:07"
    sub[0x9011] = "+08:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (42.0, 25.0, 30.0 + rnd.random())
    gps[3], gps[4] = "E", (130.0, 36.0, 5.0 + rnd.random())
    # Cameras embed a 160x120 EXIF thumbnail: the preview the import shows first.
    small = io.BytesIO()
    image.resize((160, 120), Image.Resampling.BILINEAR).save(small, "JPEG", quality=80)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=_with_thumbnail(exif.tobytes(), small.getvalue()))
    path.write_bytes(out.getvalue())
    return len(out.getvalue())


def _with_thumbnail(exif: bytes, thumbnail: bytes) -> bytes:
    """EXIF with `thumbnail` in IFD1, which Pillow reads but does not write."""
    tiff = bytearray(exif[6:])  # after b"Exif\0\0"
    e = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack_from(e + "I", tiff, 4)[0]
    entries = struct.unpack_from(e + "H", tiff, ifd0)[0]
    ifd1 = len(tiff)
    struct.pack_into(e + "I", tiff, ifd0 + 2 + 12 * entries, ifd1)
    tiff += struct.pack(e + "H", 2)
    tiff += struct.pack(e + "HHII", 0x0201, 4, 1, ifd1 + 30)
    tiff += struct.pack(e + "HHII", 0x0202, 4, 1, len(thumbnail))
    tiff += struct.pack(e + "I", 0) + thumbnail
    return exif[:6] + bytes(tiff)


def generate(folder: Path, n: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    todo = [
        (folder / f"IMG_{i:05}.JPG", i)
        for i in range(n)
        if not (folder / f"IMG_{i:05}.JPG").exists()
    ]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_make, todo, chunksize=4))
    return sum(p.stat().st_size for p in folder.glob("*.JPG"))


def _warm(files: list[Path]) -> None:
    for f in files:
        with f.open("rb") as fh:
            while fh.read(1 << 22):
                pass


def _tree_peak_kib(root: int) -> int:
    """Largest peak RSS (VmHWM) among `root` and its descendants, read from /proc."""
    parents: dict[int, int] = {}
    peaks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields["PPid"])
        if "VmHWM" in fields:
            peaks[pid] = int(fields["VmHWM"].split()[0])
    best = 0
    for pid, peak in peaks.items():
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            best = max(best, peak)
    return best


def _timed(cmd: list[str], sample: bool = False) -> tuple[float, int]:
    """Wall seconds and peak RSS in KiB of the largest process in the command's tree.

    Worker processes are reaped by the forkserver, not by us, so wait4's
    rusage would miss them: sample /proc while the command runs instead, in
    runs that are not timed (the sampling itself costs CPU).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while sample and proc.poll() is None:
        peak = max(peak, _tree_peak_kib(proc.pid))
        time.sleep(0.05)
    proc.wait()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd[:4])} …: {proc.stderr.read().decode()[-500:]}")
    return elapsed, peak


def _split(files: list[Path], parts: int) -> list[list[str]]:
    return [[str(f) for f in files[i::parts]] for i in range(parts)]


def _parallel(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    procs = [
        subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in commands
    ]
    for p in procs:
        if p.wait() != 0:
            sys.exit(f"failed: {' '.join(p.args[:3])}")
    return time.perf_counter() - start


def tools_pipeline(files: list[Path], scratch: Path, cores: int) -> dict[str, float]:
    out = scratch / "vips"
    out.mkdir(parents=True, exist_ok=True)
    parts = _split(files, cores)
    return {
        "exiftool": _parallel([["exiftool", "-json", *p] for p in parts]),
        "vipsthumbnail": _parallel(
            [["vipsthumbnail", "--size", "512", "-o", f"{out}/%s.jpg", *p] for p in parts]
        ),
        "sha256sum": _parallel([["sha256sum", *p] for p in parts]),
    }


def photodesk_import(
    folder: Path, scratch: Path, *extra: str, sample: bool = False
) -> tuple[float, int, dict]:
    archive = scratch / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "photodesk",
        "--archive",
        str(archive),
        "import",
        str(folder),
        "--json",
        *extra,
    ]
    seconds, rss = _timed(cmd, sample)
    result = subprocess.run(
        [sys.executable, "-m", "photodesk", "--archive", str(archive), "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    count = len(json.loads(result.stdout))
    shutil.rmtree(archive, ignore_errors=True)
    return seconds, rss, {"catalogued": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="how many 12-megapixel JPEGs")
    parser.add_argument("--dir", type=Path, help="keep generated photos here (reused if present)")
    parser.add_argument("--rounds", type=int, default=2, help="alternate rounds; best is kept")
    args = parser.parse_args()
    for tool in ("exiftool", "vipsthumbnail", "sha256sum"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found (apt-get install libimage-exiftool-perl libvips-tools)")

    scratch = Path(tempfile.mkdtemp(prefix="photodesk-bench-"))
    folder = args.dir or scratch / "photos"
    try:
        size = generate(folder, args.n)
        files = sorted(folder.glob("*.JPG"))[: args.n]
        if len(files) != args.n:
            sys.exit(f"{folder} holds {len(files)} photos, not {args.n}")
        subset = scratch / "third"
        subset.mkdir()
        for f in files[: max(1, args.n // 3)]:
            os.symlink(f, subset / f.name)
        cores = os.cpu_count() or 1
        print(f"{args.n} JPEGs, {WIDTH}x{HEIGHT}, {size / args.n / 1e6:.1f} MB each; {cores} cores")
        _warm(files)

        best: dict[str, float] = {}
        for _ in range(args.rounds):  # alternate, so drift in machine speed hits both sides
            for name, fn in (
                ("photodesk --in-place", lambda: photodesk_import(folder, scratch, "--in-place")),
                ("tools", lambda: sum(tools_pipeline(files, scratch, cores).values())),
                ("photodesk --copy", lambda: photodesk_import(folder, scratch)),
            ):
                out = fn()
                seconds = out[0] if isinstance(out, tuple) else out
                if isinstance(out, tuple):
                    assert out[2]["catalogued"] == args.n, out
                best[name] = min(best.get(name, float("inf")), seconds)
        parts = tools_pipeline(files, scratch, cores)
        _, rss_full, _ = photodesk_import(folder, scratch, "--in-place", sample=True)
        _, rss_third, _ = photodesk_import(subset, scratch, "--in-place", sample=True)

        print(f"{'pipeline':<22}{'seconds':>9}{'photos/s':>10}")
        for name, seconds in best.items():
            print(f"{name:<22}{seconds:>9.2f}{args.n / seconds:>10.1f}")
        print("tools, last round: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))
        for name in ("photodesk --in-place", "photodesk --copy"):
            print(f"ratio {name} / tools: {best['tools'] / best[name]:.2f}x throughput")
        print(
            f"peak memory photodesk --in-place: {rss_full / 1024:.0f} MiB "
            f"for {args.n} photos, {rss_third / 1024:.0f} MiB for {len(list(subset.iterdir()))}"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
