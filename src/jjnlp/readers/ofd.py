"""OFD (GB/T 33190-2016), the fixed-layout format of electronic official documents.

An .ofd is a zip package: ``OFD.xml`` names each document's ``Document.xml``
(``DocBody/DocRoot``), which lists the pages in order (``Pages/Page/@BaseLoc``); a page's
``Content.xml`` holds layers of ``TextObject`` elements (``Boundary``, ``Size``, optional
``CTM`` and ``HScale``) whose ``TextCode`` children carry the characters and where they
stand (``X``/``Y`` of the first, ``DeltaX``/``DeltaY`` offsets with the ``g N v`` repeat
syntax). The templates a page uses (``Page/Template``) are read with it.

Each character becomes a :class:`~jjnlp.readers.layout.Glyph` (millimetres turned into
points) and paragraphs are rebuilt from positions as for a PDF by
:mod:`jjnlp.readers.layout`; running page numbers go to ``metadata["footers"]``.

A package is untrusted: every XML part is parsed by defusedxml with DTDs forbidden (no
entity expansion, no external entity), each part once; a reference that leaves the
package (``../``, a URL) is refused; the zip is checked against the reading limits before
anything is inflated, and the page and character counts against theirs while reading.
"""

from __future__ import annotations

import codecs
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from jjnlp.errors import CorruptFile, JjnlpError, NoTextLayer, TooLarge, cause_of
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder
from jjnlp.readers.layout import (
    Glyph,
    Line,
    glyph_lines,
    nominal_width,
    paragraphs,
    running_furniture,
)
from jjnlp.readers.limits import ReadLimits, check_zip

__all__ = ["read_ofd"]

ROOT_PART = "OFD.xml"
PT_PER_MM = 72 / 25.4
# where a glyph's box stands around its baseline, in ems (the ideographic em box)
_ASCENT, _DESCENT = 0.88, 0.12
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
A4 = (0.0, 0.0, 210.0, 297.0)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    return next(iter(_children(element, name)), None)


def _descendants(element: Element, name: str) -> Iterator[Element]:
    return (node for node in element.iter() if _local(node.tag) == name)


class _BadNumber(ValueError):
    """An attribute that should hold numbers does not."""


def _numbers(value: str | None, count: int | None = None) -> list[float]:
    """The numbers of an attribute such as ``Boundary="28 37 156 7.4"`` (:class:`_BadNumber`
    when one is not a finite number or there are not ``count`` of them)."""
    try:
        numbers = [float(part) for part in (value or "").split()]
    except ValueError:
        numbers = [math.nan]
    if not all(math.isfinite(n) for n in numbers) or (count is not None and len(numbers) < count):
        raise _BadNumber(value or "")
    return numbers


def _deltas(value: str | None, needed: int) -> list[float]:
    """The first ``needed`` offsets of ``DeltaX``/``DeltaY``: ``"g 3 5.6 2.8"`` is
    5.6 5.6 5.6 2.8 (never more than needed, however large a repeat count says)."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < needed:
        if tokens[i] == "g":
            if i + 2 >= len(tokens) or not tokens[i + 1].isdigit():
                raise _BadNumber(value or "")
            repeat, step = int(tokens[i + 1]), _numbers(tokens[i + 2])[0]
            out.extend([step] * max(0, min(repeat, needed - len(out))))
            i += 3
        else:
            out.append(_numbers(tokens[i])[0])
            i += 1
    return out


class _Package:
    """The zip archive's parts, each parsed once with a hardened parser, and the
    references between them resolved inside the archive."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.names = set(archive.namelist())
        self._parsed: dict[str, Element] = {}

    def _refuse(self, message: str) -> CorruptFile:
        return CorruptFile(str(self.path), message)

    def resolve(self, location: str | None, base: str) -> str:
        """The member a reference ``location`` in part ``base`` names (``/x`` from the
        package root, anything else from ``base``'s folder)."""
        loc = (location or "").strip().replace("\\", "/")
        if not loc:
            raise self._refuse(f"OFD 部件 {base} 中有空的文件引用")
        joined = (
            loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
        )
        name = posixpath.normpath(joined)
        if _SCHEME.match(loc) or name in (".", "..") or name.startswith(("../", "/")):
            raise self._refuse(f"OFD 部件 {base} 引用了压缩包以外的路径「{loc}」，已拒绝读取")
        if name not in self.names:
            raise self._refuse(f"OFD 缺少部件 {name}（由 {base} 引用）")
        return name

    def xml(self, name: str) -> Element:
        if name not in self._parsed:
            self._parsed[name] = self._parse(name)
        return self._parsed[name]

    def _parse(self, name: str) -> Element:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, fromstring

        try:
            root: Element = fromstring(_as_utf8(self.archive.read(name)), forbid_dtd=True)
        except DefusedXmlException as exc:
            raise self._refuse(
                f"OFD 部件 {name} 含 DTD 或实体声明（可用于实体扩展或读取外部文件），已拒绝读取"
            ) from exc
        except (ParseError, UnicodeDecodeError) as exc:
            where = (
                f"第{exc.position[0]}行"
                if isinstance(exc, ParseError)
                else "文字无法按所声明的编码解码"
            )
            raise self._refuse(f"OFD 部件 {name} 不是合法的 XML（{where}）") from exc
        return root


_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["'][^>]*\?>"""
)
# expat itself reads these; a Chinese national encoding is read as GB18030, its superset
_NATIVE = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "iso8859-1", "ascii"})
_GB = frozenset({"gb2312", "gbk", "gb18030", "euc_cn", "cp936"})


def _as_utf8(data: bytes) -> bytes:
    """A part declared in an encoding expat cannot read (GBK, GB18030 …) as UTF-8
    (UnicodeDecodeError when its bytes are not in that encoding)."""
    found = _DECLARATION.match(data)
    if not found:
        return data
    try:
        codec = codecs.lookup(found[1].decode("ascii")).name
    except LookupError:
        return data  # expat names the unknown encoding: not well-formed
    if codec in _NATIVE:
        return data
    text = data[found.end() :].decode("gb18030" if codec in _GB else codec)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + text.encode("utf-8")


# ------------------------------------------------------------------------- glyphs


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where a text object's own coordinates land on the page (mm): ``Boundary``'s
    origin and the ``CTM`` (a b c d e f)."""

    x: float
    y: float
    ctm: tuple[float, float, float, float, float, float]

    def at(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return self.x + a * x + c * y + e, self.y + b * x + d * y + f

    @property
    def scale(self) -> float:
        """How much the CTM enlarges the glyphs (their height)."""
        _, _, c, d, _, _ = self.ctm
        return math.hypot(c, d) or 1.0


def _placement(text_object: Element) -> _Placement:
    x, y = _numbers(text_object.get("Boundary"), 4)[:2]
    ctm = text_object.get("CTM")
    a, b, c, d, e, f = _numbers(ctm, 6)[:6] if ctm else _IDENTITY
    return _Placement(x, y, (a, b, c, d, e, f))


def _object_glyphs(text_object: Element) -> Iterator[Glyph]:
    """The characters of one ``TextObject`` as glyphs, in points on the page."""
    place = _placement(text_object)
    size = _numbers(text_object.get("Size"), 1)[0]
    hscale = _numbers(text_object.get("HScale") or "1")[0]
    em = size * place.scale * PT_PER_MM
    x = y = 0.0
    for code in _children(text_object, "TextCode"):
        text = code.text or ""
        # a TextCode without X or Y takes the previous one's (GB/T 33190 11.3)
        x = _numbers(code.get("X"))[0] if code.get("X") is not None else x
        y = _numbers(code.get("Y"))[0] if code.get("Y") is not None else y
        steps_x = _deltas(code.get("DeltaX"), len(text) - 1)
        steps_y = _deltas(code.get("DeltaY"), len(text) - 1)
        at_x, at_y = x, y
        for i, char in enumerate(text):
            natural = size * hscale * nominal_width(char)
            step = steps_x[i] if i < len(steps_x) else natural
            width = min(natural, step) if step > 0 else natural
            x0, base = place.at(at_x, at_y)
            x1, _ = place.at(at_x + width, at_y)
            yield Glyph(
                char,
                min(x0, x1) * PT_PER_MM,
                max(x0, x1) * PT_PER_MM,
                base * PT_PER_MM - em * _ASCENT,
                base * PT_PER_MM + em * _DESCENT,
                em,
            )
            at_x += step
            at_y += steps_y[i] if i < len(steps_y) else 0.0


def _content_glyphs(content: Element) -> Iterator[Glyph]:
    """Every text object of a page or template content, in drawing order (layers and
    the page blocks inside them)."""
    for text_object in _descendants(content, "TextObject"):
        yield from _object_glyphs(text_object)


# -------------------------------------------------------------------------- pages


@dataclass(slots=True)
class _Reading:
    """What has been read so far, checked against the limits as it grows."""

    path: Path
    limits: ReadLimits
    lines: list[Line]
    heights: dict[int, float]
    chars: int = 0

    def take(self, glyphs: Iterable[Glyph]) -> list[Glyph]:
        """``glyphs`` as a list, refused as soon as the document's text grows too long."""
        taken: list[Glyph] = []
        for glyph in glyphs:
            self.chars += 1
            if self.chars > self.limits.max_chars:
                raise TooLarge(
                    str(self.path),
                    f"OFD 的文字超过{self.limits.max_chars}字的上限（可在配置 [read] 中调整）",
                )
            taken.append(glyph)
        return taken

    def add_page(self, glyphs: list[Glyph], height_mm: float) -> None:
        number = len(self.heights) + 1
        self.heights[number] = height_mm * PT_PER_MM
        self.lines.extend(glyph_lines(glyphs, number))

    def expect_pages(self, count: int) -> None:
        """Refuse a document whose page list goes beyond the page limit, before reading it."""
        if len(self.heights) + count > self.limits.max_pdf_pages:
            raise TooLarge(
                str(self.path),
                f"OFD 超过{self.limits.max_pdf_pages}页的上限"
                "（可在配置 [read] 的 max_pdf_pages 中调整）",
            )


def _physical_box(element: Element | None) -> tuple[float, float, float, float] | None:
    """``Area/PhysicalBox`` (or ``PageArea/PhysicalBox``) of a page or document."""
    box = _child(element, "PhysicalBox") if element is not None else None
    if box is None or not (box.text or "").strip():
        return None
    x, y, w, h = _numbers(box.text, 4)[:4]
    return x, y, w, h


def _templates(package: _Package, doc_part: str, document: Element) -> dict[str, str]:
    """Template page id -> its content part."""
    common = _child(document, "CommonData")
    if common is None:
        return {}
    return {
        str(t.get("ID")): package.resolve(t.get("BaseLoc"), doc_part)
        for t in _children(common, "TemplatePage")
    }


def _read_document(package: _Package, doc_part: str, reading: _Reading) -> None:
    document = package.xml(doc_part)
    common = _child(document, "CommonData")
    default_box = _physical_box(_child(common, "PageArea") if common is not None else None) or A4
    templates = _templates(package, doc_part, document)
    pages = _child(document, "Pages")
    page_list = _children(pages, "Page") if pages is not None else []
    reading.expect_pages(len(page_list))
    for page in page_list:
        page_part = package.resolve(page.get("BaseLoc"), doc_part)
        try:
            glyphs, height = _page(package, page_part, templates, reading)
        except _BadNumber as exc:
            raise CorruptFile(
                str(package.path), f"OFD 部件 {page_part} 中有无效的坐标或字号「{exc}」"
            ) from exc
        reading.add_page(glyphs, height or default_box[3])


def _page(
    package: _Package, page_part: str, templates: dict[str, str], reading: _Reading
) -> tuple[list[Glyph], float | None]:
    """A page's glyphs (its templates' first) and its own height in mm, if it has one."""
    content = package.xml(page_part)
    glyphs: list[Glyph] = []
    for use in _children(content, "Template"):
        template = templates.get(str(use.get("TemplateID")))
        if template is None:
            raise CorruptFile(
                str(package.path),
                f"OFD 页面 {page_part} 引用了不存在的模板 {use.get('TemplateID')}",
            )
        glyphs.extend(reading.take(_content_glyphs(package.xml(template))))
    for body in _children(content, "Content"):
        glyphs.extend(reading.take(_content_glyphs(body)))
    box = _physical_box(_child(content, "Area"))
    return glyphs, box[3] if box else None


def _doc_info(root: Element) -> dict[str, str]:
    """Title and author of the first document that names them (``DocBody/DocInfo``)."""
    info: dict[str, str] = {}
    for body in _children(root, "DocBody"):
        doc_info = _child(body, "DocInfo")
        for key in ("Title", "Author"):
            node = _child(doc_info, key) if doc_info is not None else None
            text = (node.text or "").strip() if node is not None else ""
            if text and key.lower() not in info:
                info[key.lower()] = text
    return info


def _read_package(path: Path, limits: ReadLimits) -> tuple[_Reading, dict[str, str]]:
    reading = _Reading(path, limits, [], {})
    with zipfile.ZipFile(path) as archive:
        check_zip(path, archive, limits)
        package = _Package(path, archive)
        if ROOT_PART not in package.names:
            raise CorruptFile(str(path), f"不是完整的 OFD 文件：缺少入口文件 {ROOT_PART}")
        root = package.xml(ROOT_PART)
        bodies = _children(root, "DocBody")
        if not bodies:
            raise CorruptFile(str(path), f"OFD 入口文件 {ROOT_PART} 中没有文档（DocBody）")
        for body in bodies:
            doc_root = _child(body, "DocRoot")
            doc_part = package.resolve(doc_root.text if doc_root is not None else "", ROOT_PART)
            _read_document(package, doc_part, reading)
        return reading, _doc_info(root)


def read_ofd(path: Path, limits: ReadLimits | None = None) -> Document:
    """Read an .ofd into a Document (paragraph blocks with their page numbers), or raise
    a coded :class:`~jjnlp.errors.ReadError` naming the file."""
    path = Path(path)
    try:
        reading, info = _read_package(path, limits or ReadLimits())
        furniture = running_furniture(reading.lines, reading.heights)
        found = paragraphs(furniture.body)
    except JjnlpError:
        raise
    except Exception as exc:  # zlib.error, a bad number, a missing attribute …
        raise CorruptFile(str(path), f"OFD 文件已损坏或无法解析（{cause_of(exc)}）") from exc
    if not found:
        raise NoTextLayer(str(path), "OFD 中没有文字（可能是扫描件或图片），请先做文字识别（OCR）")
    builder = DocumentBuilder(str(path), "ofd")
    for index, paragraph in enumerate(found):
        builder.paragraph(paragraph.text, index, paragraph.page)
    metadata: dict[str, Any] = {
        "page_count": len(reading.heights),
        "headers": furniture.headers,
        "footers": furniture.footers,
        "source_size": path.stat().st_size,
        **info,
    }
    return builder.build(metadata)
