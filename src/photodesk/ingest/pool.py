"""The worker processes that read a batch's files: crash-isolated, on budgets, never orphaned.

Each file is read in a worker process that holds at most two files (the one
it reads, the next one waiting), so whatever happens to a worker is pinned on
the file it was reading:

- a worker that crashes (a decoder's segfault, the kernel's OOM killer)
  costs that file, which is named as a problem, and is replaced;
- a worker whose current step (read, sidecar, metadata, decode, archive) runs
  past the time budget is killed and replaced, and the file is a problem
  that says which step ("took longer than 60 s to read its metadata");
- a worker's address space is capped at the memory budget, so a file that
  would take more fails with MemoryError inside it, which is reported as
  that file's problem instead of the whole import's.

Workers die with the import: each holds a pipe from the importing process
and exits when it closes, and on Linux the kernel kills it when its parent
(the forkserver, which itself ends with the importer) dies, even when it is
stuck in C code. So a `kill -9` of the importer leaves nothing behind.

Results come back in the order the jobs went in, through a callback; a cancel
check is asked before each file is handed out. The CLI's progress bar and the
terminal UI's import screen use the same two callbacks.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from photodesk.config import Budgets, seconds_text, size_text
from photodesk.errors import PhotodeskError
from photodesk.ingest import worker
from photodesk.ingest.worker import STEPS, Inspected, Job, inspect

log = logging.getLogger(__name__)

# Files handed to one worker at a time: the one it reads and the next, so it
# never waits for this process between files.
DEPTH = 2
# Workers that die before starting any file, in a row, before the import gives up:
# then it is the machine (no memory, no processes left), not a file.
MAX_STARTUP_DEATHS = 8
# How long a new worker may take to be ready (the first also waits for the forkserver
# to load photodesk); files' budgets start only once it is.
STARTUP_SECONDS = 60.0
_PR_SET_PDEATHSIG = 1


@dataclass
class ImportProgress:
    done: int
    total: int
    path: str | None = None
    outcome: str | None = None  # added / duplicate / skipped / failed / checked / thumbnail
    phase: str = "catalogue"  # then "thumbnails": `done` counts again from 0 up to a new total
    photo_id: int | None = None  # the photo catalogued (or given its thumbnail) just now


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]
Work = Callable[[Job], Inspected]


class WorkersFailed(PhotodeskError):
    """Worker processes cannot be started or keep dying before they read anything."""


# -- inside a worker process ------------------------------------------------------


def _die_with_parent(lifeline: Connection) -> None:
    """End this worker when the importer ends, however it ends."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        # The forkserver hands each worker its "alive" pipe, which keeps the forkserver
        # (our parent, whose death the kernel now reports) running as long as any worker
        # lives. Without it the forkserver ends with the importer, and takes us along.
        from multiprocessing import forkserver

        server = getattr(forkserver, "_forkserver", None)
        alive = getattr(server, "_forkserver_alive_fd", None)
        if isinstance(alive, int):
            with contextlib.suppress(OSError):
                os.close(alive)
            server._forkserver_alive_fd = None  # type: ignore[union-attr]
        if os.getppid() == 1:  # the parent was already gone before the kernel could watch it
            os._exit(1)

    def watch() -> None:
        # Nothing is ever sent: the read returns only when the importer's end closes.
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="photodesk-lifeline", daemon=True).start()


def _settle_in(budgets: Budgets) -> None:
    # The importer stops workers itself; a terminal's Ctrl-C or a hang-up sent to the
    # whole process group must not kill them first and be taken for crashing files.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    # Decoders (libtiff, libjpeg) write warnings straight to fd 2; each file's
    # fate is reported in the summary instead of as a wall of C noise.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    logging.getLogger("exifread").setLevel(logging.CRITICAL)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = budgets.memory if hard == resource.RLIM_INFINITY else min(budgets.memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, lifeline: Connection, budgets: Budgets, work: Work) -> None:
    """A worker's life: take (seq, job), say each step, send back what was found."""
    _die_with_parent(lifeline)
    _settle_in(budgets)
    seq = -1
    worker.report_steps(lambda name: conn.send(("step", seq, name, time.monotonic())))
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        seq, job = message
        worker.step("read")  # said here too, so even a `work` that says nothing is pinned on
        conn.send(("done", seq, _attempt(work, job, budgets)))


def _attempt(work: Work, job: Job, budgets: Budgets) -> Inspected:
    """Whatever happens reading one file is that file's problem, MemoryError included."""
    try:
        return work(job)
    except MemoryError:
        doing = STEPS.get(worker.current_step(), "")
        return _problem(job, f"needed more than {size_text(budgets.memory)} of memory {doing}")
    except Exception as exc:  # a reader bug must cost one file, not the batch
        log.debug("reading %s failed", job.path, exc_info=True)
        text = " ".join(str(exc).split()) or type(exc).__name__
        return _problem(job, f"failed {STEPS.get(worker.current_step(), '')}: {text}")


def _problem(job: Job, reason: str) -> Inspected:
    # A second-phase job's problem names its photo, which its path (the archived copy) does not.
    return Inspected(
        path=job.path,
        size=job.size,
        mtime_ns=job.mtime_ns,
        status="problem",
        sha256=job.sha256,
        reason=reason,
        record={} if job.photo_id is None else {"photo_id": job.photo_id},
    )


# -- in the importing process -----------------------------------------------------


@dataclass(eq=False)  # each worker is itself: compared and hashed by identity
class _Worker:
    process: BaseProcess
    conn: Connection
    queue: deque[int] = field(default_factory=deque)  # seqs sent; the first is being read
    started: int | None = None  # the seq it said it began
    step: str = "read"
    ready: bool = False
    since: float = field(default_factory=time.monotonic)  # when its current step began

    def deadline(self, budget: float) -> float:
        return self.since + (budget if self.ready else max(budget, STARTUP_SECONDS))


class _Crew:
    """The live workers of one run, and the pipe whose closing tells them to go."""

    def __init__(self, size: int, budgets: Budgets, work: Work) -> None:
        self.budgets = budgets
        self.work = work
        self.ctx = _context()
        self.lifeline, self._lifeline_end = self.ctx.Pipe(duplex=False)
        self.workers: list[_Worker] = []
        self.startup_deaths = 0
        for _ in range(size):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        conn, child_conn = self.ctx.Pipe()
        process = self.ctx.Process(  # type: ignore[attr-defined]
            target=_serve,
            args=(child_conn, self.lifeline, self.budgets, self.work),
            name="photodesk-reader",
            daemon=True,
        )
        try:
            process.start()
        except OSError as exc:
            raise WorkersFailed(f"cannot start an import worker: {exc.strerror or exc}") from exc
        finally:
            child_conn.close()
        return _Worker(process, conn)

    def replace(self, old: _Worker) -> _Worker:
        self._end(old)
        new = self._start()
        self.workers[self.workers.index(old)] = new
        return new

    def _end(self, w: _Worker) -> None:
        with contextlib.suppress(OSError, ValueError):
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    def close(self, graceful: bool) -> None:
        if graceful:
            for w in self.workers:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            deadline = time.monotonic() + 5
            for w in self.workers:
                w.process.join(max(0.0, deadline - time.monotonic()))
        for w in self.workers:
            self._end(w)
        self._lifeline_end.close()
        self.lifeline.close()


def _context() -> BaseContext:
    # forkserver: safe to start from a threaded process such as the TUI, and a new
    # worker (after a crash or a timeout) is a cheap fork of an already-loaded one.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["photodesk.ingest.pool"])
    return ctx


def run(
    jobs: list[Job],
    workers: int,
    on_result: Callable[[Inspected], None],
    cancelled: CancelCheck,
    work: Work = inspect,
    budgets: Budgets | None = None,
) -> None:
    """Read `jobs` in worker processes, a bounded window ahead; hand results back in order."""
    if not jobs:
        return
    budgets = budgets or Budgets.from_env()
    jobs = [replace(job, budgets=budgets) for job in jobs]
    crew = _Crew(max(1, min(workers, len(jobs))), budgets, work)
    graceful = False
    try:
        _Run(crew, jobs, on_result, cancelled).loop()
        graceful = True
    finally:
        crew.close(graceful)


class _Run:
    def __init__(
        self,
        crew: _Crew,
        jobs: list[Job],
        on_result: Callable[[Inspected], None],
        cancelled: CancelCheck,
    ) -> None:
        self.crew = crew
        self.jobs = jobs
        self.on_result = on_result
        self.cancelled = cancelled
        self.window = len(crew.workers) * 4  # bounded: memory stays flat whatever the batch
        self.pending: deque[int] = deque(range(len(jobs)))
        self.results: dict[int, Inspected] = {}
        self.delivered = 0
        self.stopped = False

    def loop(self) -> None:
        while True:
            self._hand_out()
            busy = [w for w in self.crew.workers if w.queue]
            if not busy:
                break
            self._listen(busy)
            self._overdue()
            while self.delivered in self.results:
                self.on_result(self.results.pop(self.delivered))
                self.delivered += 1

    def _hand_out(self) -> None:
        while self.pending and not self.stopped:
            if self.pending[0] - self.delivered >= self.window:
                return
            idle = [w for w in self.crew.workers if len(w.queue) < DEPTH]
            if not idle:
                return
            if self.cancelled():
                self.stopped = True
                return
            w = min(idle, key=lambda w: len(w.queue))
            seq = self.pending.popleft()
            if not w.queue and w.ready:
                w.since = time.monotonic()
            w.queue.append(seq)
            try:
                w.conn.send((seq, self.jobs[seq]))
            except OSError:
                self._died(w)

    def _listen(self, busy: list[_Worker]) -> None:
        now = time.monotonic()
        timeout = max(0.0, min(w.deadline(self.crew.budgets.seconds) for w in busy) - now)
        by_conn: dict[object, _Worker] = {w.conn: w for w in busy}
        by_sentinel = {w.process.sentinel: w for w in busy}
        ready = wait([w.conn for w in busy] + list(by_sentinel), timeout)
        dead: list[_Worker] = []
        for item in ready:
            if isinstance(item, int):
                dead.append(by_sentinel[item])
                continue
            w = by_conn[item]
            if not self._drain(w):
                dead.append(w)
        for w in dict.fromkeys(dead):
            if w in self.crew.workers and not self._drain(w):
                self._died(w)

    def _drain(self, w: _Worker) -> bool:
        """Take every message a worker has sent; False when it is gone."""
        try:
            while w.conn.poll():
                self._heard(w, w.conn.recv())
        except (EOFError, OSError):
            return False
        return w.process.is_alive()

    def _heard(self, w: _Worker, message: tuple) -> None:
        if message[0] == "ready":
            w.ready, w.since = True, time.monotonic()
            return
        if message[0] == "step":
            _, seq, name, at = message
            w.started, w.step, w.since = seq, name, at
            self.crew.startup_deaths = 0
            return
        _, seq, result = message
        self.results[seq] = result
        if w.queue and w.queue[0] == seq:
            w.queue.popleft()
        w.started, w.step, w.since = None, "read", time.monotonic()

    def _overdue(self) -> None:
        budget = self.crew.budgets.seconds
        for w in list(self.crew.workers):
            if w.queue and time.monotonic() >= w.deadline(budget) and self._drain(w):
                if not w.queue or time.monotonic() < w.deadline(budget):
                    continue  # it answered meanwhile
                if not w.ready:
                    self._stillborn(w)
                    continue
                seq = w.queue[0]
                self.results[seq] = _problem(
                    self.jobs[seq],
                    f"took longer than {seconds_text(budget)} {STEPS.get(w.step, w.step)}",
                )
                w.queue.popleft()
                w.started = None
                self._requeue(w)
                self.crew.replace(w)

    def _died(self, w: _Worker) -> None:
        """A worker is gone: the file it was reading is the problem; the rest go to others."""
        w.process.join(1)
        code = w.process.exitcode
        if w.started is not None and w.queue and w.queue[0] == w.started:
            seq = w.queue.popleft()
            if code == -signal.SIGKILL:
                why = "the worker reading it was killed (out of memory?)"
            else:
                why = "the worker reading it crashed"
            detail = f" (exit {code})" if code is not None and code > 0 else ""
            self.results[seq] = _problem(
                self.jobs[seq], f"{why} while trying {STEPS.get(w.step, w.step)}{detail}"
            )
            self._requeue(w)
            self.crew.replace(w)
        else:
            self._stillborn(w)

    def _stillborn(self, w: _Worker) -> None:
        """A worker that never began a file: not the files' fault, unless it keeps happening."""
        self.crew.startup_deaths += 1
        if self.crew.startup_deaths > MAX_STARTUP_DEATHS:
            raise WorkersFailed(
                "import workers keep dying before reading anything "
                f"(exit {w.process.exitcode}, or not ready in {seconds_text(STARTUP_SECONDS)})"
            )
        self._requeue(w)
        self.crew.replace(w)

    def _requeue(self, w: _Worker) -> None:
        # Files it had not begun go back to the front, in order, for another worker.
        self.pending.extendleft(reversed(w.queue))
        w.queue.clear()
