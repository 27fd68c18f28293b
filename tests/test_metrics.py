"""Metric extraction on real reports: what each figure counts and how figures relate."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from jjnlp.metrics import extract_metrics
from jjnlp.model import Metric
from jjnlp.readers import read
from jjnlp.structure import parse_outline

SLOGANS = ("两函一书", "四种形态", "三不腐", "五廉提升", "七进", "85后", "1+9")


def _extract(path: Path) -> tuple[str, list[Metric]]:
    document = read(path)
    metrics, _ = extract_metrics(document, parse_outline(document))
    return document.text, metrics


def _by_text(metrics: list[Metric], text: str) -> Metric:
    return next(m for m in metrics if m.text == text)


def test_seed_figures_intervals_and_links(seed_path: Path) -> None:
    text, metrics = _extract(seed_path)
    assert 36 <= len(metrics) <= 42  # every stated count and rate, about 40
    for wanted in (
        "112件",
        "72件",
        "54件",
        "75%",
        "53人",
        "86人",
        "33人",
        "38.4%",
        "111个",
        "66个",
        "14条",
        "6000余人次",
        "80余份",
        "60余名",
    ):
        assert any(m.text == wanted for m in metrics), wanted
    papers = _by_text(metrics, "80余份")
    assert (papers.interval.low, papers.interval.low_closed) == (Decimal(80), False)
    people = _by_text(metrics, "6000余人次")
    assert (people.approx, people.interval.low) == ("more_than", Decimal(6000))
    rate = _by_text(metrics, "75%")
    assert rate.indicator == "结案率" and rate.period and rate.period.text == "2023年1-4月"
    assert [(r.kind, metrics[r.target].text) for r in rate.relations] == [
        ("rate_of", "54件"),
        ("rate_of", "72件"),
    ]
    share = _by_text(metrics, "38.4%")
    assert share.indicator == "第一种形态"
    assert [metrics[r.target].text for r in share.relations] == ["33人", "86人"]
    part = _by_text(metrics, "33人")
    assert [(r.kind, metrics[r.target].text) for r in part.relations] == [("part_of", "86人")]
    done = _by_text(metrics, "66个")
    assert [(r.kind, metrics[r.target].text) for r in done.relations] == [("done_of", "111个")]
    for slogan in SLOGANS:
        at = text.find(slogan)
        while at >= 0:
            assert not any(m.start < at + len(slogan) and at < m.end for m in metrics), slogan
            at = text.find(slogan, at + 1)


def test_qizhong_parts_and_year_on_year(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "一季度，全县共受理信访举报186件次，其中检举控告类102件次；立案61件，同比增长12.2%。\n",
        encoding="utf-8",
    )
    _, metrics = _extract(path)
    assert [(m.text, m.indicator) for m in metrics] == [
        ("186件次", "信访举报"),
        ("102件次", "检举控告"),
        ("61件", "立案"),
        ("12.2%", "同比增长"),
    ]
    assert metrics[1].relations[0].kind == "part_of" and metrics[1].relations[0].target == 0
    assert [(r.kind, r.target) for r in metrics[3].relations] == [("change_from", 2)]
    assert metrics[0].scope == "全县" and metrics[0].period and metrics[0].period.text == "一季度"


def test_share_of_a_total_named_earlier(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "全县立案66件。\n其中，查处乡科级干部26人，涉及案件26件，占全县立案总数的39.4%。\n",
        encoding="utf-8",
    )
    _, metrics = _extract(path)
    share = _by_text(metrics, "39.4%")
    assert [metrics[r.target].text for r in share.relations] == ["26件", "66件"]


def test_table_cells_become_figures(tmp_path: Path, make_formats: ModuleType) -> None:
    path = tmp_path / "t.docx"
    table = [["单位", "立案（件）", "结案（件）"], ["青山县", "12", "10"], ["河西区", "8", "9"]]
    make_formats.render_docx(["一、案件查办情况", table], path)
    document = read(path)
    metrics, _ = extract_metrics(document, parse_outline(document))
    assert [(m.scope, m.indicator, m.value, m.unit) for m in metrics] == [
        ("青山县", "立案", Decimal(12), "件"),
        ("青山县", "结案", Decimal(10), "件"),
        ("河西区", "立案", Decimal(8), "件"),
        ("河西区", "结案", Decimal(9), "件"),
    ]
    assert document.text[metrics[2].start : metrics[2].end] == "8"


def test_metrics_cli_json(seed_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "metrics", str(seed_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(result.stdout)
    assert payload["schema"] == "jjnlp.metrics/2"
    payload = payload["files"][0]
    rate = next(m for m in payload["metrics"] if m["text"] == "75%")
    assert (rate["value"], rate["decimals"], rate["interval"]["low"]) == ("75", 0, "74.5")
    assert {t["text"] for t in payload["terms"]} >= {"两函一书", "三不腐", "五廉提升", "七进"}


def test_table_header_unit_scales_money_and_cells_may_state_units(
    tmp_path: Path, make_formats: ModuleType
) -> None:
    path = tmp_path / "t.docx"
    table = [
        ["单位", "立案数", "挽回经济损失（万元）", "结案率"],
        ["青山县", "12件", "3.5", "83.3%"],
        ["合计", "1,080", "12", "90.0%"],
    ]
    make_formats.render_docx(["一、案件查办情况", table], path)
    document = read(path)
    metrics, _ = extract_metrics(document, parse_outline(document))
    assert [(m.scope, m.indicator, m.value, m.unit, m.decimals) for m in metrics] == [
        ("青山县", "立案", Decimal(12), "件", 0),
        ("青山县", "挽回经济损失", Decimal(35000), "元", 1),
        ("青山县", "结案率", Decimal("83.3"), "%", 1),
        ("合计", "立案", Decimal(1080), "", 0),
        ("合计", "挽回经济损失", Decimal(120000), "元", 0),
        ("合计", "结案率", Decimal("90.0"), "%", 1),
    ]
    assert metrics[1].text == "3.5" and metrics[1].stated_unit == "万元"


def test_metrics_cli_table(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("2023年1-4月，全市共处置问题线索80余件，结案率75%。\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "metrics", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[1] == "行\t指标\t数值\t单位\t约数\t期间\t范围\t原文\t关系（分母及其依据）"
    assert lines[2] == "1\t问题线索\t80\t件\t余/超过\t2023年1-4月\t全市\t80余件\t"


def test_listed_forms_are_parts_of_the_total_until_the_sentence_ends(tmp_path: Path) -> None:
    """其中第一种形态…；第二种形态…: the list runs on after ；, each form a part of the total
    the first one hangs from; after 。 a form starts no list of its own."""
    path = tmp_path / "r.txt"
    path.write_text(
        "运用“四种形态”处理200人次，其中第一种形态120人次；第二种形态60人次；"
        "第三种形态15人次。第四种形态5人次。\n",
        encoding="utf-8",
    )
    _, metrics = _extract(path)
    assert [(m.text, [(r.kind, r.target) for r in m.relations]) for m in metrics] == [
        ("200人次", []),
        ("120人次", [("part_of", 0)]),
        ("60人次", [("part_of", 0)]),
        ("15人次", [("part_of", 0)]),
        ("5人次", []),
    ]
