"""findings.xlsx: every finding, figure and file in its sheet, the review drop-down, and the
reviews a reviewer typed read back by header, whatever columns they added."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jjnlp.batch.model import Batch, DocRecord, Figure, Finding, Identity
from jjnlp.errors import BatchInputError
from jjnlp.render.xlsx import read_reviews, write_xlsx

Q1 = "2024年一季度"
EAST = f"{Q1}/东城区纪委监委2024年一季度工作报告.docx"
WEST = f"{Q1}/西城区纪委监委2024年一季度工作报告.pdf"
SOUTH = f"{Q1}/南山区纪委监委2024年一季度工作报告.pdf"

S_CLUES = "一季度，全区纪检监察机关共处置问题线索156件，同比增长12.5%。"
S_LOSS = "通过查办案件为群众挽回经济损失1872.6万元。"
S_RATE = "受理案件109件，审结89件，审结率为82.6%。"
S_SHARE = "其中涉及基层干部的问题线索占三分之二。"
S_WEST = "共处置问题线索98件，其中谈话函询41件、初步核实35件、立案20件。"


def _figure(
    indicator: str,
    value: str | Decimal,
    unit: str,
    stated: str,
    text: str,
    sentence: str,
    kind: str,
    scope: str | None = None,
) -> Figure:
    start = sentence.index(text)
    exact = Decimal(value) if isinstance(value, str) else value
    return Figure(
        indicator, exact, unit, stated, text, sentence, start, start + len(text),
        None, None, None, scope, kind,
    )  # fmt: skip


RATE = Finding(
    file=EAST, rule="arithmetic.rate", severity="error",
    message="审结率与审结数、受理数不符：89÷109=81.7%",
    text="82.6%", sentence=S_RATE, start=17, end=22, line=9, page=2, paragraph=7,
    stated="82.6%", expected="81.7%", fingerprint="3f9a1c0e7b2d4a61", indicator="审结率",
)  # fmt: skip
GROWTH = Finding(
    file=EAST, rule="coherence.growth", severity="warning",
    message="同比增长率无法由去年同期数核对", text="12.5%", sentence=S_CLUES,
    start=27, end=32, line=4, page=1, paragraph=3, stated="12.5%", expected=None,
    fingerprint="8e21d7b04c5f9a33", status="unchanged", review="确认", note="已与承办部门核实",
)  # fmt: skip
SUM = Finding(
    file=WEST, rule="tables.sum", severity="error",
    message="分项之和与合计不符：41+35+20=96件，合计写作98件", text="98件", sentence=S_WEST,
    start=8, end=11, line=3, page=None, paragraph=2, stated="98件", expected="96件",
    fingerprint="5b7d0a9e3c1f2468", status="updated",
)  # fmt: skip
GONE = Finding(
    file=WEST, rule="text.period", severity="warning", message="期间写法不一致",
    text="一季度", sentence="一季度工作情况", start=0, end=3, line=1, page=None, paragraph=1,
    stated=None, expected=None, fingerprint="d4c3b2a190e8f7a6", status="absent",
)  # fmt: skip
CROSS = Finding(
    file=EAST, rule="cross.parent_total", severity="warning",
    message="东城区与西城区处置问题线索之和254件大于临川市本级通报的240件",
    text="156件", sentence=S_CLUES, start=21, end=25, line=4, page=1, paragraph=3,
    stated="156件", expected=None, fingerprint="c0ffee0123456789", scope="cross",
    indicator="处置问题线索", other_files=(WEST, f"{Q1}/临川市纪委监委2024年一季度通报.docx"),
)  # fmt: skip


def _batch() -> Batch:
    east = DocRecord(
        file=EAST, path=f"/data/{EAST}", sha256="a" * 64, format="docx",
        identity=Identity(unit="东城区", level="区", parent="临川市", kind="work_report",
                          period=Q1, issuer="临川市东城区纪委监委"),
        figures=(
            _figure("处置问题线索", "156", "件", "件", "156件", S_CLUES, "count", "全区"),
            _figure("挽回经济损失", "18726000", "元", "万元", "1872.6万元", S_LOSS, "money"),
            _figure("审结率", "82.6", "%", "%", "82.6%", S_RATE, "percent"),
        ),
        findings=(RATE, GROWTH),
        coverage={"figures_found": 3, "figures_checked": 2},
    )  # fmt: skip
    west = DocRecord(
        file=WEST, path=f"/data/{WEST}", sha256="b" * 64, format="pdf",
        identity=Identity(unit="西城区", level="区", parent="临川市", kind="work_report",
                          period=Q1),
        figures=(
            _figure("处置问题线索", "98", "件", "件", "98件", S_WEST, "count"),
            _figure("占比", Decimal(2) / Decimal(3), "ratio", "分之", "三分之二", S_SHARE,
                    "ratio"),
        ),
        findings=(SUM,),
        coverage={"figures_found": 2, "figures_checked": 1},
    )  # fmt: skip
    south = DocRecord(
        file=SOUTH, path=f"/data/{SOUTH}", sha256="c" * 64, format="pdf",
        error={"code": "E107", "message": "是扫描件，没有文字层；请先做文字识别（OCR）"},
    )  # fmt: skip
    return Batch(
        documents=[east, west, south],
        skipped=[(f"{Q1}/汇总表.xls", "不支持的格式")],
        cross=[CROSS],
        absent=[GONE],
        version="0.1.0",
    )


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "findings.xlsx"
    write_xlsx(_batch(), path)
    return path


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    return [tuple(r) for r in workbook[sheet].iter_rows(values_only=True)]


def test_workbook_has_the_four_sheets_in_order(written: Path) -> None:
    assert openpyxl.load_workbook(written).sheetnames == ["审核意见", "跨文件意见", "指标", "文件"]


def test_document_findings_sheet_has_one_row_per_finding_with_its_cells(written: Path) -> None:
    header, *rows = _rows(written, "审核意见")
    assert header == (
        "序号", "文件", "单位", "期间", "页码", "段落", "所在句", "原文", "规则", "级别",
        "意见", "文中值", "应为", "变化", "指纹", "审核状态", "审核说明",
    )  # fmt: skip
    assert rows == [
        (1, EAST, "东城区", Q1, 2, 7, S_RATE, "82.6%", "arithmetic.rate", "错误", RATE.message,
         "82.6%", "81.7%", "新增", "3f9a1c0e7b2d4a61", "待核", None),
        (2, EAST, "东城区", Q1, 1, 3, S_CLUES, "12.5%", "coherence.growth", "警告",
         "同比增长率无法由去年同期数核对", "12.5%", None, "未变", "8e21d7b04c5f9a33", "确认",
         "已与承办部门核实"),
        (3, WEST, "西城区", Q1, None, 2, S_WEST, "98件", "tables.sum", "错误", SUM.message,
         "98件", "96件", "有变化", "5b7d0a9e3c1f2468", "待核", None),
        # a finding of the baseline that this round no longer reports comes last
        (4, WEST, "西城区", Q1, None, 1, "一季度工作情况", "一季度", "text.period", "警告",
         "期间写法不一致", None, None, "已消失", "d4c3b2a190e8f7a6", "待核", None),
    ]  # fmt: skip


def test_cross_findings_sheet_lists_the_other_files(written: Path) -> None:
    header, *rows = _rows(written, "跨文件意见")
    assert header == (
        "序号", "文件", "单位", "期间", "相关文件", "指标", "页码", "段落", "所在句", "原文",
        "规则", "级别", "意见", "文中值", "应为", "变化", "指纹", "审核状态", "审核说明",
    )  # fmt: skip
    assert rows == [
        (1, EAST, "东城区", Q1, f"{WEST}、{Q1}/临川市纪委监委2024年一季度通报.docx",
         "处置问题线索", 1, 3, S_CLUES, "156件", "cross.parent_total", "警告", CROSS.message,
         "156件", None, "新增", "c0ffee0123456789", "待核", None),
    ]  # fmt: skip


def test_metrics_sheet_states_each_value_in_its_stated_unit(written: Path) -> None:
    header, *rows = _rows(written, "指标")
    assert header == (
        "单位",
        "期间",
        "指标",
        "数值",
        "计量单位",
        "原文",
        "范围",
        "来源文件",
        "所在句",
    )
    assert rows == [
        ("东城区", Q1, "处置问题线索", 156, "件", "156件", "全区", EAST, S_CLUES),
        ("东城区", Q1, "挽回经济损失", 1872.6, "万元", "1872.6万元", None, EAST, S_LOSS),
        ("东城区", Q1, "审结率", 82.6, "%", "82.6%", None, EAST, S_RATE),
        ("西城区", Q1, "处置问题线索", 98, "件", "98件", None, WEST, S_WEST),
        # 28 significant digits: no double holds it, so it is the exact text
        ("西城区", Q1, "占比", "0.6666666666666666666666666667", "分之", "三分之二", None,
         WEST, S_SHARE),
    ]  # fmt: skip
    sheet = openpyxl.load_workbook(written)["指标"]
    assert [sheet[f"D{r}"].number_format for r in range(2, 7)] == [
        "0",
        "0.0",
        "0.0",
        "0",
        "General",
    ]
    assert [sheet[f"D{r}"].data_type for r in range(2, 7)] == ["n", "n", "n", "n", "s"]


def test_metrics_sheet_stores_the_decimal_digits_not_a_float_rendering(written: Path) -> None:
    # "%.16g" of the double nearest 82.6 is 82.59999999999999; the file holds 82.6 itself
    with zipfile.ZipFile(written) as package:
        xml = package.read("xl/worksheets/sheet3.xml").decode()
    # the number cells (a text cell has a type: t="s", a shared string's index)
    values = re.findall(r'<c r="D\d+"(?: s="\d+")?><v>([^<]*)</v>', xml)
    assert values == ["156", "1872.6", "82.6", "98"]


def test_every_text_is_stored_once_as_a_shared_string(written: Path) -> None:
    # written row by row, yet a file name on each of its figures' rows and findings is one
    # entry of the shared strings, every sheet's last row's included
    with zipfile.ZipFile(written) as package:
        sheets = [package.read(f"xl/worksheets/sheet{i}.xml").decode() for i in range(1, 5)]
        shared = package.read("xl/sharedStrings.xml").decode()
    assert not any("inlineStr" in xml for xml in sheets)
    texts = re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", shared)
    assert len(texts) == len(set(texts))
    assert {EAST, WEST, SOUTH, S_RATE, "跳过：不支持的格式"} <= set(texts)
    assert sum(xml.count('t="s"') for xml in sheets) > len(texts)


def test_files_sheet_has_one_row_per_document_then_the_skipped_files(written: Path) -> None:
    header, *rows = _rows(written, "文件")
    assert header == (
        "文件", "单位", "级别", "上级", "期间", "类型",
        "识别数字", "已核对", "错误", "警告", "处理结果",
    )  # fmt: skip
    assert rows == [
        # errors and warnings count the cross-document findings anchored in the file too
        (EAST, "东城区", "区", "临川市", Q1, "工作报告", 3, 2, 1, 2, "完成"),
        (WEST, "西城区", "区", "临川市", Q1, "工作报告", 2, 1, 1, 0, "完成"),
        (SOUTH, None, None, None, None, "其他", None, None, None, None,
         "失败（E107）：是扫描件，没有文字层；请先做文字识别（OCR）"),
        (f"{Q1}/汇总表.xls", None, None, None, None, None, None, None, None, None,
         "跳过：不支持的格式"),
    ]  # fmt: skip


def test_review_column_has_the_state_drop_down_over_data_and_spare_rows(written: Path) -> None:
    workbook = openpyxl.load_workbook(written)
    for sheet, column, rows in (("审核意见", "P", 4), ("跨文件意见", "R", 1)):
        (validation,) = workbook[sheet].data_validations.dataValidation
        assert validation.type == "list"
        assert validation.formula1 == '"待核,确认,驳回"'
        assert str(validation.sqref) == f"{column}2:{column}{rows + 1 + 200}"
        assert workbook[sheet][f"{column}1"].value == "审核状态"
    assert not workbook["指标"].data_validations.dataValidation
    assert not workbook["文件"].data_validations.dataValidation


def test_every_sheet_freezes_and_filters_its_header(written: Path) -> None:
    workbook = openpyxl.load_workbook(written)
    refs = {sheet.title: sheet.auto_filter.ref for sheet in workbook}
    assert refs == {"审核意见": "A1:Q5", "跨文件意见": "A1:S2", "指标": "A1:I6", "文件": "A1:K5"}
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold and c.fill.fgColor.rgb == "FFD9E1F2" for c in sheet[1])


def test_column_widths_count_cjk_double_and_wrap_long_text(written: Path) -> None:
    sheet = openpyxl.load_workbook(written)["审核意见"]
    widths = {sheet.cell(1, c).value: sheet.column_dimensions[chr(64 + c)].width
              for c in range(1, 18)}  # fmt: skip
    # 14 ASCII characters and 19 CJK characters in the longest file name, plus 2
    assert widths["文件"] == 14 + 2 * 19 + 2
    assert widths["指纹"] == 12
    assert widths["所在句"] == 60  # capped; the text wraps
    assert widths["意见"] == 49  # the 47 columns of the longest message, plus 2
    assert widths["序号"] == 2 * 2 + 4  # the header is wider than the numbers
    assert sheet["G2"].alignment.wrap_text and sheet["K2"].alignment.wrap_text
    assert not sheet["B2"].alignment.wrap_text


def test_a_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    hostile = Finding(
        file="a.txt", rule="text.x", severity="info", message="=HYPERLINK(\"x\")",
        text="=1+1", sentence="=1+1\x07", start=0, end=4, line=1, page=None, paragraph=1,
        stated=None, expected=None, fingerprint="f0",
    )  # fmt: skip
    path = tmp_path / "findings.xlsx"
    write_xlsx(Batch([DocRecord("a.txt", "a.txt", "0", findings=(hostile,))]), path)
    sheet = openpyxl.load_workbook(path)["审核意见"]
    assert [(sheet[c].value, sheet[c].data_type) for c in ("G2", "H2", "K2")] == [
        ("=1+1", "s"),  # the control character is dropped, the text kept
        ("=1+1", "s"),
        ('=HYPERLINK("x")', "s"),
    ]


def test_reviews_round_trip_through_a_reviewer_edit(written: Path, tmp_path: Path) -> None:
    written_reviews = {
        "3f9a1c0e7b2d4a61": ("待核", ""),
        "8e21d7b04c5f9a33": ("确认", "已与承办部门核实"),
        "5b7d0a9e3c1f2468": ("待核", ""),
        "d4c3b2a190e8f7a6": ("待核", ""),
        "c0ffee0123456789": ("待核", ""),
    }
    assert read_reviews(written) == written_reviews
    workbook = openpyxl.load_workbook(written)
    sheet = workbook["审核意见"]
    sheet["P2"], sheet["Q2"] = "驳回", "审结率按已审结/受理计算，文中无误"
    sheet["P4"] = "同意"  # not one of the states: read as 待核
    workbook["跨文件意见"]["R2"] = "确认"
    sheet["A7"], sheet["B7"] = "备注", "本批由第二审核组复核"  # no fingerprint: ignored
    edited = tmp_path / "reviewed.xlsx"
    workbook.save(edited)
    assert read_reviews(edited) == written_reviews | {
        "3f9a1c0e7b2d4a61": ("驳回", "审结率按已审结/受理计算，文中无误"),
        "c0ffee0123456789": ("确认", ""),
    }


def test_reviews_are_found_by_header_after_a_column_is_inserted(
    written: Path, tmp_path: Path
) -> None:
    workbook = openpyxl.load_workbook(written)
    sheet = workbook["审核意见"]
    sheet.insert_cols(16)  # before 审核状态 (P), which moves to Q
    sheet["P1"], sheet["P2"] = "复核人", "张三"
    sheet["Q3"], sheet["R3"] = "驳回", "增长率口径另有说明"
    edited = tmp_path / "reviewed.xlsx"
    workbook.save(edited)
    reviews = read_reviews(edited)
    assert reviews["3f9a1c0e7b2d4a61"] == ("待核", "")
    assert reviews["8e21d7b04c5f9a33"] == ("驳回", "增长率口径另有说明")
    assert len(reviews) == 5


def test_a_workbook_without_the_finding_sheets_is_a_review_error(tmp_path: Path) -> None:
    path = tmp_path / "其他表格.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(BatchInputError) as caught:
        read_reviews(path)
    assert caught.value.code == "E600"
    assert str(caught.value) == (
        f"[E600] {path}：没有“审核意见”或“跨文件意见”工作表，不是 jjnlp 写出的审核意见表"
    )


def test_a_finding_sheet_without_the_fingerprint_column_is_a_review_error(
    written: Path, tmp_path: Path
) -> None:
    workbook = openpyxl.load_workbook(written)
    workbook["跨文件意见"].delete_cols(17)  # 指纹
    edited = tmp_path / "reviewed.xlsx"
    workbook.save(edited)
    with pytest.raises(BatchInputError, match="工作表“跨文件意见”缺少“指纹”或“审核状态”列"):
        read_reviews(edited)


def test_a_file_that_is_no_workbook_is_a_review_error(tmp_path: Path) -> None:
    path = tmp_path / "findings.xlsx"
    path.write_text("指纹,审核状态\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match=r"无法作为 xlsx 工作簿打开（不是完整的压缩包）"):
        read_reviews(path)
    with pytest.raises(BatchInputError, match="文件不存在"):
        read_reviews(tmp_path / "没有这个文件.xlsx")


def _calc_available() -> bool:
    """soffice is installed with Calc (a Writer-only install cannot open a workbook)."""
    soffice = shutil.which("soffice")
    return soffice is not None and any(
        (Path(soffice).resolve().parent / name).exists() for name in ("libsclo.so", "scalc")
    )


@pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc is not installed")
def test_libreoffice_opens_the_workbook(written: Path, tmp_path: Path) -> None:
    # every sheet to its own CSV, cells as shown (token 9), UTF-8 (76)
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", options, "--outdir", str(tmp_path), str(written)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip

    def sheet(name: str) -> list[list[str]]:
        with (tmp_path / f"findings-{name}.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.reader(f))

    findings = sheet("审核意见")
    assert findings[0][14:17] == ["指纹", "审核状态", "审核说明"]
    assert [row[14] for row in findings[1:]] == [
        "3f9a1c0e7b2d4a61", "8e21d7b04c5f9a33", "5b7d0a9e3c1f2468", "d4c3b2a190e8f7a6",
    ]  # fmt: skip
    assert [row[3] for row in sheet("指标")[1:]] == [
        "156", "1872.6", "82.6", "98", "0.6666666666666666666666666667",
    ]  # fmt: skip
    assert len(sheet("跨文件意见")) == 2 and len(sheet("文件")) == 5


def _contents(path: Path) -> dict[str, tuple[list[tuple[object, ...]], dict[str, float]]]:
    """Each sheet's cell values and column widths."""
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: (
            list(sheet.iter_rows(values_only=True)),
            {k: d.width for k, d in sheet.column_dimensions.items()},
        )
        for sheet in book
    }


def test_the_findings_process_writes_what_write_findings_writes_in_input_order(
    tmp_path: Path,
) -> None:
    from jjnlp.render.findings_process import FindingsProcess, write_findings

    batch = _batch()
    here, there = tmp_path / "here", tmp_path / "process"
    here.mkdir()
    there.mkdir()
    write_findings(batch, here)
    with FindingsProcess(there, [d.file for d in batch.documents]) as findings:
        for record in reversed(batch.documents):  # records come back in any order
            findings.add(record)
        findings.finish(batch)
        findings.wait()
    names = ["findings.csv", "findings.jsonl", "findings.sarif", "findings.xlsx"]
    assert sorted(p.name for p in there.iterdir()) == names
    written = _contents(there / "findings.xlsx")
    assert written == _contents(here / "findings.xlsx")
    assert [row[-2] for row in written["指标"][0][1:]] == [EAST] * 3 + [WEST] * 2
    for name in names[:3]:  # the documents' findings, the cross one, the gone one
        assert (there / name).read_bytes() == (here / name).read_bytes()
    assert len((there / "findings.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_the_findings_process_checks_it_was_given_the_batch_it_wrote(tmp_path: Path) -> None:
    from jjnlp.render.findings_process import FindingsProcess

    batch = _batch()
    with FindingsProcess(tmp_path, [d.file for d in batch.documents]) as findings:
        for record in batch.documents:
            findings.add(record)
        other = Batch(documents=[batch.documents[1], batch.documents[0], batch.documents[2]])
        with pytest.raises(RuntimeError, match="not the files added"):
            findings.finish(other)
    assert list(tmp_path.iterdir()) == []


def test_the_findings_process_stopped_midway_leaves_no_file(tmp_path: Path) -> None:
    from jjnlp.render.findings_process import FindingsProcess

    batch = _batch()
    with pytest.raises(KeyError), FindingsProcess(tmp_path, [EAST, WEST]) as findings:
        findings.add(batch.documents[0])
        raise KeyError("the batch stopped")  # before the review was sent
    assert list(tmp_path.iterdir()) == []


def test_the_findings_process_raises_its_error_naming_the_file(tmp_path: Path) -> None:
    from jjnlp.errors import OutputError
    from jjnlp.render.findings_process import FindingsProcess

    batch = _batch()
    (tmp_path / "findings.xlsx").mkdir()  # where the file should go
    with FindingsProcess(tmp_path, [d.file for d in batch.documents]) as findings:
        for record in batch.documents:
            findings.add(record)
        findings.finish(batch)
        with pytest.raises(OutputError, match=r"findings\.xlsx.*是一个目录"):
            findings.wait()
    # the files written before it are whole; no temporary file is left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "findings.csv", "findings.jsonl", "findings.sarif", "findings.xlsx",
    ]  # fmt: skip
