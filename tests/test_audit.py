"""The consistency audit: exact arithmetic, no false alarms, findings people can act on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jjnlp.config import read_toml
from jjnlp.errors import ConfigError
from jjnlp.model import Finding
from jjnlp.pipeline import Pipeline, run
from jjnlp.readers import read


def _audit(path: Path, config: dict | None = None) -> tuple[list[Finding], dict[str, int]]:  # type: ignore[type-arg]
    analysis = run(read(path), ("audit",), {"audit": config or {}})
    return analysis.findings, dict(analysis.coverage)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_has_no_figure_errors(seed_path: Path) -> None:
    findings, coverage = _audit(seed_path)
    assert [(f.rule, f.severity, f.text) for f in findings] == [
        ("period_shorter", "info", "2023年1-4月"),
        ("repeated_phrase", "warning", "明察暗访明察暗访"),
    ]
    assert coverage["checked_by_rate"] == 3 and coverage["checked_by_share"] == 3
    assert coverage["figures_found"] == 39 and coverage["figures_checked"] >= 6


def test_seed_with_three_slips_gets_exactly_three_errors(seed_path: Path, tmp_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    text = text.replace("结案率75%", "结案率80%").replace("占比38.4%", "占比36.4%")
    text = text.replace("现已整改66个", "现已整改116个")
    findings, _ = _audit(_write(tmp_path, text))
    errors = [(f.rule, f.text, f.expected, f.message) for f in findings if f.severity == "error"]
    assert errors == [
        ("rate", "80%", "75.0%", "结案率应为75.0%（结案54件÷立案72件），文中为80%"),
        (
            "share",
            "36.4%",
            "38.4%",
            "占比应为38.4%（第一种形态33人÷四种形态86人；分母为该项所属的总数），文中为36.4%",
        ),
        ("done_le_found", "116个", "≤111个", "完成数（整改116个）超过发现数（发现问题111个）"),
    ]
    rate = next(f for f in findings if f.rule == "rate")
    loaded = read(tmp_path / "r.txt")
    assert [loaded.text[e.start : e.end] for e in rate.evidence] == ["54件", "72件"]


# texts with nothing wrong, and how many figures the rate rules check in them
CLEAN = {
    # 结案率 above 100%, 处分 parts that overlap, reduplication: allowed in this domain
    "domain-allowances": (
        "上半年，全县受理信访举报120件，处置问题线索168件；立案40件，结案45件，结案率112.5%；"
        "给予党纪政务处分40人，其中党纪处分36人、政务处分9人。常常看看，研究研究。\n",
        3,
    ),
    # 较上年的426件 is last year's 立案: 结案率94.9% = 461÷486, and no duplicate 立案
    "last-years-base": (
        "2024年，全市受理信访举报1862件次，较2023年的2031件次下降8.3%。"
        "全市立案486件，较上年的426件增长14.1%；结案461件，结案率94.9%。\n",
        3,
    ),
}


@pytest.mark.parametrize(("text", "checked"), CLEAN.values(), ids=CLEAN.keys())
def test_clean_texts_get_no_findings(tmp_path: Path, text: str, checked: int) -> None:
    findings, coverage = _audit(_write(tmp_path, text))
    assert findings == []
    assert coverage["checked_by_rate"] == checked


def test_a_base_named_with_jiao_has_its_own_period(tmp_path: Path) -> None:
    path = _write(tmp_path, CLEAN["last-years-base"][0])
    metrics = run(read(path), ("structure", "metrics")).metrics
    periods = {m.text: m.period.text if m.period else None for m in metrics}
    assert (periods["2031件次"], periods["426件"]) == ("2023年", "上年")
    assert periods["486件"] == periods["1862件次"] == "2024年"


def test_change_against_a_named_base_is_checked(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "2024年，全市立案486件，较上年的426件增长15.1%；"
        "受理信访举报1862件次，较2023年的2031件次下降8.3%。\n",
    )
    findings, _ = _audit(path)
    assert [(f.rule, f.text, f.expected) for f in findings] == [("yoy", "15.1%", "14.1%")]
    assert "(486件−426件)÷426件" in findings[0].message


def test_closure_rate_denominator_is_configurable(tmp_path: Path) -> None:
    path = _write(tmp_path, "上半年，全县受理信访举报50件，立案40件，结案30件，结案率60.0%。\n")
    assert [f.expected for f in _audit(path)[0]] == ["75.0%"]
    config = {"rules": {"rate": {"denominators": {"结案率": "信访举报"}}}}
    assert _audit(path, config)[0] == []


def test_fingerprint_survives_edits_elsewhere(tmp_path: Path) -> None:
    body = "上半年，全县立案72件，结案54件，结案率80%。\n"
    first = _audit(_write(tmp_path, body))[0][0]
    second = _audit(_write(tmp_path, "新增一段说明文字。\n" + body))[0][0]
    assert first.start != second.start and first.fingerprint == second.fingerprint


def test_rounded_shares_within_tolerance_pass(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "运用“四种形态”处理1005人次，其中第一种形态663人次，占66.0%；第二种形态262人次，"
        "占26.1%；第三种形态35人次，占3.5%；第四种形态45人次，占4.5%。\n",
    )
    assert _audit(path)[0] == []


def test_malformed_config_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "audit.toml"
    bad.write_text("[audit.rules.rate\nenabled = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"audit\.toml"):
        read_toml(str(bad))
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[audit.rules.telepathy]\nenabled = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="telepathy"):
        Pipeline(("audit",), read_toml(str(unknown)), str(unknown))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", "audit", *args], capture_output=True, text=True
    )


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    bad = _write(tmp_path, "上半年，全县立案72件，结案54件，结案率80%。\n")
    result = _cli(str(bad), "--format", "json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["schema"] == "jjnlp.audit/2"
    finding = payload["files"][0]["findings"][0]
    assert (finding["rule"], finding["expected"], finding["line"]) == ("rate", "75.0%", 1)
    assert [e["text"] for e in finding["evidence"]] == ["54件", "72件"]
    clean = tmp_path / "clean.txt"
    clean.write_text("上半年，全县立案72件，结案54件，结案率75%。\n", encoding="utf-8")
    assert _cli(str(clean)).returncode == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    mixed = _cli(str(empty), str(clean))
    assert mixed.returncode == 2 and "empty.txt" in mixed.stderr
    assert "共识别数字3个，已核对3个" in mixed.stdout
    assert "Traceback" not in mixed.stderr


def test_cli_severity_and_rule_filters(seed_path: Path) -> None:
    only_errors = _cli(str(seed_path), "--severity", "error")
    assert only_errors.returncode == 0 and "repeated_phrase" not in only_errors.stdout
    only_repeat = _cli(str(seed_path), "--rules", "repeated_phrase")
    assert "明察暗访" in only_repeat.stdout and "period_shorter" not in only_repeat.stdout
    assert _cli(str(seed_path), "--rules", "nonsense").returncode == 2
