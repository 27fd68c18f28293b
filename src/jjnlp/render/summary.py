"""The batch review's summary page: counts, charts, every document, cross-document findings.

One self-contained HTML file (``summary.html``) beside ``documents/``, where each row of the
document table links to that document's page (:mod:`jjnlp.render.document_page`).
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from decimal import Decimal
from html import escape

from jjnlp.audit.registry import rule_title
from jjnlp.batch.model import KIND_ZH, Batch, DocRecord, Finding, Similar
from jjnlp.render.charts import grouped_bar_chart, hbar_chart
from jjnlp.render.findings import SEVERITY_ZH
from jjnlp.render.pages import (
    FINDING_HEADS,
    SEVERITIES,
    counts_list,
    failure_text,
    file_link,
    finding_cells,
    html_page,
    severity_cell,
    severity_counts,
    table,
)
from jjnlp.resources import load_toml

TITLE = "批量审核汇总"
DOCUMENTS = "documents/"
NO_UNIT = "未识别单位"
NO_PERIOD = "未注明期间"

_STYLE = """
nav{font-size:.92em}nav a{margin-right:1em}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
figure{margin:0}figcaption{font-weight:bold;margin-bottom:.3em}
svg.chart{max-width:100%;height:auto;background:#fff}
.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:center;margin:.5em 0}
.filters input,.filters select{font:inherit;padding:.2em .4em}
#docs th button{font:inherit;font-weight:bold;border:0;background:none;cursor:pointer;
padding:0;text-align:left;color:#222}
#docs th[aria-sort=ascending] button::after{content:" ▲"}
#docs th[aria-sort=descending] button::after{content:" ▼"}
#docs td:nth-child(n+2):nth-child(-n+8){white-space:nowrap}
.doc-title{color:#555;font-size:.9em}
table.passages{table-layout:fixed}table.passages td{width:50%;white-space:pre-wrap}
.diff{background:#ffe08a}
.pair{margin-bottom:1.4em}.pair h3{font-size:1em;margin:.4em 0}
"""

# ES5 on purpose: some office machines still run old Chromium shells (360, QQ)
_SCRIPT = r"""
(function () {
  var table = document.getElementById("docs");
  if (!table) { return; }
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  function key(row, i) {
    var cell = row.cells[i], v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(i) {
    var th = heads[i], asc = th.getAttribute("aria-sort") !== "ascending";
    var numeric = th.getAttribute("data-type") === "number";
    for (var j = 0; j < heads.length; j++) { heads[j].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
      return asc ? r : -r;
    });
    for (var k = 0; k < rows.length; k++) { body.appendChild(rows[k]); }
  }
  for (var i = 0; i < heads.length; i++) {
    (function (i) {
      heads[i].querySelector("button").addEventListener("click", function () { sortBy(i); });
    })(i);
  }
  var text = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var kind = document.getElementById("filter-kind");
  var shown = document.getElementById("filter-count");
  function bySeverity(row, want) {
    var d = row.dataset;
    if (want === "") { return true; }
    if (want === "failed") { return d.failed === "1"; }
    if (want === "clean") { return d.failed === "0" && d.error === "0" && d.warning === "0"; }
    return parseInt(d[want], 10) > 0;
  }
  function apply() {
    var words = text.value.trim().toLowerCase(), n = 0;
    for (var r = 0; r < body.rows.length; r++) {
      var row = body.rows[r];
      var ok = (words === "" || row.textContent.toLowerCase().indexOf(words) >= 0) &&
        bySeverity(row, severity.value) &&
        (kind.value === "" || row.dataset.kind === kind.value);
      row.hidden = !ok;
      if (ok) { n++; }
    }
    shown.textContent = "显示 " + n + " / " + body.rows.length + " 个文件";
  }
  text.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  kind.addEventListener("change", apply);
  apply();
})();
"""


def render_summary(batch: Batch) -> str:
    """The whole summary page of ``batch`` as one HTML string."""
    findings = batch.findings()
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    sections = [
        _header(batch, findings),
        _rule_section(findings),
        _unit_section(batch, findings),
        _indicator_section(batch),
        _documents_section(batch, by_file),
        _unprocessed_section(batch),
        _cross_section(batch),
        _similar_section(batch),
        _absent_section(batch),
    ]
    return html_page(TITLE, "\n".join(sections), style=_STYLE, script=_SCRIPT)


# ------------------------------------------------------------------------------ sections


def _header(batch: Batch, findings: list[Finding]) -> str:
    failed = sum(d.failed for d in batch.documents)
    done = len(batch.documents) - failed
    version = f"；jjnlp {escape(batch.version)}" if batch.version else ""
    absent = f"；与上一轮相比已消失{len(batch.absent)}条" if batch.absent else ""
    return (
        f"<h1>{TITLE}</h1>"
        f'<p class="meta">共{len(batch.documents) + len(batch.skipped)}个文件：'
        f"已审核{done}个，处理失败{failed}个，跳过{len(batch.skipped)}个{version}</p>"
        '<nav class="no-print"><a href="#by-rule">按规则</a><a href="#by-unit">按单位</a>'
        '<a href="#indicators">主要指标</a><a href="#documents">文件一览</a>'
        '<a href="#unprocessed">未能审核</a><a href="#cross">跨文件问题</a>'
        '<a href="#similar">内容雷同</a></nav>'
        '<h2 id="overview">问题总数</h2>'
        f"{counts_list(severity_counts(findings))}"
        f'<p class="meta">其中跨文件问题{len(batch.cross)}条{absent}。</p>'
    )


def _rule_section(findings: list[Finding]) -> str:
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    files: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        per_rule[f.rule][f.severity] += 1
        files[f.rule].add(f.file)
    order = sorted(per_rule, key=lambda r: (-per_rule[r].total(), r))
    if not order:
        return _titled("by-rule", "按规则统计", "", "本批文件未发现问题。")
    chart = hbar_chart(
        "各规则发现的问题数",
        [(rule_title(r), per_rule[r].total()) for r in order],
        css_class="by-rule",
    )
    heads = ("规则", "合计", *(SEVERITY_ZH[s] for s in SEVERITIES), "涉及文件")
    rows = (
        f'<tr><td title="{escape(r)}">{escape(rule_title(r))}</td>'
        + "".join(_num(n) for n in (per_rule[r].total(), *(per_rule[r][s] for s in SEVERITIES)))
        + f"{_num(len(files[r]))}</tr>"
        for r in order
    )
    body = (
        '<div class="charts">'
        f"<figure><figcaption>各规则发现的问题数</figcaption>{chart}</figure>"
        f"<div>{table('rules', heads, rows)}</div></div>"
    )
    return _titled("by-rule", "按规则统计", body, "")


def _num(value: int) -> str:
    return f'<td class="num">{value}</td>'


def _unit_section(batch: Batch, findings: list[Finding]) -> str:
    unit_of = {d.file: d.identity.unit or NO_UNIT for d in batch.documents}
    counts = Counter(unit_of.get(f.file, NO_UNIT) for f in findings)
    if not counts:
        return _titled("by-unit", "按单位统计", "", "本批文件未发现问题。")
    chart = hbar_chart("各单位文件中的问题数", counts.most_common(), css_class="by-unit")
    body = f"<figure><figcaption>各单位文件中的问题数</figcaption>{chart}</figure>"
    return _titled("by-unit", "按单位统计", body, "")


def charted_figures(batch: Batch) -> dict[str, dict[tuple[str, str], Decimal]]:
    """For each charted indicator, (unit, period) → the value: each document's first figure
    of exactly that indicator, not of the reporting body alone (本级), not a base period."""
    config = load_toml("batch.toml")["summary"]
    excluded = tuple(config["excluded_scopes"])
    out: dict[str, dict[tuple[str, str], Decimal]] = {name: {} for name in config["charted"]}
    for record in batch.documents:
        unit = record.identity.unit or NO_UNIT
        for name, values in out.items():
            figure = next(
                (
                    g
                    for g in record.figures
                    if g.indicator == name
                    and not g.comparison
                    and not (g.scope or "").endswith(excluded)
                ),
                None,
            )
            if figure is not None:
                period = record.identity.period or figure.period or NO_PERIOD
                values.setdefault((unit, period), figure.value)
    return out


def _period_order(batch: Batch) -> dict[str, tuple[str, int]]:
    """Each period's sort key: its dates when known (start, then end), else where it first
    appears (2024年一季度 before 2024年上半年, which starts the same day)."""
    order: dict[str, tuple[str, int]] = {}
    for i, record in enumerate(batch.documents):
        period = record.identity.period
        if period and period not in order:
            order[period] = (record.identity.period_key or "9999", i)
    return order


def _indicator_section(batch: Batch) -> str:
    charted = charted_figures(batch)
    order = _period_order(batch)
    keys = {k for values in charted.values() for k in values}
    charted_units = {k[0] for k in keys}
    units = [
        u
        for u in dict.fromkeys(d.identity.unit or NO_UNIT for d in batch.documents)
        if u in charted_units
    ]
    # one list of periods for every chart, so a period keeps its colour across them
    periods = sorted({k[1] for k in keys}, key=lambda p: order.get(p, ("9999", 1 << 30)))
    figures = []
    for name, values in charted.items():
        if not values:
            figures.append(f'<p class="empty">本批文件中未识别到“{escape(name)}”的数字。</p>')
            continue
        chart = grouped_bar_chart(
            f"{name}：按单位和期间", units, periods, values, unit=_unit_of(batch, name)
        )
        figures.append(f"<figure><figcaption>{escape(name)}</figcaption>{chart}</figure>")
    return (
        '<h2 id="indicators">主要指标（按单位和期间）</h2>'
        '<p class="meta">取各文件中第一个该指标的数字（不含“本级”及同期对比数）。</p>'
        f'<div class="charts">{"".join(figures)}</div>'
    )


def _unit_of(batch: Batch, indicator: str) -> str:
    return next(
        (g.stated_unit for d in batch.documents for g in d.figures if g.indicator == indicator),
        "",
    )


_COLUMNS = (
    ("文件", "text"),
    ("单位", "text"),
    ("级别", "text"),
    ("期间", "text"),
    ("类型", "text"),
    ("识别数字/已核对", "number"),
    ("错误", "number"),
    ("警告", "number"),
    ("处理失败原因", "text"),
)


def _documents_section(batch: Batch, by_file: dict[str, list[Finding]]) -> str:
    heads = "".join(
        f'<th data-type="{kind}" scope="col"><button type="button">{name}</button></th>'
        for name, kind in _COLUMNS
    )
    rows = "".join(_document_row(d, by_file.get(d.file, [])) for d in batch.documents)
    kinds = "".join(f'<option value="{k}">{v}</option>' for k, v in KIND_ZH.items())
    filters = (
        '<div class="filters no-print">'
        '<label>筛选：<input type="search" id="filter-text" placeholder="文件名、单位、期间…">'
        '</label><label>问题：<select id="filter-severity"><option value="">全部</option>'
        '<option value="error">有错误</option><option value="warning">有警告</option>'
        '<option value="clean">无错误和警告</option><option value="failed">处理失败</option>'
        f'</select></label><label>类型：<select id="filter-kind"><option value="">全部</option>'
        f'{kinds}</select></label><span id="filter-count" aria-live="polite"></span></div>'
    )
    return (
        f'<h2 id="documents">文件一览</h2>{filters}'
        f'<table id="docs"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _document_row(record: DocRecord, findings: list[Finding]) -> str:
    ident = record.identity
    counts = severity_counts(findings)
    title = f'<div class="doc-title">{escape(record.title)}</div>' if record.title else ""
    cells = [
        f"<td>{file_link(record.file, DOCUMENTS)}{title}</td>",
        f"<td>{escape(ident.unit or '')}</td>",
        f"<td>{escape(ident.level or '')}</td>",
        f'<td data-sort="{escape(ident.period_key or ident.period or "")}">'
        f"{escape(ident.period or '')}</td>",
        f"<td>{escape(KIND_ZH.get(ident.kind, ident.kind))}</td>",
    ]
    if record.error is not None:
        cells += ['<td class="num" data-sort="-1">—</td>'] * 3
        cells.append(f'<td class="failed">{failure_text(record.error)}</td>')
    else:
        found = record.coverage.get("figures_found", 0)
        checked = record.coverage.get("figures_checked", 0)
        cells += [
            f'<td class="num" data-sort="{found}">{found} / {checked}</td>',
            f'<td class="num">{counts["error"]}</td>',
            f'<td class="num">{counts["warning"]}</td>',
            "<td></td>",
        ]
    data = "".join(f' data-{s}="{counts[s]}"' for s in SEVERITIES)
    return (
        f'<tr data-kind="{escape(ident.kind)}" data-failed="{int(record.failed)}"{data}>'
        f"{''.join(cells)}</tr>"
    )


def _unprocessed_section(batch: Batch) -> str:
    rows = [
        f"<tr><td>{file_link(d.file, DOCUMENTS)}</td><td>处理失败</td>"
        f'<td class="failed">{failure_text(d.error)}</td></tr>'
        for d in batch.documents
        if d.error is not None
    ]
    rows += [
        f"<tr><td>{escape(file)}</td><td>已跳过</td><td>{escape(reason)}</td></tr>"
        for file, reason in batch.skipped
    ]
    body = table("unprocessed", ("文件", "情况", "原因"), rows) if rows else ""
    return _titled("unprocessed", "未能审核的文件", body, "无。")


def _cross_section(batch: Batch) -> str:
    rows = (
        f"<tr>{severity_cell(f)}<td>{escape(rule_title(f.rule))}</td>"
        f"<td>{file_link(f.file, DOCUMENTS)}</td>"
        f"<td>{'<br>'.join(file_link(o, DOCUMENTS) for o in f.other_files)}</td>"
        f"{finding_cells(f)}</tr>"
        for f in batch.cross
    )
    heads = ("级别", "规则", "所在文件", "涉及文件", *FINDING_HEADS)
    body = table("cross", heads, rows) if batch.cross else ""
    return _titled("cross", "跨文件问题", body, "未发现跨文件问题。")


def percent(similarity: Decimal) -> str:
    """0.875 → 87.5%, 1.000 → 100%."""
    return f"{format((similarity * 100).normalize(), 'f')}%"


def _similar_section(batch: Batch) -> str:
    body = "".join(_similar_pair(pair) for pair in batch.similar)
    return _titled("similar", "内容雷同的文件", body, "未发现内容雷同的文件。")


def _similar_pair(pair: Similar) -> str:
    how = "两个文件逐字节相同" if pair.identical else f"共有或近似段落{len(pair.passages)}处"
    rows = [
        f"<tr><td>{a}</td><td>{b}</td></tr>"
        for a, b in (_marked_difference(p.text, p.other) for p in pair.passages)
    ]
    heads = (file_link(pair.file, DOCUMENTS), file_link(pair.other, DOCUMENTS))
    passages = table("passages", heads, rows) if rows else ""
    return (
        f'<section class="pair"><h3>{escape(pair.file)} 与 {escape(pair.other)}：'
        f'相似度 <span class="similarity">{percent(pair.similarity)}</span></h3>'
        f'<p class="meta">{how}（有差异的文字以底色标出）。</p>{passages}</section>'
    )


def _marked_difference(a: str, b: str) -> tuple[str, str]:
    """Both passages escaped, the characters where they differ wrapped in span.diff."""
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for out, piece in ((left, a[i1:i2]), (right, b[j1:j2])):
            if not piece:
                continue
            shown = escape(piece)
            out.append(shown if op == "equal" else f'<span class="diff">{shown}</span>')
    return "".join(left), "".join(right)


def _absent_section(batch: Batch) -> str:
    if not batch.absent:
        return ""
    rows = (
        f"<tr><td>{escape(f.file)}</td><td>{escape(rule_title(f.rule))}</td>"
        f"<td>{escape(f.text or f.sentence)}</td><td>{escape(f.message)}</td></tr>"
        for f in batch.absent
    )
    body = table("absent", ("文件", "规则", "原文", "意见"), rows)
    return _titled("absent", "上一轮有、本轮已消失的问题", body, "")


def _titled(anchor: str, title: str, body: str, empty: str) -> str:
    """A section: its heading, then ``body``, or the sentence ``empty`` when there is none."""
    shown = body or f'<p class="empty">{empty}</p>'
    return f'<h2 id="{anchor}">{title}</h2>{shown}'
