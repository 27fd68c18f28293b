"""The stage contract: stages declare needs and fields; configuration is merged and checked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import jjnlp
from jjnlp.errors import ConfigError
from jjnlp.model import Document
from jjnlp.pipeline import ORDER, Pipeline, get_stage, resolve, run

RATE = "上半年，全县立案72件，结案54件，结案率80%。\n"
OVERLAP = "上半年，全县给予党纪政务处分40人，其中党纪处分36人、政务处分9人。\n"
NOTICE = textwrap.dedent(
    """\
    关于3起违反中央八项规定精神典型问题的通报
    各乡镇纪委：
    现将3起典型问题通报如下。
    1.青石镇财政所所长张某某违规收受礼品礼金问题。2023年春节期间，张某某收受礼金0.6万元。张某某受到党内警告处分。
    2.青石镇农业站站长李某违规吃喝问题。2023年5月，李某接受宴请。李某受到诫勉。
    3.青石镇城建办主任王某某违规操办婚礼问题。2023年8月，王某某违规操办婚礼。王某某受到党内警告处分。
    一、工作要求
    各级党组织要引以为戒。
    中共青山县纪律检查委员会
    2024年1月10日
    """
)


def _findings(text: str, config: dict | None = None) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    analysis = run(Document.from_text(text), ("audit",), config)
    return [(f.rule, f.expected) for f in analysis.findings]


def test_a_partial_rule_config_in_a_fresh_process_finds_what_the_defaults_find() -> None:
    code = (
        "from jjnlp.model import Document; from jjnlp.pipeline import run\n"
        f"doc = Document.from_text({RATE!r})\n"
        "cfg = {'audit': {'rules': {'rate': {'enabled': True}}}}\n"
        "print([(f.rule, f.expected) for f in run(doc, config=cfg).findings])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[('rate', '75.0%')]"
    assert _findings(RATE) == [("rate", "75.0%")]


def test_a_partial_config_keeps_the_other_defaults() -> None:
    # overlapping 党纪/政务处分 is a default option of part_whole: naming the rule keeps it
    assert _findings(OVERLAP, {"audit": {"rules": {"part_whole": {"enabled": True}}}}) == []


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"audit": {"rules": {"rate": {"denominators": "立案"}}}}, "audit.rules.rate.denominators"),
        ({"audit": {"rules": {"rate": {"enabeld": True}}}}, "audit.rules.rate.enabeld"),
        ({"audit": {"rules": {"telepathy": {}}}}, "audit.rules.telepathy"),
        ({"audit": {"rules": {"rate": {"enabled": "yes"}}}}, "audit.rules.rate.enabled"),
        ({"audit": {"min_severity": "fatal"}}, "audit.min_severity"),
        ({"audit": {"only": ["telepathy"]}}, "telepathy"),
        ({"problems": {"backend": "oracle"}}, "problems.backend"),
        ({"audt": {}}, "audt"),
    ],
)
def test_a_wrong_type_or_unknown_key_is_a_config_error_naming_it(config: dict, named: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=named.replace(".", r"\.").replace("[", r"\[")):
        run(Document.from_text(RATE), ("audit",), config)


def test_options_take_their_declared_types() -> None:
    nlp = Pipeline(("audit",), {"audit": {"rules": {"shares_total": {"per_item": 0.2}}}})
    assert nlp.sections["audit"]["rules"]["shares_total"]["per_item"] == Decimal("0.2")
    denominators = {"结案率": "信访举报"}
    nlp = Pipeline(("audit",), {"audit": {"rules": {"rate": {"denominators": denominators}}}})
    assert nlp.sections["audit"]["rules"]["rate"]["denominators"] == denominators
    text = "上半年，全县受理信访举报60件，立案72件，结案54件，结案率90%。\n"
    assert nlp(Document.from_text(text)).findings == []


def test_stages_declare_requirements_and_fields() -> None:
    assert resolve(("audit",)) == ("structure", "metrics", "cases", "audit")
    assert get_stage("metrics").assigns == ("metrics", "terms", "tables")
    assert all(get_stage(name).name == name for name in ORDER)


def test_cases_and_audit_agree_on_the_listed_count() -> None:
    analysis = run(Document.from_text(NOTICE), ("audit",))
    assert analysis.cases is not None and len(analysis.cases.cases) == 3
    assert [f.rule for f in analysis.findings if f.rule == "announced_count"] == []
    short = NOTICE.replace("关于3起", "关于4起")
    analysis = run(Document.from_text(short), ("audit",))
    counted = [
        (f.text, f.expected, f.message) for f in analysis.findings if f.rule == "announced_count"
    ]
    assert counted == [("4起", "3起", "标题称4起，正文列出3起")]


def test_analyze_text_needs_no_file() -> None:
    analysis = jjnlp.analyze_text(RATE, ("audit",), path="报告.txt")
    assert analysis.document.path == "报告.txt"
    assert [f.expected for f in analysis.findings] == ["75.0%"]


def test_extract_takes_stages_and_a_config_file(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(RATE, encoding="utf-8")
    config = tmp_path / "my.toml"
    config.write_text('[audit.rules.rate]\ndenominators = { "结案率" = "结案" }\n', "utf-8")
    command = [sys.executable, "-m", "jjnlp", "extract", str(report), "--stages"]
    result = subprocess.run(
        [*command, "structure,metrics,audit", "--config", str(config)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)["files"][0]
    assert payload["stages"] == ["structure", "metrics", "cases", "audit"]
    assert [f["expected"] for f in payload["findings"]] == ["100.0%"]  # 54÷54 under that config
    config.write_text("[audit.rules.rate]\ndenominator = 1\n", "utf-8")
    result = subprocess.run(
        [*command, "structure,metrics,audit", "--config", str(config)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "audit.rules.rate.denominator" in result.stderr and "my.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_analysis_and_its_batch_record_pickle_as_their_classes_and_field_values() -> None:
    """What a worker sends back pickles field by field (``Pickled``) and comes back equal."""
    import dataclasses
    import pickle

    from jjnlp.batch.records import from_analysis
    from jjnlp.model import Metric, Pickled

    analysis = jjnlp.analyze_text(RATE, ("metrics", "cases", "audit"), path="报告.txt")
    record = from_analysis(analysis, "报告.txt", "0" * 64)
    assert analysis.metrics and record.figures and record.findings
    for value in (analysis, record):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value
    metric = analysis.metrics[0]
    kind, values = metric.__reduce__()
    assert kind is Metric and isinstance(metric, Pickled)
    assert values == tuple(getattr(metric, f.name) for f in dataclasses.fields(metric))
