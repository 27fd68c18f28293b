"""公文 structure: headings, items, parts, sentences and periods on real documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from jjnlp.model import Document
from jjnlp.readers import read
from jjnlp.structure import parse_outline, period_at
from jjnlp.zh.text import sentences as split_sentences

CORPUS = Path(__file__).resolve().parent.parent / "corpora"


def _doc(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return read(path)


def test_seed_outline_matches_the_report(seed_path: Path) -> None:
    document = read(seed_path)
    outline = parse_outline(document)
    text = document.text
    top = outline.sections
    assert [s.title for s in top] == ["工作开展情况", "存在的问题", "下步打算"]
    assert [s.marker for s in top[0].children] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert top[0].children[1].title == "案件查办工作情况" and top[0].children[1].inline
    assert len(top[2].children) == 3 and top[1].children == ()
    items = [i for i in outline.items if i.section == "存在的问题"]
    assert [(i.marker, i.headline) for i in items] == [
        ("一是", "派驻机构探头监督作用发挥不明显"),
        ("二是", "乡镇纪委靠前监督作用发挥不到位"),
        ("三是", "“三不腐”建设的长效机制还不够健全"),
    ]
    assert outline.title is None
    assert outline.addressee is not None and outline.addressee.slice(text) == "市委政策法规研究室"
    case_period = period_at(outline, text.index("立案72件"))
    assert case_period is not None and case_period.text == "2023年1-4月"
    assert (case_period.start_date, case_period.end_date) == (date(2023, 1, 1), date(2023, 4, 30))
    assert outline.report_period is not None and outline.report_period.text == "上半年"
    assert outline.report_period.end_date == date(2023, 6, 30)
    # a figure in another section is stated for the report's period
    other = period_at(outline, text.index("推进会2次"))
    assert other is outline.report_period


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_generated_twins_give_the_same_outline(fmt: str) -> None:
    source = CORPUS / "docs" / "wr_01_qingshan_2024h1.txt"
    twin = CORPUS / "generated" / f"wr_01_qingshan_2024h1.{fmt}"
    if not twin.exists():
        pytest.skip("run scripts/make_formats.py to build corpora/generated")
    a, b = parse_outline(read(source)), parse_outline(read(twin))
    assert [(s.level, s.marker, s.title) for s in a.walk()] == [
        (s.level, s.marker, s.title) for s in b.walk()
    ]
    assert [i.headline for i in a.items] == [i.headline for i in b.items]
    assert a.issued_on == b.issued_on == date(2024, 7, 5)


def test_title_addressee_issuer_and_date(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        "青纪发〔2024〕3号\n中共青山县纪委关于2024年\n上半年工作情况的报告\n县委：\n"
        "上半年，县纪委监委扎实开展工作。\n一、主要工作\n正文。\n"
        "中共青山县纪律检查委员会\n青山县监察委员会\n二〇二四年七月五日\n",
    )
    outline = parse_outline(document)
    text = document.text
    assert outline.title is not None
    assert outline.title.slice(text) == "中共青山县纪委关于2024年\n上半年工作情况的报告"
    assert outline.addressee is not None and outline.addressee.slice(text) == "县委"
    assert outline.issuer is not None
    assert outline.issuer.slice(text) == "中共青山县纪律检查委员会\n青山县监察委员会"
    assert outline.issued_on == date(2024, 7, 5)
    period = outline.report_period
    assert period is not None and period.text == "上半年"
    assert (period.start_date, period.end_date) == (date(2024, 1, 1), date(2024, 6, 30))


def test_false_headings_are_not_headings(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        "一、工作情况\n1.5万元的补贴资金已发放到位。\n2023.5以来持续推进。\n"
        "一、二季度共立案12件，这一句其实很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。\n"
        "（1）第一项\n3、第三项\n",
    )
    outline = parse_outline(document)
    assert [(s.level, s.title) for s in outline.walk()] == [
        (1, "工作情况"),
        (4, "第一项"),
        (3, "第三项"),
    ]


def test_skipped_level_nests_under_nearest_higher(tmp_path: Path) -> None:
    document = _doc(tmp_path, "一、总体情况\n1.监督检查\n（1）日常监督\n二、存在问题\n")
    outline = parse_outline(document)
    first = outline.sections[0]
    assert first.children[0].title == "监督检查"
    assert first.children[0].children[0].title == "日常监督"
    assert outline.sections[1].title == "存在问题"
    assert first.body.end < outline.sections[1].heading.start


def test_items_within_one_paragraph(tmp_path: Path) -> None:
    document = _doc(
        tmp_path, "二、存在的问题\n一是能力不足。表现为……；二是作风不实；三是制度不全。\n"
    )
    items = parse_outline(document).items
    assert [(i.marker, i.ordinal, i.headline) for i in items] == [
        ("一是", 1, "能力不足"),
        ("二是", 2, "作风不实"),
        ("三是", 3, "制度不全"),
    ]
    assert document.text[items[1].span.start : items[1].span.end] == "二是作风不实；"


def test_sentences_respect_quotes_and_brackets() -> None:
    text = "他说：“要严。要实。”随后部署。占比38.4%（含“第一种形态”。）继续！真的？！\n第二段"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "他说：“要严。要实。”随后部署。",
        "占比38.4%（含“第一种形态”。）继续！",
        "真的？！",
        "第二段",
    ]


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("2023年1-4月", date(2023, 1, 1), date(2023, 4, 30)),
        ("2024年1—6月", date(2024, 1, 1), date(2024, 6, 30)),
        ("前三季度", date(2024, 1, 1), date(2024, 9, 30)),
        ("一季度", date(2024, 1, 1), date(2024, 3, 31)),
        ("2022年度", date(2022, 1, 1), date(2022, 12, 31)),
        ("今年以来", date(2024, 1, 1), date(2024, 9, 20)),
        ("2021年至2023年", date(2021, 1, 1), date(2023, 12, 31)),
    ],
)
def test_periods_resolve_against_document_date(
    tmp_path: Path, phrase: str, start: date, end: date
) -> None:
    document = _doc(tmp_path, f"{phrase}，共立案12件。\n某县纪委\n2024年9月20日\n")
    outline = parse_outline(document)
    period = period_at(outline, document.text.index("立案"))
    assert period is not None and period.text == phrase
    assert (period.start_date, period.end_date) == (start, end)
    assert period.governs


def test_comparison_period_is_not_the_reporting_period(tmp_path: Path) -> None:
    document = _doc(tmp_path, "上半年，立案12件，较去年同期增长20.0%。\n")
    outline = parse_outline(document)
    comparison = [p for p in outline.periods if p.comparison]
    assert [p.text for p in comparison] == ["去年同期"]
    period = period_at(outline, document.text.index("20.0%"))
    assert period is not None and period.text == "上半年"


def test_structure_cli_json_keeps_chinese(seed_path: Path, make_formats: ModuleType) -> None:
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "structure", str(seed_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "工作开展情况" in result.stdout and "\\u" not in result.stdout
    payload = json.loads(result.stdout)
    assert payload["schema"] == "jjnlp.structure/2"
    outline = payload["files"][0]["outline"]
    assert outline["sections"][0]["title"] == "工作开展情况"
    heading = outline["sections"][0]["heading"]  # located records carry their text
    assert (heading["text"], heading["end"] - heading["start"]) == ("一、工作开展情况", 8)


def test_numeral_after_the_marker_heading_or_list(tmp_path: Path) -> None:
    """一、一季度… numbers a heading (a list of numerals ascends); 一、二季度 lists quarters."""
    document = _doc(
        tmp_path,
        "一、一季度工作开展情况\n（一）一季度案件查办情况。立案8件。\n"
        "一、二季度共受理信访举报46件，同比下降。\n"
        "二、二季度存在的问题\n三、四月份全县开展专项检查2次。\n"
        "三、四季度工作打算\n",
    )
    outline = parse_outline(document)
    assert [(s.level, s.number, s.title) for s in outline.walk()] == [
        (1, "一", "一季度工作开展情况"),
        (2, "一", "一季度案件查办情况"),
        (1, "二", "二季度存在的问题"),
        # a bare title line that continues the sequence is a heading even though 三、四 could list
        (1, "三", "四季度工作打算"),
    ]


def test_long_inline_heading_keeps_its_first_sentence(tmp_path: Path) -> None:
    title = (
        "坚持严的主基调不动摇，持续深化整治群众身边不正之风和腐败问题并推动全面从严治党向基层延伸，"
        "以全面从严治党新成效为全县经济社会高质量发展提供坚强的纪律保障"
    )
    assert len(title) > 60
    document = _doc(
        tmp_path,
        f"一、工作情况\n（一）{title}。全年共查处问题12个。\n"
        "（二）有的单位2024年3月以来仍未整改到位，整改台账中记录的问题与实际检查发现的问题不一致，"
        "相关责任人员未被追责问责，群众反映强烈。正文。\n",
    )
    outline = parse_outline(document)
    assert [(s.level, s.title) for s in outline.walk()] == [(1, "工作情况"), (2, title)]
    assert outline.walk()[1].inline


def test_annual_report_dated_january_resolves_to_its_year(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        "关于全年工作情况的报告\n县委：\n2024年，县纪委监委忠实履职。全年共立案36件。\n"
        "一、主要工作\n本年度以来，立案36件。\n县纪委监委\n2025年1月12日\n",
    )
    outline = parse_outline(document)
    whole_year = next(p for p in outline.periods if p.text == "全年")
    assert (whole_year.start_date, whole_year.end_date) == (date(2024, 1, 1), date(2024, 12, 31))
    since = next(p for p in outline.periods if p.text == "本年度以来")
    assert since.start_date == date(2024, 1, 1)
    # no stated year at all: an annual title issued early in the next year looks back on it
    bare = parse_outline(
        _doc(tmp_path, "关于全年工作情况的报告\n县委：\n全年立案36件。\n县纪委\n2025年1月12日\n")
    )
    assert {(p.text, p.start_date, p.end_date) for p in bare.periods} == {
        ("全年", date(2024, 1, 1), date(2024, 12, 31))  # the title's and the body's
    }


def test_red_head_and_document_number_are_outline_fields(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        "中共江岸县纪律检查委员会文件\n江纪发〔2024〕15号\n"
        "中共江岸县纪委关于2024年上半年工作情况的报告\n县委：\n上半年，县纪委监委扎实工作。\n"
        "一、主要工作\n立案12件。\n中共江岸县纪律检查委员会\n2024年7月6日\n"
        "抄送：市纪委监委\n中共江岸县纪委办公室 2024年7月8日印发\n",
    )
    outline = parse_outline(document)
    text = document.text

    def part(span: object) -> str | None:
        return span.slice(text) if span is not None else None  # type: ignore[attr-defined]

    assert part(outline.issuing_body) == "中共江岸县纪律检查委员会文件"
    assert part(outline.doc_number) == "江纪发〔2024〕15号"
    assert part(outline.title) == "中共江岸县纪委关于2024年上半年工作情况的报告"
    assert part(outline.addressee) == "县委"
    # the 版记 after the date is neither the 落款 nor the 成文日期
    assert part(outline.issuer) == "中共江岸县纪律检查委员会"
    assert part(outline.date) == "2024年7月6日" and outline.issued_on == date(2024, 7, 6)
    assert [s.title for s in outline.sections] == ["主要工作"]
    # a 红头 of the organ's name alone above the number, a 签发人 beside it
    signed = parse_outline(
        _doc(
            tmp_path,
            "中共江岸县纪律检查委员会\n江纪报〔2024〕3号 签发人：方某\n关于有关情况的报告\n"
            "县委：\n正文。\n",
        )
    )
    assert signed.issuing_body is not None and signed.doc_number is not None
    assert signed.title is not None and signed.addressee is not None
    plain = parse_outline(
        _doc(tmp_path, "江纪发〔2024〕5号\n关于有关情况的通报\n各单位：\n正文。\n")
    )
    assert plain.issuing_body is None and plain.doc_number is not None and plain.title is not None


def test_nfkc_is_unicodedatas_own_on_full_width_forms_and_what_follows_them() -> None:
    import unicodedata

    from jjnlp.zh.text import nfkc

    texts = [
        "立案７２件，结案５４件；结案率７５％。",  # full-width digits, comma, semicolon, percent
        "Ａ\u0301",  # a full-width letter and a combining accent: one composed letter
        "ｅ\u0308\u0304１\u3000２",  # two combining marks; the ideographic space
        "①②㈠ﬁ™℃",  # compatibility forms the fold leaves to NFKC
        "ｶﾞ ￥１，０００",  # half-width katakana with its voicing mark; the full-width yen
        "",
    ]
    for text in texts:
        assert nfkc(text) == unicodedata.normalize("NFKC", text), text
    assert nfkc("立案７２件，") == "立案72件,"
