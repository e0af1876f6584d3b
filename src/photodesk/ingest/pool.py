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

A worker says which step it is in through a few words of shared memory, not
through the pipe, so the importing process wakes once per file (for its
result) rather than once per step; and one crew serves both phases of an
import, so the second starts without starting new processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import select
import selectors
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

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
# The steps as numbers, for the shared words a worker writes them to.
_STEP_NAMES = tuple(STEPS)
_STEP_NUMBERS = {name: i for i, name in enumerate(_STEP_NAMES)}
# A worker's shared words: a generation count (odd while it writes), the seq of the
# file it began, its step's number, and when that step began (time.monotonic()).
_GEN, _SEQ, _STEP, _SINCE = range(4)


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


def _publish(words: Any, seq: int, name: str) -> None:
    """Write (seq, step, now) where the importer reads it; a seqlock keeps the three together."""
    gen = words[_GEN]
    words[_GEN] = gen + 1  # odd: being written
    try:
        words[_SINCE] = time.monotonic()
        words[_STEP] = _STEP_NUMBERS.get(name, 0)
        words[_SEQ] = seq
    finally:
        words[_GEN] = gen + 2  # even again whatever interrupted it


def _serve(
    conn: Connection, lifeline: Connection, words: Any, budgets: Budgets, work: Work
) -> None:
    """A worker's life: take (seq, job), publish each step, send back what was found."""
    _die_with_parent(lifeline)
    _settle_in(budgets)
    seq = -1
    worker.report_steps(lambda name: _publish(words, seq, name))
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
    words: Any  # the shared words it publishes its steps to
    # Its pipe alone, asked without waiting: Connection.poll builds a selector each
    # time. None where the system has no poll(); then Connection.poll it is.
    poller: Any
    queue: deque[int] = field(default_factory=deque)  # seqs sent; the first is being read
    ready: bool = False
    since: float = field(default_factory=time.monotonic)  # when its first queued file became due

    def doing(self) -> tuple[int | None, str, float]:
        """The file (seq) it began, if that is still its first queued one; its step; since when.

        Before it begins that file, the step is "read" and the time is when the
        file became its first (or when it became ready).
        """
        for _ in range(100):  # a torn read is retried; the writer takes nanoseconds
            gen = self.words[_GEN]
            seq, number, since = self.words[_SEQ], self.words[_STEP], self.words[_SINCE]
            if gen % 2 == 0 and self.words[_GEN] == gen:
                break
        began = int(seq)
        if self.ready and self.queue and began == self.queue[0]:
            # Its own clock: however late this process read the previous result.
            return began, _STEP_NAMES[int(number)], since
        return None, "read", self.since

    def deadline(self, budget: float) -> float:
        _, _, since = self.doing()
        return since + (budget if self.ready else max(budget, STARTUP_SECONDS))


class Crew:
    """The live worker processes of one import, for as many batches as it has.

    Use it as a context manager (`crew()`): leaving it stops them all.
    """

    def __init__(self, size: int, budgets: Budgets | None = None, work: Work = inspect) -> None:
        self.budgets = budgets or Budgets.from_env()
        self.work = work
        self.ctx = _context()
        self.lifeline, self._lifeline_end = self.ctx.Pipe(duplex=False)
        # One selector for the crew's lifetime: registering every pipe on every
        # wait costs the importing process more than the waiting itself.
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.startup_deaths = 0
        # Files are numbered across all of the crew's batches, so what a worker
        # published during one batch is never taken for a file of the next.
        self.issued = 0
        self.closed = False
        try:
            for _ in range(max(1, size)):
                self.workers.append(self._start())
        except BaseException:
            self.close(graceful=False)
            raise

    def _start(self) -> _Worker:
        conn, child_conn = self.ctx.Pipe()
        words = self.ctx.RawArray("d", [0.0, -1.0, 0.0, 0.0])
        process = self.ctx.Process(  # type: ignore[attr-defined]
            target=_serve,
            args=(child_conn, self.lifeline, words, self.budgets, self.work),
            name="photodesk-reader",
            daemon=True,
        )
        try:
            process.start()
        except OSError as exc:
            raise WorkersFailed(f"cannot start an import worker: {exc.strerror or exc}") from exc
        finally:
            child_conn.close()
        poller = select.poll() if hasattr(select, "poll") else None
        if poller is not None:
            poller.register(conn.fileno(), select.POLLIN)
        w = _Worker(process, conn, words, poller)
        self.selector.register(conn, selectors.EVENT_READ, w)
        self.selector.register(process.sentinel, selectors.EVENT_READ, w)
        return w

    def replace(self, old: _Worker) -> _Worker:
        self._end(old)
        new = self._start()
        self.workers[self.workers.index(old)] = new
        return new

    def _end(self, w: _Worker) -> None:
        for item in (w.conn, w.process.sentinel):
            with contextlib.suppress(KeyError, ValueError, OSError):
                self.selector.unregister(item)
        with contextlib.suppress(OSError, ValueError):
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    def wait(self, timeout: float) -> list[_Worker]:
        """The workers with something to say (or gone) within `timeout` seconds."""
        return list(dict.fromkeys(key.data for key, _ in self.selector.select(timeout)))

    def run(
        self,
        jobs: list[Job],
        on_result: Callable[[Inspected], None],
        cancelled: CancelCheck,
    ) -> None:
        """Read `jobs`, a bounded window ahead; hand results back in order.

        A batch that ends in an exception (from `on_result`, or WorkersFailed)
        leaves files in the workers' hands, so the crew is stopped with it.
        """
        if self.closed:
            raise WorkersFailed("this import's workers have already been stopped")
        if not jobs:
            return
        jobs = [replace(job, budgets=self.budgets) for job in jobs]
        base, self.issued = self.issued, self.issued + len(jobs)
        self.startup_deaths = 0
        try:
            _Run(self, base, jobs, on_result, cancelled).loop()
        except BaseException:
            self.close(graceful=False)
            raise

    def close(self, graceful: bool) -> None:
        if self.closed:
            return
        self.closed = True
        if graceful:
            for w in self.workers:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            deadline = time.monotonic() + 5
            for w in self.workers:
                w.process.join(max(0.0, deadline - time.monotonic()))
        for w in self.workers:
            self._end(w)
        self.workers = []
        self.selector.close()
        self._lifeline_end.close()
        self.lifeline.close()


@contextlib.contextmanager
def crew(size: int, budgets: Budgets | None = None, work: Work = inspect) -> Iterator[Crew]:
    """Workers for the length of a `with`: stopped gently after it, at once after an error."""
    c = Crew(size, budgets, work)
    graceful = False
    try:
        yield c
        graceful = True
    finally:
        c.close(graceful)


def _context() -> BaseContext:
    # forkserver: safe to start from a threaded process such as the TUI, and a new
    # worker (after a crash or a timeout) is a cheap fork of an already-loaded one.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["photodesk.ingest.pool"])
    return ctx


class _Run:
    def __init__(
        self,
        crew: Crew,
        base: int,
        jobs: list[Job],
        on_result: Callable[[Inspected], None],
        cancelled: CancelCheck,
    ) -> None:
        self.crew = crew
        self.base = base  # the crew-wide number of jobs[0]; every seq here is crew-wide
        self.jobs = jobs
        self.on_result = on_result
        self.cancelled = cancelled
        self.window = len(crew.workers) * 4  # bounded: memory stays flat whatever the batch
        self.pending: deque[int] = deque(range(base, base + len(jobs)))
        self.results: dict[int, Inspected] = {}
        self.delivered = base
        self.stopped = False

    def job(self, seq: int) -> Job:
        return self.jobs[seq - self.base]

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
                w.conn.send((seq, self.job(seq)))
            except OSError:
                self._died(w)

    def _listen(self, busy: list[_Worker]) -> None:
        budget = self.crew.budgets.seconds
        timeout = max(0.0, min(w.deadline(budget) for w in busy) - time.monotonic())
        dead = [w for w in self.crew.wait(timeout) if not self._drain(w)]
        for w in dead:
            if w in self.crew.workers and not self._drain(w):
                self._died(w)

    def _drain(self, w: _Worker) -> bool:
        """Take every message a worker has sent; False when it is gone."""
        try:
            while w.poller.poll(0) if w.poller is not None else w.conn.poll():
                self._heard(w, w.conn.recv())
        except (EOFError, OSError):
            return False
        return w.process.is_alive()

    def _heard(self, w: _Worker, message: tuple) -> None:
        if message[0] == "ready":
            w.ready, w.since = True, time.monotonic()
            return
        _, seq, result = message
        self.crew.startup_deaths = 0
        self.results[seq] = result
        if w.queue and w.queue[0] == seq:
            w.queue.popleft()
        w.since = time.monotonic()

    def _overdue(self) -> None:
        budget = self.crew.budgets.seconds
        for w in list(self.crew.workers):
            if w.queue and time.monotonic() >= w.deadline(budget) and self._drain(w):
                if not w.queue or time.monotonic() < w.deadline(budget):
                    continue  # it answered meanwhile
                if not w.ready:
                    self._stillborn(w)
                    continue
                _, step, _ = w.doing()
                seq = w.queue.popleft()
                self.results[seq] = _problem(
                    self.job(seq),
                    f"took longer than {seconds_text(budget)} {STEPS.get(step, step)}",
                )
                self._requeue(w)
                self.crew.replace(w)

    def _died(self, w: _Worker) -> None:
        """A worker is gone: the file it was reading is the problem; the rest go to others."""
        # What it sent before it went counts: a file it finished is not the one it died on.
        self._drain(w)
        w.process.join(1)
        code = w.process.exitcode
        began, step, _ = w.doing()
        if began is not None:
            seq = w.queue.popleft()
            if code == -signal.SIGKILL:
                why = "the worker reading it was killed (out of memory?)"
            else:
                why = "the worker reading it crashed"
            detail = f" (exit {code})" if code is not None and code > 0 else ""
            self.results[seq] = _problem(
                self.job(seq), f"{why} while trying {STEPS.get(step, step)}{detail}"
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
