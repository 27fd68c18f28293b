"""The search page against a real server on loopback: sign-in, search with facets, a
document with its findings and their review, the figures' chart; over HTTP and in Chromium."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from conftest import LiveServer
from jjnlp.api.app import KEY_COOKIE, Settings, create_app
from jjnlp.store import open_store
from jjnlp.store import query as q
from jjnlp.store.access import create_key
from jjnlp.store.base import Store

FILES = (
    "ae_01_rate_repeat.txt",  # 青峰县 2024年上半年: a rate finding and a repeated phrase
    "cn_01_linxi_baxiang.txt",  # a case notice
    "wr_02_linjiang_2024q1.txt",
    "wr_12_linjiang_city_2024.txt",
)
QINGFENG = "青峰县纪委监委2024年上半年工作情况汇报"
LINJIANG_Q1 = "临江市纪委监委2024年一季度工作情况汇报"
LINJIANG_2024 = "中共临江市纪委关于2024年全面从严治党和纪检监察工作情况的报告"
NOTICE = "关于5起违反中央八项规定精神典型问题的通报"
RATE = "1f3a988decab91f7"  # 结案率应为75.0%… in ae_01
REPEAT = "d3404087987d9484"  # “进一步”重复 in ae_01


@dataclass
class Served:
    base: str
    store: Store
    analyst: str
    ingest: str
    ids: dict[str, int]


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, stored_rows: list[dict[str, Any]]
) -> Iterator[Served]:
    """The app over a fresh SQLite store of four documents, served by uvicorn on loopback."""
    by_file = {rows["record"]["file"]: rows for rows in stored_rows}
    store = open_store(tmp_path_factory.mktemp("page") / "t.db")
    ids = {name: store.ingest(by_file[name], "test")[0] for name in FILES}
    analyst = create_key(store, "analyst", "张审核")
    ingest = create_key(store, "ingest", "导入员")
    with LiveServer(create_app(Settings(), store=store)) as server:
        yield Served(server.url, store, analyst, ingest, ids)
    store.close()


@contextlib.contextmanager
def client(served: Served, key: str | None = None) -> Iterator[httpx.Client]:
    """An HTTP client of the server, signed in with ``key`` through the login form."""
    with httpx.Client(base_url=served.base, follow_redirects=False) as http:
        if key is not None:
            answer = http.post("/login", data={"key": key, "next": "/"})
            assert answer.status_code == 303
        yield http


def review_of(served: Served, fingerprint: str) -> tuple[str, str, str | None]:
    item = q.findings(served.store, fingerprint=fingerprint)["items"][0]
    return item["review"], item["note"], item["reviewer"]


# ------------------------------------------------------------------------------ over HTTP


def test_a_page_without_a_key_redirects_to_the_login_form(served: Served) -> None:
    with client(served) as http:
        answer = http.get("/?q=立案&unit=临江市")
        assert answer.status_code == 303
        target = "/?q=%E7%AB%8B%E6%A1%88&unit=%E4%B8%B4%E6%B1%9F%E5%B8%82"  # as requested
        assert answer.headers["location"] == "/login?" + urlencode({"next": target})
        login = http.get(answer.headers["location"])
        assert login.status_code == 200
        assert f'<input type="hidden" name="next" value="{escape(target)}">' in login.text
        back = http.post("/login", data={"key": served.analyst, "next": target})
        assert back.headers["location"] == target
        assert "检索“立案”：共 2 个文档" in http.get(target).text


def test_login_sets_an_httponly_strict_cookie_and_returns_to_the_page(served: Served) -> None:
    with client(served) as http:
        answer = http.post("/login", data={"key": served.analyst, "next": "/metrics"})
        assert answer.status_code == 303 and answer.headers["location"] == "/metrics"
        cookie = answer.headers["set-cookie"]
        assert cookie == f"{KEY_COOKIE}={served.analyst}; HttpOnly; Path=/; SameSite=strict"
        assert http.get("/metrics").status_code == 200


def test_login_refuses_a_wrong_key_and_a_foreign_next(served: Served) -> None:
    with client(served) as http:
        wrong = http.post("/login", data={"key": served.analyst[:-2] + "xx"})
        assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
        assert '<p class="problem">密钥无效或已被吊销，请核对后重试</p>' in wrong.text
        away = http.post("/login", data={"key": served.analyst, "next": "//evil.example/"})
        assert away.headers["location"] == "/"


def test_a_review_posted_from_another_site_is_refused(served: Served) -> None:
    before = review_of(served, REPEAT)
    with client(served, served.analyst) as http:
        doc = served.ids["ae_01_rate_repeat.txt"]
        answer = http.post(
            f"/documents/{doc}/review/{REPEAT}",
            data={"status": "确认", "note": "伪造"},
            headers={"Origin": "http://evil.example"},
        )
        assert answer.status_code == 403 and "请求来源不是本站，已拒绝" in answer.text
    assert review_of(served, REPEAT) == before == ("待核", "", None)


def test_a_review_of_a_finding_of_another_document_is_not_found(served: Served) -> None:
    with client(served, served.analyst) as http:
        other = served.ids["wr_02_linjiang_2024q1.txt"]
        answer = http.post(f"/documents/{other}/review/{REPEAT}", data={"status": "驳回"})
        assert answer.status_code == 404
        assert f"文档 {other} 中没有指纹为 {REPEAT} 的审校意见" in answer.text
    assert review_of(served, REPEAT) == ("待核", "", None)


def test_search_page_escapes_the_query_and_sends_a_strict_policy(served: Served) -> None:
    with client(served, served.analyst) as http:
        answer = http.get("/", params={"q": "<script>alert(1)</script>"})
        assert answer.status_code == 200
        assert "<script" not in answer.text
        assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in answer.text
        assert answer.headers["content-security-policy"].startswith("default-src 'none';")
        assert answer.headers["cache-control"] == "no-store"


def test_an_unknown_period_is_shown_on_the_page(served: Served) -> None:
    with client(served, served.analyst) as http:
        answer = http.get("/", params={"period_from": "明年"})
        assert answer.status_code == 400
        assert "参数 period_from：无法识别的期间：明年" in answer.text


def test_empty_query_lists_the_newest_documents_first(served: Served) -> None:
    with client(served, served.analyst) as http:
        page = http.get("/").text
    titles = re.findall(r'<li class="result" data-id="\d+"><h2><a [^>]*>(.*?)</a>', page)
    assert titles == [LINJIANG_2024, QINGFENG, NOTICE, LINJIANG_Q1]
    assert '<p class="meta" id="total">最新文档：共 4 个</p>' in page


def test_pages_are_outside_the_api_schema(served: Served) -> None:
    schema = httpx.get(served.base + "/openapi.json").json()
    assert not [p for p in schema["paths"] if not p.startswith("/v1/")]


# ------------------------------------------------------------------------ in a real browser


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    """A fresh browser context (no cookies) and the URLs it asked for."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=served.base)
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def sign_in(page: Any, key: str) -> None:
    page.goto("/")
    assert page.url.endswith("/login?next=%2F")
    page.fill("input[name=key]", key)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def facet(page: Any, name: str) -> list[tuple[str, str]]:
    rows = page.locator(f"li[data-facet={name}]")
    return [
        (rows.nth(i).locator("a, span").first.inner_text(), rows.nth(i).locator(".n").inner_text())
        for i in range(rows.count())
    ]


def screenshot(page: Any, path: str) -> None:
    page.screenshot(path=path, full_page=True)
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.slow
def test_browser_search_shows_highlights_and_facets_and_a_facet_narrows(
    page: Any, served: Served
) -> None:
    sign_in(page, served.analyst)
    assert page.inner_text("#total") == "最新文档：共 4 个"
    page.fill("input[name=q]", "立案")
    page.click("form.query button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("#total") == "检索“立案”：共 3 个文档"
    assert texts(page, "ol.results h2") == [LINJIANG_2024, QINGFENG, LINJIANG_Q1]
    marks = texts(page, "ol.results .snippet mark")
    assert len(marks) == 9 and set(marks) == {"立案"}
    assert facet(page, "unit") == [("临江市", "2"), ("青峰县", "1")]
    assert facet(page, "kind") == [("工作报告", "3")]
    assert facet(page, "period") == [("2024年", "1"), ("2024年一季度", "1"), ("2024年上半年", "1")]
    assert page.locator("ol.results .badge.error").all_inner_texts() == ["错误1"]
    screenshot(page, "/tmp/page-search.png")
    page.click('li[data-facet=unit] >> text="临江市"')
    page.wait_for_load_state("load")
    assert page.inner_text("#total") == "检索“立案”：共 2 个文档"
    assert texts(page, "ol.results h2") == [LINJIANG_2024, LINJIANG_Q1]
    assert facet(page, "unit") == [("临江市", "2")]
    assert page.locator("li.on[data-facet=unit]").count() == 1
    assert texts(page, ".chips li") == ["单位：临江市×"]
    page.click(".chips a")  # the filter removed again
    page.wait_for_load_state("load")
    assert page.inner_text("#total") == "检索“立案”：共 3 个文档"
    page.click('li[data-facet=period] >> text="2024年一季度"')  # as many as the facet counts
    page.wait_for_load_state("load")
    assert texts(page, "ol.results h2") == [LINJIANG_Q1]
    assert texts(page, ".chips li") == ["期间：2024年一季度×"]
    page.goto("/?q=立案")
    page.click('li[data-facet=period] >> text="2024年"')
    page.wait_for_load_state("load")
    assert texts(page, "ol.results h2") == [LINJIANG_2024]
    assert all(url.startswith(served.base + "/") for url in page.requests)


@pytest.mark.slow
def test_browser_document_marks_findings_and_a_review_persists(page: Any, served: Served) -> None:
    sign_in(page, served.analyst)
    page.goto("/?q=结案率")
    page.click(f"ol.results a >> text={QINGFENG}")
    page.wait_for_load_state("load")
    doc = served.ids["ae_01_rate_repeat.txt"]
    assert page.url == f"{served.base}/documents/{doc}"
    assert page.inner_text("h1") == QINGFENG
    assert texts(page, "mark.finding") == ["进一步进一步", "80%"]
    assert page.get_attribute("mark#f2", "data-rule") == "rate"
    assert "结案率应为75.0%（结案54件÷立案72件），文中为80%" in page.inner_text("#n2")
    row = page.locator(f"table.review tr[data-fingerprint='{RATE}']")
    assert row.locator("td.status").inner_text() == "待核"
    screenshot(page, "/tmp/page-document.png")
    row.locator("select[name=status]").select_option("驳回")
    row.locator("input[name=note]").fill("口径不同：结案含往年案件")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url == f"{served.base}/documents/{doc}?saved={RATE}#review"
    assert page.inner_text(".flash") == "第 2 条意见的审核状态已保存为“驳回”。"
    row = page.locator(f"table.review tr[data-fingerprint='{RATE}']")
    assert row.locator("td.status").inner_text() == "驳回"
    assert row.locator("select[name=status]").input_value() == "驳回"
    assert "驳回：口径不同：结案含往年案件" in page.inner_text("table.findings")
    assert review_of(served, RATE) == ("驳回", "口径不同：结案含往年案件", "张审核")
    assert all(url.startswith(served.base + "/") for url in page.requests)


@pytest.mark.slow
def test_browser_metrics_view_lists_figures_and_charts_the_series(
    page: Any, served: Served
) -> None:
    sign_in(page, served.analyst)
    page.click("nav.bar >> text=指标")
    page.fill("input[name=indicator]", "立案")
    page.click("form.query button[type=submit]")
    page.wait_for_load_state("load")
    chart = page.locator("svg.chart[role=img]")
    assert chart.count() == 1 and chart.is_visible()
    bars = page.locator("svg.chart rect.bar")
    assert [
        (
            bars.nth(i).get_attribute("data-group"),
            bars.nth(i).get_attribute("data-series"),
            bars.nth(i).get_attribute("data-value"),
        )
        for i in range(bars.count())
    ] == [
        ("临江市", "2024年一季度", "138"),
        ("临江市", "2024年", "693"),
        ("青峰县", "2024年上半年", "72"),
    ]
    values = texts(page, "table.figures tbody td.num")
    assert values == ["72", "138", "693", "118", "96", "87", "102", "91", "64"]
    first = page.locator("table.figures tbody tr").first
    assert first.locator("mark").inner_text() == "72件"
    first.locator("a").click()
    page.wait_for_load_state("load")
    assert page.url == f"{served.base}/documents/{served.ids['ae_01_rate_repeat.txt']}"


@pytest.mark.slow
def test_browser_an_ingest_key_sees_no_documents(page: Any, served: Served) -> None:
    sign_in(page, served.ingest)
    assert page.inner_text("h1") == "无权访问"
    assert page.inner_text(".problem") == "角色 ingest 无权执行此操作（需要：analyst、admin）"
    assert page.locator("ol.results").count() == 0
    answer = page.goto(f"/documents/{served.ids['ae_01_rate_repeat.txt']}")
    assert answer.status == 403 and page.locator("mark.finding").count() == 0
    assert page.goto("/metrics?indicator=立案").status == 403


@pytest.mark.slow
def test_browser_logout_clears_the_key(page: Any, served: Served) -> None:
    sign_in(page, served.analyst)
    assert [c["name"] for c in page.context.cookies()] == [KEY_COOKIE]
    cookie = page.context.cookies()[0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.click("nav.bar button")
    page.wait_for_load_state("load")
    assert page.url == f"{served.base}/login"
    assert page.context.cookies() == []
    page.goto("/")
    assert page.url == f"{served.base}/login?next=%2F"


def test_a_figure_is_marked_at_its_own_offsets_not_its_first_occurrence() -> None:
    from jjnlp.api.page import figure_sentence

    text = "一、概况\n全区立案12件，其中区纪委监委本级立案12件。"
    second = text.rindex("12件")
    item = {"sentence": text[5:], "text": "12件", "start": second, "end": second + 3}
    assert figure_sentence(item, text) == "全区立案12件，其中区纪委监委本级立案<mark>12件</mark>。"
    assert figure_sentence(item, None) == "全区立案<mark>12件</mark>，其中区纪委监委本级立案12件。"
