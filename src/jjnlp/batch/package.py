"""The review package in OUTDIR, every file written whole or not at all.

summary.html, findings.xlsx / .jsonl / .csv / .sarif, and documents/: each document's
audit page and, for each document with errors or warnings, the .docx with Word comments
(批注) to send back to the submitting unit. Findings the reviewer dismissed (驳回) stay in
the finding files, where the verdict lives, and are hidden from the pages and the comments.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jjnlp.batch.baseline import FINDINGS_JSONL, FINDINGS_XLSX
from jjnlp.batch.model import Batch, DocRecord, Finding, annotated_name, page_name
from jjnlp.errors import JjnlpError
from jjnlp.output import write_atomic, write_text_atomic

DOCUMENTS = "documents"
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


def write_package(batch: Batch, out: Path, *, show_dismissed: bool = False) -> None:
    from jjnlp.render.document_page import render_document_page
    from jjnlp.render.sarif import write_sarif
    from jjnlp.render.summary import render_summary
    from jjnlp.render.tabular import write_csv, write_jsonl
    from jjnlp.render.xlsx import write_xlsx

    view = batch if show_dismissed else shown(batch)
    pages = out / DOCUMENTS
    pages.mkdir(exist_ok=True)
    for record in view.documents:
        cross = [f for f in view.cross if f.file == record.file]
        write_text_atomic(pages / page_name(record.file), render_document_page(record, cross))
        if needs_return(record, cross):
            annotated = pages / annotated_name(record.file)
            _write_annotated(record, [*record.findings, *cross], annotated)
    write_atomic(out / FINDINGS_JSONL, lambda p: write_jsonl(batch, p))
    write_atomic(out / "findings.csv", lambda p: write_csv(batch, p))
    write_atomic(out / "findings.sarif", lambda p: write_sarif(batch, p))
    write_atomic(out / FINDINGS_XLSX, lambda p: write_xlsx(batch, p))
    write_text_atomic(out / "summary.html", render_summary(view))


def _write_annotated(record: DocRecord, findings: list, target: Path) -> None:
    """The source read again (readers only: cheap beside the analysis) and annotated."""
    from jjnlp.model import Finding as DocumentFinding
    from jjnlp.readers import read
    from jjnlp.render.docx_comments import write_annotated

    try:
        document = read(record.path)
    except JjnlpError:
        return  # the file changed or vanished since it was analysed: no comments to place
    if document.text != record.text:
        return  # offsets would not fit the file as it is now
    comments = [
        DocumentFinding(f.rule, f.severity, f.message, f.start, f.end, f.text)
        for f in sorted(findings, key=lambda f: f.start)
    ]
    write_annotated(document, comments, str(target))
