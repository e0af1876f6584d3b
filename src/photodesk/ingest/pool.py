"""The crash-isolating worker pool that reads a batch's files.

Each file is read in a worker process. A file that crashes its decoder takes
the worker (and the pool) with it: the files in flight are then retried one
at a time in a fresh pool, so the culprit is named and the rest still import.
Results come back in the order the jobs went in, through a callback; a cancel
check is asked before each file is handed out. The CLI's progress bar and the
terminal UI's import screen use the same two callbacks.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from photodesk.ingest.worker import Inspected, Job, inspect


@dataclass
class ImportProgress:
    done: int
    total: int
    path: str | None = None
    outcome: str | None = None  # added / duplicate / skipped / failed / checked


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]
Work = Callable[[Job], Inspected]


def _worker_init() -> None:
    # Decoders (libtiff, libjpeg) write warnings straight to fd 2; each file's
    # fate is reported in the summary instead of as a wall of C noise.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    logging.getLogger("exifread").setLevel(logging.CRITICAL)


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: safe to start from a threaded process such as the TUI.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["photodesk.ingest.worker"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def run(
    jobs: list[Job],
    workers: int,
    on_result: Callable[[Inspected], None],
    cancelled: CancelCheck,
    work: Work = inspect,
) -> None:
    """Feed jobs to a process pool with a bounded window; hand results back in order."""
    workers = max(1, min(workers, len(jobs)))
    window = workers * 4  # bounded: memory stays flat whatever the batch size
    pending = deque(jobs)
    suspects: deque[Job] = deque()
    pool = _pool(workers)
    try:
        inflight: deque[tuple[Job, Future[Inspected]]] = deque()
        while pending or inflight or suspects:
            if suspects and not inflight:
                on_result(_isolated(pool, suspects.popleft(), work))
                if not _healthy(pool):
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(workers)
                continue
            while pending and len(inflight) < window and not suspects and not cancelled():
                job = pending.popleft()
                inflight.append((job, pool.submit(work, job)))
            if not inflight:
                break
            job, future = inflight.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                suspects.extend([job] + [j for j, _ in inflight])
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(workers)
                continue
            on_result(result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolated(pool: ProcessPoolExecutor, job: Job, work: Work) -> Inspected:
    try:
        return pool.submit(work, job).result()
    except BrokenProcessPool:
        return Inspected(
            path=job.path,
            size=job.size,
            mtime_ns=job.mtime_ns,
            status="problem",
            reason="the image decoder crashed on this file",
        )


def _healthy(pool: ProcessPoolExecutor) -> bool:
    return not getattr(pool, "_broken", False)
