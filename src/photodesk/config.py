"""Where an archive lives on disk, and what one imported file may cost.

The archive is always passed in (never a module global) so that the CLI, the
TUI and tests can each point at their own folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from photodesk.errors import PhotodeskError

ENV_VAR = "PHOTODESK_ARCHIVE"
DEFAULT_DIR = "archive"


@dataclass(frozen=True)
class Archive:
    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike[str] | None = None) -> Archive:
        """--archive wins; then, as git finds its repository, the archive this folder is in
        or beside (an `archive/` folder here or above); then $PHOTODESK_ARCHIVE; then
        ./archive, where `import` or `init` would make one."""
        if explicit:
            return cls(Path(explicit).expanduser().absolute())
        found = cls.find(Path.cwd())
        if found is not None:
            return found
        chosen = os.environ.get(ENV_VAR) or DEFAULT_DIR
        return cls(Path(chosen).expanduser().absolute())

    @classmethod
    def find(cls, start: Path) -> Archive | None:
        """The archive holding `start` or beside it or one of its parents, if any."""
        for folder in (start, *start.parents):
            for candidate in (folder, folder / DEFAULT_DIR):
                if (candidate / "catalog.db").is_file():
                    return cls(candidate)
        return None

    @property
    def db_path(self) -> Path:
        return self.root / "catalog.db"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def thumbs(self) -> Path:
        return self.root / "thumbs"

    def original_path(self, sha256: str, ext: str) -> Path:
        return self.originals / sha256[:2] / f"{sha256}{ext}"

    def thumb_path(self, sha256: str) -> Path:
        return self.thumbs / sha256[:2] / f"{sha256}.jpg"

    def relative(self, path: Path) -> str:
        """Paths inside the archive are stored relative so the folder can move."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def resolve(self, stored: str) -> Path:
        p = Path(stored)
        return p if p.is_absolute() else self.root / p

    def ensure(self) -> None:
        for d in (self.root, self.originals, self.thumbs):
            d.mkdir(parents=True, exist_ok=True)


# -- import budgets ------------------------------------------------------------

TIME_BUDGET_ENV = "PHOTODESK_TIME_BUDGET"
MEMORY_BUDGET_ENV = "PHOTODESK_MEMORY_BUDGET"
MAX_FILE_SIZE_ENV = "PHOTODESK_MAX_FILE_SIZE"

_KIB, _MIB, _GIB = 1 << 10, 1 << 20, 1 << 30
_UNITS = {"": 1, "K": _KIB, "M": _MIB, "G": _GIB, "T": 1 << 40}
# A worker maps some 150 MiB of libraries before it reads a byte: below this every file fails.
MIN_MEMORY = 256 * _MIB


class BudgetError(PhotodeskError):
    """A budget setting that is not a number photodesk can use."""


def parse_size(text: str) -> int:
    """Bytes from "2G", "512 MiB", "300MB" or a plain number of bytes (binary units)."""
    cleaned = text.strip().upper().replace(" ", "").removesuffix("B").removesuffix("I")
    number = cleaned.rstrip("KMGT")
    unit = cleaned[len(number) :]
    try:
        value = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        raise BudgetError(f"{text!r} is not a size (say 512M or 2G)") from None
    if not 0 < value < float("inf"):
        raise BudgetError(f"{text!r} is not a size above zero")
    return int(value)


def parse_seconds(text: str) -> float:
    try:
        value = float(text.strip().lower().removesuffix("s"))
    except ValueError:
        raise BudgetError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise BudgetError(f"{text!r} is not a number of seconds above zero")
    return value


def size_text(size: int) -> str:
    """A budget as people write it: 2 GiB, 512 MiB, 300 KiB."""
    for unit, name in ((_GIB, "GiB"), (_MIB, "MiB"), (_KIB, "KiB")):
        if size >= unit:
            return f"{size / unit:.3g} {name}"
    return f"{size} bytes"


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


@dataclass(frozen=True)
class Budgets:
    """What one file may cost an import before it is given up as a problem.

    `seconds` bounds each step of reading a file (its bytes, sidecar, metadata,
    pixels, archived copy), `memory` the address space of the worker reading
    it, and `file_size` which files are read at all. The defaults are far
    above what any photograph needs, so only hostile or broken files meet
    them; the environment variables change them for every process of an
    import (the command's options win over them).
    """

    seconds: float = 60.0
    memory: int = 2 * _GIB
    file_size: int = 512 * _MIB

    def __post_init__(self) -> None:
        if not 0 < self.seconds < float("inf"):
            raise BudgetError(f"the time budget must be above zero, not {self.seconds!r}")
        if self.memory < MIN_MEMORY:
            raise BudgetError(
                f"the memory budget must be at least {size_text(MIN_MEMORY)}, "
                f"not {size_text(self.memory)}"
            )
        if self.file_size <= 0:
            raise BudgetError(f"the file size limit must be above zero, not {self.file_size!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> Budgets:
        """The defaults, overridden by the environment, overridden by what is `given`."""
        env = os.environ if environ is None else environ
        found: dict[str, Any] = {}
        if env.get(TIME_BUDGET_ENV):
            found["seconds"] = _from_env(TIME_BUDGET_ENV, env, parse_seconds)
        if env.get(MEMORY_BUDGET_ENV):
            found["memory"] = _from_env(MEMORY_BUDGET_ENV, env, parse_size)
        if env.get(MAX_FILE_SIZE_ENV):
            found["file_size"] = _from_env(MAX_FILE_SIZE_ENV, env, parse_size)
        return cls(**(found | {k: v for k, v in given.items() if v is not None}))


def _from_env(name: str, env: Mapping[str, str], parse: Callable[[str], Any]) -> Any:
    try:
        return parse(env[name])
    except BudgetError as exc:
        raise BudgetError(f"${name}: {exc}") from None
