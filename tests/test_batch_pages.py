"""The batch review's HTML pages: the summary and a document's page, as markup and in Chromium."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from jjnlp.batch.model import (
    Batch,
    DocRecord,
    Figure,
    Finding,
    Identity,
    Passage,
    Similar,
    annotated_name,
    page_name,
)
from jjnlp.render.document_page import render_document_page
from jjnlp.render.summary import charted_figures, render_summary
from jjnlp.resources import load_toml

Q1, H1 = "2024年一季度", "2024年上半年"
SCRIPT = "<script>alert('东城')</script>"

DONG_Q1 = "2024q1/东城区纪委监委2024年一季度工作情况报告.txt"
XI_Q1 = "2024q1/西城区纪委监委2024年一季度工作情况报告.docx"
DONG_H1 = "2024h1/东城区纪委监委2024年上半年工作情况报告.txt"
CITY_H1 = "2024h1/临川市纪委监委2024年上半年工作情况报告.pdf"
XI_H1 = "2024h1/西城区纪委监委2024年上半年工作情况报告.pdf"

SHARED_DONG = "持续深化“以案促改”，督促发案单位召开专题民主生活会12次，制发纪检监察建议书6份。"
SHARED_XI = "持续深化“以案促改”，督促发案单位召开专题民主生活会9次，制发纪检监察建议书4份。"

TEXTS = {
    DONG_Q1: "\n".join(
        [
            "临川市东城区纪委监委2024年一季度工作情况报告",
            "一、主要工作",
            "一季度，区纪委监委本级立案5件；全区纪检监察机关共立案36件，结案30件，"
            "结案率为90.0%，给予党纪政务处分28人。",
            SHARED_DONG,
            "二、存在的问题",
            f"个别单位整改不到位，文稿中夹有“{SCRIPT}”等网页代码。",
        ]
    ),
    XI_Q1: "\n".join(
        [
            "临川市西城区纪委监委2024年一季度工作情况报告",
            "一、主要工作",
            "一季度，全区共立案42件，结案39件，给予党纪政务处分35人，其中处分科级干部6人。",
            SHARED_XI,
            "三、下步打算",
        ]
    ),
    DONG_H1: "\n".join(
        [
            "临川市东城区纪委监委2024年上半年工作情况报告",
            "上半年，全区纪检监察机关共立案34件，结案31件，给予党纪政务处分29人。",
        ]
    ),
    CITY_H1: "\n".join(
        [
            "临川市纪委监委2024年上半年工作情况报告",
            "上半年，市纪委监委本级立案18件；全市纪检监察机关共立案402件，结案356件，"
            "结案率为86.6%，给予党纪政务处分331人。",
            "其中，东城区立案41件，西城区立案88件。",
        ]
    ),
}


def _blocks(text: str, pages: tuple[int, ...] = ()) -> tuple[tuple[int, int, int | None], ...]:
    """One block a line, (start, end, page)."""
    out, at = [], 0
    for i, line in enumerate(text.split("\n")):
        out.append((at, at + len(line), pages[i] if pages else None))
        at += len(line) + 1
    return tuple(out)


def _find(file: str, piece: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXTS[file].index(piece, start + 1)
    return start


def _finding(file: str, piece: str, rule: str, severity: str, message: str, **kw: Any) -> Finding:
    text = TEXTS.get(file, "")
    start = _find(file, piece) if piece else 0
    end = start + len(piece)
    line = text.count("\n", 0, start) + 1
    return Finding(
        file=file,
        rule=rule,
        severity=severity,
        message=message,
        text=piece,
        sentence=text.split("\n")[line - 1] if piece else "",
        start=start,
        end=end,
        line=line,
        page=kw.pop("page", None),
        paragraph=line,
        stated=kw.pop("stated", None),
        expected=kw.pop("expected", None),
        fingerprint=hashlib.sha1(f"{file}|{rule}|{piece}".encode()).hexdigest()[:16],
        **kw,
    )


def _figure(file: str, piece: str, indicator: str, scope: str | None) -> Figure:
    """The figure ``piece`` (36件, 28人) of ``file`` as the batch records it."""
    start = _find(file, piece)
    unit = piece[-1]
    return Figure(
        indicator=indicator,
        value=Decimal(piece[:-1]),
        unit=unit,
        stated_unit=unit,
        text=piece,
        sentence="",
        start=start,
        end=start + len(piece),
        period=None,
        period_start=None,
        period_end=None,
        scope=scope,
        kind="count",
    )


def _case_flow(file: str, scope: str, filed: str, closed: str, sanctioned: str) -> list[Figure]:
    """立案, 结案 and 党纪政务处分 of one scope, as stated (36件, 30件, 28人)."""
    names = ("立案", "结案", "党纪政务处分")
    return [
        _figure(file, piece, name, scope)
        for name, piece in zip(names, (filed, closed, sanctioned), strict=True)
    ]


def _identity(unit: str, level: str, period: str, issuer: str) -> Identity:
    start, end = ("2024-01-01", "2024-03-31") if period == Q1 else ("2024-01-01", "2024-06-30")
    parent = None if unit == "临川市" else "临川市"
    return Identity(unit, level, parent, "work_report", period, start, end, issuer)


def _record(file: str, identity: Identity, **kw: Any) -> DocRecord:
    text = TEXTS.get(file, "")
    return DocRecord(
        file=file,
        path=f"D:/审核/2024/{file}",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format=file.rsplit(".", 1)[1],
        identity=identity,
        title=text.split("\n")[0] if text else "",
        text=text,
        blocks=kw.pop("blocks", _blocks(text)),
        **kw,
    )


RATE_DONG = "结案率应为83.3%（结案30件÷立案36件），文中为90.0%"
SCRIPT_MESSAGE = f"文中夹有“{SCRIPT}”，疑为从网页复制时带入的代码"
CROSS_DONG = f"上半年立案34件，少于一季度报告的立案36件（{DONG_Q1}）：累计数不应减少"
CROSS_CITY = f"市报告称东城区立案41件，东城区上半年报告为34件（{DONG_H1}）"


def build_batch() -> Batch:
    """Four analysed reports of three units over two periods, one file that failed."""
    dong_q1 = _record(
        DONG_Q1,
        _identity("东城区", "区", Q1, "临川市东城区纪委监委"),
        figures=(
            _figure(DONG_Q1, "5件", "立案", "区纪委监委本级"),
            *_case_flow(DONG_Q1, "全区", "36件", "30件", "28人"),
        ),
        findings=(
            _finding(DONG_Q1, "", "period_date", "info", "标题所称“2024年一季度”未写明起止日期"),
            _finding(
                DONG_Q1,
                "90.0%",
                "rate",
                "error",
                RATE_DONG,
                stated="90.0%",
                expected="83.3%",
                status="unchanged",
                review="确认",
                note="已与起草科室核实",
            ),
            _finding(DONG_Q1, SCRIPT, "mixed_punct", "warning", SCRIPT_MESSAGE),
        ),
        coverage={"figures_found": 8, "figures_checked": 6},
    )
    xi_q1 = _record(
        XI_Q1,
        _identity("西城区", "区", Q1, "临川市西城区纪委监委"),
        figures=tuple(_case_flow(XI_Q1, "全区", "42件", "39件", "35人")),
        findings=(
            _finding(XI_Q1, "三、", "heading_sequence", "warning", "标题序号“三、”前缺少“二、”"),
        ),
        coverage={"figures_found": 7, "figures_checked": 5},
    )
    dong_h1 = _record(
        DONG_H1,
        _identity("东城区", "区", H1, "临川市东城区纪委监委"),
        figures=tuple(_case_flow(DONG_H1, "全区", "34件", "31件", "29人")),
        coverage={"figures_found": 3, "figures_checked": 3},
    )
    city_h1 = _record(
        CITY_H1,
        _identity("临川市", "市", H1, "临川市纪委监委"),
        blocks=_blocks(TEXTS[CITY_H1], pages=(1, 1, 2)),
        figures=(
            _figure(CITY_H1, "18件", "立案", "市纪委监委本级"),
            *_case_flow(CITY_H1, "全市", "402件", "356件", "331人"),
            _figure(CITY_H1, "41件", "立案", "东城区"),
        ),
        findings=(
            _finding(
                CITY_H1,
                "86.6%",
                "rate",
                "error",
                "结案率应为88.6%（结案356件÷立案402件），文中为86.6%",
                page=1,
            ),
        ),
        coverage={"figures_found": 9, "figures_checked": 8},
    )
    xi_h1 = _record(
        XI_H1,
        _identity("西城区", "区", H1, ""),
        error={"code": "E_PDF_ENCRYPTED", "message": "PDF文件已加密，无法读取文字"},
    )
    cross = [
        _finding(
            DONG_H1,
            "34件",
            "cumulative",
            "error",
            CROSS_DONG,
            scope="cross",
            other_files=(DONG_Q1,),
        ),
        _finding(
            CITY_H1,
            "41件",
            "unit_figure",
            "warning",
            CROSS_CITY,
            scope="cross",
            other_files=(DONG_H1,),
            page=2,
        ),
    ]
    similar = [Similar(DONG_Q1, XI_Q1, Decimal("0.412"), False, (Passage(SHARED_DONG, SHARED_XI),))]
    absent = [_finding(XI_Q1, "42件", "part_whole", "error", "分项之和超过总数42件")]
    skipped = [
        ("2024h1/~$临川市纪委监委2024年上半年工作情况报告.docx", "Word临时文件，已跳过"),
        ("2024h1/统计表.xlsx", "不支持的文件格式（.xlsx）"),
    ]
    return Batch(
        documents=[dong_q1, xi_q1, dong_h1, city_h1, xi_h1],
        skipped=skipped,
        cross=cross,
        similar=similar,
        absent=absent,
        version="0.1.0",
    )


BATCH = build_batch()
SUMMARY = render_summary(BATCH)


def _section(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(1)


def _doc_rows(html: str) -> list[str]:
    body = _section(html, r'<table id="docs">.*?<tbody>(.*?)</tbody>')
    return re.findall(r"<tr.*?</tr>", body, re.S)


def _svg(html: str, css_class: str) -> str:
    return _section(html, rf'(<svg class="chart [^"]*{css_class}[^"]*".*?</svg>)')


def _page(file: str) -> str:
    record = next(d for d in BATCH.documents if d.file == file)
    return render_document_page(record, BATCH.cross)


# ------------------------------------------------------------------------------ the summary


def test_summary_has_one_row_per_document_linking_to_its_page() -> None:
    rows = _doc_rows(SUMMARY)
    assert len(rows) == 5
    hrefs = [re.search(r'href="([^"]+)"', row).group(1) for row in rows]  # type: ignore[union-attr]
    assert hrefs == [f"documents/{quote(page_name(d.file))}" for d in BATCH.documents]
    assert hrefs[0] == (
        "documents/2024q1_%E4%B8%9C%E5%9F%8E%E5%8C%BA%E7%BA%AA%E5%A7%94%E7%9B%91%E5%A7%94"
        "2024%E5%B9%B4%E4%B8%80%E5%AD%A3%E5%BA%A6%E5%B7%A5%E4%BD%9C%E6%83%85%E5%86%B5"
        "%E6%8A%A5%E5%91%8A.txt.html"
    )


def test_summary_row_counts_include_cross_findings_anchored_in_the_document() -> None:
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in _doc_rows(SUMMARY)]
    assert [c[1:8] for c in cells] == [
        ["东城区", "区", Q1, "工作报告", "8 / 6", "1", "1"],
        ["西城区", "区", Q1, "工作报告", "7 / 5", "0", "1"],
        ["东城区", "区", H1, "工作报告", "3 / 3", "1", "0"],
        ["临川市", "市", H1, "工作报告", "9 / 8", "1", "1"],
        ["西城区", "区", H1, "工作报告", "—", "—", "—"],
    ]
    assert (
        cells[4][8] == 'PDF文件已加密，无法读取文字 <span class="code">（E_PDF_ENCRYPTED）</span>'
    )


def test_summary_counts_findings_by_severity_and_rule() -> None:
    assert "<title>批量审核汇总</title>" in SUMMARY and "<h1>批量审核汇总</h1>" in SUMMARY
    assert (
        '<li class="error">错误<b>3</b>条</li><li class="warning">警告<b>3</b>条</li>'
        '<li class="info">提示<b>1</b>条</li>'
    ) in SUMMARY
    rules = _section(SUMMARY, r'<table class="rules">.*?<tbody>(.*?)</tbody>')
    found = re.findall(r'<tr><td title="(\w+)">(\w+)</td><td class="num">(\d+)</td>', rules)
    assert found == [
        ("rate", "率的重算", "2"),
        ("cumulative", "累计数减少", "1"),
        ("heading_sequence", "标题序号", "1"),
        ("mixed_punct", "半角标点", "1"),
        ("period_date", "成文日期与报告期", "1"),
        ("unit_figure", "unit_figure", "1"),  # a rule without a title shows its id
    ]


def test_rule_chart_draws_one_bar_per_rule() -> None:
    chart = _svg(SUMMARY, "by-rule")
    rules = {f.rule for f in BATCH.findings()}
    bars = re.findall(r'<rect class="bar"[^>]*data-label="(\w+)" data-value="(\d+)"', chart)
    assert len(bars) == len(rules) == 6
    assert dict(bars) == {
        "率的重算": "2",
        "累计数减少": "1",
        "标题序号": "1",
        "半角标点": "1",
        "成文日期与报告期": "1",
        "unit_figure": "1",
    }
    assert chart.startswith('<svg class="chart hbar by-rule" role="img"')
    assert (
        'aria-label="各规则发现的问题数" font-size="12"><title>各规则发现的问题数</title>' in chart
    )


def test_unit_chart_counts_the_findings_of_each_units_documents() -> None:
    bars = re.findall(r'data-label="(.+?)" data-value="(\d+)"', _svg(SUMMARY, "by-unit"))
    assert bars == [("东城区", "4"), ("临川市", "2"), ("西城区", "1")]


def test_indicator_charts_take_each_documents_first_figure_not_of_the_body_alone() -> None:
    assert load_toml("batch.toml")["summary"]["charted"] == ["立案", "结案", "党纪政务处分"]
    charted = charted_figures(BATCH)
    assert list(charted) == ["立案", "结案", "党纪政务处分"]
    assert charted["立案"] == {
        ("东城区", Q1): Decimal("36"),
        ("西城区", Q1): Decimal("42"),
        ("东城区", H1): Decimal("34"),
        ("临川市", H1): Decimal("402"),
    }
    svgs = re.findall(r'<svg class="chart grouped".*?</svg>', SUMMARY, re.S)
    assert len(svgs) == 3
    bars = re.findall(r'data-group="(.+?)" data-series="(.+?)" data-value="(\d+)"', svgs[2])
    assert bars == [
        ("东城区", Q1, "28"),
        ("东城区", H1, "29"),
        ("西城区", Q1, "35"),
        ("临川市", H1, "331"),
    ]
    assert 'role="img"' in svgs[2] and "<title>党纪政务处分：按单位和期间</title>" in svgs[2]
    legend = _section(svgs[2], r'<g class="legend">(.*?)</g>')
    assert re.findall(r'fill="(#\w+)"></rect><text[^>]*>(.+?)</text>', legend) == [
        ("#0072B2", Q1),
        ("#E69F00", H1),
    ]


def test_summary_names_no_url_outside_the_package() -> None:
    assert "//" not in SUMMARY  # no scheme://, no protocol-relative //host
    links = re.findall(r'(?:href|src|action)="([^"]*)"', SUMMARY)
    assert links and all(link.startswith(("documents/", "#")) for link in links)
    assert "@import" not in SUMMARY and "url(" not in SUMMARY and "@font-face" not in SUMMARY


def test_summary_escapes_a_script_in_a_message() -> None:
    hostile = dataclasses.replace(BATCH.cross[1], message=SCRIPT_MESSAGE)
    html = render_summary(dataclasses.replace(BATCH, cross=[BATCH.cross[0], hostile]))
    assert "<script>alert" not in html and html.count("<script>") == 1  # the page's own
    assert "<td>文中夹有“&lt;script&gt;alert(&#x27;东城&#x27;)&lt;/script&gt;”，" in html


def test_document_page_escapes_a_script_in_text_and_message() -> None:
    page = _page(DONG_Q1)
    assert "<script" not in page
    # the list's 原文 and 意见, the note, the mark's title and the text itself
    assert page.count("&lt;script&gt;alert(&#x27;东城&#x27;)&lt;/script&gt;") == 5


def test_summary_lists_failed_and_skipped_files_with_their_reason() -> None:
    table = _section(SUMMARY, r'<table class="unprocessed">.*?<tbody>(.*?)</tbody>')
    rows = [re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<tr>.*?</tr>", table)]
    assert rows == [
        f"{XI_H1}处理失败PDF文件已加密，无法读取文字 （E_PDF_ENCRYPTED）",
        "2024h1/~$临川市纪委监委2024年上半年工作情况报告.docx已跳过Word临时文件，已跳过",
        "2024h1/统计表.xlsx已跳过不支持的文件格式（.xlsx）",
    ]


def test_cross_table_names_the_other_files() -> None:
    table = _section(SUMMARY, r'<table class="cross">.*?<tbody>(.*?)</tbody>')
    rows = re.findall(r"<tr>.*?</tr>", table)
    assert len(rows) == 2
    first = re.findall(r"<td[^>]*>(.*?)</td>", rows[0])
    assert first[0] == "错误" and first[1] == "累计数减少"
    assert first[2] == f'<a href="documents/{quote(page_name(DONG_H1))}">{DONG_H1}</a>'
    assert first[3] == f'<a href="documents/{quote(page_name(DONG_Q1))}">{DONG_Q1}</a>'
    assert first[5:] == [CROSS_DONG, "新增", "待核"]


def test_similar_pair_shows_percentage_and_passages_side_by_side() -> None:
    pair = _section(SUMMARY, r'(<section class="pair">.*?</section>)')
    assert f'{DONG_Q1} 与 {XI_Q1}：相似度 <span class="similarity">41.2%</span>' in pair
    cells = re.findall(r"<td>(.*?)</td>", _section(pair, r"<tbody>(.*?)</tbody>"))
    assert cells == [
        '持续深化“以案促改”，督促发案单位召开专题民主生活会<span class="diff">12</span>次，'
        '制发纪检监察建议书<span class="diff">6</span>份。',
        '持续深化“以案促改”，督促发案单位召开专题民主生活会<span class="diff">9</span>次，'
        '制发纪检监察建议书<span class="diff">4</span>份。',
    ]


def test_absent_findings_are_listed() -> None:
    table = _section(SUMMARY, r'<table class="absent">.*?<tbody>(.*?)</tbody>')
    assert (
        table
        == f"<tr><td>{XI_Q1}</td><td>分项与总数</td><td>42件</td><td>分项之和超过总数42件</td></tr>"
    )


def test_summary_of_an_empty_batch_says_there_is_nothing() -> None:
    html = render_summary(Batch(documents=[]))
    assert _doc_rows(html) == [] and "<svg" not in html
    # by rule, by unit, the three indicators, unprocessed files, cross findings, similar pairs
    assert html.count('<p class="empty">') == 8


# ------------------------------------------------------------------------- a document's page


def test_document_page_lists_and_notes_every_finding_in_reading_order() -> None:
    page = _page(DONG_Q1)
    listed = _section(page, r'<table class="findings">.*?<tbody>(.*?)</tbody>')
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>.*?</tr>", listed)]
    assert [r[1:4] for r in rows] == [
        ["提示", '<span class="rule" title="period_date">成文日期与报告期</span>', "全文"],
        ["错误", '<span class="rule" title="rate">率的重算</span>', "第3行"],
        ["警告", '<span class="rule" title="mixed_punct">半角标点</span>', "第6行"],
    ]
    assert rows[1][4:] == ["90.0%", RATE_DONG, "未变", "确认：已与起草科室核实"]
    notes = re.findall(r'<div class="note (\w+)" id="n(\d)"', page)
    assert notes == [("info", "1"), ("error", "2"), ("warning", "3")]
    assert page.index('id="n1"') < page.index('id="p1"')  # the whole-document note opens the text
    third = _section(page, r'(<p class="para" id="p3">.*?</p><div class="notes">.*?</div></div>)')
    assert '<mark class="finding error" id="f2" data-rule="rate"' in third
    assert '>90.0%</mark><a class="marker" href="#n2">[2]</a>' in third
    assert f"：{RATE_DONG}</div>" in third
    assert '<a href="../summary.html">' in page


def test_document_page_shows_the_cross_findings_anchored_in_it() -> None:
    page = _page(DONG_H1)
    assert page.count('class="note ') == 1 and "unit_figure" not in page
    note = _section(page, r'(<div class="note error" id="n1".*?</ul></div></div>)')
    assert (
        '<span class="tag">跨文件</span><span class="rule" title="cumulative">累计数减少</span>'
    ) in note
    assert f'<li><a href="{quote(page_name(DONG_Q1))}">{DONG_Q1}</a></li>' in note
    assert '<mark class="finding error" id="f1" data-rule="cumulative"' in page


def test_document_page_marks_pages_of_a_pdf() -> None:
    page = _page(CITY_H1)
    assert page.count('<div class="page-no">') == 2
    assert re.findall(r"<td>(第\d页第\d行)</td>", page) == ["第1页第2行", "第2页第3行"]


def test_failed_document_page_says_why() -> None:
    page = _page(XI_H1)
    assert '<p class="failed-box">处理失败：PDF文件已加密，无法读取文字' in page
    assert 'class="para"' not in page


# -------------------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review package as the batch writes it: summary.html and documents/*.html."""
    root = tmp_path_factory.mktemp("package")
    (root / "summary.html").write_text(SUMMARY, encoding="utf-8")
    (root / "documents").mkdir()
    for record in BATCH.documents:
        page = render_document_page(record, BATCH.cross)
        (root / "documents" / page_name(record.file)).write_text(page, encoding="utf-8")
    return root


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """``path`` opened in a fresh page, and every URL the page asked for."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")
    return page, requests


def _assert_screenshot(page: Any, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.slow
def test_summary_in_browser_requests_nothing_and_shows_table_and_charts(
    browser: Any, package: Path, tmp_path: Path
) -> None:
    path = package / "summary.html"
    page, requests = open_page(browser, path)
    assert requests == [path.as_uri()]
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 5
    assert all(charts.nth(i).is_visible() for i in range(5))
    assert page.locator("#docs").is_visible()
    assert page.locator("#docs tbody tr").count() == 5
    assert page.inner_text("#filter-count") == "显示 5 / 5 个文件"
    _assert_screenshot(page, tmp_path / "summary.png")
    page.close()


@pytest.mark.slow
def test_summary_in_browser_sorts_by_a_clicked_header(browser: Any, package: Path) -> None:
    page, _ = open_page(browser, package / "summary.html")
    files = "#docs tbody tr td:nth-child(1) a"
    header = page.locator("#docs thead th").nth(5)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.locator(files).all_inner_texts() == [XI_H1, DONG_H1, XI_Q1, DONG_Q1, CITY_H1]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator(files).all_inner_texts() == [CITY_H1, DONG_Q1, XI_Q1, DONG_H1, XI_H1]
    page.locator("#docs thead th").nth(1).locator("button").click()
    units = page.locator("#docs tbody tr td:nth-child(2)").all_inner_texts()
    assert units == ["东城区", "东城区", "临川市", "西城区", "西城区"]
    page.locator("#docs thead th").nth(3).locator("button").click()  # by the period's dates
    assert page.locator(files).all_inner_texts() == [DONG_Q1, XI_Q1, DONG_H1, CITY_H1, XI_H1]
    page.close()


@pytest.mark.slow
def test_summary_in_browser_filters_rows(browser: Any, package: Path) -> None:
    page, _ = open_page(browser, package / "summary.html")
    visible = page.locator("#docs tbody tr:visible td:nth-child(1) a")
    page.fill("#filter-text", "临川市纪委监委")
    assert visible.all_inner_texts() == [CITY_H1]
    assert page.inner_text("#filter-count") == "显示 1 / 5 个文件"
    page.fill("#filter-text", "")
    page.select_option("#filter-severity", "failed")
    assert visible.all_inner_texts() == [XI_H1]
    page.select_option("#filter-severity", "error")
    assert visible.all_inner_texts() == [DONG_Q1, DONG_H1, CITY_H1]
    page.select_option("#filter-kind", "case_notice")
    assert visible.count() == 0
    page.close()


@pytest.mark.slow
def test_document_page_in_browser_shows_messages_without_hover(
    browser: Any, package: Path, tmp_path: Path
) -> None:
    path = package / "documents" / page_name(DONG_Q1)
    page, requests = open_page(browser, path)
    assert requests == [path.as_uri()]
    note = page.locator("#n2")
    assert note.is_visible() and RATE_DONG in note.inner_text()
    assert page.locator("#n3").is_visible() and SCRIPT in page.locator("#n3").inner_text()
    assert page.locator("mark#f2").is_visible() and page.inner_text("mark#f2") == "90.0%"
    assert page.locator("script").count() == 0
    _assert_screenshot(page, tmp_path / "document.png")
    page.locator("a[href='../summary.html']").click()
    page.wait_for_load_state("load")
    assert page.url == (package / "summary.html").as_uri()
    page.close()


def test_package_writes_a_workers_page_only_while_the_review_left_its_record_as_it_was(
    tmp_path: Path,
) -> None:
    from jjnlp.batch.package import Rendered, write_package

    crossed = next(f.file for f in BATCH.cross)
    plain = next(d for d in BATCH.documents if not d.failed and d.file != crossed)
    before = next(d for d in BATCH.documents if d.file == crossed)
    changed = dataclasses.replace(plain, findings=plain.findings[1:])  # before the review
    rendered = {
        plain.file: (plain, Rendered("<p>made in the worker</p>", None)),
        crossed: (before, Rendered("<p>made before the cross pass</p>", None)),
    }
    write_package(BATCH, tmp_path, rendered=rendered)
    pages = tmp_path / "documents"
    assert (pages / page_name(plain.file)).read_text(
        encoding="utf-8"
    ) == "<p>made in the worker</p>"
    assert (pages / page_name(crossed)).read_text(encoding="utf-8") == _page(crossed)
    rendered[plain.file] = (changed, rendered[plain.file][1])
    write_package(BATCH, tmp_path, rendered=rendered)
    assert (pages / page_name(plain.file)).read_text(encoding="utf-8") == _page(plain.file)


def test_package_moves_a_staged_page_in_and_leaves_no_stale_word_copy(tmp_path: Path) -> None:
    from jjnlp.batch.package import STAGING, Rendered, empty_staging, stage, write_package

    crossed = next(f.file for f in BATCH.cross)
    plain = next(d for d in BATCH.documents if not d.failed and d.file != crossed)
    pages = tmp_path / "documents"
    pages.mkdir()
    # an earlier run sent the plain document back with comments; its worker now has none
    (pages / annotated_name(plain.file)).write_bytes(b"an earlier run's copy")
    (tmp_path / STAGING).mkdir()
    (tmp_path / STAGING / "left by a stopped run.html").write_text("", encoding="utf-8")
    staging = empty_staging(tmp_path)
    assert list(staging.iterdir()) == []
    assert stage(staging, plain.file, Rendered("<p>staged by its worker</p>", None))
    assert stage(staging, crossed, Rendered("<p>staged before the cross pass</p>", b"docx"))
    before = next(d for d in BATCH.documents if d.file == crossed)
    write_package(BATCH, tmp_path, rendered={plain.file: (plain, None), crossed: (before, None)})
    assert (pages / page_name(plain.file)).read_text(
        encoding="utf-8"
    ) == "<p>staged by its worker</p>"
    assert not (pages / annotated_name(plain.file)).exists()
    assert (pages / page_name(crossed)).read_text(encoding="utf-8") == _page(crossed)
    # made again here, not taken from the staging folder (its source is not on disk here,
    # so there is no Word copy to make)
    assert not (pages / annotated_name(crossed)).exists()
    assert not (tmp_path / STAGING).exists()
