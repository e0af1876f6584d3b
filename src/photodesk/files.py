"""Small file-system helpers: writes that are either complete or absent."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, then rename: a kill leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def source_key(path: str) -> str:
    """How the catalog remembers a source file: its exact bytes, whatever they are.

    A name that is UTF-8 is kept as text; one that is not (its bytes carried as
    surrogate escapes) is written as "bytes:" and the hex of its bytes. An
    absolute path cannot start with "bytes:", so no two files share a key —
    unlike the readable form, where such a name and one spelling out its
    escapes would look the same.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "bytes:" + os.fsencode(path).hex()
    return path


def source_path(key: str) -> str:
    """The path a `source_key` stands for (its bytes as surrogate escapes, if not UTF-8)."""
    if key.startswith("bytes:"):
        return os.fsdecode(bytes.fromhex(key[len("bytes:") :]))
    return key
