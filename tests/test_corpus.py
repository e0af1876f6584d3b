"""Import the real-file corpus and compare with exiftool's reading of it.

Runs when PHOTODESK_CORPUS names the folder (CI sets it); skipped otherwise.
Prints the agreement per field; the acceptance is 100 %.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from photodesk.catalog import Catalog, photos
from photodesk.config import Archive
from photodesk.ingest import import_paths

pytestmark = pytest.mark.corpus
FIELDS = (
    "width",
    "height",
    "taken",
    "gps_lat",
    "gps_lon",
    "make",
    "model",
    "caption",
    "headline",
    "creator",
    "credit",
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    value = os.environ.get("PHOTODESK_CORPUS")
    if not value or not (Path(value) / "expected.csv").is_file():
        pytest.skip("PHOTODESK_CORPUS is not set")
    corpus = Path(value).resolve()
    rows = list(csv.DictReader((corpus / "expected.csv").open(encoding="utf-8")))
    archive = Archive.locate(tmp_path_factory.mktemp("corpus") / "archive")
    with Catalog.open(archive) as catalog:
        summary = import_paths(catalog, [str(corpus)])
        by_path = {}
        for path, photo_id in catalog.db.execute("SELECT path, photo_id FROM source_files"):
            by_path[str(Path(path).relative_to(corpus))] = photos.get(
                catalog.db, photo_id, catalog.default_language
            )
        problems = {
            str(Path(r["path"]).relative_to(corpus)): r["reason"]
            for r in catalog.db["import_problems"].rows_where("severity = 'error'")
        }
    return corpus, rows, summary, by_path, problems


def _actual(photo: dict, name: str):
    if name == "taken":
        return (photo["taken_start"] or "")[:19] if photo["taken_source"] == "exif" else ""
    if name in ("make", "model"):
        return photo["camera_" + name]
    return photo[name]


def _agrees(name: str, actual, expected: str, row: dict) -> bool:
    if name in ("gps_lat", "gps_lon"):
        return actual is not None and abs(actual - float(expected)) <= 1e-5
    if name in ("width", "height"):
        return actual == int(expected)
    if name == "caption":
        return actual in (row["caption"], row["caption_alt"])
    return actual == expected


def test_every_file_is_accounted_for(imported):
    corpus, rows, summary, by_path, problems = imported
    on_disk = sum(1 for p in corpus.rglob("*") if p.is_file() or p.is_symlink())
    assert summary.total == on_disk
    lost = [
        r["path"]
        for r in rows
        if r["expect"] in ("import", "either", "problem")
        and r["path"] not in by_path
        and r["path"] not in problems
    ]
    assert lost == []


def test_problem_files_are_listed_with_a_reason(imported):
    _, rows, _, by_path, problems = imported
    wrong = [
        r["path"]
        for r in rows
        if r["expect"] == "problem" and (r["path"] in by_path or not problems.get(r["path"]))
    ]
    assert wrong == []
    assert all(reason.strip() and "\n" not in reason for reason in problems.values())


def test_skipped_files_are_not_catalogued(imported):
    _, rows, _, by_path, problems = imported
    assert [
        r["path"]
        for r in rows
        if r["expect"] == "skip" and (r["path"] in by_path or r["path"] in problems)
    ] == []


def test_metadata_agrees_with_exiftool(imported, capsys):
    _, rows, _, by_path, problems = imported
    checked, agreed = Counter(), Counter()
    disagreements = []
    for row in rows:
        if row["expect"] != "import":
            continue
        photo = by_path.get(row["path"])
        assert photo is not None, f"{row['path']} not imported: {problems.get(row['path'])}"
        assert (
            photo["format"] == row["format"]
            or row["format"]
            in (
                "APNG",
                "Extended WEBP",
                "HEIC",
                "DNG",
                "BTF",
                "J2C",
            )
            or (row["format"], photo["format"]) in {("JP2", "JPEG2000")}
        )
        for name in FIELDS:
            expected = row[name] if name != "caption" else (row["caption"] or row["caption_alt"])
            if not expected:
                continue
            checked[name] += 1
            actual = _actual(photo, name)
            if _agrees(name, actual, expected, row):
                agreed[name] += 1
            else:
                disagreements.append(f"{row['path']}: {name} {actual!r} != {expected!r}")
    with capsys.disabled():
        print("\nagreement with exiftool, per field:")
        for name in FIELDS:
            n = checked[name]
            print(
                f"  {name:<9} {agreed[name]:>4}/{n:<4} {100 * agreed[name] / n if n else 100:.1f} %"
            )
    assert disagreements == []
