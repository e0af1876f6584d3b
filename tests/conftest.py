from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))

from photodesk.catalog import Catalog
from photodesk.cli import main
from photodesk.config import ENV_VAR, Archive

REPO = Path(__file__).resolve().parent.parent

# Tests chdir into temporary folders: pin a relative corpus path now.
if os.environ.get("PHOTODESK_CORPUS"):
    os.environ["PHOTODESK_CORPUS"] = str(Path(os.environ["PHOTODESK_CORPUS"]).resolve())


@pytest.fixture(autouse=True)
def _no_user_archive(monkeypatch, tmp_path):
    """Never let a developer's own $PHOTODESK_ARCHIVE or ./archive leak into a test."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def archive(tmp_path) -> Archive:
    return Archive.locate(tmp_path / "archive")


@pytest.fixture
def catalog(archive):
    with Catalog.open(archive) as cat:
        yield cat


@pytest.fixture
def run(archive):
    """Run `photodesk --archive <archive> ARGS...` in-process; the result for more checks.

    Whatever the exit code, the command must end as the CLI means to (an exit
    code and a message), never with an uncaught exception or a traceback.
    ok=True (the default) asserts it succeeded, ok=False that it failed (any
    non-zero code: check which where it matters), ok=None nothing about the code.
    """
    runner = CliRunner()

    def invoke(*args: str, ok: bool | None = True) -> Result:
        result = runner.invoke(main, ["--archive", str(archive.root), *args])
        # CliRunner catches what the command raises, so no traceback is printed: look for it
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = "".join(traceback.format_exception(*result.exc_info))
            pytest.fail(f"photodesk {args} raised instead of exiting:\n{crash}")
        assert "Traceback" not in result.output, result.output
        if ok is True:
            assert result.exit_code == 0, result.output
        elif ok is False:
            assert result.exit_code != 0, result.output
        return result

    return invoke


@pytest.fixture
def corpus() -> Path:
    value = os.environ.get("PHOTODESK_CORPUS")
    if not value:
        pytest.skip("PHOTODESK_CORPUS is not set")
    path = Path(value)
    if not (path / "expected.csv").is_file():
        pytest.skip(f"no expected.csv in {path}")
    return path


@pytest.fixture
def add_photo(catalog):
    """Catalogue a photo row directly (no file): fast setup for caption and search tests."""
    from photodesk.catalog import photos, search

    counter = iter(range(1, 1_000_000))

    def add(captions: dict[str, dict[str, str]] | None = None, **fields) -> int:
        n = next(counter)
        row = {"sha256": f"{n:064x}", "file_name": f"IMG_{n:04}.jpg", "format": "JPEG"} | fields
        photo_id, _ = photos.add(catalog.db, row, captions)
        search.reindex(catalog.db, [photo_id])
        return photo_id

    return add
