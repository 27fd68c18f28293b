"""Case notices: cases split from their headings, facts and outcome read for the main person."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jjnlp.cases import extract_cases
from jjnlp.metrics import extract_metrics
from jjnlp.readers import load
from jjnlp.structure import parse_outline

NOTICE = """关于2起违规收送礼品礼金典型问题的通报
各单位：
现将有关问题通报如下。
1.东湖区水务局原副局长钱某某违规收受礼金和购物卡问题。2022年至2023年，钱某某收受服务对象所送礼金共计2.4万元、购物卡6张（面值共计3000元）。钱某某受到留党察看二年、政务撤职处分，违纪所得被收缴；该局局长孙某被予以诫勉。
2.东湖区白杨镇党委委员、副镇长郑某违规操办婚宴问题。2023年5月，郑某为其子操办婚宴12桌，收受礼金1.6万元。郑某受到党内警告处分，涉嫌违法问题移送检察机关。
东湖区纪委监委
2024年6月3日
"""


def _notice(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8")
    document = load(path)
    outline = parse_outline(document)
    return extract_cases(document, outline, extract_metrics(document, outline)[0])


def test_cases_fields_for_the_main_person(tmp_path: Path) -> None:
    notice = _notice(tmp_path, NOTICE)
    assert notice is not None and notice.announced == 2 and len(notice.cases) == 2
    first, second = notice.cases
    assert (first.person, first.position, first.unit) == ("钱某某", "原副局长", "东湖区水务局")
    assert first.category == "违规收送名贵特产和礼品礼金" and first.discipline == "廉洁纪律"
    assert first.amounts == ("2.4万元", "6张", "3000元")
    assert (first.party_sanction, first.admin_sanction) == ("留党察看二年", "撤职")
    assert first.treatments == () and first.recovered and first.form == 3  # 诫勉 is the 局长's
    assert (second.person, second.position, second.unit) == (
        "郑某",
        "党委委员、副镇长",
        "东湖区白杨镇",
    )
    assert second.category == "违规操办婚丧喜庆"
    assert second.transferred and second.form == 4 and second.party_sanction == "警告"


def test_work_report_has_no_cases(tmp_path: Path) -> None:
    assert _notice(tmp_path, "县委：\n一、工作情况\n立案12件。\n") is None


def test_cases_cli_json() -> None:
    path = Path(__file__).resolve().parent.parent / "corpora" / "docs" / "cn_04_yunzhou_chihe.txt"
    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "cases", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(result.stdout)
    assert payload["schema"] == "jjnlp.cases/2"
    notice = payload["files"][0]
    assert [c["person"] for c in notice["cases"]] == ["潘某某", "严某", "孔某某"]
    assert notice["cases"][0]["treatments"] == ["免职"]
    assert notice["announced"]["value"] == 3
