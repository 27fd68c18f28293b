"""Write an OFD (GB/T 33190-2016) from a text file, laid out as a 公文 (GB/T 9704-2012).

Usage::

    python scripts/make_ofd.py SRC.txt OUT.ofd  # any text, one paragraph a line
    python scripts/make_ofd.py --realformats    # realformats/generated/rf_01.ofd and rf_05.ofd
    python scripts/make_ofd.py --hostile DIR    # the hostile packages the reader must refuse

The package is what an electronic-document system writes: ``OFD.xml`` (``DocInfo`` and
``DocRoot``) → ``Doc_0/Document.xml`` (``CommonData`` with ``MaxUnitID``, an A4 ``PageArea``
and ``PublicRes``; ``Pages``) → ``Doc_0/PublicRes.xml`` (the fonts) and one
``Doc_0/Pages/Page_N/Content.xml`` a page, with one ``TextObject`` a line (``Boundary``,
``Font``, ``Size`` in mm; a ``TextCode`` with ``X``, ``Y`` and ``DeltaX`` in the ``g N v``
repeat syntax) and ``PathObject`` rules.

The layout follows GB/T 9704: A4, 版心 156 × 225 mm from 37 mm top and 28 mm left; 仿宋 三号
(16 pt) on a 28-character grid, 28 pt lines, lines justified but a paragraph's last; a
two-character first-line indent; the 红头 (red 发文机关标志 35 mm below the top of the text
block, 发文字号 two lines under it, a red rule 4 mm below) when the second line is a 发文字号;
the title in 小标宋 二号 centred on one or two balanced lines; the 主送机关 flush left; headings
``一、`` in 黑体 and standalone ``（一）`` in 楷体; the signature right-aligned with the date
two characters further right; the 版记 (抄送, 印发) in 四号 between rules at the foot of the
last page; page numbers ``— N —`` 7 mm below the text block, right on odd pages and left on
even ones. Like Word and WPS, a gap of a quarter of a character is set between Chinese and
digits or Latin letters. Output is deterministic (fixed zip timestamps, ids from the text).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
REALFORMATS = ROOT / "corpora" / "realformats" / "generated"
NS = "http://www.ofdspec.org/2016"
ET.register_namespace("ofd", NS)

PT = 25.4 / 72  # mm per point
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, TOP, TEXT_W, TEXT_H = 28.0, 37.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + TEXT_W, TOP + TEXT_H
BODY, TITLE, NOTE = 16 * PT, 22 * PT, 14 * PT  # 三号, 二号, 四号
GRID = TEXT_W / 28  # one character of the 28-character grid
LINE = 28 * PT  # the fixed line pitch
AUTOSPACE = 0.25  # the gap between Chinese and digits or Latin letters, in ems
ASCENT = 0.88
BLACK, RED = "0 0 0", "255 0 0"

FONTS = {
    "fang": "仿宋_GB2312",
    "xbs": "方正小标宋简体",
    "hei": "黑体",
    "kai": "楷体_GB2312",
    "song": "宋体",
}
FONT_ID = {key: n for n, key in enumerate(FONTS, start=1)}

DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号$")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
L1 = re.compile(r"^[一二三四五六七八九十]+、")
L2 = re.compile(r"^（[一二三四五六七八九十]+）")
# a line-breaking unit: opening marks, one character or a whole number or Latin word, and
# the closing marks that may not start a line (a unit is never split across lines)
UNIT = re.compile(r"[（《“‘〔【(\[]*(?:[0-9A-Za-z.%‰]+|.)[，。、；：？！）》”’〕】…—%‰,.;:!?)\]]*")


# ------------------------------------------------------------------------ measuring


def _wide(char: str) -> bool:
    return ord(char) >= 0x2E80 or char in "“”‘’—…·"


def _gap(left: str, right: str, size: float) -> float:
    """Word's and WPS's extra space between a Chinese character and a digit or letter."""
    if (
        _wide(left) != _wide(right)
        and (left.isalnum() or right.isalnum())
        and " " not in left + right
    ):
        return size * AUTOSPACE
    return 0.0


def advances(text: str, size: float, em: float | None = None) -> list[float]:
    """The advance of each character (a Chinese one is ``em``, the grid, by default the
    size), the Chinese–digit gaps included; the last one is its own width."""
    wide = em or size
    widths = [wide if _wide(c) else size / 2 for c in text]
    return [
        w + (_gap(a, b, size) if b else 0.0)
        for w, a, b in zip(widths, text, [*text[1:], ""], strict=True)
    ]


def width(text: str, size: float, em: float | None = None) -> float:
    return sum(advances(text, size, em))


def wrap(text: str, first: float, rest: float, size: float, em: float | None = None) -> list[str]:
    """``text`` broken into lines ``first`` then ``rest`` mm wide, between units."""
    lines: list[str] = []
    current = ""
    for unit in UNIT.findall(text):
        limit = rest if lines else first
        if current and width(current + unit, size, em) > limit + 1e-6:
            lines.append(current)
            current = unit
        else:
            current += unit
    return [*lines, current] if current else lines


def balanced(text: str, size: float) -> list[str]:
    """A title on one line, or on two of near-equal length (the upper one longer), not
    broken between a number and its unit (``2024年``)."""
    if width(text, size) <= TEXT_W:
        return [text]
    units = UNIT.findall(text)
    cuts = [
        ("".join(units[:i]), "".join(units[i:]))
        for i in range(1, len(units))
        if not units[i - 1][-1:].isdigit()
    ]
    fits = [c for c in cuts if width(c[0], size) <= TEXT_W and width(c[1], size) <= TEXT_W]
    if not fits:
        return wrap(text, TEXT_W, TEXT_W, size)
    top, bottom = min(fits, key=lambda c: (abs(width(c[0], size) - width(c[1], size)), -len(c[0])))
    return [top, bottom]


# -------------------------------------------------------------------------- drawing


@dataclass(slots=True)
class Run:
    """One line of text: one TextObject."""

    text: str
    x: float
    top: float  # of the line's row
    size: float
    font: str
    steps: list[float]  # the DeltaX offsets (one fewer than the characters)
    color: str = BLACK
    hscale: float = 1.0


@dataclass(slots=True)
class Rule:
    """A horizontal rule: one PathObject."""

    x: float
    y: float
    length: float
    thickness: float
    color: str = BLACK


@dataclass(slots=True)
class Page:
    runs: list[Run] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def baseline(top: float, size: float) -> float:
    """The baseline of ``size`` text centred in a row starting at ``top``."""
    return top + (LINE - size) / 2 + size * ASCENT


def run(
    text: str,
    x: float,
    top: float,
    size: float = BODY,
    font: str = "fang",
    *,
    right: float | None = None,
    em: float | None = None,
    color: str = BLACK,
    hscale: float = 1.0,
) -> Run:
    """One line at ``x``; with ``right``, justified (spread over its gaps) to end there."""
    steps = advances(text, size * hscale, em)[:-1]
    if steps and right is not None:
        spare = right - x - width(text, size * hscale, em)
        steps = [s + max(spare, 0.0) / len(steps) for s in steps]
    return Run(text, x, top, size, font, steps, color, hscale)


class Composer:
    """Lays lines out row by row on pages, breaking pages at the foot of the text block."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page()]
        self.top = TOP

    def skip(self, rows: float = 1) -> None:
        self.top += LINE * rows

    def row(self) -> float:
        """The top of the next row (on a new page when this one is full)."""
        if self.top + LINE > BOTTOM + 1e-6:
            self.pages.append(Page())
            self.top = TOP
        top = self.top
        self.top += LINE
        return top

    def add(self, line: Run) -> None:
        self.pages[-1].runs.append(line)

    def paragraph(self, text: str, font: str = "fang", indent: float = 2 * GRID) -> None:
        """A justified body paragraph (its last line not) with a first-line indent."""
        lines = wrap(text, TEXT_W - indent, TEXT_W, BODY, GRID)
        for n, line in enumerate(lines):
            right = RIGHT if n < len(lines) - 1 else None
            x = LEFT + (indent if n == 0 else 0.0)
            self.add(run(line, x, self.row(), font=font, right=right, em=GRID))

    def centred(self, text: str, size: float, font: str) -> None:
        self.add(run(text, LEFT + (TEXT_W - width(text, size)) / 2, self.row(), size, font))


# ------------------------------------------------------------------------- document


@dataclass(slots=True)
class Parts:
    """The lines of a text file by the part of a 公文 they are."""

    logo: str | None = None
    doc_number: str | None = None
    title: str = ""
    addressee: str | None = None
    body: list[str] = field(default_factory=list)
    issuer: str | None = None
    date: str | None = None
    copies: list[str] = field(default_factory=list)  # 抄送 lines
    printed: str | None = None  # 印发机关 and 印发日期


def parts_of(text: str) -> Parts:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    parts = Parts()
    if len(lines) > 2 and DOC_NUMBER.search(lines[1]) and len(lines[0]) <= 20:
        parts.logo, parts.doc_number, lines = lines[0], lines[1], lines[2:]
    parts.title, lines = lines[0], lines[1:]
    if lines and lines[0].endswith("：") and len(lines[0]) <= 60:
        parts.addressee, lines = lines[0], lines[1:]
    if lines and lines[-1].endswith("印发"):
        parts.printed, lines = lines[-1], lines[:-1]
    while lines and lines[-1].startswith("抄送"):
        parts.copies.insert(0, lines.pop())
    if lines and DATE.match(lines[-1]):
        parts.date, lines = lines[-1], lines[:-1]
        if lines and len(lines[-1]) <= 30 and "。" not in lines[-1]:
            parts.issuer, lines = lines[-1], lines[:-1]
    parts.body = lines
    return parts


def _heading_font(line: str) -> str | None:
    short = "。" not in line.rstrip("。") and len(line) <= 40
    if short and L1.match(line):
        return "hei"
    if short and L2.match(line):
        return "kai"
    return None


def compose(text: str) -> list[Page]:
    parts = parts_of(text)
    out = Composer()
    if parts.logo and parts.doc_number:
        _red_head(out, parts.logo, parts.doc_number)
    for line in balanced(parts.title, TITLE):
        out.centred(line, TITLE, "xbs")
    out.skip()
    if parts.addressee:
        out.paragraph(parts.addressee, indent=0.0)
    for line in parts.body:
        out.paragraph(line, _heading_font(line) or "fang")
    if parts.issuer or parts.date:
        _signature(out, parts.issuer or "", parts.date or "")
    if parts.copies or parts.printed:
        _imprint(out, parts)
    for number, page in enumerate(out.pages, start=1):
        folio = f"— {number} —"
        x = RIGHT - NOTE - width(folio, NOTE) if number % 2 else LEFT + NOTE
        top = BOTTOM + 7.0 - (LINE - NOTE) / 2  # the glyphs' top 7 mm under the text block
        page.runs.append(run(folio, x, top, NOTE, "song"))
    return out.pages


def _red_head(out: Composer, logo: str, doc_number: str) -> None:
    """发文机关标志 in red 35 mm below the top of the text block (15 mm high, narrowed to
    fit), the 发文字号 two lines under it, and a red rule 4 mm under that."""
    size = 15.0
    hscale = min(1.0, (TEXT_W - 6) / width(logo, size))
    logo_top = TOP + 35.0
    x = LEFT + (TEXT_W - width(logo, size * hscale)) / 2
    row_top = logo_top - (LINE - size) / 2
    out.add(run(logo, x, row_top, size, "xbs", color=RED, hscale=hscale))
    out.top = logo_top + size + 2 * LINE
    out.centred(doc_number, BODY, "fang")
    rule_y = out.top - (LINE - BODY) / 2 + 4.0
    out.pages[-1].rules.append(Rule(LEFT, rule_y, TEXT_W, 1.0, RED))
    out.top = rule_y + 2 * LINE


def _signature(out: Composer, issuer: str, date: str) -> None:
    """One line below the body: the issuer two characters from the right margin, the
    date under it two characters further right (or, when longer, two from the margin)."""
    out.skip()
    issuer_x = RIGHT - 2 * GRID - width(issuer, BODY, GRID)
    date_x = issuer_x + 2 * GRID
    if date_x + width(date, BODY, GRID) > RIGHT - 2 * GRID:
        date_x = RIGHT - 2 * GRID - width(date, BODY, GRID)
        issuer_x = date_x - 2 * GRID
    if out.top + 2 * LINE > BOTTOM:
        out.top = BOTTOM  # the signature and the date stay together
    for text, x in ((issuer, issuer_x), (date, date_x)):
        if text:
            out.add(run(text, x, out.row(), em=GRID))


def _imprint(out: Composer, parts: Parts) -> None:
    """The 版记 at the foot of the last page, in 四号 between rules: each 抄送 line one
    character in from both margins, wrapped under the first character after its colon;
    the 印发 line with the 印发机关 on the left and the date on the right."""
    inner_left, inner_right = LEFT + NOTE, RIGHT - NOTE
    lines: list[Run] = []
    for copy in parts.copies:
        label = width(copy[: copy.index("：") + 1], NOTE) if "：" in copy else 0.0
        wrapped = wrap(copy, inner_right - inner_left, inner_right - inner_left - label, NOTE)
        for n, line in enumerate(wrapped):
            right = inner_right if n < len(wrapped) - 1 else None
            lines.append(run(line, inner_left + (label if n else 0.0), 0.0, NOTE, right=right))
    rows = len(lines) + (1 if parts.printed else 0)
    if out.top + LINE * (rows + 1) > BOTTOM + 1e-6:  # a blank row above it at least
        out.pages.append(Page())
    page = out.pages[-1]
    top = BOTTOM - LINE * rows
    page.rules.append(Rule(LEFT, top, TEXT_W, 0.35))
    for line in lines:
        line.top = top
        page.runs.append(line)
        top += LINE
    if parts.printed:
        page.rules.append(Rule(LEFT, top, TEXT_W, 0.25))
        issuer, _, date = parts.printed.rpartition(" ")
        if issuer.strip():
            page.runs.append(run(issuer.strip(), inner_left, top, NOTE))
            page.runs.append(run(date, inner_right - width(date, NOTE), top, NOTE))
        else:
            page.runs.append(run(parts.printed, inner_left, top, NOTE))
        top += LINE
    page.rules.append(Rule(LEFT, top, TEXT_W, 0.35))


# -------------------------------------------------------------------------- package


def num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def delta_x(steps: Sequence[float]) -> str:
    """Offsets in the ``g N v`` syntax where a value repeats."""
    values = [num(s) for s in steps]
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out.append(f"g {j - i} {values[i]}" if j - i > 1 else values[i])
        i = j
    return " ".join(out)


class Ids:
    """Object ids, unique in the document (``MaxUnitID`` is the last one given)."""

    def __init__(self, start: int) -> None:
        self.last = start - 1

    def __call__(self) -> str:
        self.last += 1
        return str(self.last)


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An ``ofd:`` element (under ``parent`` when given)."""
    qname = f"{{{NS}}}{tag}"
    node = ET.Element(qname, attrs) if parent is None else ET.SubElement(parent, qname, attrs)
    node.text = text
    return node


def _bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _box(*values: float) -> str:
    return " ".join(num(v) for v in values)


def page_xml(page: Page, ids: Ids) -> bytes:
    root = _el(None, "Page")
    layer = _el(_el(root, "Content"), "Layer", ID=ids(), Type="Body")
    for rule in page.rules:
        half = rule.thickness / 2
        path = _el(
            layer,
            "PathObject",
            ID=ids(),
            Boundary=_box(rule.x, rule.y - half, rule.length, rule.thickness),
            LineWidth=num(rule.thickness),
        )
        _el(path, "StrokeColor", Value=rule.color)
        _el(path, "AbbreviatedData", f"M 0 {num(half)} L {num(rule.length)} {num(half)}")
    for line in page.runs:
        extent = sum(line.steps) + line.size * line.hscale
        attrs = {"Font": str(FONT_ID[line.font]), "Size": num(line.size)}
        if line.hscale != 1.0:
            attrs["HScale"] = num(line.hscale)
        text = _el(
            layer, "TextObject", ID=ids(), Boundary=_box(line.x, line.top, extent, LINE), **attrs
        )
        _el(text, "FillColor", Value=line.color)
        code = {"X": "0", "Y": num(baseline(0.0, line.size))}
        if line.steps:
            code["DeltaX"] = delta_x(line.steps)
        _el(text, "TextCode", line.text, **code)
    return _bytes(root)


def _created(date: str | None) -> str:
    """``2024年4月8日`` as ``2024-04-08`` (the OFD's CreationDate)."""
    found = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date or "")
    return f"{found[1]}-{int(found[2]):02d}-{int(found[3]):02d}" if found else "2024-01-01"


def members(text: str) -> dict[str, bytes]:
    """The package's parts, by name, for the document in ``text``."""
    parts = parts_of(text)
    pages = compose(text)
    ids = Ids(len(FONTS) + 1)
    page_ids = [ids() for _ in pages]
    contents = {
        f"Doc_0/Pages/Page_{n}/Content.xml": page_xml(page, ids) for n, page in enumerate(pages)
    }

    res = _el(None, "Res", BaseLoc="Res")
    fonts = _el(res, "Fonts")
    for key, name in FONTS.items():
        _el(fonts, "Font", ID=str(FONT_ID[key]), FontName=name, FamilyName=name)

    document = _el(None, "Document")
    common = _el(document, "CommonData")
    _el(common, "MaxUnitID", str(ids.last))
    _el(_el(common, "PageArea"), "PhysicalBox", _box(0, 0, PAGE_W, PAGE_H))
    _el(common, "PublicRes", "PublicRes.xml")
    page_list = _el(document, "Pages")
    for n, page_id in enumerate(page_ids):
        _el(page_list, "Page", ID=page_id, BaseLoc=f"Pages/Page_{n}/Content.xml")

    root = _el(None, "OFD", Version="1.0", DocType="OFD")
    body = _el(root, "DocBody")
    info = _el(body, "DocInfo")
    _el(info, "DocID", hashlib.md5(text.encode("utf-8")).hexdigest())
    _el(info, "Title", parts.title)
    _el(info, "Author", parts.issuer or parts.logo or "")
    _el(info, "CreationDate", _created(parts.date))
    _el(info, "Creator", "jjnlp scripts/make_ofd.py")
    _el(info, "CreatorVersion", "1.0")
    _el(body, "DocRoot", "Doc_0/Document.xml")
    return {
        "OFD.xml": _bytes(root),
        "Doc_0/Document.xml": _bytes(document),
        "Doc_0/PublicRes.xml": _bytes(res),
        **contents,
    }


def write_package(path: Path, parts: dict[str, bytes]) -> Path:
    """A zip with fixed timestamps (the same parts give the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def write_ofd(source: Path, target: Path) -> Path:
    return write_package(target, members(source.read_text(encoding="utf-8")))


# -------------------------------------------------------------------------- hostile

GOOD_TEXT = "关于测试的报告\n县委：\n一、总体情况\n全县立案52件，结案47件，结案率90.4%。\n"
PAGE_PART = "Doc_0/Pages/Page_0/Content.xml"
_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>\s*")


def _good(name: str) -> bytes:
    """A part of the good package, without its XML declaration."""
    return _DECLARATION.sub(b"", members(GOOD_TEXT)[name])


def _replaced(name: str, data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        parts = members(GOOD_TEXT)
        parts[name] = data
        write_package(path, parts)

    return make


def _without(name: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        parts = members(GOOD_TEXT)
        del parts[name]
        write_package(path, parts)

    return make


def _doc_root(location: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        root = _good("OFD.xml").replace(b">Doc_0/Document.xml<", f">{location}<".encode())
        _replaced("OFD.xml", root)(path)

    return make


def _with_doctype(doctype: str, text: str) -> Callable[[Path], None]:
    """The page with a DOCTYPE and an entity reference in place of its last words."""

    def make(path: Path) -> None:
        page = _good(PAGE_PART).replace("结案率90.4%。".encode(), text.encode())
        _replaced(PAGE_PART, doctype.encode() + b"\n" + page)(path)

    return make


# billion laughs: ten levels of ten references each (10**10 characters expanded)
_LAUGHS = "".join(
    ['<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">']
    + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
)


def _zip_bomb(path: Path, size: int = 64 << 20) -> None:
    """A member of ``size`` zeros (about 64 KiB compressed, a ratio of about 1000)."""
    write_package(path, members(GOOD_TEXT))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("Doc_0/Res/image1.png", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)


def _edited(name: str, pattern: bytes, replacement: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        _replaced(name, re.sub(pattern, replacement, _good(name), count=1, flags=re.S))(path)

    return make


_MANY_PAGES = (
    b"<ofd:Pages>"
    + b"".join(
        b'<ofd:Page ID="%d" BaseLoc="Pages/Page_0/Content.xml"/>' % (9000 + n) for n in range(5000)
    )
    + b"</ofd:Pages>"
)
_SCANNED = (
    f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="99">'
    '<ofd:ImageObject ID="100" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="7"/>'
    "</ofd:Layer></ofd:Content></ofd:Page>"
).encode()

# name -> (maker, the error code a correct reader gives; None: it reads the text)
HOSTILE: dict[str, tuple[Callable[[Path], None], str | None]] = {
    "no_ofd_xml.ofd": (_without("OFD.xml"), "E103"),  # a zip, but neither docx nor ofd
    "no_document.ofd": (_without("Doc_0/Document.xml"), "E105"),
    "no_page.ofd": (_without(PAGE_PART), "E105"),
    "bad_xml.ofd": (_replaced("Doc_0/Document.xml", b"<ofd:Document><ofd:Pages>"), "E105"),
    "not_xml.ofd": (_replaced("OFD.xml", b"\x00\x01PK garbage"), "E105"),
    "outside_parent.ofd": (_doc_root("../../etc/passwd"), "E105"),
    "outside_url.ofd": (_doc_root("file:///etc/passwd"), "E105"),
    "entities.ofd": (_with_doctype(f"<!DOCTYPE ofd:Page [{_LAUGHS}]>", "&a9;"), "E105"),
    "external_entity.ofd": (
        _with_doctype('<!DOCTYPE ofd:Page [<!ENTITY s SYSTEM "file:///etc/passwd">]>', "&s;"),
        "E105",
    ),
    "zip_bomb.ofd": (_zip_bomb, "E108"),
    "many_pages.ofd": (
        _edited("Doc_0/Document.xml", rb"<ofd:Pages>.*</ofd:Pages>", _MANY_PAGES),
        "E108",
    ),
    "bad_number.ofd": (_edited(PAGE_PART, rb'Size="[^"]*"', b'Size="nan"'), "E105"),
    "images_only.ofd": (_replaced(PAGE_PART, _SCANNED), "E107"),
    # a DeltaX asking for a billion repeats of one offset: read at once, as if it asked for few
    "repeat_bomb.ofd": (_edited(PAGE_PART, rb'DeltaX="[^"]*"', b'DeltaX="g 1000000000 5.6"'), None),
}


def make_hostile(name: str, directory: Path) -> Path:
    path = Path(directory) / name
    HOSTILE[name][0](path)
    return path


def make_good(directory: Path, name: str = "good.ofd") -> Path:
    """A small readable OFD of ``GOOD_TEXT``, to check beside the hostile ones."""
    return write_package(Path(directory) / name, members(GOOD_TEXT))


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, help="UTF-8 text, one paragraph a line")
    parser.add_argument("target", nargs="?", type=Path, help="the .ofd to write")
    parser.add_argument("--realformats", action="store_true", help="write rf_01.ofd and rf_05.ofd")
    parser.add_argument("--hostile", type=Path, metavar="DIR", help="write the hostile packages")
    args = parser.parse_args(argv)
    written: list[Path] = []
    if args.realformats:
        for doc in ("rf_01", "rf_05"):
            written.append(write_ofd(REALFORMATS / f"{doc}.txt", REALFORMATS / f"{doc}.ofd"))
    if args.hostile:
        written += [make_hostile(name, args.hostile) for name in HOSTILE]
    if args.source and args.target:
        written.append(write_ofd(args.source, args.target))
    if not written:
        parser.print_usage(sys.stderr)
        return 2
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
