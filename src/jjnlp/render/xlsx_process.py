"""findings.xlsx written by a process of its own while the batch goes on.

The workbook is the largest part of the time a batch spends after its documents are
analysed (XlsxWriter writes each cell in Python). So a child process writes each document's
rows as soon as the document is done, in input order, while the workers analyse the next
files: its figures (pickled by the batch worker that analysed it; the review does not change
them) and its findings as the round's review makes them one document at a time
(:class:`jjnlp.batch.baseline.RoundReview`). What only the whole batch gives, the
cross-document findings, the files sheet and the findings gone since the baseline, follows
when this process has run the cross-document review.

The child writes the file as every output is written (a temporary name, then a rename). If
this process stops first (an error, Ctrl-C, ``kill -9``), the child's end of the pipe closes,
it stops too and removes its temporary file: no partial workbook is left.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from jjnlp.batch.model import Batch, DocRecord, Finding
from jjnlp.errors import OutputError

_FIGURES, _FINDINGS, _REST = "figures", "findings", "rest"


def _write(conn: Connection, path: str) -> None:
    """In the child: figures' rows until the other sheets' rows come, then the file."""
    from jjnlp.output import write_bytes_atomic
    from jjnlp.render.xlsx import DOCUMENT_SHEET, FIGURE_SHEET, Book

    try:
        # each row written out as the next starts (to XlsxWriter's own temporary files,
        # which the system removes whatever ends this process); the workbook is made in
        # memory and only then written into OUTDIR, so a kill leaves nothing there
        buffer = io.BytesIO()
        book = Book(buffer)
        while True:
            kind, rows = conn.recv()  # EOFError: the batch stopped
            if kind == _FIGURES:
                book.append(FIGURE_SHEET, pickle.loads(rows))
            elif kind == _FINDINGS:
                book.append(DOCUMENT_SHEET, rows)
            else:
                break
        for name, table in rows.items():
            book.append(name, table)
        book.close()
        write_bytes_atomic(path, buffer.getvalue())
    except (EOFError, KeyboardInterrupt):  # the batch stopped (Ctrl-C reaches us as well)
        return
    except Exception as exc:  # an OutputError (a full disk), or a bug: the parent reports it
        conn.send(("error", exc))
    else:
        conn.send(("done", None))


class WorkbookProcess:
    """``with WorkbookProcess(path, files, review) as workbook:``, then :meth:`add` each
    document's record (any order), :meth:`finish` with the reviewed batch and :meth:`wait`.
    ``review`` gives a record's findings as the review leaves them, called on the records in
    the order of ``files`` (by default: as they are, records reviewed already)."""

    def __init__(
        self,
        path: Path,
        files: Iterable[str],
        review: Callable[[DocRecord], Sequence[Finding]] | None = None,
    ) -> None:
        self.path = path
        self._files = list(files)  # the sheets' order
        self._review = review or (lambda record: record.findings)
        self._next = 0
        self._written: list[str] = []  # the fingerprints of the document findings sent
        self._waiting: dict[str, tuple[DocRecord, bytes | None]] = {}
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_write, args=(child, str(path)), name="jjnlp-xlsx", daemon=True
        )
        self._process.start()
        child.close()
        # a send blocks until the child has read what came before: a thread sends, so the
        # batch never waits for the workbook (before it asks for the file)
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closing = False
        self._sender = threading.Thread(target=self._send, name="jjnlp-xlsx-send", daemon=True)
        self._sender.start()

    def _send(self) -> None:
        while (message := self._outbox.get()) is not None and not self._closing:
            try:
                self._conn.send(message)
            except OSError:  # the child is gone: wait() says so
                return

    def add(self, record: DocRecord, rows: bytes | None = None) -> None:
        """A document's record, analysed or failed, and its figures' rows pickled as its
        worker made them (None: made here); its rows go when those of every file before it
        have."""
        from jjnlp.render.xlsx import finding_rows, pickled_figure_rows

        self._waiting[record.file] = (record, rows)
        while self._next < len(self._files) and self._files[self._next] in self._waiting:
            done, made = self._waiting.pop(self._files[self._next])
            self._next += 1
            if done.figures:
                self._outbox.put((_FIGURES, made or pickled_figure_rows(done)))
            findings = self._review(done)
            if findings:
                first = len(self._written) + 1
                self._outbox.put(
                    (_FINDINGS, finding_rows(findings, {done.file: done.identity}, first))
                )
                self._written += [f.fingerprint for f in findings]

    def finish(self, batch: Batch) -> None:
        """The reviewed batch's other sheets (sent; the child writes them and the file)."""
        from jjnlp.render.xlsx import reviewed_tables

        if self._next != len(self._files):
            missing = self._files[self._next]
            raise RuntimeError(f"findings.xlsx: no record was added for {missing}")
        if self._written != [f.fingerprint for d in batch.documents for f in d.findings]:
            raise RuntimeError("findings.xlsx: the rows written are not the review's findings")
        self._outbox.put((_REST, reviewed_tables(batch, documents_written=True)))
        self._outbox.put(None)

    def wait(self) -> None:
        """Until the file is in place; the child's error is raised here."""
        self._sender.join()
        try:
            status, error = self._conn.recv()
        except EOFError:
            status, error = "died", None
        self._process.join()
        if status == "error":
            raise error
        if status != "done":
            code = self._process.exitcode
            raise OutputError(str(self.path), f"写入进程意外退出（退出码 {code}）")

    def __enter__(self) -> WorkbookProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # the sender stops first (the pipe is closed by the thread that sends, never under
        # it); closing the pipe stops a child still waiting for rows (it removes its file)
        self._closing = True
        self._outbox.put(None)
        self._sender.join()
        with contextlib.suppress(OSError):
            self._conn.close()
        self._process.join(timeout=60)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
