"""Analyse files in worker processes, each file under a time limit and a memory ceiling.

Every multi-file face (``jjnlp audit``/``extract``/the listing commands,
``jjnlp batch``) runs its files through :class:`Workers`: a file that hangs is killed at its
time limit, one that exhausts its memory ceiling or crashes the interpreter is reported
with the reason, and the run goes on with a fresh worker. Each worker builds its
pipeline once (and warms it up, :func:`warm_up`), and is given its next file while it
analyses one (``QUEUED``), so it never waits for this process between files; a file's
clock starts when its worker begins it, and the file waiting behind one that is killed
goes to the fresh worker.

Workers are started with ``spawn`` (the only start method on Windows, and safe with the
threads numpy and spaCy start). The memory ceiling is an address-space limit
(``RLIMIT_AS``) where the platform has one (Linux, macOS); elsewhere only the time limit
applies. :mod:`concurrent.futures` is not used because a hung task there cannot be killed
without breaking the whole pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from jjnlp.errors import Crashed, InternalError, JjnlpError, OutOfMemory, TimedOut
from jjnlp.model import Analysis

# the stage a failure happened in, carried from the pipeline to the report
READING = "读取"


DEFAULT_SECONDS = 120.0
STARTUP_SECONDS = 600.0  # the longest a worker may take to load its pipeline
DEFAULT_MEMORY_MB = 3072


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits: wall-clock seconds and the worker's memory ceiling in MiB."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


@dataclass(slots=True)
class Outcome:
    """What became of one file: its analysis (or what ``finish`` made of it), or the error
    that stopped it."""

    path: str
    analysis: Any = None
    error: JjnlpError | None = None
    seconds: float = 0.0


# what a worker makes of each analysis before sending it back (a top-level function, so it
# pickles by name): ``finish(analysis, context)`` with the context given with the path
Finish = Callable[[Analysis, Any], Any]


# --------------------------------------------------------------------------- in the worker

_PIPELINE: Any = None
_TASK_STARTED = 0.0


def elapsed() -> float:
    """In a worker: the seconds since it was given the file it is working on (``finish``
    may put them in what it sends back)."""
    return time.monotonic() - _TASK_STARTED


def _set_memory_ceiling(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit; the time limit still applies
        return
    ceiling = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def analyse_file(path: str) -> Analysis:
    """Read ``path`` and run the worker's pipeline on it; an unexpected error carries the
    stage it happened in (``exc.jjnlp_stage``)."""
    try:
        document = _PIPELINE.read(path)
    except JjnlpError:
        raise
    except Exception as exc:
        exc.jjnlp_stage = READING  # type: ignore[attr-defined]
        raise
    analysis: Analysis = _PIPELINE(document)
    return analysis


# a few lines of a report, with figures the stages relate and check
_WARM_UP = "关于2024年上半年工作情况的报告\n一、主要工作\n全市立案72件，结案54件，结案率75%。\n"


def warm_up(pipeline: Any) -> None:
    """Run ``pipeline`` once on a few lines of a report, so that what its stages load on
    first use (jieba's table and the POS tags: a third of a second; spaCy's pipeline where
    entities are asked for) is loaded before the worker says it is ready, in the time it
    waits for its first file, and in no file's time. A failure here is left for the first
    file to report."""
    from jjnlp.model import Document

    with contextlib.suppress(Exception):
        pipeline(Document.from_text(_WARM_UP))


def _serve(
    conn: Connection,
    stages: tuple[str, ...] | None,
    config: Mapping[str, Any],
    source: str,
    memory_mb: int,
    finish: Finish | None = None,
) -> None:
    """The worker's loop: build the pipeline once, then analyse each path it is sent."""
    global _PIPELINE, _TASK_STARTED
    from jjnlp.pipeline import Pipeline

    _set_memory_ceiling(memory_mb)
    _PIPELINE = Pipeline(stages, config, source)
    warm_up(_PIPELINE)
    conn.send(("ready", None))  # a file's clock starts when its worker can take it
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the run is over (or gone): nothing is left to do
            return
        path, context = task
        _TASK_STARTED = time.monotonic()
        try:
            analysis = analyse_file(path)
            conn.send(("ok", analysis if finish is None else finish(analysis, context)))
        except JjnlpError as error:
            conn.send(("error", error))
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:  # reported as an internal error naming the file and stage
            stage = getattr(exc, "jjnlp_stage", None) or "分析"
            detail = "".join(traceback.format_exception(exc))
            conn.send(("internal", (stage, f"{type(exc).__name__}: {exc}", detail)))


# --------------------------------------------------------------------------- in the parent

# a file to analyse: its place in the run, its path and its context for ``finish``
_Task = tuple[int, str, Any]
# the files a worker is given at once: the next waits in its pipe while it analyses one, so
# it goes on without waiting for this process to take its outcome and send it another
QUEUED = 2


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    # the files sent and not yet done, the first the one being analysed, since ``started``
    tasks: deque[_Task] = field(default_factory=deque)
    started: float = 0.0


@dataclass(slots=True)
class Workers:
    """A pool of ``jobs`` worker processes running one pipeline under ``limits``.

    >>> with Workers(("audit",), jobs=2) as pool:          # doctest: +SKIP
    ...     for outcome in pool.map(["a.txt", "b.pdf"]):
    ...         print(outcome.path, outcome.error or len(outcome.analysis.findings))
    """

    stages: tuple[str, ...] | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    source: str = "配置"
    jobs: int = 1
    limits: Limits = field(default_factory=Limits)
    debug: bool = False
    finish: Finish | None = None
    _idle: list[_Worker] = field(default_factory=list)
    _starting: list[_Worker] = field(default_factory=list)  # started, not yet waited for

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        worker = self._start()
        self._await_ready(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        """Wait until the worker has built its pipeline (spaCy, the dictionaries): loading is
        not part of any file's time limit. A worker that dies loading reports it on its
        first file."""
        if worker.conn.poll(STARTUP_SECONDS):
            with contextlib.suppress(EOFError, OSError):
                worker.conn.recv()

    def _start(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        args = (
            child,
            self.stages,
            dict(self.config),
            self.source,
            self.limits.memory_mb,
            self.finish,
        )
        process = context.Process(target=_serve, args=args, daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def start(self, count: int | None = None) -> None:
        """Start ``count`` workers (``jobs`` by default) now: they load their pipelines while
        the caller goes on (finding and hashing the files); :meth:`map` waits for them."""
        count = max(1, self.jobs) if count is None else count
        more = count - len(self._idle) - len(self._starting)
        self._starting += [self._start() for _ in range(more)]

    def _ready(self, count: int) -> None:
        """``count`` idle workers, started together so their start-ups overlap."""
        self.start(count)
        for worker in self._starting:
            self._await_ready(worker)
        self._idle.extend(self._starting)
        self._starting.clear()

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        # an idle worker has nothing left to do or to write: it is stopped at once, not told
        # to stop and waited for while its interpreter frees its tables one by one (tens of
        # milliseconds for each, with the run waiting)
        for worker in (*self._idle, *self._starting):
            self._retire(worker)
        self._idle.clear()
        self._starting.clear()

    def map(self, paths: Iterable[str], contexts: Iterable[Any] | None = None) -> Iterator[Outcome]:
        """Each path's outcome, in the order given (results are held back until their turn);
        ``contexts`` go with the paths to ``finish``."""
        paths = list(paths)
        extra = list(contexts) if contexts is not None else [None] * len(paths)
        tasks = enumerate(zip(paths, extra, strict=True))
        pending: list[_Task] = [(i, path, context) for i, (path, context) in tasks]
        pending.reverse()  # the next task is popped from the end
        self._ready(min(max(1, self.jobs), len(pending)))
        busy: dict[Connection, _Worker] = {}
        done: dict[int, Outcome] = {}
        turn = 0
        while pending or busy:
            self._give(pending, busy, done)
            # the outcomes in turn only now, with every worker given its next file: the
            # caller's work on them (saving, rendering) overlaps the workers' analysis
            while turn in done:
                yield done.pop(turn)
                turn += 1
            ready: list[Any] = []
            if busy:  # (none: every worker sent to had died loading, the outcomes are done)
                deadline = min(w.started for w in busy.values()) + self.limits.seconds
                ready = wait(list(busy), timeout=max(0.0, deadline - time.monotonic()))
            for conn in ready:
                worker = busy[conn]
                index = worker.tasks[0][0]
                done[index] = self._receive(worker)
                self._settle(worker, busy, pending)
            now = time.monotonic()
            for worker in list(busy.values()):
                if now - worker.started >= self.limits.seconds:
                    index, path, _context = worker.tasks[0]
                    self._retire(worker)
                    error = TimedOut(path, f"处理超过{self.limits.seconds:g}秒，已终止")
                    done[index] = Outcome(path, error=error, seconds=now - worker.started)
                    self._settle(worker, busy, pending)
        while turn in done:
            yield done.pop(turn)
            turn += 1

    def _give(
        self, pending: list[_Task], busy: dict[Connection, _Worker], done: dict[int, Outcome]
    ) -> None:
        """Fill the workers' queues from ``pending``, one file at a time to the worker with
        the fewest (a new one while there are fewer than ``jobs``), so the outcomes come
        about in the order given."""
        jobs = max(1, self.jobs)
        while pending:
            worker = min(busy.values(), key=lambda w: len(w.tasks), default=None)
            if worker is None or (worker.tasks and len(busy) < jobs):
                worker = self._idle.pop() if self._idle else self._spawn()
            elif len(worker.tasks) >= QUEUED:
                return
            task = pending.pop()
            if not worker.tasks:
                worker.started = time.monotonic()
            worker.tasks.append(task)
            busy[worker.conn] = worker
            try:
                worker.conn.send(task[1:])
            except OSError:  # it died (loading its pipeline, or on its current file)
                done[worker.tasks[0][0]] = self._receive(worker)  # that file reports it
                self._settle(worker, busy, pending)  # the files behind it go again

    def _settle(
        self, worker: _Worker, busy: dict[Connection, _Worker], pending: list[_Task]
    ) -> None:
        """After the outcome of ``worker``'s current file: its next file's clock starts, or
        it is idle; a worker retired gives its queued files back to ``pending``."""
        worker.tasks.popleft()
        if worker.conn.closed:
            pending.extend(reversed(worker.tasks))  # next, in their order
            worker.tasks.clear()
        if worker.tasks:
            worker.started = time.monotonic()
            return
        del busy[worker.conn]
        if not worker.conn.closed:
            self._idle.append(worker)

    def _receive(self, worker: _Worker) -> Outcome:
        path = worker.tasks[0][1]
        seconds = time.monotonic() - worker.started
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            code = worker.process.exitcode
            return Outcome(
                path, error=Crashed(path, f"处理进程意外退出（退出码 {code}）"), seconds=seconds
            )
        if kind == "memory":
            self._retire(worker)  # a worker that ran out of memory is not trusted again
            error: JjnlpError = OutOfMemory(
                path, f"内存超过上限（{self.limits.memory_mb} MB），已终止"
            )
            return Outcome(path, error=error, seconds=seconds)
        if kind == "ok":
            return Outcome(path, analysis=payload, seconds=seconds)
        if kind == "error":
            return Outcome(path, error=payload, seconds=seconds)
        stage, summary, detail = payload
        message = f"内部错误：在“{stage}”阶段出错（{summary}），请报告此问题"
        if self.debug:
            message += "\n" + detail
        return Outcome(path, error=InternalError(path, message), seconds=seconds)


def cpu_count() -> int:
    return os.cpu_count() or 1
