"""The package's files of findings (findings.xlsx, .jsonl, .csv and .sarif), written by a
process of its own while the batch goes on.

The workbook is the largest part of the time a batch spends after its documents are
analysed (XlsxWriter writes each cell in Python), and the other three files would be made
after the last document, with every core but one idle. So a child process takes each
document's part as soon as the document is done, in input order, while the workers analyse
the next files: its figures (rows pickled by the batch worker that analysed it; the review
does not change them) and its findings as the round's review leaves them
(:class:`jjnlp.batch.baseline.RoundReview`), one document at a time, which go into all four
files. What only the whole batch gives, the cross-document findings, the findings gone since
the baseline, the files sheet and the log's artifacts and notices, follows when this process
has run the cross-document review.

The child writes every file as every output is written (a temporary name, then a rename),
and only once it has all of its rows. If this process stops first (an error, Ctrl-C,
``kill -9``), the child's end of the pipe closes and it stops too, having written nothing:
no partial file is left.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jjnlp.batch.model import Batch, DocRecord, Finding, Identity
from jjnlp.errors import OutputError

if TYPE_CHECKING:
    from jjnlp.render.xlsx import Row

_DOCUMENT, _REST = "document", "rest"


class FindingFiles:
    """The four files of findings being made one document at a time, in input order: its
    figures' rows, then its findings as the review left them (:meth:`document`); then what
    only the whole batch gives, and the files written into ``out`` (:meth:`write`). Made in
    the process of :class:`FindingsProcess` as a batch goes, or at once by
    :func:`write_findings`."""

    def __init__(self, files: Sequence[str]) -> None:
        from jjnlp.render.sarif import SarifLog
        from jjnlp.render.tabular import FindingTables
        from jjnlp.render.xlsx import Book

        # each row written out as it is appended (to XlsxWriter's own temporary files,
        # which the system removes whatever ends the process); the workbook is made in
        # memory and only then written into OUTDIR, so a kill leaves nothing there
        self._buffer = io.BytesIO()
        self._book = Book(self._buffer)
        self._tables, self._log = FindingTables(), SarifLog(files)
        self._numbered = 0  # the document findings' rows so far

    def document(
        self, file: str, identity: Identity, figures: list[Row], findings: Sequence[Finding]
    ) -> None:
        from jjnlp.render.xlsx import DOCUMENT_SHEET, FIGURE_SHEET, finding_rows

        self._book.append(FIGURE_SHEET, figures)
        self._book.append(
            DOCUMENT_SHEET, finding_rows(findings, {file: identity}, self._numbered + 1)
        )
        self._numbered += len(findings)
        self._tables.add(findings)
        self._log.add(findings)

    def write(
        self, sheets: Mapping[str, list[Row]], rest: Sequence[Finding], batch: Batch, out: Path
    ) -> None:
        """``sheets``: the other sheets' rows (:func:`jjnlp.render.xlsx.reviewed_tables`
        with ``documents_written``); ``rest``: the cross-document findings, then the gone
        ones; ``batch``: the batch, or its :func:`_outline`, for the log."""
        from jjnlp.batch.baseline import FINDINGS_CSV, FINDINGS_JSONL, FINDINGS_SARIF, FINDINGS_XLSX
        from jjnlp.output import write_atomic, write_bytes_atomic

        for name, table in sheets.items():
            self._book.append(name, table)
        self._tables.add(rest)
        self._log.add(rest)
        self._book.close()
        write_atomic(out / FINDINGS_JSONL, self._tables.write_jsonl)
        write_atomic(out / FINDINGS_CSV, self._tables.write_csv)
        write_atomic(out / FINDINGS_SARIF, lambda path: self._log.write(batch, path))
        write_bytes_atomic(out / FINDINGS_XLSX, self._buffer.getvalue())


def write_findings(batch: Batch, out: Path) -> None:
    """findings.jsonl, .csv, .sarif and .xlsx of the reviewed ``batch``, written here (as
    :class:`FindingsProcess` writes them while a batch goes)."""
    from jjnlp.render.xlsx import figure_rows, reviewed_tables

    files = FindingFiles([d.file for d in batch.documents])
    for d in batch.documents:
        files.document(d.file, d.identity, list(figure_rows([d])), d.findings)
    sheets = reviewed_tables(batch, documents_written=True)
    files.write(sheets, [*batch.cross, *batch.absent], batch, out)


def _write(conn: Connection, out: str, files: list[str]) -> None:
    """In the child: each document's figures and findings until the rest comes, then the
    four files."""
    try:
        made = FindingFiles(files)
        while True:
            kind, payload = conn.recv()  # EOFError: the batch stopped
            if kind == _DOCUMENT:
                file, identity, figures, findings = payload
                made.document(file, identity, pickle.loads(figures) if figures else [], findings)
            else:
                break
        sheets, rest, batch = payload
        made.write(sheets, rest, batch, Path(out))
    except (EOFError, KeyboardInterrupt):  # the batch stopped (Ctrl-C reaches us as well)
        return
    except Exception as exc:  # an OutputError (a full disk), or a bug: the parent reports it
        conn.send(("error", exc))
    else:
        conn.send(("done", None))


def _outline(batch: Batch) -> Batch:
    """What the log needs of the batch beyond its findings: each document's name, hash and
    failure, the skipped files, the version and the configuration's hash."""
    documents = [
        DocRecord(file=r.file, path=r.path, sha256=r.sha256, error=r.error) for r in batch.documents
    ]
    return Batch(
        documents=documents,
        skipped=list(batch.skipped),
        version=batch.version,
        config_hash=batch.config_hash,
    )


class FindingsProcess:
    """``with FindingsProcess(out, files, review) as findings:``, then :meth:`add` each
    document's record (any order), :meth:`finish` with the reviewed batch and :meth:`wait`;
    the files go into the folder ``out``. ``review`` gives a record's findings as the review
    leaves them, called on the records in the order of ``files`` (by default: as they are,
    records reviewed already)."""

    def __init__(
        self,
        out: Path,
        files: Iterable[str],
        review: Callable[[DocRecord], Sequence[Finding]] | None = None,
    ) -> None:
        self.out = out
        self._files = list(files)  # the order of the rows and of the log's artifacts
        self._review = review or (lambda record: record.findings)
        self._next = 0
        self._written: list[str] = []  # the fingerprints of the document findings sent
        self._waiting: dict[str, tuple[DocRecord, bytes | None]] = {}
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_write,
            args=(child, str(out), self._files),
            name="jjnlp-findings",
            daemon=True,
        )
        self._process.start()
        child.close()
        # a send blocks until the child has read what came before: a thread sends, so the
        # batch never waits for the child (before it asks for the files)
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closing = False
        self._sender = threading.Thread(target=self._send, name="jjnlp-findings-send", daemon=True)
        self._sender.start()

    def _send(self) -> None:
        while (message := self._outbox.get()) is not None and not self._closing:
            try:
                self._conn.send(message)
            except OSError:  # the child is gone: wait() says so
                return

    def add(self, record: DocRecord, rows: bytes | None = None) -> None:
        """A document's record, analysed or failed, and its figures' rows pickled as its
        worker made them (None: made here); its part goes when that of every file before it
        has."""
        from jjnlp.render.xlsx import pickled_figure_rows

        self._waiting[record.file] = (record, rows)
        while self._next < len(self._files) and self._files[self._next] in self._waiting:
            done, made = self._waiting.pop(self._files[self._next])
            self._next += 1
            figures = (made or pickled_figure_rows(done)) if done.figures else None
            findings = tuple(self._review(done))
            if figures or findings:
                self._outbox.put((_DOCUMENT, (done.file, done.identity, figures, findings)))
            self._written += [f.fingerprint for f in findings]

    def finish(self, batch: Batch) -> None:
        """What the reviewed batch adds (sent; the child writes it and the files)."""
        from jjnlp.render.xlsx import reviewed_tables

        if self._next != len(self._files):
            missing = self._files[self._next]
            raise RuntimeError(f"findings: no record was added for {missing}")
        if [d.file for d in batch.documents] != self._files:
            raise RuntimeError("findings: the batch's documents are not the files added")
        if self._written != [f.fingerprint for d in batch.documents for f in d.findings]:
            raise RuntimeError("findings: the findings written are not the review's")
        sheets = reviewed_tables(batch, documents_written=True)
        self._outbox.put((_REST, (sheets, [*batch.cross, *batch.absent], _outline(batch))))
        self._outbox.put(None)

    def wait(self) -> None:
        """Until the files are in place; the child's error is raised here."""
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
            raise OutputError(str(self.out), f"写入审核意见的进程意外退出（退出码 {code}）")

    def __enter__(self) -> FindingsProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # the sender stops first (the pipe is closed by the thread that sends, never under
        # it); closing the pipe stops a child still waiting for rows (it writes nothing)
        self._closing = True
        self._outbox.put(None)
        self._sender.join()
        with contextlib.suppress(OSError):
            self._conn.close()
        self._process.join(timeout=60)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
