"""What the batch review's HTML pages share: the page frame, the style, the finding cells.

Every page is self-contained (inline style and script, system fonts, no URL outside the
package) so it opens the same from a shared folder, a USB stick or an e-mail attachment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from urllib.parse import quote

from jjnlp.batch.model import STATUS_ZH, Finding, page_name
from jjnlp.render.findings import SEVERITY_ZH

SEVERITIES = ("error", "warning", "info")

STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",
"SimHei",sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;line-height:1.7;color:#222}
h1{font-size:1.45em;margin:.2em 0 .4em}h2{font-size:1.15em;margin:1.8em 0 .6em;
border-bottom:2px solid #b22;padding-bottom:.2em}
a{color:#0645ad}
.meta{color:#555;font-size:.92em}
.counts{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0;padding:0;list-style:none}
.counts li{background:#f4f4f4;border-radius:4px;padding:.35em .9em}
.counts b{font-size:1.25em;margin:0 .15em}
.counts .error b{color:#b00}.counts .warning b{color:#a60}.counts .info b{color:#15c}
table{border-collapse:collapse;width:100%;font-size:.92em;margin:.4em 0}
td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f0f0f0;white-space:nowrap}
.nowrap{white-space:nowrap}
td.quote{min-width:5em}
td.num{text-align:right;white-space:nowrap}
.sev{white-space:nowrap;font-weight:bold}
.sev.error{color:#b00}.sev.warning{color:#a60}.sev.info{color:#15c}
.failed{color:#b00}
.code{color:#777;font-size:.85em}
.empty{color:#777}
mark.finding{border-radius:2px;padding:0 1px}
mark.error{background:#ffb3b3}mark.warning{background:#ffe08a}mark.info{background:#cfe3ff}
a.marker{font-size:.75em;vertical-align:super;text-decoration:none;margin:0 .1em}
@media print{.no-print{display:none}body{max-width:none}a{color:#222}}
"""


def html_page(title: str, body: str, *, style: str = "", script: str = "") -> str:
    """A whole page: Chinese, UTF-8, the shared style plus ``style``, ``script`` at the end."""
    # renderer=webkit asks 360 and other dual-core browsers for their Chromium engine
    head = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="renderer" content="webkit">'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head><body>"
    )
    tail = f"<script>{script}</script>" if script else ""
    return f"{head}\n{body}\n{tail}</body></html>\n"


def decimal_text(value: Decimal) -> str:
    """A Decimal exactly as it is held, never in exponent form (1.5E+2 → 150)."""
    return format(value, "f")


def severity_counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def counts_list(counts: Counter[str]) -> str:
    """错误 N 条 · 警告 N 条 · 提示 N 条 as a row of badges."""
    items = "".join(
        f'<li class="{s}">{SEVERITY_ZH[s]}<b>{counts[s]}</b>条</li>' for s in SEVERITIES
    )
    return f'<ul class="counts">{items}</ul>'


def page_href(file: str, folder: str = "") -> str:
    """The link to a document's page, from the summary (``folder="documents/"``) or a sibling."""
    return folder + quote(page_name(file))


def file_link(file: str, folder: str = "") -> str:
    return f'<a href="{escape(page_href(file, folder))}">{escape(file)}</a>'


def severity_cell(finding: Finding) -> str:
    label = SEVERITY_ZH.get(finding.severity, finding.severity)
    return f'<td class="sev {escape(finding.severity)}">{escape(label)}</td>'


def table(css_class: str, heads: Iterable[str], rows: Iterable[str]) -> str:
    """A table of class ``css_class``: header cells' inner HTML, then whole ``<tr>`` rows."""
    head = "".join(f"<th>{h}</th>" for h in heads)
    return (
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


FINDING_HEADS = ("原文", "意见", "状态", "审核意见")  # the heads of finding_cells


def finding_cells(finding: Finding) -> str:
    """A finding row's 原文, 意见, 状态 and 审核意见 cells (a reviewer's note after the verdict)."""
    status = STATUS_ZH.get(finding.status, finding.status)
    review = escape(finding.review) + (f"：{escape(finding.note)}" if finding.note else "")
    return (
        f'<td class="quote">{escape(finding.text or finding.sentence)}</td>'
        f"<td>{escape(finding.message)}</td>"
        f'<td class="nowrap">{escape(status)}</td><td>{review}</td>'
    )


def failure_text(error: dict[str, str]) -> str:
    """Why a file failed, its error code after the message."""
    code = error.get("code", "")
    return escape(error.get("message", "")) + (
        f' <span class="code">（{escape(code)}）</span>' if code else ""
    )
