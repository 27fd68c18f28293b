"""What a figure counts when the lexicon alone does not say, and changes against last year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jjnlp.metrics import extract_metrics
from jjnlp.model import Metric
from jjnlp.readers import read
from jjnlp.structure import parse_outline


def _extract(tmp_path: Path, text: str) -> list[Metric]:
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    document = read(path)
    return extract_metrics(document, parse_outline(document))[0]


def _named(metrics: list[Metric]) -> list[tuple[str, str]]:
    return [(m.text, m.indicator) for m in metrics]


def test_notice_title_counts_the_whole_problem_phrase(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "关于三起违规吃喝典型问题的通报\n")
    assert _named(metrics) == [("三起", "违规吃喝典型问题")]


def test_problem_phrase_after_a_count_but_not_inside_a_longer_word(tmp_path: Path) -> None:
    metrics = _extract(
        tmp_path, "对上级督办的11处违法占用耕地问题未按要求整改。移交5个问题线索。\n"
    )
    assert _named(metrics) == [("11处", "违法占用耕地问题"), ("5个", "问题线索")]


def test_exposure_of_typical_problems_counts_the_notices(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "通报曝光典型问题3批11起。\n")
    assert _named(metrics) == [("3批", "通报"), ("11起", "通报")]


def test_quoted_term_between_indicator_and_figure(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "约谈提醒“一把手”15人。\n")
    assert _named(metrics) == [("15人", "约谈提醒")]


def test_verb_taking_an_event_count(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "致使群众往返5次仍未办结，问题拖延5个月未得到解决。\n")
    assert _named(metrics) == [("5次", "往返"), ("5个月", "拖延")]


def test_value_of_a_gift_measures_the_gift(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "收受价值800元的茶叶。\n")
    assert _named(metrics) == [("800元", "茶叶")]


def test_increase_on_last_year_is_a_change_of_the_current_figure(tmp_path: Path) -> None:
    metrics = _extract(
        tmp_path,
        "2024年1-6月，全县8个乡镇纪委共立案23件，同比增长15%，较去年同期增加3件。\n"
        "去年同期立案20件。\n",
    )
    assert _named(metrics) == [
        ("8个", "乡镇纪委"),
        ("23件", "立案"),
        ("15%", "同比增长"),
        ("3件", "同比增长"),
        ("20件", "立案"),
    ]
    assert [r.target for r in metrics[2].relations + metrics[3].relations] == [1, 1]
    assert [m.period.text if m.period else None for m in metrics] == ["2024年1-6月"] * 4 + [
        "去年同期"
    ]
    assert metrics[1].scope == "全县8个乡镇纪委"


def test_share_stated_as_a_fraction_takes_the_part_it_follows(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "全市立案90件，其中乡镇纪委立案30件，占三分之一。\n")
    share = metrics[2]
    assert (share.kind, share.indicator) == ("ratio", "立案")
    assert [(r.kind, metrics[r.target].text) for r in share.relations] == [
        ("rate_of", "30件"),
        ("rate_of", "90件"),
    ]


def test_share_names_its_subject_before_the_cue(tmp_path: Path) -> None:
    metrics = _extract(
        tmp_path, "谈话函询5人，立案人数占比不少于40.0%，处分人数较上年同期减少三成。\n"
    )
    assert _named(metrics) == [("5人", "谈话函询"), ("不少于40.0%", "立案"), ("三成", "同比下降")]
    assert (metrics[2].kind, metrics[2].value, metrics[2].stated_unit) == (
        "ratio",
        Decimal("0.3"),
        "成",
    )


def test_adverbial_event_count_and_passive_money(tmp_path: Path) -> None:
    metrics = _extract(
        tmp_path,
        "陈某先后6次接受辖区内企业宴请。截留补贴资金8.65万元，其中5.2万元被挪用于接待支出。\n",
    )
    assert _named(metrics) == [("6次", "宴请"), ("8.65万元", "补贴资金"), ("5.2万元", "挪用")]


def test_attributive_adjective_opens_the_counted_phrase(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "违规饮用公司库存高档酒水18瓶。\n")
    assert _named(metrics) == [("18瓶", "高档酒水")]


def test_quoted_label_before_the_counted_noun(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "为60余名“85后”科级干部准备“廉洁礼包”，召开推进会2次。\n")
    assert _named(metrics)[0] == ("60余名", "科级干部")
    assert all("85" not in m.text for m in metrics)


def test_multiples_are_figures_but_idioms_and_articles_are_not(tmp_path: Path) -> None:
    metrics = _extract(tmp_path, "案件数量增长一倍，保持一成不变，查处一批问题，增长1.5倍。\n")
    assert [(m.text, m.kind, m.unit) for m in metrics] == [
        ("一倍", "ratio", "倍"),
        ("1.5倍", "ratio", "倍"),
    ]


def test_a_garbled_run_repeated_between_figures_is_tagged_once(tmp_path: Path) -> None:
    """百分之百分之…: every figure's window holds the run 分之, which posseg's HMM tags
    (a millisecond a pass); the run is tagged once for all the figures, not once a window."""
    from jjnlp.zh import segment

    segment._pos_hmm_words.cache_clear()
    metrics = _extract(tmp_path, "受理信访举报8件，立案" + "百分之" * 600 + "。\n")
    assert len(metrics) == 301
    assert metrics[1].text == "百分之百"
    assert segment._pos_hmm_words.cache_info().misses <= 3
