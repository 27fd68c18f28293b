"""Case notices: cases split from their headings, facts and outcome read for the main person."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from jjnlp.cases import extract_cases
from jjnlp.evaluate.cases import _amounts_match, _post
from jjnlp.metrics import extract_metrics
from jjnlp.model import Amount, CaseNotice, Person
from jjnlp.readers import read
from jjnlp.structure import parse_outline

NOTICE = """关于2起违规收送礼品礼金典型问题的通报
各单位：
现将有关问题通报如下。
1.东湖区水务局原副局长钱某某违规收受礼金和购物卡问题。2022年至2023年，钱某某收受服务对象所送礼金共计2.4万元、购物卡6张（面值共计3000元）。钱某某受到留党察看二年、政务撤职处分，违纪所得被收缴；该局局长孙某被予以诫勉。
2.东湖区白杨镇党委委员、副镇长郑某违规操办婚宴问题。2023年5月，郑某为其子操办婚宴12桌，收受礼金1.6万元。郑某受到党内警告处分，涉嫌违法问题移送检察机关。
东湖区纪委监委
2024年6月3日
"""


def _notice(tmp_path: Path, text: str) -> CaseNotice | None:
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8")
    document = read(path)
    outline = parse_outline(document)
    return extract_cases(document, outline, extract_metrics(document, outline)[0])


def test_cases_fields_for_the_main_person(tmp_path: Path) -> None:
    notice = _notice(tmp_path, NOTICE)
    assert notice is not None and notice.announced == 2 and len(notice.cases) == 2
    first, second = notice.cases
    assert (first.person, first.position, first.unit) == ("钱某某", "原副局长", "东湖区水务局")
    assert first.category == "违规收送名贵特产和礼品礼金" and first.discipline == "廉洁纪律"
    assert [(a.text, a.value) for a in first.amounts] == [
        ("2.4万元", Decimal("24000")),
        ("3000元", Decimal("3000")),
    ]
    assert first.goods == ("购物卡6张",)
    # the 局长 the facts name has his own outcome, not the main person's
    assert [p.name for p in first.people] == ["钱某某", "孙某"]
    assert first.people[1].treatments == ("诫勉",) and first.people[1].position == "局长"
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
    amount = notice["cases"][0]["amounts"][0]  # located, with the exact value in 元
    assert (amount["text"], amount["value"]) == ("2.17万元", "21700.00")
    assert notice["cases"][0]["people"][0]["name"] == "潘某某"
    assert notice["announced"]["value"] == 3


# 一、 case headings on their own lines, the facts in the next paragraph; two people in one case
NOTICE_ONE = """中共江岸县纪委关于三起违反中央八项规定精神典型问题的通报
各乡镇党委，县直各单位：
现将近期查处的三起典型问题通报如下。
一、江岸县水利局局长孟某某、副局长葛某某违规公款吃喝问题
2023年9月至12月，孟某某、葛某某先后4次以工作调研为名在私人餐馆组织公款宴请，共计花费1.52万元，另饮用单位存放的白酒9瓶。2024年3月，孟某某受到党内严重警告、政务记大过处分，葛某某受到政务记过处分，违规费用已全部追缴。
二、江岸县第三小学原校长童某某违规发放津贴补贴问题
2022年3月至2023年8月，童某某以“课后服务补助”名义，违规向教职工发放津贴补贴共计8.75万元，其中本人领取3600元。2024年4月，童某某受到党内警告处分，被调整职务，其他参与人员受到批评教育。
三、江岸县柳河镇党委委员钟某违规收受礼金问题
2024年春节前，钟某收受辖区企业负责人所送礼金6000元、茶叶4盒。2024年5月，钟某受到党内警告处分，违纪所得已被收缴。
四、工作要求
各级党组织要以案为鉴，引以为戒。
江岸县纪委监委
2024年6月18日
"""


def test_chinese_numbered_cases_with_two_people(tmp_path: Path) -> None:
    notice = _notice(tmp_path, NOTICE_ONE)
    assert notice is not None and notice.announced == 3
    assert [c.number for c in notice.cases] == ["一", "二", "三"]  # 四、工作要求 is no case
    first, second, third = notice.cases
    assert first.people == (
        Person("孟某某", "局长", "江岸县水利局", "严重警告", "记大过"),
        Person("葛某某", "副局长", "江岸县水利局", None, "记过"),
    )
    assert (first.person, first.party_sanction, first.admin_sanction) == (
        "孟某某",
        "严重警告",
        "记大过",
    )
    assert first.amounts == (Amount("1.52万元", Decimal("15200"), *_at(NOTICE_ONE, "1.52万元")),)
    assert first.amounts[0].value == Decimal("15200") and first.goods == ("白酒9瓶",)
    assert first.category == "违规吃喝" and first.form == 2 and first.recovered
    # 津贴补贴 wording reaches the official category; 其他参与人员 are not the 校长
    assert second.category == "违规发放津补贴或福利" and second.discipline == "廉洁纪律"
    assert [a.value for a in second.amounts] == [Decimal("87500"), Decimal("3600")]
    assert second.treatments == ("调整职务",) and second.party_sanction == "警告"
    assert second.people == (
        Person("童某某", "原校长", "江岸县第三小学", "警告", None, ("调整职务",)),
    )
    assert third.goods == ("茶叶4盒",) and [a.text for a in third.amounts] == ["6000元"]
    assert third.category == "违规收送名贵特产和礼品礼金" and third.end < NOTICE_ONE.index("四、")


def _at(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


# cases under 一、典型问题情况 at level 2, headline and facts on one line; a closing section
NOTICE_BRACKETS = """关于两起形式主义官僚主义典型问题的通报
各单位：
一、典型问题情况
（一）江岸县住房和城乡建设局城建股股长施某某履职不力问题。2023年，施某某对群众反映的小区排水问题未按要求处置。2024年2月，施某某受到政务警告处分。
（二）江岸县教育局办公室主任甘某某督查检查考核过多过频问题。2023年，甘某某要求各校每周报送台账。2024年3月，甘某某受到诫勉处理。
二、工作要求
各级党组织要切实减轻基层负担。
江岸县纪委监委
2024年6月18日
"""

# （1） case numbers; a second person only the facts name, with an outcome of their own
NOTICE_PARENS = """关于两起违规使用公车典型问题的通报
各单位：
（1）江岸县林业站站长黎某某公车私用问题。2023年，黎某某多次驾驶公务用车办理私事，产生费用3200元。黎某某受到党内警告处分；该站副站长符某某监管不力，被予以批评教育。
（2）江岸县农机站原站长骆某违规配备使用公务用车问题。2022年，骆某违规占用下属单位车辆，产生费用1.1万元。骆某受到政务记过处分，相关费用已由其本人退赔。
江岸县纪委监委
2024年6月18日
"""


def test_bracketed_case_layouts(tmp_path: Path) -> None:
    brackets = _notice(tmp_path, NOTICE_BRACKETS)
    assert brackets is not None
    assert [(c.number, c.person) for c in brackets.cases] == [("一", "施某某"), ("二", "甘某某")]
    first, second = brackets.cases
    assert first.category == "形式主义官僚主义-不担当不作为" and first.admin_sanction == "警告"
    assert first.discipline == "工作纪律" and first.form == 2
    assert second.category == "形式主义官僚主义-文山会海" and second.treatments == ("诫勉",)
    parens = _notice(tmp_path, NOTICE_PARENS)
    assert parens is not None and [c.number for c in parens.cases] == ["1", "2"]
    one, two = parens.cases
    assert one.category == two.category == "违规配备使用公务用车"
    assert one.people == (
        Person("黎某某", "站长", "江岸县林业站", "警告"),
        Person("符某某", "副站长", None, treatments=("批评教育",)),
    )
    assert one.treatments == () and [a.value for a in one.amounts] == [Decimal("3200")]
    assert two.admin_sanction == "记过" and two.recovered and two.position == "原站长"


# unnumbered case headings: a short line of its own that ends in 问题 and names a masked person
NOTICE_UNNUMBERED = """关于两起违规操办婚丧喜庆典型问题的通报
各单位：
现将有关问题通报如下。
江岸县交通局科长舒某某违规操办婚宴问题
2023年10月，舒某某为其女操办婚宴20桌，收受管理服务对象礼金1.8万元。舒某某受到党内警告处分，违规收受的礼金已被收缴。
江岸县城郊乡副乡长鲍某违规操办丧事问题
2024年1月，鲍某为其父操办丧事，收受下属礼金8600元。鲍某受到党内严重警告处分。
上述问题中，有的大操大办，有的借机敛财。
江岸县纪委监委
2024年6月18日
"""


def test_unnumbered_case_headings(tmp_path: Path) -> None:
    notice = _notice(tmp_path, NOTICE_UNNUMBERED)
    assert notice is not None and len(notice.cases) == 2
    first, second = notice.cases
    assert (first.number, first.person, first.position) == ("1", "舒某某", "科长")
    assert first.category == second.category == "违规操办婚丧喜庆"
    assert [a.value for a in first.amounts] == [Decimal("18000")] and first.recovered
    assert (second.person, second.party_sanction) == ("鲍某", "严重警告")
    assert second.end <= NOTICE_UNNUMBERED.index("上述问题")  # the summing-up is no case's


def test_harness_reads_positions_and_goods_alike() -> None:
    assert _post("原党组成员、副局长") == _post("党组成员、副局长") == "党组成员、副局长"
    from jjnlp.model import Case

    case = Case(
        "1", 0, 1, "", None, None, None, None, None, None,
        amounts=(Amount("3.6万元", Decimal("36000"), 0, 1),),
        goods=("36瓶白酒",),
    )  # fmt: skip
    assert _amounts_match(["36瓶", "3.6万元"], case)
    assert _amounts_match(["3.6万元", "36瓶白酒"], case)
    assert not _amounts_match(["3.6万元"], case)


def test_unnumbered_headline_as_first_sentence(tmp_path: Path) -> None:
    """A bold headline opening the paragraph (Word), the facts after it on the same line."""
    inline = NOTICE_UNNUMBERED.replace("问题\n2023年10月", "问题。2023年10月").replace(
        "问题\n2024年1月", "问题。2024年1月"
    )
    notice = _notice(tmp_path, inline)
    assert notice is not None
    assert [(c.person, c.headline) for c in notice.cases] == [
        ("舒某某", "江岸县交通局科长舒某某违规操办婚宴问题"),
        ("鲍某", "江岸县城郊乡副乡长鲍某违规操办丧事问题"),
    ]
    assert [a.value for a in notice.cases[1].amounts] == [Decimal("8600")]
