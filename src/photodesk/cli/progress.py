"""A progress bar for long commands: Rich on a terminal, silence when piped or in --json mode."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(
    label: str, enabled: bool = True
) -> Iterator[Callable[[int, int | None, str | None], None]]:
    """Within: call the yielded function with (done, total, new label or None) as work advances."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _done, _total, _label=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None, new_label: str | None = None) -> None:
            if new_label is not None:
                bar.update(task, description=new_label)
            bar.update(task, completed=done, total=total)

        yield update
