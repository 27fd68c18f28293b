"""The review package in OUTDIR, every file written whole or not at all.

summary.html, findings.xlsx / .jsonl / .csv / .sarif, and documents/: each document's
audit page and, for each document with errors or warnings, the .docx with Word comments
(批注) to send back to the submitting unit. Findings the reviewer dismissed (驳回) stay in
the finding files, where the verdict lives, and are hidden from the pages and the comments.

A batch's workers write each document's files into a staging folder in OUTDIR as they
analyse it (:func:`stage`), and the package moves them into ``documents/`` when the review
left the document as it was: a rename each, where writing them all at the end was the
largest part of the time the batch spends after its last document. The staging folder is not
part of the package: a run empties it first and removes it last, and a file in it is only
moved once its worker has written it whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jjnlp.batch.model import Batch, DocRecord, Finding, annotated_name, page_name
from jjnlp.errors import JjnlpError, OutputError
from jjnlp.output import write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from jjnlp.model import Document
    from jjnlp.render.findings_process import FindingsProcess

DOCUMENTS = "documents"
STAGING = ".jjnlp-staging"  # the workers' documents/ files, until the package takes them
DISMISSED = "驳回"


def shown(batch: Batch) -> Batch:
    """The batch as the pages show it: without the findings the reviewer dismissed."""
    documents = [
        dataclasses.replace(r, findings=tuple(f for f in r.findings if f.review != DISMISSED))
        for r in batch.documents
    ]
    cross = [f for f in batch.cross if f.review != DISMISSED]
    return dataclasses.replace(batch, documents=documents, cross=cross)


def needs_return(record: DocRecord, cross: list[Finding]) -> bool:
    """Whether a document goes back to its unit with Word comments: it has an error or a
    warning (a 提示 alone is a note for the reviewer, not something to correct)."""
    return not record.failed and any(
        f.severity in ("error", "warning") for f in (*record.findings, *cross)
    )


@dataclass(frozen=True, slots=True)
class Rendered:
    """A document's own files in ``documents/``: its page, and its Word copy with comments
    when it goes back to its unit (None: it does not, or the source no longer fits)."""

    page: str
    annotated: bytes | None


def render_document(
    record: DocRecord, cross: list[Finding], document: Document | None = None
) -> Rendered:
    """The page and the Word copy of ``record`` with the cross-document findings anchored
    in it; ``document`` is the source as analysed (else it is read again)."""
    from jjnlp.render.document_page import render_document_page

    page = render_document_page(record, cross)
    if not needs_return(record, cross):
        return Rendered(page, None)
    return Rendered(page, _annotated(record, [*record.findings, *cross], document))


def empty_staging(out: Path) -> Path:
    """The staging folder of OUTDIR, made empty (what a stopped run left in it is dropped)."""
    staging = out / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, exist_ok=True)
    return staging


def stage(staging: Path, file: str, files: Rendered) -> bool:
    """Write a document's files into the staging folder, in a worker (plain writes: the
    folder is not the package). False when they could not be written (a full disk): the
    worker sends them instead."""
    page, annotated = staging / page_name(file), staging / annotated_name(file)
    try:
        if files.annotated is not None:
            annotated.write_bytes(files.annotated)
        page.write_text(files.page, encoding="utf-8")  # last: a staged page is complete
    except OSError:
        for path in (page, annotated):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        return False
    return True


def _take_staged(staging: Path, pages: Path, file: str) -> bool:
    """Move a document's staged files into ``documents/``; False when its page is not there.
    No Word copy staged: it does not go back to its unit, and none of an earlier run stays."""
    page, annotated = page_name(file), annotated_name(file)
    if not (staging / page).is_file():
        return False
    try:
        if (staging / annotated).is_file():
            os.replace(staging / annotated, pages / annotated)
        else:
            (pages / annotated).unlink(missing_ok=True)
        os.replace(staging / page, pages / page)
    except OSError as exc:
        raise OutputError(str(pages / page), f"无法写入（{exc.strerror or exc}）") from exc
    return True


def write_package(
    batch: Batch,
    out: Path,
    *,
    show_dismissed: bool = False,
    rendered: Mapping[str, tuple[DocRecord, Rendered | None]] | None = None,
    findings: FindingsProcess | None = None,
) -> None:
    """Every file of the package. ``rendered``: documents' files made in the workers, by
    file, with the record they were made from (None: staged, in OUTDIR's staging folder);
    they are taken as they are when the review left that record as it was and anchored no
    cross-document finding in it (the page is a function of the two), else made again
    here. ``findings``: the files of findings being written by their own process (sent the
    batch first, waited for last), else they are written here."""
    from jjnlp.render.summary import render_summary

    if findings is not None:
        findings.finish(batch)
    view = batch if show_dismissed else shown(batch)
    pages = out / DOCUMENTS
    pages.mkdir(exist_ok=True)
    cross_in: dict[str, list[Finding]] = {}
    for finding in view.cross:
        cross_in.setdefault(finding.file, []).append(finding)
    made = rendered or {}
    staging = out / STAGING
    for record in view.documents:
        cross = cross_in.get(record.file, [])
        before = made.get(record.file)
        files = None
        if before is not None and not cross and before[0] == record:
            files = before[1]
            if files is None and _take_staged(staging, pages, record.file):
                continue
        if files is None:
            files = render_document(record, cross)
        write_text_atomic(pages / page_name(record.file), files.page)
        if files.annotated is not None:
            write_bytes_atomic(pages / annotated_name(record.file), files.annotated)
        else:  # it no longer goes back to its unit: no copy of an earlier run stays
            (pages / annotated_name(record.file)).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    summary = render_summary(view)  # while the findings' process writes its files
    if findings is None:
        from jjnlp.render.findings_process import write_findings

        write_findings(batch, out)
    else:
        findings.wait()
    write_text_atomic(out / "summary.html", summary)


def _annotated(record: DocRecord, findings: list, document: Document | None) -> bytes | None:
    """The source annotated (read again when not given: readers only, cheap beside the
    analysis)."""
    from jjnlp.model import Finding as DocumentFinding
    from jjnlp.readers import read
    from jjnlp.render.docx_comments import annotated_docx

    if document is None:
        try:
            document = read(record.path)
        except JjnlpError:
            return None  # the file changed or vanished since it was analysed: no comments to place
    if document.text != record.text:
        return None  # offsets would not fit the file as it is now
    comments = [
        DocumentFinding(f.rule, f.severity, f.message, f.start, f.end, f.text)
        for f in sorted(findings, key=lambda f: f.start)
    ]
    return annotated_docx(document, comments)
