"""The commands on real files: batches survive bad input, JSON offsets point into the text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpora" / "docs" / "wr_02_linjiang_2024q1.txt"


def _jjnlp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jjnlp", *args], capture_output=True, text=True)


def test_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.docx"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    result = _jjnlp("text", str(empty), str(REPORT), str(binary), str(tmp_path / "gone.pdf"))
    assert result.returncode == 2
    assert result.stdout.startswith("临江市纪委监委2024年一季度工作情况汇报\n")
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert errors[0].startswith("错误：[E102]") and "empty.txt" in errors[0]
    assert "文件为空" in errors[0]
    assert "[E103]" in errors[1] and "scan.docx" in errors[1]
    assert "[E101]" in errors[2] and "gone.pdf" in errors[2]
    assert "Traceback" not in result.stderr


def test_extract_json_spans_point_into_text() -> None:
    result = _jjnlp("extract", str(REPORT))
    assert result.returncode == 0, result.stderr
    envelope = json.loads(result.stdout)
    assert envelope["schema"] == "jjnlp.document/2"
    payload = envelope["files"][0]
    assert payload["stages"] == ["structure", "metrics", "entities", "cases", "problems"]
    assert payload["cases"] is None  # a work report has no cases
    entities = {(e["label"], e["text"]) for e in payload["entities"]}
    assert {("ORG", "市纪委监委"), ("DATE", "一季度")} <= entities
    assert all(payload["text"][e["start"] : e["end"]] == e["text"] for e in payload["entities"])
    assert [p["labels"][0] for p in payload["problems"]] == ["派驻监督效能", "制度机制建设"]
    text = payload["text"]
    outline = payload["outline"]
    assert text[outline["addressee"]["start"] : outline["addressee"]["end"]] == "市委"
    assert outline["issued_on"] == "2024-04-10"
    first = outline["sections"][0]
    assert text[first["heading"]["start"] : first["heading"]["end"]] == "一、工作开展情况"
    block = payload["blocks"][4]
    assert text[block["start"] : block["end"]].startswith("（一）政治监督工作情况。")
    assert "\\u" not in result.stdout
    rate = next(m for m in payload["metrics"] if m["text"] == "12.2%")
    assert text[rate["start"] : rate["end"]] == "12.2%"
    assert (rate["indicator"], rate["value"], rate["decimals"]) == ("同比增长", "12.2", 1)
    current = payload["metrics"][rate["relations"][0]["target"]]
    assert (current["text"], current["indicator"]) == ("138件", "立案")


def test_extract_unknown_stage_is_a_usage_error() -> None:
    result = _jjnlp("extract", str(REPORT), "--stages", "structure,telepathy")
    assert result.returncode == 2
    assert "telepathy" in result.stderr and "Traceback" not in result.stderr


def test_eval_prints_heading_scores() -> None:
    result = _jjnlp("eval", str(ROOT / "corpora" / "gold"), "--tasks", "headings")
    assert result.returncode == 0, result.stderr
    assert "== headings" in result.stdout
    micro = next(line for line in result.stdout.splitlines() if "(micro)" in line)
    assert float(micro.split()[3]) >= 0.98


def test_eval_missing_gold_dir_is_reported(tmp_path: Path) -> None:
    result = _jjnlp("eval", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "金标准目录不存在" in result.stderr
