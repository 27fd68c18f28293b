"""The analysts' search page at ``/``: server-rendered HTML over the same query calls as the
API (search with facets, a document with its findings marked, figures and a series chart,
review status), signed in with an API key kept in an HttpOnly cookie. No script at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jjnlp.api.app import KEY_COOKIE, PERMISSIONS, Refused, api_key_header, require, store_of
from jjnlp.batch.model import KIND_ZH, REVIEW_STATES
from jjnlp.errors import QueryError
from jjnlp.render.charts import grouped_bar_chart
from jjnlp.render.pages import html_page
from jjnlp.store import query as q
from jjnlp.store.access import ROLE_ZH, Caller

PAGE_SIZE = 20
METRICS_PAGE_SIZE = 100
FILTER_NAMES = ("unit", "kind", "period", "period_from", "period_to", "category", "has_findings")
FACET_ZH = {"unit": "单位", "kind": "类型", "category": "问题类别", "period": "期间"}
SORT_ZH = {"relevance": "相关度", "period": "期间（新的在前）"}
HAS_FINDINGS_ZH = {"": "不限", "1": "有审校意见", "0": "无审校意见"}
HEADERS = {
    # no script, no frame, no URL outside this host; the pages hold reports: never cached
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

_STYLE = """
body{margin:0 auto;padding:0 1em 2em}
.bar{display:flex;align-items:center;gap:1.2em;background:#8b1a1a;color:#fff;
margin:0 -1em 1em;padding:.45em 1em}
.bar a{color:#fff;text-decoration:none}.bar a.here{border-bottom:2px solid #fff}
.bar .brand{font-weight:bold;margin-right:.6em}.bar .who{margin-left:auto;font-size:.9em}
.bar form{margin:0}.bar button{background:none;border:1px solid #fff;color:#fff;
border-radius:3px;padding:.1em .6em;cursor:pointer}
form.query{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;margin:.4em 0 1em}
form.query label{display:flex;flex-direction:column;font-size:.85em;color:#555}
form.query input,form.query select{font:inherit;padding:.2em .4em;min-width:8em;height:2.1em;
box-sizing:border-box}
form.query input[name=q],form.query input[name=indicator]{min-width:22em}
button{font:inherit}
.layout{display:grid;grid-template-columns:15em 1fr;gap:1.5em}
.facets h3{font-size:.95em;margin:1em 0 .3em;color:#555}
.facets ul{list-style:none;margin:0;padding:0;font-size:.9em}
.facets li{display:flex;justify-content:space-between;gap:.5em;padding:.05em 0}
.facets li.on a{font-weight:bold;color:#8b1a1a}.facets .n{color:#777}
.chips{margin:0 0 .6em;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.4em}
.chips li{background:#f1e4e4;border-radius:3px;padding:0 .5em;font-size:.9em}
.chips a{text-decoration:none;margin-left:.3em}
ol.results{list-style:none;padding:0;margin:0}
ol.results li{border-bottom:1px solid #ddd;padding:.6em 0}
ol.results h2{font-size:1.05em;margin:0;border:0;padding:0}
.snippet{margin:.2em 0;color:#333}
mark{background:#ffe08a;padding:0 1px}
.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.85em;color:#fff;
margin-left:.3em}.badge.error{background:#b00}.badge.warning{background:#a60}
.badge.info{background:#15c}.badge.old{background:#777}
.pager{margin:1em 0;display:flex;gap:1.5em}
.flash{background:#eaf6ea;border:1px solid #7b7;padding:.4em .8em}
.problem{background:#fff3f3;border:1px solid #d33;padding:.6em 1em}
table.review td form{display:flex;gap:.4em;margin:0}
table.review input[name=note]{flex:1;min-width:10em}
.login{max-width:28em;margin:4em auto}
.login input{width:100%;font:inherit;padding:.3em;box-sizing:border-box;margin:.3em 0 .8em}
"""


class PageRefused(Exception):
    """A page request refused: 401 goes to the login form, anything else is shown."""

    def __init__(self, status: int, detail: str, caller: Caller | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.caller = caller


def page_caller(permission: str) -> Callable[..., Caller]:
    """The API's ``require(permission)``, its refusals turned into pages."""
    check = require(permission)

    def caller(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> Caller:
        try:
            return check(request, key)
        except Refused as exc:
            raise PageRefused(exc.status, exc.detail, request.state.caller) from exc

    return caller


Reader = Annotated[Caller, Depends(page_caller("read"))]
Reviewer = Annotated[Caller, Depends(page_caller("review"))]


# --------------------------------------------------------------------------- small pieces


def same_origin(request: Request) -> bool:
    """Whether a form post comes from this host: its Origin (or else its Referer), when the
    browser sends one, names this host (the cookie is SameSite=Strict besides)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    return source != "null" and urlsplit(source).netloc == request.headers.get("host", "")


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this host, else ``/`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def href(path: str, params: Mapping[str, str | None]) -> str:
    """``path?params`` without the empty ones, escaped for an attribute."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return escape(path + ("?" + urlencode(kept) if kept else ""))


def pager(path: str, params: Mapping[str, str], cursor: str | None, following: str | None) -> str:
    """Links to the first page (when not on it) and to the next one (when there is one)."""
    links = []
    if cursor:
        links.append(f'<a href="{href(path, params)}">« 第一页</a>')
    if following:
        links.append(f'<a href="{href(path, {**params, "cursor": following})}">下一页 »</a>')
    return f'<nav class="pager">{"".join(links)}</nav>'


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def options(choices: Mapping[str, str], current: str) -> str:
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == current else ""}>{escape(label)}</option>'
        for v, label in choices.items()
    )


def kind_zh(kind: str | None) -> str:
    return KIND_ZH.get(kind or "", kind or "")


def top_bar(caller: Caller | None, here: str = "") -> str:
    links = "".join(
        f'<a href="{path}"{" class=here" if path == here else ""}>{label}</a>'
        for path, label in (("/", "检索"), ("/metrics", "指标"))
    )
    who = ""
    if caller is not None:
        name = caller.label or caller.prefix
        role = ROLE_ZH.get(caller.role, caller.role)
        who = (
            f'<span class="who">{escape(name)} · {escape(role)}</span>'
            '<form method="post" action="/logout"><button type="submit">退出</button></form>'
        )
    return f'<nav class="bar no-print"><span class="brand">jjnlp 分析库</span>{links}{who}</nav>'


def frame(title: str, body: str, caller: Caller | None, here: str = "") -> str:
    return html_page(title, top_bar(caller, here) + body, style=_STYLE)


def problem_page(status: int, detail: str, caller: Caller | None) -> HTMLResponse:
    heading = {403: "无权访问", 404: "未找到"}.get(status, "请求无法处理")
    body = (
        f'<h1>{heading}</h1><p class="problem">{escape(detail)}</p>'
        '<p><a href="/">返回检索</a> · <a href="/login">换用其他密钥登录</a></p>'
    )
    return html(frame(heading, body, caller), status)


# --------------------------------------------------------------------------- sign in


def login_page(next_path: str, message: str = "", status: int = 200) -> HTMLResponse:
    alert = f'<p class="problem">{escape(message)}</p>' if message else ""
    body = (
        '<div class="login"><h1>登录 jjnlp 分析库</h1>'
        "<p>请粘贴管理员为您签发的 API 密钥（以 jj_ 开头）。密钥只保存在本浏览器的会话"
        "Cookie 中，关闭浏览器或点击“退出”即清除。</p>"
        f'{alert}<form method="post" action="/login">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<label>API 密钥<input type="password" name="key" autocomplete="off" required '
        'maxlength="200" autofocus></label><button type="submit">登录</button></form></div>'
    )
    return html(frame("登录", body, None), status)


def sign_in(request: Request, key: str, next_path: str) -> Response:
    if not same_origin(request):
        return problem_page(403, "请求来源不是本站，已拒绝", None)
    caller = request.app.state.authenticate(key.strip())
    request.state.caller = caller
    if caller is None:
        return login_page(next_path, "密钥无效或已被吊销，请核对后重试", 401)
    response = see_other(local_path(next_path))
    response.set_cookie(
        KEY_COOKIE,
        key.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def sign_out(request: Request) -> Response:
    if request.method == "POST" and not same_origin(request):
        return problem_page(403, "请求来源不是本站，已拒绝", None)
    response = see_other("/login")
    response.delete_cookie(KEY_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --------------------------------------------------------------------------- search


def search_form(params: Mapping[str, str]) -> str:
    kinds = {"": "全部", **KIND_ZH}
    text = "".join(
        f'<label>{label}<input name="{name}" value="{escape(params.get(name, ""))}"'
        f' placeholder="{placeholder}"></label>'
        for name, label, placeholder in (
            ("unit", "单位", "如：临江市"),
            ("period_from", "期间起", "2024-01-01 或 2024年一季度"),
            ("period_to", "期间止", "2024年"),
            ("category", "问题类别", ""),
        )
    )
    return (
        '<form class="query" method="get" action="/" role="search">'
        f'<label>检索词<input type="search" name="q" value="{escape(params.get("q", ""))}"'
        ' maxlength="500" placeholder="如：惠民惠农；引号内为短语"></label>'
        f'<label>类型<select name="kind">{options(kinds, params.get("kind", ""))}</select></label>'
        f"{text}"
        f'<label>审校意见<select name="has_findings">'
        f"{options(HAS_FINDINGS_ZH, params.get('has_findings', ''))}</select></label>"
        f'<label>排序<select name="sort">{options(SORT_ZH, params.get("sort", ""))}</select>'
        '</label><button type="submit">检索</button></form>'
    )


def search_params(request: Request) -> dict[str, str]:
    names = ("q", "sort", *FILTER_NAMES)
    return {n: request.query_params.get(n, "").strip()[:500] for n in names}


def search_request(params: Mapping[str, str], cursor: str | None) -> q.Search:
    has = params.get("has_findings", "")
    filters = q.Filters(
        unit=params.get("unit") or None,
        kind=params.get("kind") or None,
        period=params.get("period") or None,
        period_from=params.get("period_from") or None,
        period_to=params.get("period_to") or None,
        category=params.get("category") or None,
        has_findings={"1": True, "0": False}.get(has),
    )
    query = params.get("q", "")
    sort = params.get("sort") or ("relevance" if query else "period")
    return q.Search(q=query, filters=filters, sort=sort, limit=PAGE_SIZE, cursor=cursor)


def facet_filter(facet: str, value: str | None) -> dict[str, str] | None:
    """The filter that selects a facet value's documents (None: a missing value, which no
    filter selects)."""
    if value is None:
        return None
    return {facet: value}


def facets_box(facets: Mapping[str, list[dict[str, Any]]], params: Mapping[str, str]) -> str:
    parts = ['<aside class="facets"><h2>筛选</h2>']
    for facet, label in FACET_ZH.items():
        rows = []
        for entry in facets.get(facet, []):
            value, count = entry["value"], entry["count"]
            shown = escape(kind_zh(value) if facet == "kind" else (value or "（未识别）"))
            chosen = facet_filter(facet, value)
            on = chosen is not None and all(params.get(k) == v for k, v in chosen.items())
            link = (
                f'<a href="{href("/", {**params, **chosen})}">{shown}</a>'
                if chosen is not None
                else f"<span>{shown}</span>"
            )
            rows.append(
                f'<li class="{"on" if on else ""}" data-facet="{facet}" '
                f'data-value="{escape(value or "")}">{link}<span class="n">{count}</span></li>'
            )
        parts.append(f"<h3>{label}</h3><ul>{''.join(rows) or '<li>—</li>'}</ul>")
    parts.append("</aside>")
    return "".join(parts)


def active_filters(params: Mapping[str, str]) -> str:
    labels = {
        "unit": "单位",
        "kind": "类型",
        "period": "期间",
        "period_from": "期间起",
        "period_to": "期间止",
        "category": "问题类别",
        "has_findings": "审校意见",
    }
    chips = []
    for name in FILTER_NAMES:
        value = params.get(name, "")
        if not value:
            continue
        shown = {"kind": kind_zh(value), "has_findings": HAS_FINDINGS_ZH.get(value, value)}.get(
            name, value
        )
        without = {k: v for k, v in params.items() if k != name}
        chips.append(
            f"<li>{labels[name]}：{escape(shown)}"
            f'<a href="{href("/", without)}" title="去掉此条件">×</a></li>'
        )
    return f'<ul class="chips">{"".join(chips)}</ul>' if chips else ""


def result_item(item: Mapping[str, Any]) -> str:
    title = escape(item["title"] or item["file"])
    meta = " · ".join(
        escape(x) for x in (item["unit"], kind_zh(item["kind"]), item["period"], item["file"]) if x
    )
    badges = "".join(
        f'<span class="badge {s}">{label}{item[s + "s"]}</span>'
        for s, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
        if item[s + "s"]
    )
    if item["superseded_by"] is not None:
        badges += '<span class="badge old">已被新版本取代</span>'
    # snippets come HTML-escaped from the store, the matches already in <mark>
    snippets = "".join(f'<p class="snippet">{s}</p>' for s in item["snippets"])
    return (
        f'<li class="result" data-id="{int(item["id"])}"><h2>'
        f'<a href="/documents/{int(item["id"])}">{title}</a></h2>'
        f'<div class="meta">{meta}{badges}</div>{snippets}</li>'
    )


def results_list(found: Mapping[str, Any], params: Mapping[str, str], cursor: str | None) -> str:
    items = found["items"]
    query = params.get("q", "")
    heading = (
        f"检索“{escape(query)}”：共 {found['total']} 个文档"
        if query
        else f"最新文档：共 {found['total']} 个"
    )
    if found.get("notice"):
        heading += f'<br><span class="notice">{escape(found["notice"])}</span>'
    if not items:
        return f'<p class="meta" id="total">{heading}</p><p class="empty">没有符合条件的文档。</p>'
    rows = "".join(result_item(item) for item in items)
    return f'<p class="meta" id="total">{heading}</p><ol class="results">{rows}</ol>' + pager(
        "/", params, cursor, found["next_cursor"]
    )


def search_page(request: Request, caller: Caller) -> HTMLResponse:
    params = search_params(request)
    cursor = request.query_params.get("cursor") or None
    try:
        found = q.search(store_of(request), search_request(params, cursor))
    except QueryError as exc:
        request.state.results = 0
        body = (
            f"<h1>检索</h1>{search_form(params)}"
            f'<p class="problem">参数 {escape(exc.path)}：{escape(exc.message)}</p>'
        )
        return html(frame("检索", body, caller, "/"), 400)
    request.state.results = len(found["items"])
    body = (
        f"<h1>检索</h1>{search_form(params)}"
        f'<div class="layout">{facets_box(found["facets"], params)}'
        f"<section>{active_filters(params)}{results_list(found, params, cursor)}</section></div>"
    )
    return html(frame("检索", body, caller, "/"))


# --------------------------------------------------------------------------- a document


def review_table(
    doc_id: int, items: list[dict[str, Any]], numbers: dict[str, int], editable: bool
) -> str:
    """One row per finding: its number on the page, what it says, and the review form."""
    if not items:
        return ""
    rows = []
    for f in sorted(items, key=lambda f: numbers.get(f["fingerprint"], 0)):
        n = numbers.get(f["fingerprint"])
        number = f'<a href="#n{n}">{n}</a>' if n else ""
        fp = escape(f["fingerprint"])
        if editable:
            states = options({s: s for s in REVIEW_STATES}, f["review"])
            cell = (
                f'<form method="post" action="/documents/{doc_id}/review/{fp}">'
                f'<select name="status" aria-label="审核状态">{states}</select>'
                f'<input name="note" value="{escape(f["note"])}" maxlength="2000" '
                'placeholder="审核意见（可空）" aria-label="审核意见">'
                '<button type="submit">保存</button></form>'
            )
        else:
            cell = escape(f["review"]) + (f"：{escape(f['note'])}" if f["note"] else "")
        who = escape(f["reviewer"] or "")
        rows.append(
            f'<tr data-fingerprint="{fp}"><td>{number}</td>'
            f"<td>{escape(f['text'] or f['sentence'])}</td><td>{escape(f['message'])}</td>"
            f'<td class="status">{escape(f["review"])}</td><td>{cell}</td><td>{who}</td></tr>'
        )
    return (
        '<h2 id="review">审核状态</h2><table class="review"><thead><tr><th>#</th><th>原文</th>'
        "<th>意见</th><th>状态</th><th>审核</th><th>审核人</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def document_page(request: Request, caller: Caller, doc_id: int) -> HTMLResponse:
    from jjnlp.render.document_page import finding_numbers, render_document_page

    store = store_of(request)
    record = q.record(store, doc_id)
    if record is None:
        return problem_page(404, f"文档 {doc_id} 不存在", caller)
    request.state.results = 1
    numbers = finding_numbers(record, [])
    items = q.findings(
        store, doc_id=doc_id, filters=q.Filters(include_superseded=True), limit=10_000
    )["items"]
    editable = caller.role in PERMISSIONS["review"]
    saved = request.query_params.get("saved", "")
    flash = ""
    done = next((f for f in items if f["fingerprint"] == saved), None)
    if done is not None:
        n = numbers.get(saved, "")
        verdict = escape(done["review"])
        flash = f'<p class="flash" role="status">第 {n} 条意见的审核状态已保存为“{verdict}”。</p>'
    review = flash + review_table(doc_id, items, numbers, editable)
    page = render_document_page(
        record,
        [],
        back=("/", "返回检索"),
        packaged=False,
        header=top_bar(caller),
        before_text=review,
        style=_STYLE,
    )
    return html(page)


def save_review(
    request: Request, caller: Caller, doc_id: int, fingerprint: str, status: str, note: str
) -> Response:
    if not same_origin(request):
        return problem_page(403, "请求来源不是本站，已拒绝", caller)
    if status not in REVIEW_STATES:
        return problem_page(400, "审核状态只能是 " + "、".join(REVIEW_STATES), caller)
    store = store_of(request)
    found = q.findings(
        store,
        fingerprint=fingerprint,
        doc_id=doc_id,
        filters=q.Filters(include_superseded=True),
        limit=1,
    )["items"]
    if not found:
        return problem_page(404, f"文档 {doc_id} 中没有指纹为 {fingerprint} 的审校意见", caller)
    q.set_review(store, fingerprint, status, note[:2000], caller.label or caller.prefix)
    request.state.results = 1
    return see_other(f"/documents/{doc_id}?{urlencode({'saved': fingerprint})}#review")


# --------------------------------------------------------------------------- figures


def series_chart(indicator: str, measure: str, result: Mapping[str, Any]) -> str:
    """The series as grouped bars: one cluster per unit, one bar per period."""
    periods: dict[str, str] = {}
    values: dict[tuple[str, str], Decimal] = {}
    measures = set()
    for line in result["series"]:
        for point in line["points"]:
            try:
                value = Decimal(point["value"])
            except (InvalidOperation, TypeError):
                continue
            period = point["period"] or point["period_end"]
            periods.setdefault(period, point["period_end"])
            values[(line["unit"], period)] = value
            measures.add(point["measure"] or "")
    if not values:
        return f'<p class="empty">没有“{escape(indicator)}”按期间的序列。</p>'
    units = [line["unit"] for line in result["series"]]
    ordered = sorted(periods, key=lambda p: periods[p])
    shown = measure or ("、".join(sorted(m for m in measures if m)))
    title = f"{indicator}：按单位和期间" + (f"（{shown}）" if shown else "")
    chart = grouped_bar_chart(title, units, ordered, values, unit=measure or "")
    note = (
        '<p class="meta">注意：序列含多种计量单位，请在“计量单位”中选定一种再比较。</p>'
        if len(measures) > 1 and not measure
        else ""
    )
    return f'<h2 id="chart">{escape(title)}</h2>{note}<div class="chart-box">{chart}</div>'


def figure_sentence(item: Mapping[str, Any], text: str | None) -> str:
    """The sentence with the figure marked: at its own offsets when the sentence is found in
    the document's ``text`` around them, else at the figure's first occurrence."""
    sentence, piece = item["sentence"] or "", item["text"] or ""
    start, end = item["start"], item["end"]
    at = -1
    if text is not None and sentence and isinstance(start, int) and isinstance(end, int):
        begins = text.find(sentence, max(0, start - len(sentence)), end + len(sentence))
        if 0 <= begins <= start and end <= begins + len(sentence):
            at, piece = start - begins, text[start:end]
    if at < 0:
        at = sentence.find(piece) if piece else -1
    if at < 0:
        return escape(sentence)
    return (
        escape(sentence[:at])
        + f"<mark>{escape(piece)}</mark>"
        + escape(sentence[at + len(piece) :])
    )


def figures_table(items: Iterable[Mapping[str, Any]], texts: Mapping[int, str | None]) -> str:
    flags = (("approx", "约数"), ("comparison", "比较基数"), ("part", "分项"))
    rows = []
    for m in items:
        tags = "".join(f'<span class="badge old">{label}</span>' for k, label in flags if m[k])
        rows.append(
            f'<tr><td class="num">{escape(m["value"] or "")}</td>'
            f"<td>{escape(m['measure'] or '')}</td><td>{escape(m['indicator'] or '')}{tags}</td>"
            f"<td>{escape(m['unit'] or '')}</td><td>{escape(m['scope'] or '')}</td>"
            f"<td>{escape(m['period'] or m['document_period'] or '')}</td>"
            f'<td><a href="/documents/{int(m["doc_id"])}">{escape(m["file"])}</a></td>'
            f"<td>{figure_sentence(m, texts.get(m['doc_id']))}</td></tr>"
        )
    if not rows:
        return '<p class="empty">没有符合条件的指标。</p>'
    return (
        '<table class="figures"><thead><tr><th>数值</th><th>计量单位</th><th>指标</th>'
        "<th>报送单位</th><th>口径</th><th>期间</th><th>文档</th><th>原句</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def metrics_form(indicator: str, measure: str, unit: str) -> str:
    from jjnlp.resources import load_toml

    quick = " ".join(
        f'<a href="{href("/metrics", {"indicator": name})}">{escape(name)}</a>'
        for name in load_toml("batch.toml")["summary"]["charted"]
    )
    return (
        '<form class="query" method="get" action="/metrics">'
        f'<label>指标<input name="indicator" value="{escape(indicator)}" maxlength="100" '
        'placeholder="如：立案、结案、党纪政务处分"></label>'
        f'<label>计量单位<input name="measure" value="{escape(measure)}" maxlength="20" '
        'placeholder="件、人、元、% …"></label>'
        f'<label>单位<input name="unit" value="{escape(unit)}" maxlength="200"></label>'
        f'<button type="submit">查询</button></form><p class="meta">常用：{quick}</p>'
    )


def metrics_page(request: Request, caller: Caller) -> HTMLResponse:
    get = request.query_params.get
    indicator = get("indicator", "").strip()[:100]
    measure = get("measure", "").strip()[:20]
    unit = get("unit", "").strip()[:200]
    cursor = get("cursor") or None
    body = [f"<h1>指标</h1>{metrics_form(indicator, measure, unit)}"]
    if not indicator:
        request.state.results = 0
        body.append('<p class="empty">请输入一个指标名，查看各文档中的数值及其按期间的序列。</p>')
        return html(frame("指标", "".join(body), caller, "/metrics"))
    store = store_of(request)
    filters = q.Filters(unit=unit or None)
    try:
        found = q.metrics(
            store,
            indicator,
            measure or None,
            filters=filters,
            limit=METRICS_PAGE_SIZE,
            cursor=cursor,
        )
        line = q.series(store, indicator, measure or None, filters)
    except QueryError as exc:
        request.state.results = 0
        body.append(f'<p class="problem">参数 {escape(exc.path)}：{escape(exc.message)}</p>')
        return html(frame("指标", "".join(body), caller, "/metrics"), 400)
    request.state.results = len(found["items"])
    body.append(series_chart(indicator, measure, line))
    body.append(f'<h2 id="figures">“{escape(indicator)}”的数值</h2>')
    texts = {doc: q.text(store, doc) for doc in {m["doc_id"] for m in found["items"]}}
    body.append(figures_table(found["items"], texts))
    params = {"indicator": indicator, "measure": measure, "unit": unit}
    body.append(pager("/metrics", params, cursor, found["next_cursor"]))
    return html(frame(f"指标：{indicator}", "".join(body), caller, "/metrics"))


# --------------------------------------------------------------------------- routes


def page_routes(app: FastAPI) -> None:
    """The page's routes on ``app`` (outside the API's schema)."""

    @app.exception_handler(PageRefused)
    async def refused(request: Request, exc: PageRefused) -> Response:
        if exc.status == 401:
            path = request.url.path
            if request.method == "GET" and request.url.query:
                path += "?" + request.url.query
            target = path if request.method == "GET" else "/"
            return see_other("/login?" + urlencode({"next": target}))
        return problem_page(exc.status, exc.detail, exc.caller)

    @app.get("/login", include_in_schema=False)
    def get_login(request: Request) -> HTMLResponse:
        return login_page(local_path(request.query_params.get("next")))

    @app.post("/login", include_in_schema=False)
    def post_login(
        request: Request,
        key: Annotated[str, Form(max_length=200)],
        next_: Annotated[str, Form(alias="next", max_length=2000)] = "/",
    ) -> Response:
        return sign_in(request, key, next_)

    @app.api_route("/logout", methods=["GET", "POST"], include_in_schema=False)
    def logout(request: Request) -> Response:
        return sign_out(request)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", include_in_schema=False)
    def home(request: Request, caller: Reader) -> HTMLResponse:
        return search_page(request, caller)

    @app.get("/documents/{doc_id}", include_in_schema=False)
    def get_document(request: Request, caller: Reader, doc_id: int) -> HTMLResponse:
        return document_page(request, caller, doc_id)

    @app.post("/documents/{doc_id}/review/{fingerprint}", include_in_schema=False)
    def post_review(
        request: Request,
        caller: Reviewer,
        doc_id: int,
        fingerprint: str,
        status: Annotated[str, Form()],
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        return save_review(request, caller, doc_id, fingerprint, status, note)

    @app.get("/metrics", include_in_schema=False)
    def get_metrics(request: Request, caller: Reader) -> HTMLResponse:
        return metrics_page(request, caller)
