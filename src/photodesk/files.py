"""Small file-system helpers: writes that are either complete or absent."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)  # no /proc: the brief change is the only portable way
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, then rename: a kill leaves no half file.

    The file gets `mode`, or what the umask gives a new file (mkstemp's own 0600
    would hide thumbnails and exports from the other users of a shared archive).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~umask())
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
