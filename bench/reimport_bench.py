"""Re-import cost: the second import of the same folder against the first.

    python bench/reimport_bench.py [FOLDER ...]    (default: the demo set in photos/)

Each folder goes into a fresh archive twice, as whole `photodesk import`
commands; prints both times and the ratio second / first. The second run
should add nothing and read no file (path, size and mtime are known).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _import(archive: Path, folder: Path) -> tuple[float, dict]:
    cmd = [
        sys.executable,
        "-m",
        "photodesk",
        "--archive",
        str(archive),
        "import",
        str(folder),
        "--json",
    ]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(done.stderr)
    return elapsed, json.loads(done.stdout)


def main() -> None:
    folders = [Path(p) for p in sys.argv[1:]] or [REPO / "photos"]
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="photodesk-reimport-") as tmp:
            archive = Path(tmp) / "archive"
            first, s1 = _import(archive, folder)
            second, s2 = _import(archive, folder)
        print(
            f"{folder}: first {first:.2f} s (added {s1['added']}), "
            f"second {second:.2f} s (added {s2['added']}, already {s2['duplicates']}); "
            f"second/first = {second / first:.2f}; "
            f"in-process {s1['seconds']:.2f} s → {s2['seconds']:.3f} s"
        )
        if s2["added"]:
            sys.exit("the second run added photos")


if __name__ == "__main__":
    main()
