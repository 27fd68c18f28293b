"""Each class of false alarm and miss the held-out reports showed, as the sentence shape it
takes: the clean form stays silent, the slip is reported with its expected value."""

from __future__ import annotations

import pytest

from jjnlp import analyze_text

# (class, clean text, slipped text, rule, stated, expected)
CASES = {
    # a share after a part is of the frame's whole (在…的24人中), never GRIM-tested on the part
    "part-in-a-frame": (
        "在处分的24人中，县处级干部7人，占29.2%；乡科级干部17人，占70.8%。",
        "在处分的24人中，县处级干部7人，占39.2%；乡科级干部17人，占70.8%。",
        "share",
        "39.2%",
        "29.2%",
    ),
    # a comparison base is no whole: 结案率 is 738÷710, not ÷630
    "comparison-base": (
        "全市立案710件，同比增长12.7%（上年同期立案630件）；全年结案738件，结案率103.9%。",
        "全市立案710件，同比增长12.7%（上年同期立案630件）；全年结案738件，结案率105.9%。",
        "rate",
        "105.9%",
        "103.9%",
    ),
    # the author's stated method: 1013 ÷ (117 + 968)
    "stated-method": (
        "全区立案968件，结案1013件，结案率93.4%（按上年结转117件与本年立案之和计算）。",
        "全区立案968件，结案1013件，结案率95.4%（按上年结转117件与本年立案之和计算）。",
        "rate",
        "95.4%",
        "93.4%",
    ),
    # a share of a named total is computed on that total, not on the figure nearest it
    "named-total": (
        "全区立案231件，结案220件。乡镇纪委共处置问题线索94件，立案67件，占全区立案数的29.0%。",
        "全区立案231件，结案220件。乡镇纪委共处置问题线索94件，立案67件，占全区立案数的31.0%。",
        "share",
        "31.0%",
        "29.0%",
    ),
    # a figure for a period named inside the sentence (1—9月) is not the year's figure
    "period-inside-a-sentence": (
        "2023年，全市立案710件。从进度看，1—9月全市立案521件、结案498件，结案率95.6%；"
        "第四季度集中清理积案，全年结案738件，结案率103.9%。",
        "2023年，全市立案710件。从进度看，1—9月全市立案521件、结案498件，结案率95.6%；"
        "第四季度集中清理积案，全年结案738件，结案率101.9%。",
        "rate",
        "101.9%",
        "103.9%",
    ),
    # a list of shares that ends with 其他 covers its whole: it must total 100%
    "exhaustive-share-list": (
        "从反映内容看，反映违反群众纪律问题占38.6%、违反廉洁纪律问题占30.5%、"
        "违反工作纪律问题占19.4%、其他问题占11.5%。",
        "从反映内容看，反映违反群众纪律问题占38.6%、违反廉洁纪律问题占33.5%、"
        "违反工作纪律问题占19.4%、其他问题占11.5%。",
        "shares_total",
        "38.6%、违反廉洁纪律问题占33.5%、违反工作纪律问题占19.4%、其他问题占11.5%",
        "100%",
    ),
    # every member of the family named before 分别占: the shares total 100%
    "shares-respectively": (
        "运用“四种形态”处理1702人次，第一种形态、第二种形态、第三种形态、第四种形态"
        "分别占63.5%、27.1%、5.2%、4.2%。",
        "运用“四种形态”处理1702人次，第一种形态、第二种形态、第三种形态、第四种形态"
        "分别占63.5%、27.1%、3.2%、3.2%。",
        "shares_total",
        "63.5%、27.1%、3.2%、3.2%",
        "100%",
    ),
}


@pytest.mark.parametrize(
    ("clean", "slipped", "rule", "stated", "expected"), CASES.values(), ids=CASES.keys()
)
def test_clean_shape_is_silent_and_slip_is_reported(
    clean: str, slipped: str, rule: str, stated: str, expected: str
) -> None:
    assert [f for f in analyze_text(clean, ("audit",)).findings if f.severity != "info"] == []
    findings = analyze_text(slipped, ("audit",)).findings
    found = [(f.rule, f.text, f.expected) for f in findings if f.severity != "info"]
    # a wrong share of a set whose parts make up the whole also breaks the set's 100%
    assert [f for f in found if f[0] != "shares_total" or rule == "shares_total"] == [
        (rule, stated, expected)
    ]


def test_double_rounding_is_not_an_error() -> None:
    # 290 ÷ 312 = 92.949…%: rounded to 92.95% and then to 93.0%
    text = "巡察反馈问题312个，已完成整改290个，整改率93.0%。"
    analysis = analyze_text(text, ("audit",))
    assert analysis.findings == []
    assert analysis.coverage["checked_by_rate"] == 3


def test_a_share_nudged_so_the_set_totals_100_is_an_info_note_naming_the_practice() -> None:
    # 395 ÷ 612 = 64.54%: written 64.6% so that the four shares total 100.0%
    text = (
        "运用“四种形态”处理612人次，其中第一种形态395人次，占64.6%；第二种形态150人次，"
        "占24.5%；第三种形态21人次，占3.4%；第四种形态46人次，占7.5%。"
    )
    findings = analyze_text(text, ("audit",)).findings
    assert [(f.rule, f.severity, f.text, f.expected) for f in findings] == [
        ("share", "info", "64.6%", "64.5%")
    ]
    assert "凑足100%" in findings[0].message and "允许" in findings[0].message


def test_the_whole_and_its_reason_are_recorded_on_the_relation() -> None:
    metrics = analyze_text(CASES["stated-method"][0], ("metrics",)).metrics
    rate = next(m for m in metrics if m.indicator == "结案率")
    wholes = [(metrics[r.target].text, r.whole_by) for r in rate.relations if r.whole_by]
    assert wholes == [("968件", "stated_method"), ("117件", "stated_method")]
    share = next(
        m for m in analyze_text(CASES["named-total"][0], ("metrics",)).metrics if m.text == "29.0%"
    )
    assert [r.whole_by for r in share.relations] == [None, "named"]


TABLE = (
    "前三季度各县区立案结案情况如下表。\n"
    "单位\t立案（件）\t\t结案（件）\t结案率\n"
    "\t合计\t其中：党纪\t\t\n"
    "市本级\t58\t51\t55\t94.8%\n"
    "椿城区\t94\t86\t90\t95.7%\n"
    "禾平县\t69\t64\t63\t{rate}\n"
    "合计\t221\t{party}\t208\t94.1%\n"
)


def test_a_table_with_a_wrong_total_and_a_wrong_rate_gets_exactly_those_two_errors() -> None:
    analysis = analyze_text(TABLE.format(rate="93.1%", party="210"), ("audit",))
    assert [(f.rule, f.text, f.expected) for f in analysis.findings] == [
        ("rate", "93.1%", "91.3%"),
        ("part_whole", "210", "201"),
    ]
    assert "（51＋86＋64）" in analysis.findings[1].message


def test_a_clean_table_says_how_many_cells_it_checked() -> None:
    analysis = analyze_text(TABLE.format(rate="91.3%", party="201"), ("audit",))
    assert analysis.findings == []
    assert analysis.tables[0].columns == (
        "单位",
        "立案（件）/合计",
        "立案（件）/其中：党纪",
        "结案（件）",
        "结案率",
    )
    # 16 counts and rates in the grid, every one of them read by a check: the sums and the
    # 其中 column read the 12 counts, the rates the 4 rates and the counts they divide
    assert analysis.coverage["figures_found"] == analysis.coverage["figures_checked"] == 16
    assert analysis.coverage["checked_by_part_whole"] == analysis.coverage["checked_by_rate"] == 12


def test_a_heading_the_reader_did_not_take_is_not_called_missing() -> None:
    # 三、 is written but its run-on title is too long to be read as a heading: the author
    # skipped nothing, so heading_sequence stays silent; a real skip is still reported
    long_title = "，".join(f"第{n}项工作取得新进展" for n in range(1, 16))
    text = f"一、工作开展情况\n立案12件。\n二、存在的问题\n三、{long_title}\n四、下步打算\n"
    analysis = analyze_text(text, ("audit",))
    assert [s.marker for s in analysis.outline.walk()] == ["一、", "二、", "四、"]  # type: ignore[union-attr]
    assert [f.rule for f in analysis.findings] == []
    skipped = analyze_text(text.replace(f"三、{long_title}\n", ""), ("audit",))
    assert [(f.rule, f.text) for f in skipped.findings] == [("heading_sequence", "四、")]


def test_a_figure_from_a_tracked_insertion_is_at_most_a_warning_that_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    from jjnlp import analyze

    word = docx.Document()
    paragraph = word.add_paragraph("上半年，全县立案72件，结案54件，结案率")
    inserted = etree.SubElement(paragraph._p, qn("w:ins"))
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "审核人")
    run = etree.SubElement(inserted, qn("w:r"))
    etree.SubElement(run, qn("w:t")).text = "80%"
    paragraph.add_run("。")
    path = tmp_path / "draft.docx"
    word.save(str(path))
    findings = analyze(str(path), ("audit",)).findings
    assert [(f.rule, f.severity, f.text, f.expected) for f in findings] == [
        ("rate", "warning", "80%", "75.0%")
    ]
    assert "修订" in findings[0].message


def test_a_rate_after_a_part_clause_is_of_the_total_and_the_part_keeps_its_own_unit() -> None:
    text = "全市共立案247件，其中市纪委监委本级立案26件；结案204件，结案率82.6%；留置17人。"
    analysis = analyze_text(text, ("audit",))
    assert analysis.findings == []
    by_text = {m.text: m for m in analysis.metrics}
    assert [by_text["26件"].scope, by_text["204件"].scope, by_text["17人"].scope] == [
        "市纪委监委本级",
        "全市",
        "全市",
    ]
    rate = by_text["82.6%"]
    wholes = [analysis.metrics[r.target].text for r in rate.relations if r.whole_by]
    assert wholes == ["247件"]
    slipped = analyze_text(text.replace("82.6%", "80.6%"), ("audit",))
    assert [f.expected for f in slipped.findings] == ["82.6%"]


def test_a_rate_whose_numerator_is_a_part_too_is_the_rate_of_the_part() -> None:
    text = "全县立案72件，其中乡镇立案30件、结案25件，结案率83.3%。"
    assert analyze_text(text, ("audit",)).findings == []


def test_a_figure_in_brackets_is_not_the_total_of_a_later_list() -> None:
    text = (
        "给予党纪政务处分225人（党纪处分209人、政务处分41人），其中县处级干部8人，"
        "乡科级干部39人，一般干部64人，农村和企业等其他人员114人。"
    )
    analysis = analyze_text(text, ("audit",))
    assert analysis.findings == []
    by_text = {m.text: m for m in analysis.metrics}
    totals = [analysis.metrics[r.target].text for r in by_text["8人"].relations]
    assert totals == ["225人"]


def test_a_share_that_names_its_part_is_of_that_part_not_the_last_count() -> None:
    text = (
        "运用“四种形态”处理79人次，其中第一种形态52人次，第二种形态23人次，第三种形态3人次，"
        "第四种形态1人次，第一种形态占比65.8%。"
    )
    assert analyze_text(text, ("audit",)).findings == []
    slipped = analyze_text(text.replace("65.8%", "56.8%"), ("audit",))
    assert [f.expected for f in slipped.findings] == ["65.8%"]


def test_figures_listed_with_respectively_are_not_called_duplicates() -> None:
    text = (
        "运用“四种形态”处理72人次，其中第一种形态47人次，占65.3%；第二种形态22人次，占30.6%；"
        "第三、四种形态分别为2人次、1人次。"
    )
    assert [f.rule for f in analyze_text(text, ("audit",)).findings] == []
