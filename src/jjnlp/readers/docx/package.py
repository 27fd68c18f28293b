"""Opening a .docx with python-docx, and the parts python-docx has no reader for.

A damaged secondary part (numbering, styles, notes, a header…) must not make the whole
document unreadable: when python-docx refuses the package, the parts that are not
well-formed XML are replaced by empty ones of the same kind, relationships to parts
missing from the archive are dropped, and the package is opened again; only a broken
``word/document.xml`` (or package structure) is a :class:`~jjnlp.errors.CorruptFile`.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from jjnlp.errors import CorruptFile, cause_of

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"

# the parts python-docx parses when it opens a package, and an empty stand-in for each
_EMPTY_ROOTS = (
    (re.compile(r"word/numbering\d*\.xml"), f'<w:numbering xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/styles\d*\.xml"), f'<w:styles xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/settings\d*\.xml"), f'<w:settings xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/comments\d*\.xml"), f'<w:comments xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/footnotes\d*\.xml"), f'<w:footnotes xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/endnotes\d*\.xml"), f'<w:endnotes xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/header\d*\.xml"), f'<w:hdr xmlns:w="{W_NS}"/>'),
    (re.compile(r"word/footer\d*\.xml"), f'<w:ftr xmlns:w="{W_NS}"/>'),
    (
        re.compile(r"docProps/core\.xml"),
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties"/>',
    ),
)


def _broken(path: Path, exc: Exception) -> CorruptFile:
    return CorruptFile(str(path), f"Word 文档已损坏或结构不完整（{cause_of(exc)}）")


def open_docx(path: Path) -> tuple[Any, list[str]]:
    """The python-docx Document of ``path`` and the names of the parts that had to be
    repaired (empty when the package opened as it is)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path)), []
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise _broken(path, exc) from exc
    except Exception as first:  # a part python-docx could not parse or find
        try:
            data, repaired = _repair(path)
        except Exception as exc:  # zlib.error, EOFError …: a member that does not inflate
            raise _broken(path, exc) from first
        if not repaired:
            raise _broken(path, first) from first
        try:
            return docx.Document(io.BytesIO(data)), repaired
        except Exception as exc:
            raise _broken(path, exc) from first


def _well_formed(data: bytes) -> bool:
    from lxml import etree

    try:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return False
    return True


def _repair(path: Path) -> tuple[bytes, list[str]]:
    """The package with its broken secondary parts emptied and its dangling
    relationships dropped (raises ``ValueError`` if the body itself is broken)."""
    from lxml import etree

    repaired: list[str] = []
    with zipfile.ZipFile(path) as archive:
        items = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    for name, data in list(items.items()):
        if not name.endswith(".xml") or _well_formed(data):
            continue
        empty = next((root for pattern, root in _EMPTY_ROOTS if pattern.fullmatch(name)), None)
        if empty is None:  # the body, the content types, or a part we cannot stand in for
            raise ValueError(f"{name} 不是合法的 XML")
        items[name] = empty.encode("utf-8")
        repaired.append(name)
    for name, data in list(items.items()):
        if not name.endswith(".rels"):
            continue
        try:
            rels = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"{name} 不是合法的 XML") from exc
        source_dir = posixpath.dirname(posixpath.dirname(name))
        dropped = False
        for rel in list(rels.iterchildren(f"{{{_REL_NS}}}Relationship")):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            full = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(source_dir, target))
            )
            if full not in items:
                rels.remove(rel)
                repaired.append(full)
                dropped = True
        if dropped:
            items[name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in items.items():
            out.writestr(name, data)
    return buffer.getvalue(), repaired


def related_element(word: Any, reltype: str) -> Any | None:
    """The root element of the part the main document relates to by ``reltype`` (None: no
    such part). python-docx creates a default numbering or styles part when asked for a
    missing one and keeps notes as bytes, so the relationship is looked up directly and a
    part python-docx did not parse is parsed here (with python-docx's element classes)."""
    from docx.oxml.parser import parse_xml

    try:
        part = word.part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:
        return parse_xml(part.blob)
    except Exception:  # a part that is not XML: read the document without it
        return None
