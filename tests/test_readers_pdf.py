"""PDF exported by Word/WPS/LibreOffice: spacing, paragraphs, headings, furniture, tables.

The committed fixtures under ``tests/data/pdf`` are .docx files of our own exported by
LibreOffice (``scripts/make_pdf_fixtures.py``); the layout functions are also tested on
plain records. When LibreOffice and ``../shared/seeds`` are both present the shared
seed report is exported here too and must read back with the outline and figures of
its .txt.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from conftest import load_script
from jjnlp.errors import CorruptFile, ReadError
from jjnlp.model import Document
from jjnlp.pipeline import run
from jjnlp.readers import layout, read
from jjnlp.readers.layout import Glyph, Line, glyph_lines, line_text, paragraphs, tighten
from jjnlp.structure import parse_outline

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "pdf"
FIGURES_PDF = DATA / "figures.pdf"
NOTICE_PDF = DATA / "notice.pdf"


@pytest.fixture(scope="module")
def fixtures() -> ModuleType:
    return load_script("make_pdf_fixtures")


def _lines(document: Document) -> list[str]:
    return document.text.split("\n")


def _figures(document: Document) -> list[tuple[str, str]]:
    """(text, value) of every figure outside table rows."""
    rows = [b for b in document.blocks if b.kind == "table_row"]
    return [
        (m.text, str(m.value))
        for m in run(document, ("metrics",)).metrics
        if not any(r.start <= m.start < r.end for r in rows)
    ]


def _outline(document: Document) -> list[tuple[int, str, str]]:
    return [(s.level, s.marker, s.title) for s in parse_outline(document).walk()]


def _as_txt(tmp_path: Path, name: str, blocks: list[object]) -> Document:
    """The same document as a .txt (paragraphs only: a .txt has no tables)."""
    path = tmp_path / f"{name}.txt"
    path.write_text("\n".join(b for b in blocks if isinstance(b, str)), encoding="utf-8")
    return read(path)


# ------------------------------------------------------------- exported fixtures


def test_fixture_pdfs_are_small() -> None:
    for path in (FIGURES_PDF, NOTICE_PDF):
        assert path.stat().st_size < 100_000, path.name


def test_exported_report_reads_back_as_its_text(fixtures: ModuleType) -> None:
    document = read(FIGURES_PDF)
    assert document.text == fixtures.as_text(fixtures.FIGURES)
    assert document.metadata["page_count"] == 3


def test_exporter_spaces_between_chinese_and_digits_are_dropped() -> None:
    import pdfplumber

    with pdfplumber.open(str(FIGURES_PDF)) as pdf:
        raw = pdf.pages[0].extract_text()
    # the exporter really set them apart: a plain text extraction reads spaces
    assert "2024 年" in raw and "26 项" in raw and "立案 22 件" in raw
    lines = _lines(read(FIGURES_PDF))
    assert lines[0] == "中共青山县纪委监委关于2024年一季度监督执纪工作情况的报告"
    assert lines[2] == (
        "2024年一季度，县纪委监委坚持严的基调、严的措施、严的氛围，细化监督事项26项，"
        "全县纪检监察机关共受理信访举报118件次，处置问题线索96件，立案22件，结案19件，"
        "给予党纪政务处分21人，挽回经济损失386.5万元。现将有关情况报告如下。"
    )
    # an English phrase keeps its space, a decimal stays whole
    assert "依托Smart Audit系统比对数据1.2万条" in lines[4]


def test_table_numbers_stay_separate_cells() -> None:
    document = read(FIGURES_PDF)
    rows = [b for b in document.blocks if b.kind == "table_row"]
    cells = [[document.text[c.start : c.end] for c in row.cells] for row in rows]
    assert cells == [
        ["单位", "立案（件）", "结案（件）", "备注"],
        ["青山镇", "12", "10", "同比增加2件"],
        ["河西乡", "8", "9", "含上年结转1件"],  # the cell's two lines joined
        ["合计", "20", "19", ""],
    ]
    assert {row.table for row in rows} == {0} and document.metadata["tables"] == 1
    # the table's text is read once, as cells, never also as a paragraph
    paragraphs_text = [document.text[b.start : b.end] for b in document.blocks]
    paragraphs_text = [
        t for t, b in zip(paragraphs_text, document.blocks, strict=True) if b.kind == "paragraph"
    ]
    assert not any("青山镇" in t or "含上年结转" in t for t in paragraphs_text)


def test_heading_after_a_full_line_starts_its_own_paragraph(fixtures: ModuleType) -> None:
    for pdf, heading, blocks in (
        (FIGURES_PDF, fixtures.FULL_HEADING, fixtures.FIGURES),
        (NOTICE_PDF, fixtures.NOTICE_HEADING, fixtures.NOTICE),
    ):
        fixtures.check_full_line(pdf, heading)  # nothing in the layout but the marker
        lines = _lines(read(pdf))
        expected = next(b for b in blocks if isinstance(b, str) and b.startswith(heading))
        assert expected in lines, pdf.name
        before = lines[lines.index(expected) - 1]
        assert not before.endswith(heading) and heading not in before


def test_exported_outline_and_figures_match_the_txt(tmp_path: Path, fixtures: ModuleType) -> None:
    for name, blocks, pdf in (
        ("figures", fixtures.FIGURES, FIGURES_PDF),
        ("notice", fixtures.NOTICE, NOTICE_PDF),
    ):
        txt = _as_txt(tmp_path, name, blocks)
        document = read(pdf)
        assert _outline(document) == _outline(txt), name
        assert _figures(document) == _figures(txt), name
        assert len(_figures(txt)) >= 9


def test_running_header_and_footer_are_metadata_not_text() -> None:
    report = read(FIGURES_PDF)
    assert "青山县纪委监委" not in _lines(report)  # the running header, on every page
    assert "—" not in report.text  # the — N — page numbers
    assert report.metadata["headers"] == ["青山县纪委监委"]
    assert report.metadata["footers"] == ["—1—"]
    notice = read(NOTICE_PDF)
    assert "页" not in notice.text
    assert notice.metadata["headers"] == []
    assert notice.metadata["footers"] == ["第1页 共2页"]
    assert _lines(notice)[-2:] == ["中共青山县纪律检查委员会", "2024年5月20日"]


def test_paragraph_runs_on_across_the_page_break() -> None:
    notice = read(NOTICE_PDF)
    pages = {notice.text[b.start : b.end][:4]: b for b in notice.blocks}
    closing = pages["上述问题"]  # starts on page 1, ends on page 2 above the signature
    assert closing.page == 1 and pages["中共青山"].page == 2
    assert notice.text[closing.start : closing.end].endswith(
        "各级纪检监察机关要紧盯重要节点，坚持查处通报两手抓，对顶风违纪行为从严从重处理。"
    )
    report = read(FIGURES_PDF)
    assert [b.page for b in report.blocks if b.kind == "table_row"] == [2, 2, 2, 2]
    assert report.blocks[-1].page == 3  # the date, pushed onto a page of its own


# ------------------------------------------------------------ the shared seed


@pytest.fixture(scope="module")
def seed_pdfs(
    seed_path: Path, fixtures: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("seed_pdf")
    made = {"docx": out / "seed_docx.pdf", "txt": out / "seed_txt.pdf"}
    fixtures.make(fixtures.read_blocks(seed_path), made["docx"], footer="count")
    fixtures.make_from_text(seed_path, made["txt"])
    yield made


@pytest.mark.parametrize("style", ["docx", "txt"])
def test_seed_printed_by_libreoffice_keeps_outline_and_figures(
    seed_path: Path, seed_pdfs: dict[str, Path], style: str
) -> None:
    txt = read(seed_path)
    document = read(seed_pdfs[style])
    assert document.metadata["page_count"] > 1
    assert _outline(document) == _outline(txt)
    assert [t for _, _, t in _outline(txt)][:3] == [
        "工作开展情况",
        "政治监督工作情况",
        "案件查办工作情况",
    ]
    assert _figures(document) == _figures(txt)
    assert document.text == txt.text


# ------------------------------------------------------------- spacing rules


def _typeset(*runs: tuple[str, float], size: float = 16.0, top: float = 100.0) -> list[Glyph]:
    """Glyphs set left to right: each run is (text, gap before it in ems); CJK is one
    em wide, anything else half an em."""
    glyphs, at = [], 100.0
    for text, gap in runs:
        at += gap * size
        for char in text:
            width = size if layout.is_cjk(char) else size * 0.5
            glyphs.append(Glyph(char, at, at + width, top, top + size, size))
            at += width
    return glyphs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024 年", "2024年"),
        ("细化监督事项 26 项", "细化监督事项26项"),
        ("立案 22 件，结案 19 件", "立案22件，结案19件"),
        ("第 1 页", "第1页"),
        ("制发“两函一书” 2 份", "制发“两函一书”2份"),
        ("结案率 75%，占比 38.4%）", "结案率75%，占比38.4%）"),
        ("1 2", "1 2"),
        ("依托 Smart Audit 系统", "依托Smart Audit系统"),
        ("青山镇\t12\t10", "青山镇\t12\t10"),
        ("党纪 政务", "党纪 政务"),
    ],
)
def test_tighten(raw: str, expected: str) -> None:
    assert tighten(raw) == expected


def test_line_spacing_decided_by_gaps() -> None:
    # the exporter's quarter-em between 汉字 and digits is no space, nor is a typed one
    assert line_text(_typeset(("立案", 0), ("22", 0.25), ("件", 0.25))) == "立案22件"
    assert line_text(_typeset(("立案", 0), (" ", 0), ("22", 0), (" ", 0), ("件", 0))) == "立案22件"
    # two numbers stay two numbers, an English phrase keeps its space
    assert line_text(_typeset(("1", 0), ("2", 0.3))) == "1 2"
    assert line_text(_typeset(("1", 0), (" ", 0), ("2", 0))) == "1 2"
    assert line_text(_typeset(("12", 0))) == "12"
    assert line_text(_typeset(("Smart", 0), (" ", 0), ("Audit", 0))) == "Smart Audit"
    # columns set apart by a tab stop stay apart
    assert line_text(_typeset(("青山镇", 0), ("12", 3.0), ("10", 3.0))) == "青山镇 12 10"
    # a space typed between two Chinese words is kept
    assert line_text(_typeset(("第1页", 0), (" ", 0), ("共3页", 0))) == "第1页 共3页"


def test_justified_line_is_not_split_apart() -> None:
    # 两端对齐 spreads every character a little; digits and 汉字 stay together
    runs = [(c, 0.12) for c in "监督检查"] + [("1", 0.3), ("7", 0.12), ("次", 0.3)]
    runs += [(c, 0.12) for c in "发现问题"]
    assert line_text(_typeset(*runs)) == "监督检查17次发现问题"


def test_glyphs_grouped_into_lines() -> None:
    first = _typeset(("立案", 0), ("22", 0.25), ("件", 0.25), top=100)
    # the Latin font's digits sit a little lower than the Chinese glyphs
    second = [
        Glyph(g.text, g.x0, g.x1, g.top + (1.5 if g.text.isdigit() else 0), g.bottom, g.size)
        for g in _typeset(("结案", 0), ("19", 0.25), ("件", 0.25), top=129)
    ]
    bold = [Glyph(g.text, g.x0 + 0.3, g.x1 + 0.3, g.top, g.bottom, g.size) for g in first[:2]]
    mixed = second[::-1] + first + bold  # content-stream order is no reading order
    lines = glyph_lines(mixed, page=3)
    assert [line.text for line in lines] == ["立案22件", "结案19件"]
    assert lines[0].page == 3 and lines[0].x0 == 100.0 and lines[1].top == 129
    assert lines[0].lead == 16.0


# ------------------------------------------------------------ paragraph rules

LEFT, RIGHT, EM, PITCH = 100.0, 532.0, 16.0, 29.0


def _line(text: str, row: float, indent: float = 0.0, end: float = RIGHT, page: int = 1) -> Line:
    """A body line ``row`` lines down the page, ``indent`` right of the margin."""
    top = 100.0 + row * PITCH
    return Line(text, LEFT + indent, end, top, top + EM, EM, page)


def _body(*lines: Line) -> list[str]:
    # two full lines of context fix the margins and the line spacing
    context = [
        _line("一" * 25, 0, indent=2 * EM),
        _line("二" * 27, 1),
        _line("三" * 27, 2),
        _line("四" * 10, 3, end=LEFT + 10 * EM),
    ]
    found = paragraphs(context + list(lines))
    assert found[0].text == "一" * 25 + "二" * 27 + "三" * 27 + "四" * 10
    return [p.text for p in found[1:]]


def test_indented_line_starts_a_paragraph() -> None:
    texts = _body(
        _line("甲" * 25, 4, indent=2 * EM),
        _line("乙" * 5, 5, end=LEFT + 5 * EM),
        _line("丙" * 25, 6, indent=2 * EM),
    )
    assert texts == ["甲" * 25 + "乙" * 5, "丙" * 25]


def test_heading_marker_after_a_full_line_starts_a_paragraph() -> None:
    full_last = _line("甲" * 26 + "。", 5)
    texts = _body(
        _line("（一）" + "甲" * 22, 4, indent=2 * EM),
        full_last,
        _line("（二）案件查办工作情况", 6, end=LEFT + 11 * EM),
        _line("乙" * 25, 7, indent=2 * EM),
    )
    assert texts == ["（一）" + "甲" * 48 + "。", "（二）案件查办工作情况", "乙" * 25]
    # without the marker nothing tells the flush line apart from a continuation
    texts = _body(full_last, _line("案件查办工作情况", 6, end=LEFT + 8 * EM))
    assert texts == ["甲" * 26 + "。案件查办工作情况"]
    # a line that merely starts with numerals is no heading (一、二季度, 1.5万)
    texts = _body(full_last, _line("一、二季度" + "乙" * 22, 6), _line("1.5万元", 7, end=300))
    assert texts == ["甲" * 26 + "。一、二季度" + "乙" * 22 + "1.5万元"]


def test_short_line_ends_its_paragraph_unless_the_next_word_did_not_fit() -> None:
    texts = _body(
        # one character short, and the next unit is “题”“讲 (four characters): wrapped
        _line("甲" * 26, 4, end=RIGHT - EM),
        _line("题”“讲" + "乙" * 23, 5),
        # three characters short, and the next line starts with one character: ended
        _line("丙" * 24, 6, end=RIGHT - 3 * EM),
        _line("丁" * 10, 7, end=LEFT + 10 * EM),
    )
    assert texts == ["甲" * 26 + "题”“讲" + "乙" * 23 + "丙" * 24, "丁" * 10]


def test_title_address_and_signature_lines() -> None:
    lines = [
        Line("中共青山县纪委监委关于2024年", 150.0, 482.0, 60.0, 82.0, 22.0, 1),
        Line("工作情况的报告", 239.0, 393.0, 93.0, 115.0, 22.0, 1),
        _line("县委：", 1, end=LEFT + 3 * EM),
        _line("甲" * 25, 2, indent=2 * EM),
        _line("乙" * 27, 3),
        _line("丙" * 3 + "。", 4, end=LEFT + 4 * EM),
        _line("中共青山县纪律检查委员会", 5, indent=11 * EM, end=RIGHT - 4 * EM),
        _line("2024年4月8日", 6, indent=15 * EM, end=RIGHT - 4 * EM),
    ]
    assert [p.text for p in paragraphs(lines)] == [
        "中共青山县纪委监委关于2024年工作情况的报告",
        "县委：",
        "甲" * 25 + "乙" * 27 + "丙" * 3 + "。",
        "中共青山县纪律检查委员会",
        "2024年4月8日",
    ]


def test_copy_to_line_wrapped_under_its_colon_stays_one_paragraph() -> None:
    # GB/T 9704 版记: 抄送 one character in from both margins, wrapped under the first
    # character after the colon; the 印发 line below is a paragraph of its own
    texts = _body(
        _line("抄送：" + "甲" * 22 + "，", 4, indent=EM, end=RIGHT - EM),
        _line("乙" * 20, 5, indent=4 * EM, end=LEFT + 24 * EM),
        _line("丙" * 25 + "。", 6, indent=4 * EM, end=LEFT + 30 * EM),
        _line("中共青山县纪委办公室", 7, indent=EM, end=LEFT + 11 * EM),
    )
    copy_to = "抄送：" + "甲" * 22 + "，" + "乙" * 20
    assert texts == [copy_to, "丙" * 25 + "。", "中共青山县纪委办公室"]
    # a line under the colon after a line that ended short is a paragraph of its own
    texts = _body(
        _line("附件：" + "甲" * 10, 4, indent=EM, end=LEFT + 14 * EM),
        _line("乙" * 20, 5, indent=4 * EM, end=LEFT + 24 * EM),
    )
    assert texts == ["附件：" + "甲" * 10, "乙" * 20]


def test_vertical_gap_and_page_break() -> None:
    texts = _body(
        _line("甲" * 27, 4),
        _line("乙" * 27, 5.6),  # a paragraph space above it
        _line("丙" * 27, 6.6),
        _line("丁" * 27, 0, page=2),  # the next page's first line: no gap measured
    )
    assert texts == ["甲" * 27, "乙" * 27 + "丙" * 27 + "丁" * 27]


def test_latin_words_broken_over_lines_keep_a_space() -> None:
    texts = _body(_line("依托Smart", 4), _line("Audit系统1", 5), _line("2万条", 6, end=200))
    assert texts == ["依托Smart Audit系统12万条"]


# ------------------------------------------------------------ running furniture


def _page_lines(page: int, *texts: tuple[str, float]) -> list[Line]:
    return [Line(t, 200.0, 400.0, top, top + 14, 14.0, page) for t, top in texts]


def test_running_header_and_page_numbers_are_found() -> None:
    lines: list[Line] = []
    for page in (1, 2, 3):
        lines += _page_lines(
            page,
            ("青山县纪委监委", 40.0),
            (f"第{page}页正文", 400.0),
            ("共同的正文", 420.0),  # repeated, but in the body: kept
            (f"末行{'甲乙丙'[page - 1]}", 740.0),  # in the band, but not repeated: kept
            (f"— {page} —", 800.0),
        )
    found = layout.running_furniture(lines, dict.fromkeys((1, 2, 3), 842.0))
    assert found.headers == ["青山县纪委监委"]
    assert found.footers == ["— 1 —"]
    assert [line.text for line in found.body if line.page == 2] == [
        "第2页正文",
        "共同的正文",
        "末行乙",
    ]


@pytest.mark.parametrize("footer", ["- 1 -", "— 1 —", "第1页 共3页", "第 1 页", "1", "1/3"])
def test_page_number_alone_on_one_page_is_dropped(footer: str) -> None:
    lines = _page_lines(1, ("正文", 400.0), (footer, 800.0))
    found = layout.running_furniture(lines, {1: 842.0})
    assert [line.text for line in found.body] == ["正文"]
    assert found.footers == [footer]


# --------------------------------------------------------------- speed, errors


def test_thirty_pages_read_well_under_ten_seconds(tmp_path: Path, make_formats: ModuleType) -> None:
    long = "持续深化纪检监察体制改革，立案22件，结案19件，推动全面从严治党向纵深发展。" * 10
    table = [["单位", "立案（件）", "结案（件）"], ["青山县", "12", "10"]]
    blocks: list[object] = []
    for n in range(1, 31):
        blocks += [f"{n}.第{n}部分", long, table, long]
    path = tmp_path / "long.pdf"
    make_formats.render_pdf(blocks, path)
    started = time.perf_counter()
    document = read(path)
    elapsed = time.perf_counter() - started
    assert document.metadata["page_count"] >= 30
    assert elapsed < 10, f"{elapsed:.1f}s"
    assert document.text.count(long) == 60


def test_layout_failure_is_a_read_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import jjnlp.readers.paged as paged

    def broken(lines: object) -> object:
        raise ValueError("boom")

    monkeypatch.setattr(paged, "paragraphs", broken)
    with pytest.raises(CorruptFile, match="页面内容无法解析（结构无法解析）"):
        read(NOTICE_PDF)


def test_damaged_exports_raise_only_read_errors(tmp_path: Path) -> None:
    data = FIGURES_PDF.read_bytes()
    for n, cut in enumerate((300, len(data) // 3, len(data) // 2, len(data) - 200)):
        path = tmp_path / f"cut{n}.pdf"
        path.write_bytes(data[:cut])
        with contextlib.suppress(ReadError):
            read(path)
