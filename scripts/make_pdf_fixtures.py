"""Write Word documents with python-docx and export them to PDF with LibreOffice.

Usage:
    python scripts/make_pdf_fixtures.py [OUT_DIR]            # tests/data/pdf by default
    python scripts/make_pdf_fixtures.py --seed SEED.txt OUT.pdf

These are the PDFs people actually submit: a .docx laid out like a 公文 (A4, body in
16 pt, exact line spacing, running header and page-number footer) printed to PDF by
``soffice --headless --convert-to pdf`` (private profile, under a timeout).
LibreOffice, like Word and WPS, sets Chinese characters and digits or Latin letters
apart (text extraction reads ``立案 22 件``), wraps ragged lines short at 避头尾
(kinsoku) breaks, lets a full stop hang into the margin, and repeats the header and
footer on every page: everything the PDF reader has to undo.

Fixtures (committed under ``tests/data/pdf/``, each under 100 KB; the texts are ours,
names, places and figures fictitious):

- ``figures.pdf`` — :data:`FIGURES`: a work report, justified with a two-character
  first-line indent, with ``立案22件``-style figures, an English phrase, a flush-left
  heading after a paragraph whose last line is full, a small ruled table, the running
  header :data:`FIGURES_HEADER` and a ``— N —`` footer; three pages.
- ``notice.pdf`` — :data:`NOTICE`: a case notice set like plain text (no indent,
  ragged right) with a ``第N页 共M页`` footer; the numbered case ``2.`` follows a full
  line.

The script checks that the line before the heading really is full, and refuses to
keep a fixture that would not test what it claims to. The shared seed report is never
committed in any form: ``--seed`` exports it for inspection, and the tests export it
themselves when LibreOffice and ``../shared/seeds`` are there (its PDF is over 100 KB).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

Block = str | list[list[str]]

CJK_FONT = "WenQuanYi Micro Hei"  # fonts-wqy-microhei: present where LibreOffice is
LATIN_FONT = "DejaVu Serif"  # digits and Latin letters in another font, as in Word
BODY_PT = 16
TITLE_PT = 22
LINE_PT = 29  # GB/T 9704: 22 lines of 28 chars on a page; exact line spacing

# a heading standing alone on its line, set flush left as plain text (no indent)
_STANDALONE_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)[^。]{1,30}$"
)
_TITLE = re.compile(r"^(?:中共|关于).{4,60}(?:报告|通报|通知)$")
_ADDRESSEE = re.compile(r"^[^，。；]{2,20}：$")
_SIGNATURE = re.compile(r"^(?:中共\S{2,20}委员会|\d{4}年\d{1,2}月\d{1,2}日)$")

# Written for these tests (names, places and figures are fictitious). The paragraph
# before "（二）案件查办工作情况" is long enough that its last line is full: only the
# heading marker says a new paragraph starts there.
FIGURES: list[Block] = [
    "中共青山县纪委监委关于2024年一季度监督执纪工作情况的报告",
    "县委：",
    "2024年一季度，县纪委监委坚持严的基调、严的措施、严的氛围，细化监督事项26项，"
    "全县纪检监察机关共受理信访举报118件次，处置问题线索96件，立案22件，结案19件，"
    "给予党纪政务处分21人，挽回经济损失386.5万元。现将有关情况报告如下。",
    "一、主要工作情况",
    "（一）政治监督工作情况。围绕粮食安全、耕地保护和乡村振兴开展监督检查17次，"
    "发现问题31个，已督促整改26个，整改率83.9%。依托Smart Audit系统比对数据1.2万条，"
    "对4名履职不力的单位负责人进行约谈提醒，推动管党治党责任落实落细落到基层，"
    "层层压紧压实主体责任监督责任。",
    "（二）案件查办工作情况",
    "一季度立案22件，同比增长18.2%；其中乡镇纪委立案9件，占40.9%。对2人采取留置措施，"
    "移送检察机关3人。各乡镇立案和结案情况如下表。",
    [
        ["单位", "立案（件）", "结案（件）", "备注"],
        ["青山镇", "12", "10", "同比增加2件"],
        ["河西乡", "8", "9", "含上年结转1件"],
        ["合计", "20", "19", ""],
    ],
    "（三）作风建设工作情况。紧盯元旦、春节等重要节点，采取“四不两直”方式明察暗访12次，"
    "检查单位46个，发现问题15个；查处违反中央八项规定精神问题9起，批评教育和处理13人，"
    "其中给予党纪政务处分8人，点名道姓通报曝光典型问题5起。",
    "二、存在的问题",
    "一是基层监督力量相对薄弱，个别乡镇纪委专职人员长期被借调，一季度仍有3个乡镇立案数为零。"
    "二是以案促改成效不够明显，部分案发单位整改存在“重形式、轻实效”现象。",
    "三、下步工作打算",
    "（一）持续深化政治监督。紧盯重大项目建设、耕地保护等领域加强监督，"
    "对一季度发现问题的整改情况开展“回头看”，确保问题真改实改。",
    "（二）保持惩治腐败高压态势。力争上半年结案率达到90%以上，计划举办业务培训班2期，"
    "培训干部150人以上。",
    "中共青山县纪律检查委员会",
    "2024年4月8日",
]
FIGURES_HEADER = "青山县纪委监委"
# the heading that follows a full line
FULL_HEADING = "（二）案件查办工作情况"


# A case notice set as plain text is: no indent, ragged right, 第N页 共M页 footer. The
# line before "2." is full, so only the heading marker starts the second case.
NOTICE: list[Block] = [
    "关于三起违反中央八项规定精神典型问题的通报",
    "各乡镇党委，县直各单位：",
    "今年以来，县纪委监委持续深化纠治“四风”，共查处违反中央八项规定精神问题14起，"
    "处理19人，其中给予党纪政务处分11人。现将3起典型问题通报如下。",
    "1.县农业农村局原副局长赵某某违规收受礼金问题。2021年至2023年，赵某某先后12次收受"
    "管理服务对象所送礼金共计4.6万元。2024年3月，赵某某受撤职处分，违纪款被收缴。",
    "2.青山镇党委委员钱某某违规公款吃喝问题。2023年5月至12月，钱某某多次安排镇村干部"
    "在镇食堂违规聚餐饮酒，费用2.3万元由镇财政报销。2024年4月，钱某某受到党内严重警告处分，"
    "违规费用由相关责任人承担。",
    "3.县卫生健康局办公室主任孙某某违规操办婚庆事宜问题。2023年10月，孙某某在为其子"
    "操办婚宴过程中，违规邀请管理服务对象参加，收受礼金1.8万元。2024年5月，孙某某受到"
    "党内警告处分，违规收受的礼金被收缴。",
    "上述问题发生在群众身边，损害的是群众切身利益。全县各级党组织要以案为鉴，"
    "以“零容忍”态度惩治群众身边的不正之风，让群众切实感受到正风肃纪就在身边。"
    "各级纪检监察机关要紧盯重要节点，坚持查处通报两手抓，对顶风违纪行为从严从重处理。",
    "中共青山县纪律检查委员会",
    "2024年5月20日",
]
NOTICE_HEADING = "2.青山镇党委委员钱某某"


def read_blocks(path: Path) -> list[Block]:
    """Paragraphs of a text file, one per non-empty line (tab rows are table rows)."""
    blocks: list[Block] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if "\t" in line:
            if blocks and isinstance(blocks[-1], list):
                blocks[-1].append(line.split("\t"))
            else:
                blocks.append([line.split("\t")])
        else:
            blocks.append(line)
    return blocks


def as_text(blocks: Sequence[Block]) -> str:
    """What a reader should return for ``blocks``: one line per paragraph or table row."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
        else:
            lines.extend("\t".join(row) for row in block)
    return "\n".join(lines)


def _fonts(run_or_style_element: object, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    element = run_or_style_element
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    for tag in ("w:sz", "w:szCs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = OxmlElement(tag)
            rpr.append(node)
        node.set(qn("w:val"), str(int(size * 2)))


def _field(paragraph: object, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) as a w:fldSimple the exporter fills in."""
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)  # type: ignore[attr-defined]


def _role(index: int, text: str) -> str:
    if index == 0 and _TITLE.match(text):
        return "title"
    if index <= 2 and _ADDRESSEE.match(text):
        return "flush"
    if _STANDALONE_HEADING.match(text):
        return "flush"
    if _SIGNATURE.match(text):
        return "signature"
    return "body"


def write_docx(
    blocks: Sequence[Block],
    path: Path,
    header: str = "",
    footer: str = "dash",
    justify: bool = True,
    indent: bool = True,
) -> None:
    """A 公文-like .docx: ``footer`` is ``"dash"`` (— N —) or ``"count"`` (第N页 共M页);
    body text justified (两端对齐) or, with ``justify=False``, ragged right; body
    paragraphs with a two-character first-line indent or, with ``indent=False``, none."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document = docx.Document()
    props = document.core_properties
    props.author = "jjnlp"
    props.title = path.stem
    normal = document.styles["Normal"]
    _fonts(normal.element, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(20), Mm(20)
    if header:
        para = section.header.paragraphs[0]
        para.text = header
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer == "dash":
        foot.add_run("— ")
        _field(foot, "PAGE")
        foot.add_run(" —")
    else:
        foot.add_run("第")
        _field(foot, "PAGE")
        foot.add_run("页 共")
        _field(foot, "NUMPAGES")
        foot.add_run("页")
    for index, block in enumerate(blocks):
        if not isinstance(block, str):
            table = document.add_table(rows=len(block), cols=max(len(r) for r in block))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
                    cell_paragraph = table.cell(r, c).paragraphs[0]
                    cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    # keep the table on one page: it is a fixture of a table, not of a split
                    cell_paragraph.paragraph_format.keep_with_next = r < len(block) - 1
            continue
        paragraph = document.add_paragraph(block)
        role = _role(index, block)
        pf = paragraph.paragraph_format
        if role == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.line_spacing = Pt(TITLE_PT * 1.5)
            pf.space_after = Pt(LINE_PT)
            for run in paragraph.runs:
                run.font.size = Pt(TITLE_PT)
        elif role == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.right_indent = Pt(BODY_PT * 4)
        elif role == "body":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if justify else None
            if indent:
                pf.first_line_indent = Pt(BODY_PT * 2)
    document.save(str(path))


def export_pdf(source: Path, target: Path) -> None:
    """``soffice --headless --convert-to pdf`` with a private profile, under a timeout."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as out:
        command = [
            soffice,
            "-env:UserInstallation=file:///tmp/lo_profile_h9",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            out,
            str(source),
        ]
        subprocess.run(command, check=True, timeout=180, capture_output=True)
        shutil.move(str(Path(out) / f"{source.stem}.pdf"), target)


def line_ends(pdf: Path) -> tuple[list[tuple[str, float]], float]:
    """Each text line (spaces removed) with where it ends, and the right margin: the
    most common line end (a full-width comma or full stop may hang beyond it)."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        lines = [
            (line["text"].replace(" ", ""), float(line["x1"]))
            for page in document.pages
            for line in page.extract_text_lines()
        ]
    ends = Counter(round(x1) for _, x1 in lines)
    return lines, float(ends.most_common(1)[0][0])


def check_full_line(pdf: Path, heading: str) -> None:
    """The line just before ``heading`` ends at the right margin (less than a character
    short): nothing in the layout but the heading marker says a paragraph starts."""
    lines, right = line_ends(pdf)
    for (_, before), (text, _) in itertools.pairwise(lines):
        if text.startswith(heading):
            if right - before >= BODY_PT:
                raise SystemExit(f"{pdf.name}: the line before {heading} is not full")
            return
    raise SystemExit(f"{pdf.name}: {heading} not found")


def make(
    blocks: Sequence[Block],
    target: Path,
    header: str = "",
    footer: str = "dash",
    justify: bool = True,
    indent: bool = True,
) -> None:
    """``blocks`` written as a .docx and exported to ``target`` by LibreOffice."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"{target.stem}.docx"
        write_docx(blocks, source, header, footer, justify, indent)
        export_pdf(source, target)


def make_from_text(source: Path, target: Path) -> None:
    """A text file opened and exported by LibreOffice as it is (no indent, ragged)."""
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / f"{target.stem}.txt"
        shutil.copyfile(source, copy)
        export_pdf(copy, target)


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["--seed"]:  # python scripts/make_pdf_fixtures.py --seed SEED.txt OUT.pdf
        make(read_blocks(Path(argv[1])), Path(argv[2]), footer="count")
        return 0
    out = Path(argv[0]) if argv else ROOT / "tests" / "data" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    make(FIGURES, out / "figures.pdf", header=FIGURES_HEADER)
    check_full_line(out / "figures.pdf", FULL_HEADING)
    make(NOTICE, out / "notice.pdf", footer="count", justify=False, indent=False)
    check_full_line(out / "notice.pdf", NOTICE_HEADING)
    for name in ("figures.pdf", "notice.pdf"):
        size = (out / name).stat().st_size
        print(f"{out / name} ({size:,} bytes)")
        if size >= 100_000:
            raise SystemExit(f"{name} is {size:,} bytes: fixtures stay under 100 KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
