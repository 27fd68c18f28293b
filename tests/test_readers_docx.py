"""Word as Word shows it: list numbering, tracked changes, notes, text boxes, merged cells,
page furniture, and damaged parts — each built into a real .docx and read back exactly."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from conftest import comment_anchors
from jjnlp.errors import CorruptFile
from jjnlp.model import Document, Finding
from jjnlp.pipeline import run
from jjnlp.readers import read
from jjnlp.readers.docx.numbering import format_number
from jjnlp.render.docx_comments import write_annotated

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


# --------------------------------------------------------------------------- building


def _lvl(
    ilvl: int,
    fmt: str,
    text: str,
    start: int = 1,
    suff: str | None = None,
    restart: int | None = None,
    style: str | None = None,
) -> str:
    extra = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    extra += f'<w:pStyle w:val="{style}"/>' if style else ""
    extra += f'<w:suff w:val="{suff}"/>' if suff else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'{extra}<w:lvlText w:val="{text}"/></w:lvl>'
    )


def _abstract(abstract_id: int, *levels: str, extra: str = "") -> str:
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}">{extra}{"".join(levels)}</w:abstractNum>'
    )


def _num(num_id: int, abstract_id: int, starts: dict[int, int] | None = None) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{k}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for k, v in (starts or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def _numbering(word: Any, *definitions: str) -> None:
    """Replace the document's numbering part with these definitions."""
    part = word.part.numbering_part
    part._element = parse_xml(f"<w:numbering {NS}>{''.join(definitions)}</w:numbering>")


def _numbered(word: Any, text: str, num_id: int | None, ilvl: int | None = 0) -> Any:
    paragraph = word.add_paragraph(text)
    if num_id is not None:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_numId().val = num_id
        if ilvl is not None:
            numpr.get_or_add_ilvl().val = ilvl
    return paragraph


def _styled(word: Any, text: str, style_id: str) -> Any:
    paragraph = word.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _xml(fragment: str) -> Any:
    """One element from a fragment whose prefixes are the usual Word ones."""
    wrapper = parse_xml(f"<w:wrapper {NS}>{fragment}</w:wrapper>")
    return wrapper[0]


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _paragraph(word: Any, *fragments: str) -> Any:
    """A body paragraph made of raw run-level fragments."""
    paragraph = word.add_paragraph()
    for fragment in fragments:
        paragraph._p.append(_xml(fragment))
    return paragraph


def _ins(text: str, rev: int = 1) -> str:
    return f'<w:ins w:id="{rev}" w:author="甲" w:date="2024-07-01T00:00:00Z">{_run(text)}</w:ins>'


def _del(text: str, rev: int = 2) -> str:
    return (
        f'<w:del w:id="{rev}" w:author="乙" w:date="2024-07-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def _save(word: Any, path: Path) -> Document:
    word.save(str(path))
    return read(path)


def _lines(document: Document) -> list[str]:
    return document.text.split("\n")


# --------------------------------------------------------------------------- numbering


def test_chinese_counting_markers_over_twelve_headings(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(word, _abstract(0, _lvl(0, "chineseCounting", "%1、")), _num(1, 0))
    for k in range(1, 13):
        _numbered(word, f"第{k}部分", 1)
    document = _save(word, tmp_path / "twelve.docx")
    assert _lines(document) == [
        "一、第1部分",
        "二、第2部分",
        "三、第3部分",
        "四、第4部分",
        "五、第5部分",
        "六、第6部分",
        "七、第7部分",
        "八、第8部分",
        "九、第9部分",
        "十、第10部分",
        "十一、第11部分",
        "十二、第12部分",
    ]
    assert {b.kind for b in document.blocks} == {"paragraph"}


def test_level_two_restarts_under_each_new_level_one_and_level_three_is_decimal(
    tmp_path: Path,
) -> None:
    word = docx.Document()
    levels = (
        _lvl(0, "chineseCounting", "%1、"),
        _lvl(1, "chineseCounting", "（%2）"),
        _lvl(2, "decimal", "%3."),
    )
    _numbering(word, _abstract(0, *levels), _num(1, 0))
    for text, ilvl in (
        ("工作开展情况", 0),
        ("政治监督", 1),
        ("日常监督", 1),
        ("专项检查", 2),
        ("巡察整改", 2),
        ("存在的问题", 0),
        ("监督不到位", 1),
        ("责任落实", 2),
    ):
        _numbered(word, text, 1, ilvl)
    document = _save(word, tmp_path / "levels.docx")
    assert document.text == (
        "一、工作开展情况\n（一）政治监督\n（二）日常监督\n1.专项检查\n2.巡察整改\n"
        "二、存在的问题\n（一）监督不到位\n1.责任落实"
    )
    # the structure stage now finds the headings Word drew
    outline = run(document, ("structure",)).outline
    assert outline is not None
    assert [(s.level, s.marker) for s in outline.walk()][:3] == [
        (1, "一、"),
        (2, "（一）"),
        (2, "（二）"),
    ]


def test_lvl_text_with_several_placeholders_uses_each_levels_format(tmp_path: Path) -> None:
    word = docx.Document()
    levels = (_lvl(0, "decimal", "第%1章"), _lvl(1, "lowerRoman", "%1.%2"))
    _numbering(word, _abstract(0, *levels), _num(1, 0))
    for text, ilvl in (("总则", 0), ("目的", 1), ("依据", 1), ("监督", 0), ("范围", 1)):
        _numbered(word, text, 1, ilvl)
    document = _save(word, tmp_path / "placeholders.docx")
    assert _lines(document) == ["第1章总则", "1.i目的", "1.ii依据", "第2章监督", "2.i范围"]


def test_style_linked_numbering_through_heading_styles(tmp_path: Path) -> None:
    """Headings numbered by their paragraph styles (basedOn followed), the list reached
    through a numbering style (w:numStyleLink → style → w:num → w:styleLink)."""
    word = docx.Document()
    styles = word.styles.element
    styles.append(
        _xml(
            '<w:style w:type="numbering" w:styleId="GongWen"><w:name w:val="公文编号"/>'
            '<w:pPr><w:numPr><w:numId w:val="11"/></w:numPr></w:pPr></w:style>'
        )
    )
    styles.append(
        _xml(
            '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="公文标题1"/>'
            '<w:pPr><w:numPr><w:numId w:val="10"/></w:numPr></w:pPr></w:style>'
        )
    )
    styles.append(
        _xml(
            '<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="公文标题2"/>'
            '<w:basedOn w:val="H1"/></w:style>'
        )
    )
    _numbering(
        word,
        _abstract(0, extra='<w:numStyleLink w:val="GongWen"/>'),
        _abstract(
            1,
            _lvl(0, "chineseCountingThousand", "%1、", style="H1"),
            _lvl(1, "chineseCountingThousand", "（%2）", style="H2"),
            extra='<w:styleLink w:val="GongWen"/>',
        ),
        _num(10, 0),
        _num(11, 1),
    )
    _styled(word, "基本情况", "H1")
    _styled(word, "监督检查", "H2")
    _styled(word, "审查调查", "H2")
    word.add_paragraph("正文不编号。")
    _styled(word, "下步打算", "H1")
    _styled(word, "深化改革", "H2")
    document = _save(word, tmp_path / "styles.docx")
    assert _lines(document) == [
        "一、基本情况",
        "（一）监督检查",
        "（二）审查调查",
        "正文不编号。",
        "二、下步打算",
        "（一）深化改革",
    ]


def test_start_override_restarts_a_shared_list_and_plain_instances_continue(
    tmp_path: Path,
) -> None:
    """Word counts on the abstract numbering: a second w:num continues the list, one with
    a w:startOverride restarts it at its first paragraph."""
    word = docx.Document()
    _numbering(
        word,
        _abstract(0, _lvl(0, "decimal", "%1.")),
        _num(1, 0),
        _num(2, 0, {0: 1}),
        _num(3, 0),
        _num(4, 0, {0: 5}),
    )
    for text, num_id in (("甲", 1), ("乙", 1), ("丙", 2), ("丁", 2), ("戊", 1), ("己", 3)):
        _numbered(word, text, num_id)
    _numbered(word, "庚", 4)
    _numbered(word, "辛", 4)
    document = _save(word, tmp_path / "override.docx")
    assert _lines(document) == ["1.甲", "2.乙", "1.丙", "2.丁", "3.戊", "4.己", "5.庚", "6.辛"]


def test_lvl_restart_zero_keeps_counting_across_a_higher_level(tmp_path: Path) -> None:
    word = docx.Document()
    levels = (_lvl(0, "chineseCounting", "%1、"), _lvl(1, "decimal", "%2.", restart=0))
    _numbering(word, _abstract(0, *levels), _num(1, 0))
    for text, ilvl in (("甲", 0), ("子", 1), ("丑", 1), ("乙", 0), ("寅", 1)):
        _numbered(word, text, 1, ilvl)
    document = _save(word, tmp_path / "restart.docx")
    assert _lines(document) == ["一、甲", "1.子", "2.丑", "二、乙", "3.寅"]


def test_ideograph_traditional_and_enclosed_circle_with_space_suffix(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(
        word,
        _abstract(0, _lvl(0, "ideographTraditional", "%1、")),
        _abstract(1, _lvl(0, "decimalEnclosedCircle", "%1", suff="space")),
        _abstract(2, _lvl(0, "bullet", "\uf0b7")),
        _num(1, 0),
        _num(2, 1),
        _num(3, 2),
    )
    for text in ("青山县", "河西区", "东湖区"):
        _numbered(word, text, 1)
    for text in ("立案", "结案"):
        _numbered(word, text, 2)
    _numbered(word, "要点", 3)  # a bullet: no marker
    document = _save(word, tmp_path / "ideograph.docx")
    assert _lines(document) == [
        "甲、青山县",
        "乙、河西区",
        "丙、东湖区",
        "① 立案",
        "② 结案",
        "要点",
    ]


def test_chinese_counting_thousand_above_one_hundred(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(
        word,
        _abstract(0, _lvl(0, "chineseCountingThousand", "%1、", start=99)),
        _abstract(1, _lvl(0, "chineseCountingThousand", "第%1条", start=110)),
        _num(1, 0),
        _num(2, 1),
    )
    for k in range(4):
        _numbered(word, f"事项{k}", 1)
    _numbered(word, "附则", 2)
    document = _save(word, tmp_path / "hundred.docx")
    assert _lines(document) == [
        "九十九、事项0",
        "一百、事项1",
        "一百零一、事项2",
        "一百零二、事项3",
        "第一百一十条附则",
    ]


@pytest.mark.parametrize(
    ("fmt", "values", "expected"),
    [
        (
            "chineseCounting",
            (1, 10, 11, 20, 99, 100, 101, 110),
            "一 十 十一 二十 九十九 一〇〇 一〇一 一一〇",
        ),
        (
            "chineseCountingThousand",
            (10, 19, 20, 100, 101, 110, 1000, 1001, 1010, 10000, 10010, 12345, 40000),
            "十 十九 二十 一百 一百零一 一百一十 一千 一千零一 一千零一十 一万 一万零一十 "
            "一万二千三百四十五 40000",  # beyond Word's 32767: decimal
        ),
        ("chineseLegalSimplified", (1, 10, 11, 101), "壹 壹拾 壹拾壹 壹佰零壹"),
        ("ideographTraditional", (1, 2, 10, 11), "甲 乙 癸 11"),
        ("decimalEnclosedCircle", (1, 20, 21), "① ⑳ 21"),
        ("upperLetter", (1, 26, 27), "A Z AA"),
        ("lowerLetter", (2, 28), "b bb"),
        ("upperRoman", (4, 9, 14, 1994), "IV IX XIV MCMXCIV"),
        ("lowerRoman", (3,), "iii"),
        ("decimalFullWidth", (12,), "１２"),
        ("decimalZero", (7, 12), "07 12"),
        ("decimal", (0, 3), "0 3"),
        ("ordinalText", (3,), "3"),  # a format not implemented: decimal
    ],
)
def test_number_formats_write_what_word_shows(
    fmt: str, values: tuple[int, ...], expected: str
) -> None:
    assert " ".join(format_number(v, fmt) for v in values) == expected
    assert format_number(3, "none") == format_number(3, "bullet") == ""


def test_numbering_that_points_nowhere_reads_without_marker(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(
        word,
        _abstract(0, _lvl(0, "decimal", "%1.")),
        _num(1, 0),
        _num(3, 99),  # its abstract does not exist
        '<w:num w:numId="4"/>',  # no abstractNumId at all
    )
    _numbered(word, "指向缺失的编号定义", 3)
    _numbered(word, "没有定义的编号", 42)
    _numbered(word, "没有抽象编号", 4)
    _numbered(word, "层级不存在", 1, 5)
    _numbered(word, "正常编号", 1)
    document = _save(word, tmp_path / "dangling.docx")
    assert _lines(document) == [
        "指向缺失的编号定义",
        "没有定义的编号",
        "没有抽象编号",
        "层级不存在",
        "1.正常编号",
    ]


def _rewrite(source: Path, target: Path, replace: dict[str, bytes | None]) -> None:
    """Copy a package, replacing (or, with None, leaving out) some of its members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for item in src.infolist():
            if item.filename in replace:
                data = replace[item.filename]
                if data is not None:
                    out.writestr(item.filename, data)
            else:
                out.writestr(item, src.read(item.filename))


def test_malformed_or_missing_numbering_part_reads_without_marker(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(word, _abstract(0, _lvl(0, "chineseCounting", "%1、")), _num(1, 0))
    _numbered(word, "基本情况", 1)
    word.add_paragraph("全市立案22件。")
    whole = tmp_path / "whole.docx"
    word.save(str(whole))
    assert _lines(read(whole)) == ["一、基本情况", "全市立案22件。"]

    malformed = tmp_path / "malformed.docx"
    _rewrite(whole, malformed, {"word/numbering.xml": b"<w:numbering><w:num"})
    document = read(malformed)
    assert _lines(document) == ["基本情况", "全市立案22件。"]
    assert document.metadata["repaired_parts"] == ["word/numbering.xml"]

    missing = tmp_path / "missing.docx"
    _rewrite(whole, missing, {"word/numbering.xml": None})
    document = read(missing)
    assert _lines(document) == ["基本情况", "全市立案22件。"]
    assert document.metadata["repaired_parts"] == ["word/numbering.xml"]

    body = tmp_path / "body.docx"
    _rewrite(whole, body, {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(CorruptFile, match=r"body\.docx"):
        read(body)


# --------------------------------------------------------------------------- revisions


def test_tracked_insert_kept_and_delete_dropped(tmp_path: Path) -> None:
    word = docx.Document()
    _paragraph(word, _run("立案"), _ins("22"), _del("20"), _run("件"))
    _paragraph(
        word,
        _run("第一种形态"),
        _ins("156", 3),
        _run("人次，占"),
        _ins("68.4", 4),
        _run("%"),
        _del("，占比偏低", 5),
        _run("。"),
    )
    document = _save(word, tmp_path / "revisions.docx")
    assert document.text == "立案22件\n第一种形态156人次，占68.4%。"
    assert document.metadata["revisions"] == {"insertions": 3, "deletions": 2, "moves": 0}
    assert document.metadata["has_revisions"] is True


def test_move_keeps_the_destination_only(tmp_path: Path) -> None:
    word = docx.Document()
    _paragraph(
        word,
        _run("一是"),
        '<w:moveFrom w:id="7" w:author="甲" w:date="2024-07-01T00:00:00Z">'
        + _run("强化监督，")
        + "</w:moveFrom>",
        _run("深化治理。"),
    )
    _paragraph(
        word,
        _run("二是"),
        '<w:moveTo w:id="8" w:author="甲" w:date="2024-07-01T00:00:00Z">'
        + _run("强化监督，")
        + "</w:moveTo>",
        _run("严肃问责。"),
    )
    document = _save(word, tmp_path / "move.docx")
    assert document.text == "一是深化治理。\n二是强化监督，严肃问责。"
    assert document.metadata["revisions"] == {"insertions": 0, "deletions": 0, "moves": 1}


def test_deleted_numbered_paragraph_shows_nothing_and_takes_no_number(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(word, _abstract(0, _lvl(0, "chineseCounting", "%1、")), _num(1, 0))
    _numbered(word, "基本情况", 1)
    gone = _numbered(word, "", 1)
    gone._p.append(_xml(_del("删去的标题")))
    gone._p.get_or_add_pPr().append(
        _xml('<w:rPr><w:del w:id="9" w:author="乙" w:date="2024-07-01T00:00:00Z"/></w:rPr>')
    )
    emptied = _numbered(word, "", 1)  # its text deleted, its paragraph mark kept
    emptied._p.append(_xml(_del("旧文字", 10)))
    _numbered(word, "下步打算", 1)
    document = _save(word, tmp_path / "deleted.docx")
    assert _lines(document) == ["一、基本情况", "二、", "三、下步打算"]


def test_document_without_revisions_says_so(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("全市立案22件。")
    document = _save(word, tmp_path / "clean.docx")
    assert document.metadata["revisions"] == {"insertions": 0, "deletions": 0, "moves": 0}
    assert document.metadata["has_revisions"] is False


def test_content_controls_are_read_and_a_table_of_contents_is_skipped(tmp_path: Path) -> None:
    word = docx.Document()
    body = word.element.body
    toc = _xml(
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"</w:docPartObj></w:sdtPr><w:sdtContent><w:p>{_run('一、基本情况……1')}</w:p>"
        "</w:sdtContent></w:sdt>"
    )
    field = _xml(
        f"<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_run('青山县纪委监委')}</w:p></w:sdtContent></w:sdt>"
    )
    body.insert(0, toc)
    body.insert(1, field)
    _paragraph(word, _run("一、基本情况"))
    document = _save(word, tmp_path / "sdt.docx")
    assert _lines(document) == ["青山县纪委监委", "一、基本情况"]


# --------------------------------------------------------------------------- notes


def _footnotes(word: Any, notes: dict[int, str]) -> None:
    body = "".join(
        f'<w:footnote w:id="{k}"><w:p><w:r><w:footnoteRef/></w:r>{_run(" " + text)}</w:p>'
        "</w:footnote>"
        for k, text in notes.items()
    )
    xml = (
        f"<w:footnotes {NS}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{body}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"), word.part.package
    )
    word.part.relate_to(part, RT.FOOTNOTES)


def _reference(note_id: int) -> str:
    return (
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'
    )


def test_footnotes_read_as_note_blocks_after_the_body_in_reference_order(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("一、基本情况")
    _paragraph(word, _run("全市立案22件"), _reference(2), _run("，结案18件。"))
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "青山县"
    table.cell(0, 1).paragraphs[0]._p.append(_xml(_run("12")))
    table.cell(0, 1).paragraphs[0]._p.append(_xml(_reference(1)))
    _paragraph(word, _run("二、下步打算"), _reference(9))  # no footnote 9: skipped
    _footnotes(word, {1: "含移送案件。", 2: "数据截至2024年6月30日。"})
    document = _save(word, tmp_path / "notes.docx")
    assert _lines(document) == [
        "一、基本情况",
        "全市立案22件，结案18件。",
        "青山县\t12",
        "二、下步打算",
        "数据截至2024年6月30日。",
        "含移送案件。",
    ]
    assert [b.kind for b in document.blocks] == [
        "paragraph",
        "paragraph",
        "table_row",
        "paragraph",
        "note",
        "note",
    ]
    notes = document.metadata["notes"]
    assert [(n["kind"], n["id"], n["block"], n["reference_block"]) for n in notes] == [
        ("footnote", "2", 4, 1),
        ("footnote", "1", 5, 2),
    ]
    assert [n["text"] for n in notes] == ["数据截至2024年6月30日。", "含移送案件。"]
    # the reference stood right after 22件, and after the 12 in the cell
    assert document.text[: notes[0]["reference_offset"]].endswith("全市立案22件")
    assert document.text[: notes[1]["reference_offset"]].endswith("青山县\t12")


def test_document_without_footnote_part_ignores_a_dangling_reference(tmp_path: Path) -> None:
    word = docx.Document()
    _paragraph(word, _run("全市立案22件。"), _reference(1))
    document = _save(word, tmp_path / "dangling_note.docx")
    assert document.text == "全市立案22件。"
    assert "notes" not in document.metadata


# --------------------------------------------------------------------------- text boxes


_BOX_TEXT = "中共青山县纪律检查委员会"


def _text_box(text: str) -> str:
    box = f"<w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_text_box_read_once_right_after_its_anchor(tmp_path: Path) -> None:
    word = docx.Document()
    _paragraph(word, _run("青纪发〔2024〕12号"), _text_box(_BOX_TEXT))
    word.add_paragraph("关于2024年上半年工作情况的报告")
    _paragraph(word, _text_box("（此件公开发布）"))  # an anchor with no text of its own
    word.add_paragraph("县委：")
    document = _save(word, tmp_path / "textbox.docx")
    assert _lines(document) == [
        "青纪发〔2024〕12号",
        _BOX_TEXT,
        "关于2024年上半年工作情况的报告",
        "（此件公开发布）",
        "县委：",
    ]
    assert [b.kind for b in document.blocks] == ["paragraph"] * 5
    assert document.text.count(_BOX_TEXT) == 1


# --------------------------------------------------------------------------- tables


def _two_row_header(word: Any) -> Any:
    table = word.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "单位"  # vMerge over two rows
    table.cell(0, 1).merge(table.cell(0, 2)).text = "立案（件）"  # gridSpan 2
    table.cell(1, 1).text = "合计"
    table.cell(1, 2).text = "其中：党纪"
    for row, cells in ((2, ("青山县", "12", "8")), (3, ("河西区", "9", "5"))):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    return table


def test_two_row_merged_header_gives_rows_of_the_same_width(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("一、案件查办情况")
    _two_row_header(word)
    document = _save(word, tmp_path / "merged.docx")
    assert _lines(document) == [
        "一、案件查办情况",
        "单位\t立案（件）\t",
        "\t合计\t其中：党纪",
        "青山县\t12\t8",
        "河西区\t9\t5",
    ]
    rows = [b for b in document.blocks if b.kind == "table_row"]
    assert [len(b.cells) for b in rows] == [3, 3, 3, 3]
    assert [[document.text[c.start : c.end] for c in b.cells] for b in rows] == [
        ["单位", "立案（件）", ""],
        ["", "合计", "其中：党纪"],
        ["青山县", "12", "8"],
        ["河西区", "9", "5"],
    ]
    assert [(c.row, c.col) for c in rows[1].cells] == [(1, 0), (1, 1), (1, 2)]
    assert document.metadata["tables"] == 1
    assert document.metadata["table_header_rows"] == [2]


def test_grid_before_and_after_fill_their_columns(tmp_path: Path) -> None:
    word = docx.Document()
    table = word.add_table(rows=2, cols=3)
    for col, text in enumerate(("单位", "立案", "结案")):
        table.cell(0, col).text = text
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row starts one grid column in …
    tr.get_or_add_trPr().append(_xml('<w:gridBefore w:val="1"/>'))
    tr.tc_lst[0].append(_xml(f"<w:p>{_run('12')}</w:p>"))
    tr.tc_lst[1].getparent().remove(tr.tc_lst[1])  # … and ends one before the last
    tr.get_or_add_trPr().append(_xml('<w:gridAfter w:val="1"/>'))
    table.cell(0, 0)  # the first row is whole
    document = _save(word, tmp_path / "gridbefore.docx")
    assert _lines(document) == ["单位\t立案\t结案", "\t12\t"]
    assert [len(b.cells) for b in document.blocks] == [3, 3]


# --------------------------------------------------------------------------- margins


def _page_field(paragraph: Any, before: str, after: str) -> None:
    for fragment in (
        _run(before),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        _run("3"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        _run(after),
    ):
        paragraph._p.append(_xml(fragment))


def test_page_numbers_in_footers_are_dropped(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("全市立案22件。")
    section = word.sections[0]
    section.header.paragraphs[0].text = "青山县纪委监委"
    section.footer.paragraphs[0].text = "— 1 —"
    section.different_first_page_header_footer = True
    _page_field(section.first_page_footer.paragraphs[0], "第", "页")
    section.first_page_header.paragraphs[0].text = "- 1 -"
    document = _save(word, tmp_path / "footer.docx")
    assert document.text == "全市立案22件。"
    assert document.metadata["headers"] == ["青山县纪委监委"]
    assert document.metadata["footers"] == []
    assert "— 1 —" not in repr(document.metadata)


def test_footer_keeps_its_text_around_a_page_field(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("正文")
    footer = word.sections[0].footer
    footer.paragraphs[0].text = "青山县纪委办公室印发"
    _page_field(footer.add_paragraph(), "— ", " —")
    document = _save(word, tmp_path / "footer_text.docx")
    assert document.metadata["footers"] == ["青山县纪委办公室印发"]


# --------------------------------------------------------------------------- comments


def _finding(document: Document, text: str, after: int = 0) -> Finding:
    start = document.text.index(text, after)
    return Finding("test", "warning", f"批注：{text}", start, start + len(text), text)


def test_comments_on_numbered_revised_boxed_and_merged_text(tmp_path: Path) -> None:
    word = docx.Document()
    _numbering(word, _abstract(0, _lvl(0, "chineseCounting", "%1、")), _num(1, 0))
    _numbered(word, "基本情况", 1)
    paragraph = _numbered(word, "", 1)
    for fragment in (_run("立案"), _ins("22"), _del("20"), _run("件，结案18件。")):
        paragraph._p.append(_xml(fragment))
    _paragraph(word, _run("附："), _text_box(_BOX_TEXT))
    _two_row_header(word)
    source, out = tmp_path / "source.docx", tmp_path / "annotated.docx"
    document = _save(word, source)
    assert _lines(document)[:4] == ["一、基本情况", "二、立案22件，结案18件。", "附：", _BOX_TEXT]
    findings = [
        _finding(document, "一、"),  # the marker alone: anchored on the first run
        _finding(document, "二、立案"),  # marker and text
        _finding(document, "22件"),  # inserted text and the run after it
        _finding(document, "纪律检查"),  # inside the text box
        _finding(document, "其中：党纪"),  # a cell of the merged header
        _finding(document, "8", document.text.index("青山县")),
    ]
    write_annotated(document, findings, str(out))
    anchors = comment_anchors(docx.Document(str(out)))
    assert anchors == {
        "0": "基本情况",
        "1": "立案",
        "2": "22件",
        "3": "纪律检查",
        "4": "其中：党纪",
        "5": "8",
    }
    # the deleted text is still there, untouched and outside every comment
    result = docx.Document(str(out))
    deleted = [e.text for e in result.element.body.iter(qn("w:delText"))]
    assert deleted == ["20"]
    assert read(out).text == document.text
