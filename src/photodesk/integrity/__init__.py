"""Keeping the archive whole: fixity checks, backup and restore, the audit, the status.

The standards are digital preservation's (fixity: re-hash what was stored
and compare) and SQLite's own (a consistent snapshot through the backup API,
`PRAGMA integrity_check`). Long runs report progress and can be cancelled
through the same two callbacks the import uses.
"""

from __future__ import annotations

from collections.abc import Callable

# (files done, files in all); cancel is asked between files.
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
