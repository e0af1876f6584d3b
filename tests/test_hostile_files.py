"""No file may stop, hang or poison an import: each is read on budgets, and the batch goes on.

One test per class of hostile or rare input, each built here: a sparse 30 GB
file, a pixel bomb under a small memory budget, a step that never ends under
a tiny time budget, an EXIF block whose entries fan out over one large IFD,
XMP-like noise, FIFOs and devices named like photos, XMP in UTF-16 and
UTF-32, impossible GPS, sidecars that cannot be opened, files that grow
while they are read. The assertions are on the catalog and the summary.
"""

from __future__ import annotations

import functools
import io
import os
import re
import signal

import pytest
from PIL import Image

from imagegen import (
    bmp_bytes,
    fanout_exif_jpeg,
    gps_exif_jpeg,
    insert_segment,
    jpeg_bytes,
    png_with_chunk,
    write,
    xmp_noise,
    xmp_packet,
    zeros_png,
)
from photodesk.config import MAX_FILE_SIZE_ENV, MEMORY_BUDGET_ENV, TIME_BUDGET_ENV, Archive
from photodesk.ingest import import_paths, pool, worker
from photodesk.metadata import exif, xmp
from photodesk.metadata.xmp import find_packet, parse_xmp

# -- what workers run instead of the real reader (importable: workers unpickle it by name)


def _stalled_inspect(job: worker.Job) -> worker.Inspected:
    """A reader that never finishes decoding files named *stall*, stuck in C with the GIL held."""
    if "stall" in os.path.basename(job.path):
        worker.step("decode")
        re.match(r"(a+)+$", "a" * 64 + "!")
    return worker.inspect(job)


def _growing_inspect(job: worker.Job) -> worker.Inspected:
    """A reader during whose reads a writer appends to *grows* files (once for *once*)."""
    name = os.path.basename(job.path)
    real = worker._read_upto
    appended = []

    def read_while_written(fd: int, count: int) -> bytes:
        data = real(fd, count)
        if "grows" in name and not ("once" in name and appended):
            with open(job.path, "ab") as f:
                f.write(b"\x00" * 1000)
            appended.append(1000)
        return data

    worker._read_upto = read_while_written
    try:
        return worker.inspect(job)
    finally:
        worker._read_upto = real


@pytest.fixture(autouse=True)
def _no_hang():
    """A regression here would hang the suite: fail the test instead."""

    def expired(_signum, _frame):
        pytest.fail("still running after 60 s: something blocked or never ended")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 60)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def reading_with(monkeypatch):
    """Have imports read with `work` in their workers."""

    def use(work) -> None:
        monkeypatch.setattr(pool, "crew", functools.partial(pool.crew, work=work))

    return use


def _problems(summary) -> dict[str, str]:
    return {os.path.basename(p["path"]): p["reason"] for p in summary.problems}


def _warnings(summary) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for w in summary.warnings:
        found.setdefault(os.path.basename(w["path"]), []).append(w["reason"])
    return found


def _photo(catalog, name: str) -> dict | None:
    rows = list(catalog.db.query("SELECT * FROM photos WHERE file_name = ?", [name]))
    return rows[0] if rows else None


def _recorded_problems(catalog, run_id: int) -> set[tuple[str, str]]:
    rows = catalog.db.execute(
        "SELECT path, severity FROM import_problems WHERE run_id = ?", [run_id]
    ).fetchall()
    return {(os.path.basename(path), severity) for path, severity in rows}


# -- 1. size and memory ------------------------------------------------------------


def _sparse(path, size: int, head: bytes = b"\xff\xd8\xff\xe0") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(head)
    os.truncate(path, size)  # a hole: no disk used, nothing to read but zeros


def test_a_sparse_30_gb_jpeg_is_refused_before_it_is_read(catalog, tmp_path):
    _sparse(tmp_path / "in" / "huge.jpg", 30 << 30)
    write(tmp_path / "in" / "good.jpg", jpeg_bytes(seed=1))
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert _problems(s) == {
        "huge.jpg": "the file is 30 GiB, larger than the 512 MiB limit: not read"
    }
    assert s.added == 1 and _photo(catalog, "good.jpg") is not None
    assert _recorded_problems(catalog, s.run_id) == {("huge.jpg", "error")}
    assert catalog.db["import_runs"].get(s.run_id)["status"] == "finished"


def test_over_the_memory_budget_a_file_is_a_problem_and_its_worker_replaced(
    catalog, tmp_path, monkeypatch
):
    # Limits set as the environment sets them for every process of an import.
    monkeypatch.setenv(MAX_FILE_SIZE_ENV, "64G")
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "256M")
    _sparse(tmp_path / "in" / "1-sparse.jpg", 1 << 30)  # 1 GiB read into 256 MiB
    write(tmp_path / "in" / "2-bomb.png", zeros_png(8000, 8000))  # 256 MB of pixels
    for i in range(3, 6):
        write(tmp_path / "in" / f"{i}.jpg", jpeg_bytes(seed=10 + i))
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert _problems(s) == {
        "1-sparse.jpg": "needed more than 256 MiB of memory to read the file",
        "2-bomb.png": "needed more than 256 MiB of memory to decode its pixels",
    }
    assert s.added == 3
    assert catalog.db["import_runs"].get(s.run_id)["status"] == "finished"


# -- 1. time -----------------------------------------------------------------------


def test_a_step_past_the_time_budget_is_that_files_problem(
    catalog, tmp_path, monkeypatch, reading_with
):
    monkeypatch.setenv(TIME_BUDGET_ENV, "1")
    reading_with(_stalled_inspect)
    for i in range(6):
        name = "2-stall.jpg" if i == 2 else f"{i}.jpg"
        write(tmp_path / "in" / name, jpeg_bytes(seed=20 + i))
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert _problems(s) == {"2-stall.jpg": "took longer than 1 s to decode its pixels"}
    assert s.added == 5  # the batch went on, on a replacement worker
    assert catalog.db["import_runs"].get(s.run_id)["status"] == "finished"


def test_budget_settings_that_are_not_numbers_are_one_line_errors(run, tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=30))
    for option, value, said in [
        ("--memory-budget", "lots", "'lots' is not a size"),
        ("--time-budget", "-3", "'-3' is not a number of seconds above zero"),
        ("--memory-budget", "1M", "the memory budget must be at least 256 MiB"),
    ]:
        result = run("import", str(tmp_path / "in"), option, value, ok=False)
        assert said in result.output
    monkeypatch.setenv(MAX_FILE_SIZE_ENV, "big")
    result = run("import", str(tmp_path / "in"), ok=False)
    assert f"${MAX_FILE_SIZE_ENV}: 'big' is not a size" in result.output


# -- 1. EXIF fan-out and XMP noise ---------------------------------------------------


def test_an_exif_block_fanning_out_over_one_ifd_is_read_in_bounded_work(
    catalog, tmp_path, monkeypatch
):
    from exifread.core.exif_header import ExifHeader

    data = fanout_exif_jpeg(k=2500, m=2500)
    assert len(data) < 128_000  # the ~60 KB block of the report
    reads = []
    real_s2n = ExifHeader.s2n

    def counted(self, *args, **kwargs):
        reads.append(1)
        return real_s2n(self, *args, **kwargs)

    monkeypatch.setattr(ExifHeader, "s2n", counted)
    facts = exif.read_exif(data, Image.open(io.BytesIO(data)))
    assert facts.make == "FUJIFILM"
    # Each IFD entry looked at about once, not K×M = 6,250,000 times.
    assert len(reads) < 4 * (2500 + 2500)
    monkeypatch.undo()

    write(tmp_path / "in" / "fanout.jpg", data)
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert s.added == 1 and _photo(catalog, "fanout.jpg")["camera_make"] == "FUJIFILM"


class _Scanned(bytes):
    """Bytes that count how many of them a search looked at."""

    looked = 0

    def find(self, sub, start=0, end=None):  # type: ignore[override]
        end = len(self) if end is None else min(end, len(self))
        found = super().find(sub, start, end)
        _Scanned.looked += max(0, (found + len(sub) if found >= 0 else end) - start)
        return found

    def rfind(self, sub, start=0, end=None):  # type: ignore[override]
        end = len(self) if end is None else min(end, len(self))
        found = super().rfind(sub, start, end)
        _Scanned.looked += max(0, end - (found if found >= 0 else start))
        return found


def _looked_at(data: bytes) -> int:
    _Scanned.looked = 0
    find_packet(_Scanned(data))
    return _Scanned.looked


# Every byte at most three times per encoding and root element: forward for the opening
# and for the closing tag, backward for the packet's own opening.
_PASSES = 3 * len(xmp._ENCODINGS) * len(xmp._ROOTS)


def test_the_xmp_search_is_linear_and_bounded(catalog, tmp_path, monkeypatch):
    small, large = xmp_noise(1 << 20), xmp_noise(4 << 20)
    closed = large + b"</x:xmpmeta>"  # a closing tag makes every opening before it a candidate
    assert find_packet(small) is None
    assert _looked_at(small) <= _PASSES * len(small)
    assert _looked_at(large) <= _PASSES * len(large)
    assert _looked_at(closed) <= _PASSES * len(closed)
    # Past the limits, no more is read however large the file.
    monkeypatch.setattr(xmp, "SCAN_LIMIT", 64 << 10)
    monkeypatch.setattr(xmp, "PACKET_LIMIT", 64 << 10)
    assert _looked_at(large) <= _PASSES * (128 << 10)
    monkeypatch.undo()

    # A packet past the noise is still found, and the noisy PNG imports.
    packet = xmp_packet(headline="Found")
    assert parse_xmp(find_packet(xmp_noise(50_000) + packet.encode()))["headline"] == "Found"
    write(tmp_path / "in" / "noise.png", png_with_chunk(b"nOiS", xmp_noise(2 << 20)))
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert s.added == 1 and not s.problems


# -- 1. FIFOs and devices ----------------------------------------------------------


def test_a_fifo_named_like_a_photo_is_a_problem_not_a_hang(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv(TIME_BUDGET_ENV, "10")  # a hang would show as a timeout, not forever
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=40))
    os.mkfifo(tmp_path / "in" / "pipe.jpg")
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert "FIFO" in _problems(s)["pipe.jpg"]
    assert s.added == 1


def test_a_fifo_swapped_in_after_the_scan_is_a_problem_not_a_hang(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv(TIME_BUDGET_ENV, "10")
    for i in range(10):
        write(tmp_path / "in" / f"{i}.jpg", jpeg_bytes(seed=50 + i))
    swapped = tmp_path / "in" / "9.jpg"

    def swap(progress) -> None:
        if progress.outcome == "added" and swapped.is_file():
            swapped.unlink()  # long after the scan, before any worker reaches it
            os.mkfifo(swapped)

    s = import_paths(catalog, [str(tmp_path / "in")], progress=swap)
    assert _problems(s) == {"9.jpg": "a named pipe (FIFO), not an image file: not read"}
    assert s.added == 9


def test_a_device_is_refused_by_what_it_is_not_read(tmp_path):
    job = worker.Job("/dev/zero", 0, 0, Archive(tmp_path), copy=False)
    result = worker.inspect(job)  # /dev/zero never ends: reading it would never return
    assert (result.status, result.reason) == ("problem", "a device, not an image file: not read")


# -- 4 (growing files) -------------------------------------------------------------


def test_a_file_growing_while_read_is_retried_once_then_a_problem(catalog, tmp_path, reading_with):
    reading_with(_growing_inspect)
    write(tmp_path / "in" / "a-grows-once.jpg", jpeg_bytes(seed=60))
    write(tmp_path / "in" / "b-grows.jpg", jpeg_bytes(seed=61))
    write(tmp_path / "in" / "c.jpg", jpeg_bytes(seed=62))
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert _problems(s) == {
        "b-grows.jpg": "the file changed while it was read (is it still being written?)"
    }
    assert s.added == 2
    # The retried file is recorded at the size of the bytes stored, which is its size now.
    on_disk = (tmp_path / "in" / "a-grows-once.jpg").stat().st_size
    photo = _photo(catalog, "a-grows-once.jpg")
    stored = catalog.archive.resolve(photo["original_path"]).stat().st_size
    source = catalog.db.execute(
        "SELECT size FROM source_files WHERE photo_id = ?", [photo["id"]]
    ).fetchone()[0]
    assert photo["file_size"] == stored == source == on_disk


# -- 3. GPS ------------------------------------------------------------------------


def test_impossible_gps_is_dropped_with_a_warning(catalog, tmp_path):
    files = {
        "sound.jpg": gps_exif_jpeg((42, 25, 30.5), "N", (130, 36, 5.25), "E"),
        "minutes.jpg": gps_exif_jpeg((42, 75, 0), "N", (130, 36, 5), "E"),
        "seconds.jpg": gps_exif_jpeg((42, 25, 60), "N", (130, 36, 5), "E"),
        "ref.jpg": gps_exif_jpeg((42, 25, 30), "X", (130, 36, 5), "E"),
        "axis.jpg": gps_exif_jpeg((42, 25, 30), "N", (130, 36, 5), "N"),
    }
    for name, data in files.items():
        write(tmp_path / "in" / name, data)
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert s.added == 5 and not s.problems
    sound = _photo(catalog, "sound.jpg")
    assert sound["gps_lat"] == pytest.approx(42 + 25 / 60 + 30.5 / 3600)
    assert sound["gps_lon"] == pytest.approx(130 + 36 / 60 + 5.25 / 3600)
    for name in ("minutes.jpg", "seconds.jpg", "ref.jpg", "axis.jpg"):
        row = _photo(catalog, name)
        assert (row["gps_lat"], row["gps_lon"], row["gps_alt"]) == (None, None, None), name
    assert _warnings(s) == {
        "minutes.jpg": [
            "GPS latitude 42° 75′ 0″ has minutes or seconds of 60 or more: position not stored"
        ],
        "seconds.jpg": [
            "GPS latitude 42° 25′ 60″ has minutes or seconds of 60 or more: position not stored"
        ],
        "ref.jpg": ["GPS latitude reference 'X' is not N or S: position not stored"],
        "axis.jpg": ["GPS longitude reference 'N' is not E or W: position not stored"],
    }
    assert ("minutes.jpg", "warning") in _recorded_problems(catalog, s.run_id)


# -- 4 (sidecars) ------------------------------------------------------------------


def test_a_sidecar_that_cannot_be_opened_is_a_warning_and_the_photo_imports(catalog, tmp_path):
    folder = tmp_path / "in"
    long_name = "a" * (255 - len(".jpg")) + ".jpg"  # the longest name: no room for ".xmp"
    write(folder / long_name, jpeg_bytes(seed=70))
    write(folder / "loop.jpg", jpeg_bytes(seed=71))
    os.symlink("loop.xmp", folder / "loop.xmp")  # a sidecar that is a link to itself
    write(folder / "huge.jpg", jpeg_bytes(seed=72))
    _sparse(folder / "huge.xmp", 20 << 20, head=b"<x:xmpmeta")
    write(folder / "fine.jpg", jpeg_bytes(seed=73))
    write(folder / "fine.xmp", xmp_packet(headline="From the sidecar").encode())
    s = import_paths(catalog, [str(folder)])
    for name in (long_name, "loop.jpg", "huge.jpg", "fine.jpg"):
        assert _photo(catalog, name) is not None, name
    warned = _warnings(s)
    assert warned[long_name] == ["cannot look for its sidecar: File name too long"]
    assert warned["loop.jpg"] == ["cannot look for its sidecar: Too many levels of symbolic links"]
    assert warned["huge.jpg"] == [
        "its sidecar is 20 MiB, larger than the 16 MiB limit: not read "
        "(huge.xmp); imported without it"
    ]
    assert "fine.jpg" not in warned
    fine = _photo(catalog, "fine.jpg")
    headline = catalog.db.execute(
        "SELECT headline FROM captions WHERE photo_id = ?", [fine["id"]]
    ).fetchone()[0]
    assert headline == "From the sidecar"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_sidecar_is_a_warning(catalog, tmp_path):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(seed=74))
    sidecar = write(tmp_path / "in" / "a.xmp", xmp_packet(headline="Hidden").encode())
    sidecar.chmod(0)
    s = import_paths(catalog, [str(tmp_path / "in")])
    assert s.added == 1
    assert _warnings(s)["a.jpg"] == [
        "cannot read its sidecar: Permission denied (a.xmp); imported without it"
    ]


# -- 10. XMP in UTF-16 and UTF-32 --------------------------------------------------

_ENCODINGS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
_BOMS = {
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-32-be": b"\x00\x00\xfe\xff",
}
_PACKET = xmp_packet(
    description={"ko": "훈춘 취안허 세관", "en": "Quanhe customs house"},
    headline="Trucks at the gate",
    credit="Partner / Agency",
)


@pytest.mark.parametrize("encoding", _ENCODINGS)
@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
def test_xmp_in_utf16_and_utf32_parses(encoding, bom):
    raw = (_BOMS[encoding] if bom else b"") + _PACKET.encode(encoding)
    found = parse_xmp(raw)
    assert found["headline"] == "Trucks at the gate"
    assert found["credit"] == "Partner / Agency"
    assert found["description"] == {"ko": "훈춘 취안허 세관", "en": "Quanhe customs house"}


def test_xmp_in_utf16_and_utf32_is_imported_embedded_and_in_sidecars(catalog, tmp_path):
    folder = tmp_path / "in"
    for i, encoding in enumerate(_ENCODINGS):
        packet = _PACKET.encode(encoding)
        app1 = b"http://ns.adobe.com/xap/1.0/\x00" + packet
        write(folder / f"{encoding}-app1.jpg", insert_segment(jpeg_bytes(seed=80 + i), 0xE1, app1))
        # BMP has no place for XMP that Pillow knows: the packet is found by searching.
        write(folder / f"{encoding}-tail.bmp", bmp_bytes(seed=90 + i) + packet)
        write(folder / f"{encoding}-side.jpg", jpeg_bytes(seed=100 + i))
        write(folder / f"{encoding}-side.xmp", _BOMS[encoding] + packet)
    s = import_paths(catalog, [str(folder)])
    assert s.added == 12 and not s.problems
    rows = catalog.db.execute(
        "SELECT p.file_name, c.lang, c.headline, c.description, p.credit "
        "FROM photos p JOIN captions c ON c.photo_id = p.id"
    ).fetchall()
    found = {
        (name, lang): (headline, description, credit)
        for name, lang, headline, description, credit in rows
    }
    for encoding in _ENCODINGS:
        for name in (f"{encoding}-app1.jpg", f"{encoding}-tail.bmp", f"{encoding}-side.jpg"):
            assert found[(name, "ko")] == (None, "훈춘 취안허 세관", "Partner / Agency"), name
            # The headline has no language of its own: it is filed under the archive's.
            assert found[(name, "en")] == (
                "Trucks at the gate",
                "Quanhe customs house",
                "Partner / Agency",
            ), name
