"""Build the "real formats" twins of corpora/realformats/docs/rf_NN.txt.

Usage::

    python scripts/make_realformats.py           # txt + docx (+ pdf if soffice exists), check
    python scripts/make_realformats.py --no-pdf  # keep the committed PDFs, remake txt + docx, check
    python scripts/make_realformats.py --check   # only read the generated files back, check

For every source text ``docs/rf_NN.txt`` (one paragraph per line, written by another author
together with ``gold/rf_NN.json``) this writes into ``corpora/realformats/generated/``:

``rf_NN.txt``
    the plain-text twin: the document as Word would save it as text — numbering markers as text,
    ``[注1]`` removed, the ``[脚注]`` line as an ordinary last paragraph, the 红头 / 版记 lines of
    rf_01 and rf_05 in their places.
``rf_NN.docx``
    the same document as a Word submission is made: headings numbered by automatic list numbering
    (the marker is *not* in the paragraph text), tracked changes, a real footnote, a table with
    merged cells, a text box, a 红头 and a 版记, header and ``— N —`` footer, GB/T 9704 fonts.
``rf_NN.pdf``
    each docx exported by LibreOffice (``soffice --headless --convert-to pdf``).

The build is deterministic: fixed core-property dates, fixed zip timestamps, fixed ids; the PDF's
creation dates and file identifier are overwritten by fixed values of the same length.

``--check`` reads every docx back with zipfile + lxml (never with jjnlp), verifies that each
promised Word feature is in the file, renders the accepted text (numbering markers computed from
numbering.xml) and compares it with the txt twin, runs ``pdftotext`` on the PDF, and fails if any
generated file is over 200 KB.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "corpora" / "realformats"
DOCS = BASE / "docs"
OUT = BASE / "generated"
MAX_BYTES = 200 * 1024
LO_PROFILE = "file:///tmp/lo_profile_h7"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())

# fonts (GB/T 9704): body 仿宋_GB2312 三号 (16 pt), title 小标宋 二号 (22 pt),
# 一级标题 黑体, 二级标题 楷体_GB2312, page numbers 宋体 四号
FANG, XBS, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
BODY_SZ, TITLE_SZ = 32, 44  # half-points
LINE = 560  # exact line pitch 28 pt, in twips
CHAR = 320  # one 16 pt character, in twips
RED = "FF0000"

KIND_RE = {
    "L1": re.compile(r"^([一二三四五六七八九十]+)、"),
    "L2": re.compile(r"^（([一二三四五六七八九十]+)）"),
    "L3": re.compile(r"^(\d+)\."),
    "L4": re.compile(r"^（(\d+)）"),
}
KIND_ORDER = ["L1", "L2", "L3", "L4"]
DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
NOTE_REF_RE = re.compile(r"\[注(\d+)\]")
NOTE_LINE = "[脚注]"


# --------------------------------------------------------------------------- specs


@dataclass
class Lvl:
    fmt: str  # w:numFmt
    text: str  # w:lvlText
    font: str = FANG
    bold: bool = False
    restart: int | None = None  # w:lvlRestart (1-based level), None = element omitted
    style: str | None = None  # w:pStyle back-link (numbering linked through a style)
    start: int = 1


@dataclass
class Abstract:
    levels: list[Lvl]
    multi: bool  # multilevel list (one abstractNum for all levels) or one list per level


@dataclass
class Plan:
    abstracts: list[Abstract]
    kinds: dict[str, tuple[int, int]]  # kind -> (abstract index, ilvl)
    styles: dict[str, str] = field(default_factory=dict)  # kind -> linked paragraph style id
    override_restart: set[str] = field(default_factory=set)  # kinds restarted by a new w:num
    set_value_after_table: set[str] = field(default_factory=set)  # "设置编号值" after a table


@dataclass
class RedHead:
    mark: str  # 发文机关标志
    number: str  # 发文字号
    in_table: bool  # one-cell table (True) or plain centred paragraph
    mark_sz: int  # half-points
    cc: str  # 抄送
    printed: str  # 印发机关和印发日期


@dataclass
class Spec:
    header: str
    plan: Plan
    created: str  # ISO dates for core properties
    modified: str
    author: str
    redhead: RedHead | None = None
    revisions: bool = False
    textbox: str | None = None  # prefix of the body paragraph that sits in a text box
    footer_field: str = "complex"  # complex fldChar PAGE field or fldSimple


def _multi(*levels: Lvl) -> Abstract:
    return Abstract(list(levels), multi=True)


def _single(level: Lvl) -> Abstract:
    return Abstract([level], multi=False)


SPECS: dict[str, Spec] = {
    # 一、/（一） in one multilevel list, direct w:numPr, （一） restarted by explicit w:lvlRestart
    "rf_01": Spec(
        header="澜川县纪委监委",
        plan=Plan(
            [
                _multi(
                    Lvl("chineseCounting", "%1、", HEI),
                    Lvl("chineseCounting", "（%2）", KAI, restart=1),
                )
            ],
            {"L1": (0, 0), "L2": (0, 1)},
        ),
        created="2024-04-03T08:30:00Z",
        modified="2024-04-08T09:12:00Z",
        author="县纪委办公室",
        redhead=RedHead(
            mark="中共澜川县纪律检查委员会文件",
            number="澜纪发〔2024〕12号",
            in_table=False,
            mark_sz=60,
            cc="抄送：市纪委监委，县人大常委会党组，县政府党组，县政协党组。",
            printed="中共澜川县纪委办公室  2024年4月8日印发",
        ),
        revisions=True,
    ),
    # numbering linked through the built-in heading styles (标题 1/2/3 carry the w:numPr),
    # default restart (no w:lvlRestart), "3." after the table re-set by a w:num with startOverride 3
    "rf_02": Spec(
        header="柘湾市纪委监委",
        plan=Plan(
            [
                _multi(
                    Lvl("chineseCounting", "%1、", HEI, style="Heading1"),
                    Lvl("chineseCounting", "（%2）", KAI, style="Heading2"),
                    Lvl("decimal", "%3.", FANG, bold=True, style="Heading3"),
                )
            ],
            {"L1": (0, 0), "L2": (0, 1), "L3": (0, 2)},
            styles={"L1": "Heading1", "L2": "Heading2", "L3": "Heading3"},
            set_value_after_table={"L3"},
        ),
        created="2024-07-08T02:10:00Z",
        modified="2024-07-12T07:45:00Z",
        author="市纪委监委研究室",
    ),
    # one abstractNum per level; （一） and 1. restart by a new w:num with lvlOverride/startOverride
    "rf_03": Spec(
        header="白岩县纪委监委",
        plan=Plan(
            [
                _single(Lvl("chineseCounting", "%1、", HEI)),
                _single(Lvl("chineseCounting", "（%1）", KAI)),
                _single(Lvl("decimal", "%1.", FANG, bold=True)),
            ],
            {"L1": (0, 0), "L2": (1, 0), "L3": (2, 0)},
            override_restart={"L2", "L3"},
        ),
        created="2024-10-08T01:00:00Z",
        modified="2024-10-10T03:20:00Z",
        author="县纪委监委综合室",
    ),
    # four-level list, top level chineseCountingThousand, explicit w:lvlRestart on every level
    "rf_04": Spec(
        header="鹿鸣县纪委监委",
        plan=Plan(
            [
                _multi(
                    Lvl("chineseCountingThousand", "%1、", HEI),
                    Lvl("chineseCounting", "（%2）", KAI, restart=1),
                    Lvl("decimal", "%3.", FANG, bold=True, restart=2),
                    Lvl("decimal", "（%4）", FANG, restart=3),
                )
            ],
            {"L1": (0, 0), "L2": (0, 1), "L3": (0, 2), "L4": (0, 3)},
        ),
        created="2025-01-10T06:00:00Z",
        modified="2025-01-15T08:05:00Z",
        author="县纪委办公室",
        textbox="全年完成3轮常规巡察",
    ),
    # case notices: the cases are numbered by the list, the marker is not in the text
    "rf_05": Spec(
        header="内部资料　注意保存",
        plan=Plan([_single(Lvl("decimal", "%1.", FANG, bold=True))], {"L3": (0, 0)}),
        created="2024-09-10T02:00:00Z",
        modified="2024-09-12T06:30:00Z",
        author="县纪委监委党风政风监督室",
        redhead=RedHead(
            mark="中共澜川县纪律检查委员会",
            number="澜纪通〔2024〕9号",
            in_table=True,
            mark_sz=68,
            cc="抄送：市纪委监委党风政风监督室，县委各常委，县人大常委会、县政府、县政协党组。",
            printed="中共澜川县纪委办公室  2024年9月12日印发",
        ),
        footer_field="simple",
    ),
    "rf_06": Spec(
        header="内部资料　注意保存",
        plan=Plan(
            [_single(Lvl("chineseCounting", "%1、", HEI, style="CaseTitle"))],
            {"L1": (0, 0)},
            styles={"L1": "CaseTitle"},
        ),
        created="2024-08-16T01:30:00Z",
        modified="2024-08-20T02:40:00Z",
        author="市纪委监委党风政风监督室",
        footer_field="simple",
    ),
    "rf_07": Spec(
        header="内部资料　注意保存",
        plan=Plan(
            [
                _single(Lvl("chineseCounting", "%1、", HEI)),
                _single(Lvl("chineseCounting", "（%1）", KAI)),
            ],
            {"L1": (0, 0), "L2": (1, 0)},
        ),
        created="2024-09-20T07:00:00Z",
        modified="2024-09-25T01:15:00Z",
        author="县纪委监委党风政风监督室",
        footer_field="simple",
    ),
    "rf_08": Spec(
        header="内部资料　注意保存",
        plan=Plan([_single(Lvl("decimal", "（%1）", FANG, bold=True))], {"L4": (0, 0)}),
        created="2024-12-17T03:00:00Z",
        modified="2024-12-20T05:50:00Z",
        author="县纪委监委党风政风监督室",
        footer_field="simple",
    ),
}

# rf_01 tracked changes: in the paragraph that contains `target` (accepted text), replace
# `target` by the listed pieces; the pieces that are not deleted spell `target` again.
REV_AUTHORS = ("县纪委办公室 王敏", "县纪委监委审理室 刘洋")
MOVED = "对4名履职不力的单位主要负责人进行约谈提醒，推动管党治党责任落实落细。"
REVISIONS: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "rf_01": [
        ("26个，整改率83.9%", [("del", "24个，整改率77.4%"), ("ins", "26个，整改率83.9%")]),
        (MOVED, [("moveTo", MOVED)]),
        (
            "及时向主管部门反馈并督促整改。",
            [("r", "及时向主管部门反馈并督促整改。"), ("moveFrom", MOVED)],
        ),
        (
            "立案52件，同比增长18.2%",
            [("del", "立案48件，同比增长9.1%"), ("ins", "立案52件，同比增长18.2%")],
        ),
        ("结案率90.4%。", [("r", "结案率90.4%。"), ("del", "其中，乡镇纪委立案19件。")]),
        ("386.5万元", [("del", "352.6万元"), ("ins", "386.5万元")]),
        ("处理190人次", [("r", "处理"), ("del", "186人次"), ("ins", "190人次")]),
        ("明察暗访12次", [("r", "明察暗访"), ("ins", "12次")]),
        ("累计覆盖2100余人次", [("r", "累计覆盖"), ("del", "2000余人次"), ("ins", "2100余人次")]),
    ]
}


# --------------------------------------------------------------------------- source


@dataclass
class Line:
    role: str  # title addressee body heading table issuer date redmark rednumber cc printed
    text: str  # accepted text without numbering marker
    kind: str | None = None  # heading kind L1..L4
    number: str | None = None  # numeral as written
    rows: list[list[str]] | None = None


def read_source(doc_id: str) -> tuple[list[str], str | None]:
    """Source lines with the footnote line split off."""
    lines = (DOCS / f"{doc_id}.txt").read_text(encoding="utf-8").splitlines()
    note = None
    if lines and lines[-1].startswith(NOTE_LINE):
        note = lines.pop()[len(NOTE_LINE) :]
    return lines, note


def twin_lines(doc_id: str) -> list[str]:
    """The plain-text twin: what Word's "save as plain text" gives for the docx."""
    lines, note = read_source(doc_id)
    spec = SPECS[doc_id]
    out = [NOTE_REF_RE.sub("", line) for line in lines]
    if spec.redhead:
        out = [spec.redhead.mark, spec.redhead.number, *out, spec.redhead.cc, spec.redhead.printed]
    if note:
        out.append(note)
    return out


def classify(doc_id: str) -> list[Line]:
    lines, _ = read_source(doc_id)
    date_at = max(i for i, t in enumerate(lines) if DATE_RE.match(t))
    out: list[Line] = []
    i = 0
    while i < len(lines):
        text = lines[i]
        if "\t" in text:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            out.append(Line("table", "", rows=rows))
            continue
        if i == 0:
            out.append(Line("title", text))
        elif i == 1 and text.endswith("："):
            out.append(Line("addressee", text))
        elif i == date_at:
            out.append(Line("date", text))
        elif i == date_at - 1:
            out.append(Line("issuer", text))
        else:
            for kind, rx in KIND_RE.items():
                m = rx.match(text)
                if m:
                    out.append(Line("heading", text[m.end() :], kind, m.group(1)))
                    break
            else:
                out.append(Line("body", text))
        i += 1
    return out


# --------------------------------------------------------------------------- xml helpers


def X(xml: str):
    """Parse an xml fragment with the usual prefixes (python-docx's parser, so custom classes)."""
    from docx.oxml.parser import parse_xml

    m = re.match(r"<([\w:]+)([^>]*)>", xml)
    assert m
    if "xmlns:w=" in m.group(2):
        return parse_xml(xml)
    head = f"<{m.group(1)}"
    return parse_xml(xml.replace(head, f"{head} {NSDECL}", 1))


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rpr(
    font: str = FANG,
    sz: int = BODY_SZ,
    bold: bool = False,
    color: str | None = None,
    extra: str = "",
) -> str:
    ascii_font = "Times New Roman" if font in (FANG, SONG) else font
    parts = [
        f'<w:rFonts w:ascii="{ascii_font}" w:hAnsi="{ascii_font}" w:eastAsia="{font}" '
        'w:hint="eastAsia"/>'
    ]
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts.append(extra)
    parts.append(f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def run(text: str, **fmt) -> str:
    return f'<w:r>{rpr(**fmt)}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def ppr(
    *,
    style: str | None = None,
    keep_next: bool = False,
    num: tuple[int, int] | None = None,
    border: str = "",
    before: int = 0,
    after: int = 0,
    line: int | None = LINE,
    rule: str = "exact",
    ind: str = f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/>',
    jc: str = "both",
    outline: int | None = None,
    mark: str = "",
) -> str:
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/><w:keepLines/>")
    if num:
        parts.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    if border:
        parts.append(f"<w:pBdr>{border}</w:pBdr>")
    spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
    if line:
        spacing += f' w:line="{line}" w:lineRule="{rule}"'
    parts.append(spacing + "/>")
    parts.append(ind)
    parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append(mark)
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def text_width(text: str) -> int:
    return sum(CHAR if ord(c) > 0xFF else CHAR // 2 for c in text)


# --------------------------------------------------------------------------- numbering


class Numbering:
    """Builds numbering.xml and hands out (numId, ilvl) for each heading paragraph."""

    def __init__(self, doc_no: int, plan: Plan) -> None:
        self.plan = plan
        self.doc_no = doc_no
        self.nums: list[tuple[int, dict[int, int]]] = [(i, {}) for i in range(len(plan.abstracts))]
        self.current: dict[str, int] = {}  # kind -> numId in use
        self.seen: dict[str, int] = {}  # kind -> index of its last paragraph
        self.last_table = -1

    def assign(self, index: int, kind: str, number: int) -> tuple[int, int] | None:
        """Direct numPr for this paragraph, or None when its style carries the numbering."""
        plan = self.plan
        aid, ilvl = plan.kinds[kind]
        num_id = self.current.get(kind, aid + 1)
        higher = [k for k in KIND_ORDER[: KIND_ORDER.index(kind)] if k in plan.kinds]
        restarted = kind in self.seen and any(
            self.seen.get(h, -1) > self.seen[kind] for h in higher
        )
        after_table = kind in self.seen and self.seen[kind] < self.last_table < index
        if (kind in plan.override_restart and restarted) or (
            kind in plan.set_value_after_table and after_table
        ):
            self.nums.append((aid, {ilvl: number}))
            num_id = len(self.nums)
        self.current[kind] = num_id
        self.seen[kind] = index
        if kind in plan.styles and num_id == aid + 1:
            return None
        return (num_id, ilvl)

    def xml(self) -> str:
        parts = [f"<w:numbering {NSDECL}>"]
        for aid, ab in enumerate(self.plan.abstracts):
            nsid = f"{0x2A5C0000 + self.doc_no * 0x100 + aid:08X}"
            kind = "multilevel" if ab.multi else "hybridMultilevel"
            parts.append(f'<w:abstractNum w:abstractNumId="{aid}"><w:nsid w:val="{nsid}"/>')
            parts.append(f'<w:multiLevelType w:val="{kind}"/>')
            for ilvl in range(9):
                if ilvl < len(ab.levels):
                    lv = ab.levels[ilvl]
                else:  # unused levels, as Word writes them
                    lv = Lvl("decimal", f"%{ilvl + 1}." if ab.multi else f"%{ilvl + 1})")
                parts.append(
                    f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{lv.start}"/>'
                    f'<w:numFmt w:val="{lv.fmt}"/>'
                )
                if lv.restart is not None:
                    parts.append(f'<w:lvlRestart w:val="{lv.restart}"/>')
                if lv.style:
                    parts.append(f'<w:pStyle w:val="{lv.style}"/>')
                parts.append(
                    f'<w:suff w:val="nothing"/><w:lvlText w:val="{lv.text}"/>'
                    '<w:lvlJc w:val="left"/>'
                )
                parts.append(f'<w:pPr><w:ind w:left="0" w:firstLine="{2 * CHAR}"/></w:pPr>')
                parts.append(
                    rpr(lv.font, BODY_SZ, lv.bold).replace(
                        f'<w:sz w:val="{BODY_SZ}"/><w:szCs w:val="{BODY_SZ}"/>', ""
                    )
                )
                parts.append("</w:lvl>")
            parts.append("</w:abstractNum>")
        for num_id, (aid, overrides) in enumerate(self.nums, start=1):
            parts.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>')
            for ilvl, start in overrides.items():
                parts.append(
                    f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/>'
                    "</w:lvlOverride>"
                )
            parts.append("</w:num>")
        parts.append("</w:numbering>")
        return "".join(parts)

    def level(self, kind: str) -> Lvl:
        aid, ilvl = self.plan.kinds[kind]
        return self.plan.abstracts[aid].levels[ilvl]


# --------------------------------------------------------------------------- docx


class Ids:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def revision_runs(pieces: list[tuple[str, str, dict]], ids: Ids, doc_id: str) -> str:
    """Runs for (kind, text, fmt) pieces; kinds r / ins / del / moveFrom / moveTo / noteref."""
    out = []
    stamp = iter(["2024-04-07T15:32:00Z", "2024-04-07T16:05:00Z", "2024-04-08T08:47:00Z"] * 20)
    for n, (kind, text, fmt) in enumerate(pieces):
        author = REV_AUTHORS[n % 2]
        attrs = f'w:author="{author}" w:date="{next(stamp)}"'
        if kind == "r":
            out.append(run(text, **fmt))
        elif kind == "noteref":
            out.append(
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{text}"/></w:r>'
            )
        elif kind == "ins":
            out.append(f'<w:ins w:id="{ids()}" {attrs}>{run(text, **fmt)}</w:ins>')
        elif kind == "del":
            out.append(
                f'<w:del w:id="{ids()}" {attrs}><w:r>{rpr(**fmt)}'
                f'<w:delText xml:space="preserve">{esc(text)}</w:delText></w:r></w:del>'
            )
        elif kind in ("moveFrom", "moveTo"):
            rid = ids()
            name = "move164000001"  # both ends of one move share the name
            out.append(f'<w:{kind}RangeStart w:id="{rid}" {attrs} w:name="{name}"/>')
            out.append(f'<w:{kind} w:id="{ids()}" {attrs}>{run(text, **fmt)}</w:{kind}>')
            out.append(f'<w:{kind}RangeEnd w:id="{rid}"/>')
        else:
            raise ValueError(kind)
    return "".join(out)


def apply_revisions(
    pieces: list[tuple[str, str, dict]], target: str, repl: list[tuple[str, str]]
) -> bool:
    kept = "".join(t for k, t in repl if k != "del" and k != "moveFrom")
    assert kept == target, (target, repl)
    for n, (kind, text, fmt) in enumerate(pieces):
        if kind == "r" and target in text:
            head, tail = text.split(target, 1)
            new = [("r", head, fmt)] if head else []
            new += [(k, t, fmt) for k, t in repl]
            new += [("r", tail, fmt)] if tail else []
            pieces[n : n + 1] = new
            return True
    return False


def textbox_xml(text: str, ids: Ids) -> str:
    """A floating text box (wps:wsp, VML fallback) holding one body paragraph."""
    width_emu = 156 * 36000
    chars_per_line = (156 - 5) * 72 / 25.4 / 16
    lines = -(-(2 * CHAR + text_width(text)) // (CHAR * int(chars_per_line)))
    height_pt = lines * 28 + 10
    height_emu = int(height_pt * 12700)
    inner = f"<w:p>{ppr()}{run(text, font=KAI)}</w:p>"
    shape_id = ids()
    return (
        "<w:r>"
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="{shape_id}" name="文本框 {shape_id}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/>'
        '<wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
        '<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        '<a:miter lim="800000"/></a:ln>'
        "</wps:spPr>"
        f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" '
        'lIns="91440" tIns="45720" rIns="91440" bIns="45720" '
        'anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict>"
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="文本框 {shape_id}" o:spid="_x0000_s1026" type="#_x0000_t202" '
        f'style="position:absolute;left:0;text-align:left;margin-left:0;margin-top:0;width:442.2pt;'
        f"height:{height_pt}pt;z-index:251659264;mso-wrap-style:square;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:text;mso-position-vertical-relative:text;"
        'v-text-anchor:top" '
        'fillcolor="white" strokeweight=".25pt">'
        '<v:textbox style="mso-fit-shape-to-text:t">'
        f"<w:txbxContent>{inner}</w:txbxContent></v:textbox>"
        '<w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent>'
        "</w:r>"
    )


def table_xml(rows: list[list[str]]) -> str:
    """rf_02's statistics table: two header rows, 单位 and 结案 merged down, 立案 merged across."""
    widths = [2645, 2067, 2067, 2066]
    cell_rpr = dict(font=FANG, sz=28)
    bd = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="8845" w:type="dxa"/>'
        '<w:jc w:val="center"/>'
        f'<w:tblBorders>{bd}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")

    def tc(
        text: str, width: int, span: int = 1, vmerge: str | None = None, bold: bool = False
    ) -> str:
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if vmerge == "restart":
            props += '<w:vMerge w:val="restart"/>'
        elif vmerge == "continue":
            props += "<w:vMerge/>"
        props += '<w:vAlign w:val="center"/>'
        body = run(text, bold=bold, **cell_rpr) if text else ""
        p = f"<w:p>{ppr(line=None, ind='', jc='center')}{body}</w:p>"
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{p}</w:tc>"

    head1, head2, *data = rows
    assert head1[2] == "" and head2[0] == "" and head2[3] == "", (head1, head2)
    tr_head = '<w:trPr><w:cantSplit/><w:tblHeader/><w:jc w:val="center"/></w:trPr>'
    out.append(
        f"<w:tr>{tr_head}"
        + tc(head1[0], widths[0], vmerge="restart", bold=True)
        + tc(head1[1], widths[1] + widths[2], span=2, bold=True)
        + tc(head1[3], widths[3], vmerge="restart", bold=True)
        + "</w:tr>"
    )
    out.append(
        f"<w:tr>{tr_head}"
        + tc("", widths[0], vmerge="continue")
        + tc(head2[1], widths[1], bold=True)
        + tc(head2[2], widths[2], bold=True)
        + tc("", widths[3], vmerge="continue")
        + "</w:tr>"
    )
    for row in data:
        assert len(row) == 4, row
        out.append('<w:tr><w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>')
        out += [tc(cell, widths[c]) for c, cell in enumerate(row)]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def redhead_mark_xml(rh: RedHead) -> str:
    mark_run = run(rh.mark, font=XBS, sz=rh.mark_sz, color=RED)
    pp = ppr(before=0 if rh.in_table else 2 * LINE, after=0, line=None, ind="", jc="center")
    if not rh.in_table:
        return f"<w:p>{pp}{mark_run}</w:p>"
    none = "".join(
        f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="8845" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{none}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid><w:gridCol w:w="8845"/></w:tblGrid>'
        '<w:tr><w:trPr><w:trHeight w:val="1701" w:hRule="atLeast"/><w:jc w:val="center"/></w:trPr>'
        '<w:tc><w:tcPr><w:tcW w:w="8845" w:type="dxa"/><w:vAlign w:val="bottom"/></w:tcPr>'
        f"<w:p>{pp}{mark_run}</w:p></w:tc></w:tr></w:tbl>"
    )


def body_xml(doc_id: str, spec: Spec, numbering: Numbering, notes: dict[str, str]) -> list[str]:
    """The body elements in reading order, as xml strings."""
    ids = Ids()
    elements: list[str] = []
    rh = spec.redhead
    if rh:
        elements.append(redhead_mark_xml(rh))
        red_line = f'<w:bottom w:val="single" w:sz="18" w:space="6" w:color="{RED}"/>'
        elements.append(
            f"<w:p>{ppr(border=red_line, before=LINE, after=2 * LINE, ind='', jc='center')}"
            f"{run(rh.number)}</w:p>"
        )
    revisions = list(REVISIONS.get(doc_id, []))
    lines = classify(doc_id)
    for index, line in enumerate(lines):
        if line.role == "table":
            assert line.rows
            elements.append(table_xml(line.rows))
            numbering.last_table = index
            continue
        if line.role == "title":
            elements.append(
                f"<w:p>{ppr(before=LINE if rh else 0, after=LINE, line=720, ind='', jc='center')}"
                f"{run(line.text, font=XBS, sz=TITLE_SZ)}</w:p>"
            )
            continue
        if line.role == "addressee":
            elements.append(f"<w:p>{ppr(ind='')}{run(line.text)}</w:p>")
            continue
        if line.role in ("issuer", "date"):
            date = next(x.text for x in lines if x.role == "date")
            right = 4 * CHAR
            if line.role == "issuer":
                right = max(0, right + (text_width(date) - text_width(line.text)) // 2)
            before = 2 * LINE if line.role == "issuer" else 0
            ind = f'<w:ind w:right="{right}"/>'
            elements.append(f"<w:p>{ppr(before=before, ind=ind, jc='right')}{run(line.text)}</w:p>")
            continue
        if spec.textbox and line.role == "body" and line.text.startswith(spec.textbox):
            elements.append(f"<w:p>{ppr()}{textbox_xml(line.text, ids)}</w:p>")
            continue
        # body paragraph or numbered heading (the marker comes from numbering.xml)
        text = line.text
        pieces: list[tuple[str, str, dict]] = []
        num = None
        pstyle = None
        head_fmt: dict = {}
        if line.role == "heading":
            assert line.kind and line.number
            lv = numbering.level(line.kind)
            number = int(line.number) if line.number.isdigit() else cn_value(line.number)
            num = numbering.assign(index, line.kind, number)
            pstyle = numbering.plan.styles.get(line.kind)
            head_fmt = dict(font=lv.font, bold=lv.bold)
            cut = text.find("。")
            if (
                0 <= cut < len(text) - 1
            ):  # inline sub-heading: heading sentence + body in one paragraph
                pieces = [("r", text[: cut + 1], head_fmt), ("r", text[cut + 1 :], {})]
            else:
                pieces = [("r", text, {} if pstyle else head_fmt)]
        else:
            pieces = [("r", text, {})]
        # footnote references
        for n, (_kind, t, fmt) in enumerate(list(pieces)):
            m = NOTE_REF_RE.search(t)
            if m:
                pieces[n : n + 1] = [
                    ("r", t[: m.start()], fmt),
                    ("noteref", m.group(1), fmt),
                    ("r", t[m.end() :], fmt),
                ]
                notes.setdefault(m.group(1), "")
        for target, repl in list(revisions):
            if apply_revisions(pieces, target, repl):
                revisions.remove((target, repl))
        standalone = line.role == "heading" and len(pieces) == 1
        p_props = ppr(
            style=pstyle,
            keep_next=standalone and not pstyle,
            num=num,
        )
        if pstyle:  # style-linked: the style carries indent, spacing, fonts and the numbering
            p_props = (
                f'<w:pPr><w:pStyle w:val="{pstyle}"/>'
                + (
                    f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
                    f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/>'
                    if num
                    else ""
                )
                + "</w:pPr>"
            )
        runs = revision_runs(pieces, ids, doc_id)
        elements.append(f"<w:p>{p_props}{runs}</w:p>")
    assert not revisions, f"{doc_id}: revision targets not found: {revisions}"
    if rh:
        thin_top = '<w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/>'
        thin_bottom = '<w:bottom w:val="single" w:sz="4" w:space="1" w:color="000000"/>'
        ind = f'<w:ind w:left="{CHAR}" w:right="{CHAR}"/>'
        elements.append(
            f"<w:p>{ppr(border=thin_top, before=4 * LINE, ind=ind, jc='left')}"
            f"{run(rh.cc, sz=28)}</w:p>"
        )
        elements.append(
            f"<w:p>{ppr(border=thin_bottom, ind=ind, jc='left')}{run(rh.printed, sz=28)}</w:p>"
        )
    return elements


CN_DIGITS = "零一二三四五六七八九"


def cn_value(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS.index(text[1])
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CN_DIGITS.index(tens) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(text)


def cn_counting(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def style_xml(
    style_id: str, name: str, ppr_xml: str, rpr_xml: str, based_on: str = "Normal"
) -> str:
    return (
        f'<w:style {NSDECL} w:type="paragraph" '
        f'w:customStyle="{0 if style_id.startswith("Heading") else 1}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>'
        f'<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>{ppr_xml}{rpr_xml}</w:style>'
    )


def fix_styles(document, spec: Spec) -> None:
    """Normal = 仿宋_GB2312 16 pt; heading styles that carry the numbering; footnote styles."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    # keep only the styles such a document uses (the python-docx template carries 164)
    keep = {
        "Normal",
        "DefaultParagraphFont",
        "TableNormal",
        "NoList",
        "TableGrid",
        "Header",
        "Footer",
    }
    keep |= set(spec.plan.styles.values())
    for st in styles.findall(qn("w:style")):
        if st.get(qn("w:styleId")) not in keep:
            styles.remove(st)
        else:
            for link in st.findall(qn("w:link")):
                st.remove(link)
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.getparent().replace(
        rpr_default,
        X(
            "<w:rPrDefault><w:rPr>"
            '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
            f'w:eastAsia="{FANG}" w:cs="Times New Roman"/>'
            f'<w:kern w:val="2"/><w:sz w:val="{BODY_SZ}"/><w:szCs w:val="{BODY_SZ}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        ),
    )
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)
    defaults.append(
        X(
            '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault>"
        )
    )
    normal = document.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(X('<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr>'))
    normal.append(X(rpr(FANG, BODY_SZ)))
    # heading / case-title styles that carry the numbering
    plan = spec.plan
    numbering_kinds = {style: kind for kind, style in plan.styles.items()}
    for style_id, kind in numbering_kinds.items():
        aid, ilvl = plan.kinds[kind]
        lv = plan.abstracts[aid].levels[ilvl]
        name = {"Heading1": "heading 1", "Heading2": "heading 2", "Heading3": "heading 3"}.get(
            style_id, "通报案例标题"
        )
        ilvl_xml = "" if ilvl == 0 else f'<w:ilvl w:val="{ilvl}"/>'
        p_xml = (
            f"<w:pPr><w:keepNext/><w:keepLines/><w:numPr>{ilvl_xml}"
            f'<w:numId w:val="{aid + 1}"/></w:numPr>'
            f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>'
            f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/><w:jc w:val="both"/>'
            f'<w:outlineLvl w:val="{ilvl}"/></w:pPr>'
        )
        existing = styles.find(f'{qn("w:style")}[@{qn("w:styleId")}="{style_id}"]')
        new = X(style_xml(style_id, name, p_xml, rpr(lv.font, BODY_SZ, lv.bold)))
        if existing is not None:
            styles.replace(existing, new)
        else:
            styles.append(new)
    for style_id, name, p_xml, r_xml, kind in (
        (
            "FootnoteText",
            "footnote text",
            '<w:pPr><w:snapToGrid w:val="0"/><w:jc w:val="left"/></w:pPr>',
            rpr(FANG, 28),
            "paragraph",
        ),
        (
            "FootnoteReference",
            "footnote reference",
            "",
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>',
            "character",
        ),
    ):
        existing = styles.find(f'{qn("w:style")}[@{qn("w:styleId")}="{style_id}"]')
        if existing is not None:
            styles.remove(existing)
        based = "" if kind == "character" else '<w:basedOn w:val="Normal"/>'
        styles.append(
            X(
                f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}'
                f'<w:uiPriority w:val="99"/><w:unhideWhenUsed/>{p_xml}{r_xml}</w:style>'
            )
        )
    # header style: 10.5 pt with the usual bottom rule
    header = document.styles["Header"].element
    for child in list(header):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            header.remove(child)
    header.append(
        X(
            '<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
            '<w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/>'
            "</w:tabs>"
            '<w:snapToGrid w:val="0"/><w:jc w:val="center"/></w:pPr>'
        )
    )
    header.append(X(rpr(FANG, 21)))


def hdr_ftr(document, spec: Spec) -> None:
    from docx.oxml.ns import qn

    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    for part in (section.header, section.even_page_header):
        part.is_linked_to_previous = False
        p = part.paragraphs[0]._p
        p.append(X(run(spec.header, font=FANG, sz=21)))
    for part, even in ((section.footer, False), (section.even_page_footer, True)):
        part.is_linked_to_previous = False
        p = part.paragraphs[0]._p
        for old_ppr in p.findall(qn("w:pPr")):
            p.remove(old_ppr)
        jc = "left" if even else "right"
        ind = f'<w:ind w:left="{280 if even else 0}" w:right="{0 if even else 280}"/>'
        p.append(X(f'<w:pPr><w:pStyle w:val="Footer"/>{ind}<w:jc w:val="{jc}"/></w:pPr>'))
        fmt = dict(font=SONG, sz=28)
        p.append(X(run("— ", **fmt)))
        if spec.footer_field == "simple":
            p.append(
                X(
                    '<w:fldSimple w:instr=" PAGE   \\* MERGEFORMAT ">'
                    f"{run('1', **fmt)}</w:fldSimple>"
                )
            )
        else:
            p.append(X(f'<w:r>{rpr(**fmt)}<w:fldChar w:fldCharType="begin"/></w:r>'))
            p.append(
                X(
                    f'<w:r>{rpr(**fmt)}<w:instrText xml:space="preserve">'
                    " PAGE   \\* MERGEFORMAT </w:instrText></w:r>"
                )
            )
            p.append(X(f'<w:r>{rpr(**fmt)}<w:fldChar w:fldCharType="separate"/></w:r>'))
            p.append(X(run("1", **fmt)))
            p.append(X(f'<w:r>{rpr(**fmt)}<w:fldChar w:fldCharType="end"/></w:r>'))
        p.append(X(run(" —", **fmt)))


def add_footnotes(document, notes: dict[str, str]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    sep = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
    )
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r>{rpr(FANG, 28)}<w:t xml:space="preserve"> </w:t></w:r>{run(text, sz=28)}</w:p>'
        "</w:footnote>"
        for n, text in notes.items()
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:footnotes {NSDECL}>{sep}{body}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def build_docx(doc_id: str, path: Path) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.shared import Mm

    spec = SPECS[doc_id]
    doc_no = int(doc_id.split("_")[1])
    document = docx.Document()
    # drop template leftovers a Word file of ours would not have
    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_XML) or rel.reltype.endswith(
                "/stylesWithEffects"
            ):
                rels.pop(rid)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    fix_styles(document, spec)
    numbering = Numbering(doc_no, spec.plan)
    notes: dict[str, str] = {}
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    for xml in body_xml(doc_id, spec, numbering, notes):
        sect.addprevious(X(xml))
    grid = sect.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), "579")
    # numbering.xml
    num_part = document.part.numbering_part
    new_root = X(numbering.xml())
    root = num_part.element
    for child in list(root):
        root.remove(child)
    for child in list(new_root):
        root.append(child)
    # footnotes
    if notes:
        _, note = read_source(doc_id)
        assert note and list(notes) == ["1"], notes
        notes["1"] = note
        add_footnotes(document, notes)
    hdr_ftr(document, spec)
    # settings: Chinese theme language, revisions tracked but the final text shown, footnote ids
    settings = document.settings.element
    for tag in ("w:rsids", "w14:docId"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:val"), "en-US")
    if spec.revisions:  # tracking on; the file opens showing the final text without markup
        proof = settings.find(qn("w:proofState"))
        proof.addnext(X("<w:trackRevisions/>"))
        proof.addnext(X('<w:revisionView w:markup="0" w:insDel="0" w:formatting="0"/>'))
    if notes:
        settings.find(qn("w:compat")).addprevious(
            X('<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        )
    # fonts used, as Word lists them in fontTable.xml
    font_table = next(p for p in package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    ft = etree.fromstring(font_table.blob)
    for name, alt in (
        (FANG, "仿宋"),
        (XBS, "宋体"),
        (HEI, "SimHei"),
        (KAI, "楷体"),
        (SONG, "SimSun"),
    ):
        ft.append(
            etree.fromstring(
                f'<w:font xmlns:w="{W_NS}" w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/>'
                '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            )
        )
    font_table._blob = etree.tostring(ft, xml_declaration=True, encoding="UTF-8", standalone=True)
    app = next(p for p in package.iter_parts() if str(p.partname) == "/docProps/app.xml")
    app._blob = re.sub(
        rb"<Application>.*?</Application>",
        b"<Application>make_realformats.py (python-docx)</Application>",
        app.blob,
    )
    props = document.core_properties
    props.title = next(line.text for line in classify(doc_id) if line.role == "title")
    props.author = spec.author
    props.last_modified_by = spec.author
    props.comments = ""
    props.revision = 3 if spec.revisions else 1
    props.created = datetime.fromisoformat(spec.created.replace("Z", "+00:00")).replace(tzinfo=None)
    props.modified = datetime.fromisoformat(spec.modified.replace("Z", "+00:00")).replace(
        tzinfo=None
    )
    props.last_printed = props.modified
    save_deterministic(document, path)


def save_deterministic(document, path: Path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                data = tidy_namespaces(data)
            target.writestr(fixed, data, compresslevel=9)


def tidy_namespaces(data: bytes) -> bytes:
    """Declare every prefix once on the root (as Word does), not on inserted fragments."""
    root = etree.fromstring(data)
    keep = [k for k in root.nsmap if k]
    etree.cleanup_namespaces(root, top_nsmap={k: v for k, v in NS.items()}, keep_ns_prefixes=keep)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- pdf


def build_pdf(docx_path: Path, pdf_path: Path) -> str | None:
    """Export with LibreOffice; returns an error text instead of raising."""
    soffice = shutil.which("soffice")
    if not soffice:
        return "soffice not found"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            soffice,
            f"-env:UserInstallation={LO_PROFILE}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(docx_path),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
        except subprocess.TimeoutExpired:
            return "soffice timed out"
        made = Path(tmp) / (docx_path.stem + ".pdf")
        if proc.returncode != 0 or not made.exists():
            return f"soffice failed: rc={proc.returncode} {proc.stderr.strip()[:300]}"
        data = made.read_bytes()
    pdf_path.write_bytes(fix_pdf_dates(data))
    return None


def fix_pdf_dates(data: bytes) -> bytes:
    """Overwrite creation dates, file id and DocChecksum by fixed values of the same length.

    Same length keeps the xref offsets valid; nothing else in LibreOffice's output varies
    between runs."""

    def date(m: re.Match) -> bytes:
        value = m.group(2)
        fixed = b"D:20240101000000+00'00'"
        return m.group(1) + fixed[: len(value)].ljust(len(value), b"0") + m.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", date, data)

    def ident(m: re.Match) -> bytes:
        return re.sub(
            rb"<[0-9A-Fa-f]+>", lambda h: b"<" + b"0" * (len(h.group(0)) - 2) + b">", m.group(0)
        )

    data = re.sub(rb"/ID\s*\[[^\]]*\]", ident, data)
    return re.sub(
        rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + b"0" * len(m.group(2)), data
    )


# --------------------------------------------------------------------------- check (reads back)


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _ancestors(el, stop):
    el = el.getparent()
    while el is not None and el is not stop:
        yield el
        el = el.getparent()


SKIP_TEXT = {q("w:del"), q("w:moveFrom"), q("w:txbxContent"), q("mc:Fallback"), q("w:instrText")}


def para_text(p) -> str:
    """Accepted text of a paragraph's own runs (no deleted/moved-away text, no text boxes)."""
    out = []
    for node in p.iter(q("w:t"), q("w:tab")):
        if any(a.tag in SKIP_TEXT for a in _ancestors(node, p)):
            continue
        out.append("\t" if node.tag == q("w:tab") else (node.text or ""))
    return "".join(out)


class NumberingReader:
    """Computes list markers from numbering.xml and styles.xml, as Word lays them out."""

    def __init__(self, numbering, styles) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        if numbering is not None:
            for ab in numbering.findall(q("w:abstractNum")):
                levels = {}
                for lvl in ab.findall(q("w:lvl")):

                    def val(tag, default=None, lvl=lvl):
                        el = lvl.find(q(tag))
                        return default if el is None else el.get(q("w:val"))

                    restart = val("w:lvlRestart")
                    levels[int(lvl.get(q("w:ilvl")))] = {
                        "start": int(val("w:start", "1")),
                        "fmt": val("w:numFmt", "decimal"),
                        "text": val("w:lvlText", ""),
                        "restart": None if restart is None else int(restart),
                    }
                self.abstract[ab.get(q("w:abstractNumId"))] = levels
            for num in numbering.findall(q("w:num")):
                overrides = {}
                for ov in num.findall(q("w:lvlOverride")):
                    so = ov.find(q("w:startOverride"))
                    if so is not None:
                        overrides[int(ov.get(q("w:ilvl")))] = int(so.get(q("w:val")))
                self.nums[num.get(q("w:numId"))] = (
                    num.find(q("w:abstractNumId")).get(q("w:val")),
                    overrides,
                )
        self.style_num: dict[str, tuple[str, int]] = {}
        based: dict[str, str] = {}
        for st in styles.findall(q("w:style")):
            sid = st.get(q("w:styleId"))
            b = st.find(q("w:basedOn"))
            if b is not None:
                based[sid] = b.get(q("w:val"))
            npr = st.find(f"{q('w:pPr')}/{q('w:numPr')}")
            if npr is not None and npr.find(q("w:numId")) is not None:
                nid = npr.find(q("w:numId"))
                il = npr.find(q("w:ilvl"))
                self.style_num[sid] = (
                    nid.get(q("w:val")),
                    int(il.get(q("w:val"))) if il is not None else 0,
                )
        for sid in list(based):
            s = sid
            while s not in self.style_num and s in based:
                s = based[s]
            if s in self.style_num:
                self.style_num.setdefault(sid, self.style_num[s])
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()

    def num_of(self, p) -> tuple[str, int, str] | None:
        """(numId, ilvl, how) of a paragraph: direct numPr or through its style."""
        ppr_el = p.find(q("w:pPr"))
        if ppr_el is None:
            return None
        npr = ppr_el.find(q("w:numPr"))
        if npr is not None:
            nid = npr.find(q("w:numId")).get(q("w:val"))
            il = npr.find(q("w:ilvl"))
            return (nid, int(il.get(q("w:val"))) if il is not None else 0, "direct")
        ps = ppr_el.find(q("w:pStyle"))
        if ps is not None and ps.get(q("w:val")) in self.style_num:
            nid, il = self.style_num[ps.get(q("w:val"))]
            return (nid, il, "style")
        return None

    def marker(self, num_id: str, ilvl: int) -> str:
        if num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.abstract[aid]
        counters = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for il, start in overrides.items():
                counters[il] = start - 1
        if counters[ilvl] is None:
            counters[ilvl] = levels[ilvl]["start"] - 1
        counters[ilvl] += 1
        for j in range(ilvl + 1, 9):
            restart = levels.get(j, {}).get("restart")
            if restart is None or (restart > 0 and ilvl < restart):
                counters[j] = None

        def fmt(k: int) -> str:
            value = counters[k] if counters[k] is not None else levels[k]["start"]
            kind = levels[k]["fmt"]
            if kind == "decimal":
                return str(value)
            if kind in ("chineseCounting", "chineseCountingThousand"):
                return cn_counting(value)
            raise ValueError(kind)

        return re.sub(r"%(\d)", lambda m: fmt(int(m.group(1)) - 1), levels[ilvl]["text"])


def read_docx(path: Path) -> dict:
    """Everything the check needs, from the zip: parts, rendered text, feature counts."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())

        def part(name):
            return etree.fromstring(z.read(name)) if name in names else None

        doc = part("word/document.xml")
        styles = part("word/styles.xml")
        numbering = part("word/numbering.xml")
        footnotes = part("word/footnotes.xml")
        settings = part("word/settings.xml")
        headers = [part(n) for n in sorted(names) if re.match(r"word/header\d+\.xml", n)]
        footers = [part(n) for n in sorted(names) if re.match(r"word/footer\d+\.xml", n)]
        core = z.read("docProps/core.xml").decode("utf-8")
    body = doc.find(q("w:body"))
    nr = NumberingReader(numbering, styles)
    lines: list[str] = []
    numbered: list[dict] = []
    for child in body:
        if child.tag == q("w:p"):
            for box in child.iter(q("w:txbxContent")):
                if any(a.tag == q("mc:Fallback") for a in _ancestors(box, child)):
                    continue
                lines += [para_text(bp) for bp in box.findall(q("w:p")) if para_text(bp).strip()]
            own = para_text(child)
            info = nr.num_of(child)
            marker = nr.marker(info[0], info[1]) if info else ""
            if info:
                numbered.append({"text": own, "marker": marker, "how": info[2]})
            if (marker + own).strip():
                lines.append(marker + own)
        elif child.tag == q("w:tbl"):
            for tr in child.findall(q("w:tr")):
                cells = []
                for tc in tr.findall(q("w:tc")):
                    tcpr = tc.find(q("w:tcPr"))
                    vm = tcpr.find(q("w:vMerge")) if tcpr is not None else None
                    span = tcpr.find(q("w:gridSpan")) if tcpr is not None else None
                    cont = vm is not None and vm.get(q("w:val")) in (None, "continue")
                    cells.append(
                        "" if cont else "".join(para_text(p) for p in tc.findall(q("w:p")))
                    )
                    if span is not None:
                        cells += [""] * (int(span.get(q("w:val"))) - 1)
                lines.append("\t".join(cells))
    refs = [r.get(q("w:id")) for r in body.iter(q("w:footnoteReference"))]
    notes = {}
    if footnotes is not None:
        for fn in footnotes.findall(q("w:footnote")):
            notes[fn.get(q("w:id"))] = "".join(para_text(p) for p in fn.findall(q("w:p"))).strip()
    lines += [notes[r] for r in refs]

    def count(tag, root=doc):
        return sum(1 for _ in root.iter(q(tag)))

    used_levels = set()
    for p in body.iter(q("w:p")):
        info = nr.num_of(p)
        if info and info[0] in nr.nums:
            aid, _ = nr.nums[info[0]]
            lv = nr.abstract[aid][info[1]]
            used_levels.add((lv["fmt"], lv["text"]))
    red_runs = [
        "".join(t.text or "" for t in r.iter(q("w:t")))
        for r in body.iter(q("w:r"))
        if r.find(f"{q('w:rPr')}/{q('w:color')}") is not None
        and r.find(f"{q('w:rPr')}/{q('w:color')}").get(q("w:val")) == RED
    ]
    red_rules = [
        b
        for b in body.iter(q("w:bottom"))
        if b.getparent().tag == q("w:pBdr") and b.get(q("w:color")) == RED
    ]
    texts = [para_text(p) for p in body.iter(q("w:p"))]
    footer_text = ["".join(t.text or "" for t in f.iter(q("w:t"))) for f in footers]
    footer_field = any(
        "PAGE" in (el.text or "") for f in footers for el in f.iter(q("w:instrText"))
    ) or any(
        "PAGE" in (el.get(q("w:instr")) or "") for f in footers for el in f.iter(q("w:fldSimple"))
    )
    rdefault = styles.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{q('w:rPr')}")
    normal = styles.find(f"{q('w:style')}[@{q('w:styleId')}='Normal']/{q('w:rPr')}")

    def font_of(rpr_el):
        f = rpr_el.find(q("w:rFonts")) if rpr_el is not None else None
        s = rpr_el.find(q("w:sz")) if rpr_el is not None else None
        return (
            f.get(q("w:eastAsia")) if f is not None else None,
            s.get(q("w:val")) if s is not None else None,
        )

    title_fonts = set()
    for p in body.findall(q("w:p")):
        for r in p.findall(q("w:r")):
            ea, sz = font_of(r.find(q("w:rPr")))
            if ea == XBS:
                title_fonts.add((ea, sz))
    del_texts = [
        "".join(t.text or "" for t in d.iter(q("w:delText"))) for d in body.iter(q("w:del"))
    ]
    move_from = [
        "".join(t.text or "" for t in d.iter(q("w:t"))) for d in body.iter(q("w:moveFrom"))
    ]
    return {
        "lines": lines,
        "numbered": numbered,
        "used_levels": used_levels,
        "lvlRestart": count("w:lvlRestart", numbering) if numbering is not None else 0,
        "startOverride": count("w:startOverride", numbering) if numbering is not None else 0,
        "w:start": count("w:start", numbering) if numbering is not None else 0,
        "style_linked": sum(1 for n in numbered if n["how"] == "style"),
        "direct": sum(1 for n in numbered if n["how"] == "direct"),
        "ins": count("w:ins"),
        "del": count("w:del"),
        "delText": del_texts,
        "moveFrom": move_from,
        "moveTo": count("w:moveTo"),
        "moveRanges": count("w:moveFromRangeStart") + count("w:moveToRangeStart"),
        "revisionView": settings.find(q("w:revisionView")) is not None,
        "footnotes": {k: v for k, v in notes.items() if k not in ("-1", "0")},
        "footnoteRefs": refs,
        "gridSpan": count("w:gridSpan"),
        "vMerge": count("w:vMerge"),
        "tables": count("w:tbl"),
        "txbxContent": count("w:txbxContent"),
        "wps": count("wps:wsp"),
        "red_runs": red_runs,
        "red_rules": len(red_rules),
        "cc": [t for t in texts if t.startswith("抄送：")],
        "printed": [t for t in texts if t.endswith("印发")],
        "header_text": ["".join(t.text or "" for t in h.iter(q("w:t"))) for h in headers],
        "footer_text": footer_text,
        "footer_field": footer_field,
        "body_font": (font_of(rdefault), font_of(normal)),
        "title_fonts": title_fonts,
        "core": core,
    }


def pdf_text(path: Path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60
    )
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8")


def pdf_pages(path: Path) -> int | None:
    if not shutil.which("pdfinfo"):
        return None
    proc = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    m = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
    return int(m.group(1)) if m else None


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def gold_spans_ok(doc_id: str, twin: str) -> tuple[int, list[str]]:
    """Gold spans (written on docs/*.txt) must still locate the same place in the twin."""
    gold_path = BASE / "gold" / f"{doc_id}.json"
    if not gold_path.exists():
        return 0, []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    lines, note = read_source(doc_id)
    source = "\n".join([NOTE_REF_RE.sub("", x) for x in lines] + ([note] if note else []))
    problems = []
    for m in gold.get("metrics", []):
        text, ctx, nth = m["text"], m.get("context"), m.get("nth", 0)
        if ctx:
            if twin.count(ctx) != 1:
                problems.append(f"context {ctx!r} occurs {twin.count(ctx)}× in the twin")
            continue

        def at(hay: str, k: int, text: str = text) -> str | None:
            pos = -1
            for _ in range(k + 1):
                pos = hay.find(text, pos + 1)
                if pos < 0:
                    return None
            return hay[max(0, pos - 12) : pos + len(text) + 12]

        if at(source, nth) != at(twin, nth):
            problems.append(f"{text!r} nth={nth} lands elsewhere in the twin")
    return len(gold.get("metrics", [])), problems


def check(doc_ids: list[str], with_pdf: bool = True) -> bool:
    ok = True
    rows = []
    print("\n== check: docx read back with zipfile + lxml ==")
    marker_re = re.compile("|".join(rx.pattern for rx in KIND_RE.values()))
    for doc_id in doc_ids:
        spec = SPECS[doc_id]
        problems: list[str] = []
        docx_path, txt_path, pdf_path = (OUT / f"{doc_id}.{e}" for e in ("docx", "txt", "pdf"))
        info = read_docx(docx_path)
        twin = txt_path.read_text(encoding="utf-8")
        if twin.splitlines() != twin_lines(doc_id):
            problems.append("txt twin differs from what the source gives")
        if info["lines"] != twin.splitlines():
            diff = list(
                difflib.unified_diff(
                    twin.splitlines(), info["lines"], "twin", "docx", lineterm="", n=0
                )
            )
            problems.append("docx accepted text != txt twin:\n      " + "\n      ".join(diff[:12]))
        # numbering: every heading numbered, no marker typed into the text
        expected_heads = sum(1 for line in classify(doc_id) if line.role == "heading")
        typed = [n["text"][:12] for n in info["numbered"] if marker_re.match(n["text"])]
        body_typed = 0
        with zipfile.ZipFile(docx_path) as z:
            d = etree.fromstring(z.read("word/document.xml"))
        for p in d.iter(q("w:p")):
            if marker_re.match(para_text(p)):
                body_typed += 1
        if len(info["numbered"]) != expected_heads:
            problems.append(
                f"{len(info['numbered'])} numbered paragraphs, {expected_heads} headings"
            )
        if typed or body_typed:
            problems.append(f"marker typed in paragraph text: {typed or body_typed}")
        want_levels = {(lv.fmt, lv.text) for ab in spec.plan.abstracts for lv in ab.levels}
        if info["used_levels"] != want_levels:
            problems.append(f"levels used {info['used_levels']} != {want_levels}")
        if info["w:start"] == 0:
            problems.append("no w:start")
        restart_how = []
        if info["lvlRestart"]:
            restart_how.append("lvlRestart")
        if info["startOverride"]:
            restart_how.append("startOverride")
        if spec.plan.styles and not info["style_linked"]:
            problems.append("no style-linked numbering")
        if (
            any(lv.restart for ab in spec.plan.abstracts for lv in ab.levels)
            and not info["lvlRestart"]
        ):
            problems.append("no lvlRestart")
        if (spec.plan.override_restart or spec.plan.set_value_after_table) and not info[
            "startOverride"
        ]:
            problems.append("no startOverride")
        if doc_id == "rf_04" and ("chineseCountingThousand", "%1、") not in info["used_levels"]:
            problems.append("no chineseCountingThousand")
        feats = []
        if spec.revisions:
            if not (
                info["ins"]
                and info["del"]
                and info["delText"]
                and info["moveFrom"]
                and info["moveTo"]
                and info["moveRanges"] == 2
            ):
                problems.append("tracked changes incomplete")
            accepted = "\n".join(info["lines"])
            for moved in info["moveFrom"]:
                if accepted.count(moved) != 1:
                    problems.append(
                        f"moved sentence occurs {accepted.count(moved)}x in the accepted text"
                    )
            if not info["revisionView"]:
                problems.append("no w:revisionView (LibreOffice would print the markup)")
            feats.append(
                f"修订: {info['ins']} w:ins, {info['del']} w:del ({'; '.join(info['delText'])}), "
                "moveFrom/moveTo 1 句 (+range markers), trackRevisions, revisionView 无标记"
            )
        if doc_id == "rf_03":
            if not (info["footnotes"] and info["footnoteRefs"]):
                problems.append("no footnote")
            feats.append(
                f"脚注: footnotes.xml #{','.join(info['footnotes'])} "
                f"“{next(iter(info['footnotes'].values()), '')}”"
            )
        if doc_id == "rf_02":
            if not (info["gridSpan"] >= 1 and info["vMerge"] >= 2):
                problems.append("no merged cells")
            feats.append(f"表格: {info['gridSpan']} gridSpan, {info['vMerge']} vMerge (两行表头)")
        if spec.textbox:
            if info["txbxContent"] < 1 or info["wps"] < 1:
                problems.append("no text box")
            feats.append(
                f"文本框: wps:wsp + VML fallback ({info['txbxContent']} w:txbxContent, same text)"
            )
        if spec.redhead:
            rh = spec.redhead
            if (
                rh.mark not in info["red_runs"]
                or not info["red_rules"]
                or not info["cc"]
                or not info["printed"]
            ):
                problems.append("红头/版记 incomplete")
            feats.append(f"红头({'单格表' if rh.in_table else '段落'}) {rh.number} 红线; 版记")
        if not info["header_text"] or not any(spec.header in h for h in info["header_text"]):
            problems.append("no header text")
        if not info["footer_field"] or not all(
            f.startswith("— ") and f.endswith(" —") for f in info["footer_text"]
        ):
            problems.append(f"footer page field missing: {info['footer_text']}")
        (rd_font, _), (n_font, n_sz) = info["body_font"]
        if rd_font != FANG or n_font != FANG or n_sz != str(BODY_SZ):
            problems.append(f"body font {info['body_font']}")
        if (XBS, str(TITLE_SZ)) not in info["title_fonts"]:
            problems.append(f"title font {info['title_fonts']}")
        if "1980" in info["core"] or "2013-12-23" in info["core"]:
            problems.append("core properties not fixed")
        n_gold, gold_problems = gold_spans_ok(doc_id, twin)
        problems += gold_problems
        # pdf
        pdf_note = "-"
        if with_pdf and pdf_path.exists():
            text = pdf_text(pdf_path)
            pages = pdf_pages(pdf_path)
            if text is None:
                problems.append("pdftotext failed")
            else:
                flat, want = squash(text), squash("".join(twin.splitlines()))
                han = sum(1 for c in flat if "\u4e00" <= c <= "\u9fff")
                sm = difflib.SequenceMatcher(None, want, flat, autojunk=False)
                found = sum(b.size for b in sm.get_matching_blocks()) / max(1, len(want))
                missing_markers = [
                    n["marker"] + n["text"][:6]
                    for n in info["numbered"]
                    if squash(n["marker"] + n["text"][:6]) not in flat
                ]
                leaked = [g for g in info["delText"] if squash(g) in flat]
                if info["moveFrom"] and flat.count(squash(info["moveFrom"][0])) != 1:
                    leaked.append("moved sentence twice")
                if han < 500 or found < 0.97:
                    problems.append(
                        f"pdf text: {han} hanzi, {found:.1%} of the twin found in order"
                    )
                if missing_markers:
                    problems.append(f"pdf numbering not rendered: {missing_markers[:4]}")
                if leaked:
                    problems.append(f"pdf shows deleted text: {leaked}")
                pdf_note = f"{pages} pp, {found:.1%}"
        elif with_pdf:
            problems.append("pdf missing")
        else:
            pdf_note = "(not checked)"
        size_issue = [
            p.name
            for p in (docx_path, txt_path, pdf_path)
            if p.exists() and p.stat().st_size > MAX_BYTES
        ]
        if size_issue:
            problems.append(f"over 200 KB: {size_issue}")
        ordered = [(lv.fmt, lv.text) for ab in spec.plan.abstracts for lv in ab.levels]
        levels = ", ".join(f"{f} “{t}”" for f, t in ordered if (f, t) in info["used_levels"])
        link = f"style ({info['style_linked']})" if info["style_linked"] else ""
        link += (" + " if link and info["direct"] else "") + (
            f"direct ({info['direct']})" if info["direct"] else ""
        )
        rows.append(
            (doc_id, levels, link, "/".join(restart_how) or "(default)", "; ".join(feats), pdf_note)
        )
        status = "ok" if not problems else "FAIL"
        ok &= not problems
        print(
            f"{doc_id}: {status}  {len(info['numbered'])} numbered paragraphs, "
            "markers from numbering.xml, "
            f"accepted text == twin: {info['lines'] == twin.splitlines()}, "
            f"gold metric spans still located in the twin: {n_gold - len(gold_problems)}/{n_gold}"
        )
        for problem in problems:
            print(f"    ! {problem}")
    print(
        "\n| doc | numbering (numFmt “lvlText”) | numPr | restart | other Word features "
        "| pdf (pages, twin text found) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nsizes:")
    for path in sorted(OUT.iterdir()):
        flag = "  OVER 200 KB" if path.stat().st_size > MAX_BYTES else ""
        print(f"  {path.relative_to(ROOT)}  {path.stat().st_size:>7,d} B{flag}")
    return ok


# --------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the generated files")
    ap.add_argument("--no-pdf", action="store_true", help="do not (re)make PDFs")
    ap.add_argument("docs", nargs="*", help="rf_NN ids (default: all)")
    args = ap.parse_args(argv)
    doc_ids = args.docs or sorted(SPECS)
    if not args.check:
        OUT.mkdir(parents=True, exist_ok=True)
        failures = []
        for doc_id in doc_ids:
            (OUT / f"{doc_id}.txt").write_text(
                "\n".join(twin_lines(doc_id)) + "\n", encoding="utf-8"
            )
            build_docx(doc_id, OUT / f"{doc_id}.docx")
            made = ["txt", "docx"]
            if not args.no_pdf:
                err = build_pdf(OUT / f"{doc_id}.docx", OUT / f"{doc_id}.pdf")
                if err:
                    failures.append(f"{doc_id}.pdf: {err}")
                else:
                    made.append("pdf")
            print(f"{doc_id}: " + ", ".join(made))
        if failures:
            print("PDF export failed:\n  " + "\n  ".join(failures), file=sys.stderr)
    ok = check(
        doc_ids, with_pdf=not args.no_pdf or all((OUT / f"{d}.pdf").exists() for d in doc_ids)
    )
    # a scanned twin (scripts/make_scan.py) is images: that script keeps it under 3 MB
    big = [
        p.name
        for p in OUT.iterdir()
        if p.stat().st_size > MAX_BYTES and not p.name.endswith(".scan.pdf")
    ]
    if big:
        raise SystemExit(f"generated files over 200 KB: {big}")
    if not ok:
        raise SystemExit("check failed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
