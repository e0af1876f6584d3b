"""Where an archive lives on disk.

The archive is always passed in (never a module global) so that the CLI, the
TUI and tests can each point at their own folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "PHOTODESK_ARCHIVE"
DEFAULT_DIR = "archive"


@dataclass(frozen=True)
class Archive:
    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike[str] | None = None) -> Archive:
        """--archive wins, then $PHOTODESK_ARCHIVE, then ./archive."""
        chosen = explicit or os.environ.get(ENV_VAR) or DEFAULT_DIR
        return cls(Path(chosen).expanduser().absolute())

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
