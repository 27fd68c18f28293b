"""One document's page in the batch review: its findings listed, then its text with each
finding highlighted in place and the finding's note printed right after the paragraph.

Pages live in ``documents/`` beside ``summary.html``; links to other documents are siblings.
"""

from __future__ import annotations

from bisect import bisect_right
from html import escape
from urllib.parse import quote

from jjnlp.audit.registry import rule_title
from jjnlp.batch.model import KIND_ZH, DocRecord, Finding, annotated_name
from jjnlp.batch.package import needs_return
from jjnlp.render.findings import SEVERITY_ZH
from jjnlp.render.highlight import mark_findings
from jjnlp.render.pages import (
    FINDING_HEADS,
    counts_list,
    failure_text,
    file_link,
    finding_cells,
    html_page,
    severity_cell,
    severity_counts,
    table,
)

_STYLE = """
.back{font-size:.92em}
dl.identity{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}
dl.identity dt{color:#555}dl.identity dd{margin:0}
.text{max-width:52em;font-family:"SimSun","Songti SC","Noto Serif CJK SC",serif}
p.para{text-indent:2em;margin:.4em 0;white-space:pre-wrap;line-height:1.9}
.page-no{color:#888;font-size:.85em;text-align:center;border-top:1px dashed #ccc;margin:1em 0}
.notes{margin:.2em 0 .8em 2em;font-size:.9em}
.note{border-left:4px solid #999;background:#fafafa;padding:.25em .6em;margin:.25em 0}
.note.error{border-color:#d33;background:#fff3f3}.note.warning{border-color:#e6a700;
background:#fffaeb}.note.info{border-color:#4a8fe7;background:#f3f8ff}
.note .rule{color:#555;font-family:Consolas,monospace;font-size:.9em}
.tag{display:inline-block;background:#555;color:#fff;border-radius:3px;padding:0 .35em;
font-size:.8em;margin-right:.3em}
.failed-box{border:1px solid #d33;background:#fff3f3;padding:.6em 1em}
"""


BATCH_BACK = ("../summary.html", "返回批量审核汇总")


def render_document_page(
    record: DocRecord,
    cross: list[Finding],
    *,
    back: tuple[str, str] = BATCH_BACK,
    packaged: bool = True,
    header: str = "",
    before_text: str = "",
    style: str = "",
) -> str:
    """The page of ``record``; ``cross`` may hold every cross-document finding of the batch,
    those anchored in this document are shown with its own.

    The batch's package links back to its summary and to the Word copy beside the page; the
    search page (``packaged=False``) links back to itself and adds its own ``header`` bar,
    the review forms ``before_text`` and its ``style``."""
    findings = _in_reading_order(record, [f for f in cross if f.file == record.file])
    numbered = list(enumerate(findings, start=1))
    name = record.title or record.file
    parts = [
        header,
        f'<p class="back no-print"><a href="{escape(back[0])}">← {escape(back[1])}</a></p>',
        f"<h1>{escape(name)}</h1>",
        _identity(record),
    ]
    if record.error is not None:
        parts.append(f'<p class="failed-box">处理失败：{failure_text(record.error)}</p>')
    else:
        if packaged and needs_return(record, findings):  # the Word copy lies beside the page
            word = quote(annotated_name(record.file))
            parts.append(
                f'<p class="no-print"><a href="{word}">下载带批注的 Word 文件</a>'
                "（退回报送单位修改用）</p>"
            )
        parts.append(_overview(record, numbered))
        parts.append(before_text)
        parts.append(_text(record, numbered))
    return html_page(f"{name} — 审核意见", "\n".join(parts), style=_STYLE + style)


def finding_numbers(record: DocRecord, cross: list[Finding]) -> dict[str, int]:
    """Each finding's number on the page (its note ``[n]``), by fingerprint."""
    mine = [f for f in cross if f.file == record.file]
    return {f.fingerprint: n for n, f in enumerate(_in_reading_order(record, mine), start=1)}


def _anchored(finding: Finding, text: str) -> bool:
    """Whether the finding marks a stretch of the text (not the whole document)."""
    return 0 <= finding.start < finding.end <= len(text)


def _in_reading_order(record: DocRecord, cross: list[Finding]) -> list[Finding]:
    """Whole-document findings first, then in the order of the text."""
    return sorted(
        [*record.findings, *cross],
        key=lambda f: (_anchored(f, record.text), f.start, f.end),
    )


def _identity(record: DocRecord) -> str:
    ident = record.identity
    rows = [
        ("文件", escape(record.file)),
        ("单位", escape(ident.unit or "")),
        ("级别", escape(ident.level or "")),
        ("上级", escape(ident.parent or "")),
        ("类型", escape(KIND_ZH.get(ident.kind, ident.kind))),
        ("期间", escape(ident.period or "")),
        ("发文机关", escape(ident.issuer or "")),
    ]
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="identity">{items}</dl>'


def _overview(record: DocRecord, numbered: list[tuple[int, Finding]]) -> str:
    found = record.coverage.get("figures_found", 0)
    checked = record.coverage.get("figures_checked", 0)
    cross = sum(f.scope == "cross" for _, f in numbered)
    head = (
        '<h2 id="findings">审核意见</h2>'
        f"{counts_list(severity_counts(f for _, f in numbered))}"
        f'<p class="meta">共识别数字{found}个，已核对{checked}个；其中跨文件问题{cross}条。</p>'
    )
    if not numbered:
        return head + '<p class="empty">本文件未发现问题。</p>'
    rows = (
        f'<tr><td><a href="#n{n}">{n}</a></td>{severity_cell(f)}'
        f"<td>{_rule(f)}</td><td>{_where(f, record.text)}</td>"
        f"{finding_cells(f)}</tr>"
        for n, f in numbered
    )
    return head + table("findings", ("#", "级别", "规则", "位置", *FINDING_HEADS), rows)


def _rule(finding: Finding) -> str:
    tag = '<span class="tag">跨文件</span>' if finding.scope == "cross" else ""
    name = escape(rule_title(finding.rule))
    return f'{tag}<span class="rule" title="{escape(finding.rule)}">{name}</span>'


def _where(finding: Finding, text: str) -> str:
    if not _anchored(finding, text):
        return "全文"
    page = f"第{finding.page}页" if finding.page else ""
    return f"{page}第{finding.line}行"


def _text(record: DocRecord, numbered: list[tuple[int, Finding]]) -> str:
    text = record.text
    blocks = record.blocks or ((0, len(text), None),)
    starts = [b[0] for b in blocks]
    inside: list[list[tuple[int, Finding]]] = [[] for _ in blocks]
    loose: list[tuple[int, Finding]] = []  # whole-document, or between blocks
    for n, f in numbered:
        i = bisect_right(starts, f.start) - 1
        if _anchored(f, text) and i >= 0 and f.start < blocks[i][1]:
            inside[i].append((n, f))
        else:
            loose.append((n, f))
    parts = ['<h2 id="text">正文</h2><div class="text">']
    if loose:
        parts.append(f'<p class="meta">涉及全文的意见：</p>{_notes(loose)}')
    page: int | None = None
    for i, (start, end, block_page) in enumerate(blocks):
        if block_page is not None and block_page != page:
            parts.append(f'<div class="page-no">第{block_page}页</div>')
            page = block_page
        marked = mark_findings(text, start, end, inside[i], markers=True)
        parts.append(f'<p class="para" id="p{i + 1}">{marked}</p>')
        if inside[i]:
            parts.append(_notes(inside[i]))
    parts.append("</div>")
    return "".join(parts)


def _notes(numbered: list[tuple[int, Finding]]) -> str:
    """The visible notes of a paragraph's findings, each with its number."""
    out = ['<div class="notes">']
    for n, f in numbered:
        others = "".join(f"<li>{file_link(o)}</li>" for o in f.other_files)
        also = f'<div class="others">涉及文件：<ul>{others}</ul></div>' if others else ""
        label = SEVERITY_ZH.get(f.severity, f.severity)
        out.append(
            f'<div class="note {escape(f.severity)}" id="n{n}" role="note" '
            f'data-fingerprint="{escape(f.fingerprint)}">'
            f'<b class="marker">[{n}]</b> <span class="sev {escape(f.severity)}">{label}</span> '
            f"{_rule(f)}：{escape(f.message)}{also}</div>"
        )
    out.append("</div>")
    return "".join(out)
