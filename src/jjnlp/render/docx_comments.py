"""The document returned as Word with each finding as a comment (批注) on the offending text.

A .docx input is annotated in place of its own paragraphs (a paragraph that carries a
finding is rewritten as plain runs split at the finding, keeping the paragraph's style);
text and PDF input are rendered into a new Word document first.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from jjnlp.errors import JjnlpError
from jjnlp.model import Block, Document, Finding
from jjnlp.render.findings import SEVERITY_ZH

AUTHOR = "jjnlp"


def _targets(document: Document, word: Any) -> dict[int, Any]:
    """Block position → the python-docx paragraph that holds its text."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    targets: dict[int, Any] = {}
    if document.format != "docx":
        for position, block in enumerate(document.blocks):
            targets[position] = word.add_paragraph(document.text[block.start : block.end])
        return targets
    items = list(word.iter_inner_content())
    for position, block in enumerate(document.blocks):
        item = items[block.index]
        if isinstance(item, Paragraph):
            targets[position] = item
        elif isinstance(item, Table) and block.row is not None:
            targets[position] = item.rows[block.row]
    return targets


def _cell_paragraph(row: Any, block: Block, finding: Finding) -> tuple[Any, int, int]:
    """The paragraph of the table cell holding a finding, and the cell's text range."""
    for cell in block.cells:
        if cell.start <= finding.start <= cell.end:
            return row.cells[cell.col].paragraphs[0], cell.start, cell.end
    first = block.cells[0]
    return row.cells[0].paragraphs[0], first.start, first.end


def _annotate_paragraph(
    word: Any, paragraph: Any, text: str, start: int, end: int, findings: list[Finding]
) -> None:
    """Rewrite a paragraph as runs split at every finding edge, then attach the comments."""
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    cuts = sorted(
        {start, end, *(max(start, min(end, x)) for f in findings for x in (f.start, f.end))}
    )
    runs = {}
    for a, b in pairwise(cuts):
        if b > a:
            runs[a] = paragraph.add_run(text[a:b])
    for f in findings:
        covered = [runs[a] for a in sorted(runs) if max(start, f.start) <= a < min(end, f.end)]
        if covered:
            note = f"【{SEVERITY_ZH[f.severity]}·{f.rule}】{f.message}"
            word.add_comment(covered, text=note, author=AUTHOR, initials="JJ")


def write_annotated(document: Document, findings: list[Finding], out: str) -> None:
    """Write ``out`` atomically: a Word file with one comment per finding."""
    import docx

    word = docx.Document(document.path) if document.format == "docx" else docx.Document()
    targets = _targets(document, word)
    by_block: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        for position, block in enumerate(document.blocks):
            if block.start <= f.start <= block.end:
                by_block[position].append(f)
                break
    for position, items in by_block.items():
        block = document.blocks[position]
        target = targets.get(position)
        if target is None:
            continue
        if block.kind == "table_row" and document.format == "docx":
            by_cell: dict[int, list[Finding]] = defaultdict(list)
            for f in items:
                paragraph, a, b = _cell_paragraph(target, block, f)
                by_cell[id(paragraph)].append(f)
                _annotate_paragraph(
                    word, paragraph, document.text, a, b, by_cell[id(paragraph)][-1:]
                )
            continue
        _annotate_paragraph(word, target, document.text, block.start, block.end, items)
    path = Path(out)
    try:
        handle, temporary = tempfile.mkstemp(suffix=".docx", dir=path.parent or ".")
        os.close(handle)
        word.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise JjnlpError(out, f"无法写入批注文件（{exc.strerror}）") from exc
