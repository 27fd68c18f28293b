"""Word (.docx): body paragraphs and tables in document order; headers and footers as metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jjnlp.errors import CorruptFile
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder, clean


def _open(path: Path) -> Any:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptFile(str(path), f"Word 文档已损坏或结构不完整（{exc}）") from exc
    except Exception as exc:  # lxml parse errors and the like from a damaged part
        raise CorruptFile(str(path), f"Word 文档无法解析（{type(exc).__name__}: {exc}）") from exc


def _cell_texts(row: Any) -> list[str]:
    """Each cell once, even when merged across columns (python-docx repeats merged cells)."""
    texts: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        key = id(cell._tc)
        if key in seen:
            continue
        seen.add(key)
        texts.append("\n".join(p.text for p in cell.paragraphs))
    return texts


def _margins(section_parts: Any) -> list[str]:
    texts = []
    for part in section_parts:
        if part is None or part.is_linked_to_previous:
            continue
        text = clean(" ".join(p.text for p in part.paragraphs))
        if text:
            texts.append(text)
    return texts


def read_docx(path: Path) -> Document:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(path)
    builder = DocumentBuilder(str(path), "docx")
    table_no = 0
    try:
        for index, item in enumerate(document.iter_inner_content()):
            if isinstance(item, Paragraph):
                builder.paragraph(item.text, index)
            elif isinstance(item, Table):
                for row_no, row in enumerate(item.rows):
                    builder.table_row(_cell_texts(row), table_no, row_no, index)
                table_no += 1
        headers = _margins(s.header for s in document.sections)
        footers = _margins(s.footer for s in document.sections)
    except Exception as exc:  # a malformed part discovered while walking the body
        raise CorruptFile(
            str(path), f"Word 文档内容无法解析（{type(exc).__name__}: {exc}）"
        ) from exc
    props = document.core_properties
    metadata: dict[str, Any] = {
        "headers": headers,
        "footers": footers,
        "tables": table_no,
        "source_size": path.stat().st_size,
    }
    if props.title:
        metadata["title"] = props.title
    if props.author:
        metadata["author"] = props.author
    return builder.build(metadata)
