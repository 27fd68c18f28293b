"""Each audit rule on its own: a slip it must report, and a clean or allowed text it must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from jjnlp.pipeline import run
from jjnlp.readers import read

CASES = [
    # rule, text with the slip, what is reported, text it must leave alone
    ("rate", "立案40件，结案30件，结案率80.0%。", "80.0%", "立案40件，结案45件，结案率112.5%。"),
    (
        "share",
        "处理50人，其中第一种形态30人，占比50.0%。",
        "50.0%",
        "处理86人，其中第一种形态33人，占比38.4%。",
    ),
    ("grim", "立案30件，其中涉及村干部的占23.7%。", "23.7%", "立案30件，其中涉及村干部的占23.3%。"),
    (
        "part_whole",
        "处分40人，其中县处级干部3人、乡科级干部15人、一般干部30人。",
        "40人",
        "处分60人，其中党纪处分55人、政务处分9人。",
    ),
    (
        "shares_total",
        "处理200人次，其中第一种形态120人次，占60.0%；第二种形态60人次，占30.0%；"
        "第三种形态20人次，占11.0%。",
        "60.0%；第二种形态60人次，占30.0%；第三种形态20人次，占11.0%",  # the whole set
        "处理1005人次，其中第一种形态663人次，占66.0%；第二种形态262人次，占26.1%；"
        "第三种形态35人次，占3.5%；第四种形态45人次，占4.5%。",
    ),
    ("done_le_found", "发现问题20个，已整改23个。", "23个", "发现问题20个，已整改20个。"),
    (
        "subset_le_total",
        "受理信访举报120件，其中检举控告类135件。",
        "135件",
        "受理信访举报120件，处置问题线索168件。",
    ),
    (
        "yoy",
        "立案60件，去年同期为50件，同比增长25%。",
        "25%",
        "立案60件，去年同期为50件，同比增长20.0%。",
    ),
    ("repeated_phrase", "要进一步进一步加强监督。", "进一步进一步", "要常常看看，研究研究。"),
    ("unmatched_bracket", "学习《廉政读本的情况。", "《", "学习《廉政读本》的情况。"),
    ("mixed_punct", "坚持严的基调,持续推进。", ",", "处置1,080件，立案369件。"),
    ("date_format", "时间为2024年07月05日。", "2024年07月05日", "时间为2024年7月5日。"),
    ("formulation", "给予政纪处分2人。", "政纪处分", "给予政务处分2人。"),
]


def _findings(tmp_path: Path, text: str, rule: str) -> list[str]:
    path = tmp_path / "r.txt"
    path.write_text("上半年，全县工作情况如下。\n" + text + "\n", encoding="utf-8")
    findings = run(read(path), ("audit",), {"audit": {"only": [rule]}}).findings
    return [f.text for f in findings]


@pytest.mark.parametrize(("rule", "slip", "reported", "clean"), CASES, ids=[c[0] for c in CASES])
def test_rule_reports_the_slip_and_spares_the_clean_text(
    tmp_path: Path, rule: str, slip: str, reported: str, clean: str
) -> None:
    assert _findings(tmp_path, slip, rule) == [reported]
    assert _findings(tmp_path, clean, rule) == []


def test_heading_rules(tmp_path: Path) -> None:
    text = "一、工作情况\n（一）、政治监督。正文。\n（二）审查调查。正文。\n（四）作风建设。正文。"
    assert _findings(tmp_path, text, "heading_punct") == ["（一）、"]
    assert _findings(tmp_path, text, "heading_sequence") == ["（四）"]
    good = "一、工作情况\n（一）政治监督。正文。\n（二）审查调查。正文。\n（三）作风建设。正文。"
    assert _findings(tmp_path, good, "heading_sequence") == []
    assert _findings(tmp_path, good, "heading_punct") == []


def test_enumeration_rule(tmp_path: Path) -> None:
    assert _findings(
        tmp_path, "二、存在的问题\n一是能力不足。三是作风不实。", "enumeration_sequence"
    ) == ["三是"]
    assert (
        _findings(tmp_path, "二、存在的问题\n一是能力不足。二是作风不实。", "enumeration_sequence")
        == []
    )


def test_announced_count_rule(tmp_path: Path) -> None:
    notice = "关于3起违规吃喝典型问题的通报\n各单位：\n1.甲某问题。正文。\n2.乙某问题。正文。\n"
    path = tmp_path / "n.txt"
    path.write_text(notice, encoding="utf-8")
    findings = run(read(path), ("audit",), {"audit": {"only": ["announced_count"]}}).findings
    assert [(f.text, f.expected) for f in findings] == [("3起", "2起")]
