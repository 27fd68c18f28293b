"""Word comments (批注) that keep the annotated document intact: runs, formatting, ranges."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from conftest import comment_anchors
from jjnlp.audit.registry import rule_title
from jjnlp.model import Document, Finding
from jjnlp.pipeline import run
from jjnlp.readers import read
from jjnlp.render.docx_comments import write_annotated
from jjnlp.render.findings import SEVERITY_ZH

FANGSONG = "仿宋_GB2312"
PLAIN = "　　今年以来，全市立案72件，"  # indented with U+3000, which normalisation strips
BOLD = "结案54件，结案率80%。"
FS = "立案12件，结案6件，结案率40%。"


def _fangsong(run: Any) -> None:
    run.font.size = Pt(16)
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)


def _audit(document: Document) -> list[Finding]:
    return run(document, ("structure", "metrics", "audit")).findings


def _made(document: Document, text: str, after: int = 0, rule: str = "test") -> Finding:
    """A finding on the first ``text`` at or after ``after`` in the document text."""
    start = document.text.index(text, after)
    end = start + len(text)
    return Finding(rule, "warning", f"批注{rule}：{text}", start, end, document.text[start:end])


def _check_comments(out: Path, findings: list[Finding], raw: list[str] | None = None) -> Any:
    """Each finding, in order, is comment i around exactly its text, noting its message.

    ``raw``: the text each range holds in the file, where it differs from the normalised one.
    """
    word = docx.Document(str(out))
    notes = {str(c.comment_id): c.text for c in word.comments}
    anchors = comment_anchors(word)
    assert len(notes) == len(findings)
    for i, finding in enumerate(findings):
        expected = finding.text if raw is None else raw[i]
        assert expected, finding
        assert anchors.get(str(i)) == expected, (finding, anchors)
        severity = SEVERITY_ZH[finding.severity]
        assert notes[str(i)] == f"【{severity}·{rule_title(finding.rule)}】{finding.message}"
    return word


def _pieces(paragraph: Any) -> list[tuple[int, int, Any]]:
    """(start, end, run) of each text-bearing run, offsets into the paragraph's text."""
    out, at = [], 0
    for r in paragraph.runs:
        if r.text:
            out.append((at, at + len(r.text), r))
            at += len(r.text)
    return out


def _rpr(run: Any) -> bytes:
    rpr = run._r.rPr
    return b"" if rpr is None else etree.tostring(rpr)


def test_split_runs_keep_bold_and_fangsong(tmp_path: Path) -> None:
    source, out = tmp_path / "formatted.docx", tmp_path / "annotated.docx"
    word = docx.Document()
    word.add_paragraph("一、基本情况")
    paragraph = word.add_paragraph()
    paragraph.add_run(PLAIN)
    paragraph.add_run(BOLD).bold = True
    _fangsong(paragraph.add_run(FS))
    word.add_paragraph("二、下步打算")
    word.save(str(source))
    original = docx.Document(str(source)).paragraphs[1]
    styles = [_rpr(r) for r in original.runs]
    plain_xml = etree.tostring(original.runs[0]._r)

    document = read(source)
    found = _audit(document)
    rate = [f for f in found if f.rule == "rate"]
    assert [f.text for f in rate] == ["80%", "40%"]  # 80% inside the bold run
    span = _made(document, "率80%。立案12件")  # across the bold / 仿宋 boundary
    findings = [*found, span]
    write_annotated(document, findings, str(out))
    result = _check_comments(out, findings)

    kept = result.paragraphs[1]
    assert kept.text == PLAIN + BOLD + FS
    assert [p.text for p in result.paragraphs] == [
        "一、基本情况",
        PLAIN + BOLD + FS,
        "二、下步打算",
    ]
    edges = [0, len(PLAIN), len(PLAIN) + len(BOLD), len(PLAIN + BOLD + FS)]
    pieces = _pieces(kept)
    assert len(pieces) > 3  # the bold and the 仿宋 runs were split
    bold_pieces = fangsong_pieces = 0
    for start, end, piece in pieces:
        source_run = max(k for k in range(3) if edges[k] <= start)
        assert end <= edges[source_run + 1], "a piece straddles two source runs"
        assert _rpr(piece) == styles[source_run]
        if source_run == 0:
            assert piece.bold is None and piece.font.size is None
        elif source_run == 1:
            assert piece.bold is True
            bold_pieces += 1
        else:
            assert piece.bold is None
            assert piece.font.size == Pt(16)
            assert piece._r.rPr.rFonts.get(qn("w:eastAsia")) == FANGSONG
            fangsong_pieces += 1
    assert bold_pieces >= 3  # 结案54件，结案 | 率 | 80% | 。
    assert fangsong_pieces >= 3
    # the plain run no finding touches is still the same run, byte for byte
    assert etree.tostring(kept.runs[0]._r) == plain_xml
    assert "".join(r.text for r in kept.runs if r.bold) == BOLD


def test_table_cell_holds_several_comments(tmp_path: Path) -> None:
    source, out = tmp_path / "table.docx", tmp_path / "annotated.docx"
    word = docx.Document()
    word.add_paragraph("一、基本情况")
    figures = word.add_table(rows=2, cols=4)
    for col, text in enumerate(("单位", "立案（件）", "结案（件）", "结案率")):
        figures.cell(0, col).text = text
    for col, text in enumerate(("甲", "72", "54", "80%")):
        figures.cell(1, col).text = text
    notes = word.add_table(rows=3, cols=2)
    notes.cell(0, 0).text, notes.cell(0, 1).text = "单位", "情况"
    notes.cell(1, 0).text = "乙"
    cell = notes.cell(1, 1).paragraphs[0]
    cell.add_run("立案72件，结案54件，").bold = True
    _fangsong(cell.add_run("结案率80%；立案12件，结案6件，结案率40%"))
    notes.cell(2, 0).text = "丙"
    two = notes.cell(2, 1)
    two.paragraphs[0].add_run(" 立案10件，").bold = True  # a cell's paragraphs join with nothing
    two.add_paragraph("结案5件，结案率60%")
    word.save(str(source))

    document = read(source)
    real = _audit(document)
    assert [(f.rule, f.text) for f in real] == [("rate", "80%")]
    second = document.text.index("乙")
    findings = [
        *real,
        _made(document, "80%", second),
        _made(document, "40%", second),
        _made(document, "结案率", document.text.index("结案6件", second)),  # adjacent to 40%
        _made(document, "12件，结案6件", second),  # overlaps nothing, runs inside 仿宋
        _made(document, "10件，结案5件", second),  # across the cell's two paragraphs
    ]
    write_annotated(document, findings, str(out))
    result = _check_comments(out, findings)

    rows = [[c.text for c in row.cells] for row in result.tables[1].rows]
    assert rows == [
        ["单位", "情况"],
        ["乙", "立案72件，结案54件，结案率80%；立案12件，结案6件，结案率40%"],
        ["丙", " 立案10件，\n结案5件，结案率60%"],
    ]
    assert result.tables[0].cell(1, 3).text == "80%"
    pieces = _pieces(result.tables[1].cell(1, 1).paragraphs[0])
    assert "".join(r.text for _, _, r in pieces if r.bold) == "立案72件，结案54件，"
    for _, _, piece in pieces:
        if not piece.bold:
            assert piece.font.size == Pt(16)
            assert piece._r.rPr.rFonts.get(qn("w:eastAsia")) == FANGSONG


def test_line_breaks_and_spaces_keep_offsets(tmp_path: Path) -> None:
    source, out = tmp_path / "lines.docx", tmp_path / "annotated.docx"
    word = docx.Document()
    paragraph = word.add_paragraph()
    first = paragraph.add_run("\u3000立案72件，结案\u300054件，")
    first.add_break()  # one paragraph, two lines: two blocks of the document
    paragraph.add_run(" 结案率80%。\u00a0").italic = True
    word.save(str(source))

    document = read(source)
    assert document.text == "立案72件，结案 54件，\n结案率80%。"
    findings = [
        _made(document, "80%"),
        _made(document, "54件，\n结案"),  # across the line break
        _made(document, "结案 54件"),  # the U+3000 inside was unified to a space
    ]
    write_annotated(document, findings, str(out))
    # the line break is a w:br, the space stripped from the second line sits in the range
    result = _check_comments(out, findings, ["80%", "54件， 结案", "结案\u300054件"])
    assert result.paragraphs[0].text == "\u3000立案72件，结案\u300054件，\n 结案率80%。\u00a0"
    assert [r.text for r in result.paragraphs[0].runs if r.italic] == [
        " 结案",
        "率",
        "80%",
        "。\u00a0",
    ]


def test_text_input_becomes_a_new_document(tmp_path: Path) -> None:
    source, out = tmp_path / "report.txt", tmp_path / "annotated.docx"
    source.write_text("一、基本情况\n　　立案72件，结案54件，结案率80%。\n", encoding="utf-8")
    document = read(source)
    findings = _audit(document)
    assert [(f.rule, f.text) for f in findings] == [("rate", "80%")]
    write_annotated(document, [*findings, _made(document, "结案率80")], str(out))
    result = _check_comments(out, [*findings, _made(document, "结案率80")])
    assert [p.text for p in result.paragraphs] == [
        "一、基本情况",
        "立案72件，结案54件，结案率80%。",
    ]


def test_merged_cells_map_to_their_own_text(tmp_path: Path) -> None:
    source, out = tmp_path / "merged.docx", tmp_path / "annotated.docx"
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "立案情况"  # one cell over two columns
    table.cell(0, 2).text = "结案率80%"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "全市"  # one cell over two rows
    for row, col, text in ((1, 1, "72件"), (1, 2, "54件"), (2, 1, "12件"), (2, 2, "6件")):
        table.cell(row, col).text = text
    word.save(str(source))

    document = read(source)
    assert document.text == "立案情况\t\t结案率80%\n全市\t72件\t54件\n\t12件\t6件"
    findings = [
        _made(document, "80%"),
        _made(document, "54件"),
        _made(document, "全"),  # the merged cell, in the row it starts
        _made(document, "6件"),
    ]
    write_annotated(document, findings, str(out))
    result = _check_comments(out, findings)
    assert [[c.text for c in row.cells] for row in result.tables[0].rows] == [
        ["立案情况", "立案情况", "结案率80%"],
        ["全市", "72件", "54件"],
        ["全市", "12件", "6件"],
    ]


NEW_TEXT = "一、基本情况\n立案72件，结案54件，结案率80%。R&D<项目>\t合计\n二、下步打算\n"


def _new_document_findings(tmp_path: Path) -> tuple[Document, list[Finding]]:
    source = tmp_path / "report.txt"
    source.write_text(NEW_TEXT, encoding="utf-8")
    document = read(source)
    return document, [
        _made(document, "结案54件"),
        _made(document, "54件，结案率"),  # overlaps the first
        _made(document, "80%"),  # starts where the second ends
        _made(document, "R&D<项目>", rule="rate"),  # characters XML escapes
    ]


def test_new_document_holds_overlapping_and_escaped_comments(tmp_path: Path) -> None:
    document, findings = _new_document_findings(tmp_path)
    across = _made(document, "情况\n立案")  # over two blocks: kept to the first one's part
    out = tmp_path / "annotated.docx"
    write_annotated(document, [*findings, across], str(out))
    word = docx.Document(str(out))
    assert [p.text for p in word.paragraphs] == [
        "一、基本情况",
        "立案72件，结案54件，结案率80%。R&D<项目>\t合计",
        "二、下步打算",
    ]
    anchors = comment_anchors(word)
    assert [anchors[str(i)] for i in range(5)] == [
        "结案54件", "54件，结案率", "80%", "R&D<项目>", "情况",
    ]  # fmt: skip
    notes = [c.text for c in word.comments]
    assert notes[3] == f"【警告·{rule_title('rate')}】批注rate：R&D<项目>"
    assert out.read_bytes() == _again(document, findings, across)


def _again(document: Document, findings: list[Finding], across: Finding) -> bytes:
    from jjnlp.render.docx_comments import annotated_docx

    return annotated_docx(document, [*findings, across])  # the same input, the same bytes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_new_documents_comments(tmp_path: Path) -> None:
    document, findings = _new_document_findings(tmp_path)
    out = tmp_path / "annotated.docx"
    write_annotated(document, findings, str(out))
    saved = tmp_path / "saved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    word = docx.Document(str(saved / "annotated.docx"))
    assert [p.text for p in word.paragraphs][1] == "立案72件，结案54件，结案率80%。R&D<项目>\t合计"
    anchors = comment_anchors(word)
    assert sorted(anchors.values()) == sorted(f.text for f in findings)
    assert sorted(c.text for c in word.comments) == sorted(
        f"【警告·{rule_title(f.rule)}】{f.message}" for f in findings
    )
