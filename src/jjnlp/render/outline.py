"""The outline as an indented text tree, for people."""

from __future__ import annotations

from jjnlp.model import Document, Item, Outline, Period, Section, section_at


def _period(period: Period) -> str:
    if period.start_date and period.end_date:
        return f"{period.text}（{period.start_date:%Y-%m-%d}至{period.end_date:%Y-%m-%d}）"
    if period.start_date:
        return f"{period.text}（自{period.start_date:%Y-%m-%d}）"
    return period.text


def render_outline(document: Document, outline: Outline) -> str:
    text = document.text
    lines = [f"文件：{document.path}"]

    def part(label: str, span: object) -> None:
        if span is not None:
            lines.append(f"{label}：{span.slice(text)}")  # type: ignore[attr-defined]

    part("红头", outline.issuing_body)
    part("发文字号", outline.doc_number)
    part("标题", outline.title)
    part("主送", outline.addressee)
    if outline.report_period:
        lines.append(f"报告期：{_period(outline.report_period)}")
    report = outline.report_period
    governing = [
        p
        for p in outline.periods
        if p.governs
        and (report is None or (p.start_date, p.end_date) != (report.start_date, report.end_date))
    ]
    if governing:
        lines.append("文中期间：" + "；".join(_period(p) for p in governing))
    lines.append("结构：")
    items_by_section: dict[int, list[Item]] = {}
    for item in outline.items:
        owner = section_at(outline.sections, item.span.start)
        items_by_section.setdefault(id(owner), []).append(item)

    def visit(section: Section, depth: int) -> None:
        lines.append(f"{'  ' * depth}{section.marker}{section.title}")
        for item in items_by_section.get(id(section), []):
            lines.append(f"{'  ' * (depth + 1)}{item.marker} {item.headline}")
        for child in section.children:
            visit(child, depth + 1)

    for section in outline.sections:
        visit(section, 1)
    for item in items_by_section.get(id(None), []):
        lines.append(f"  {item.marker} {item.headline}")
    part("落款", outline.issuer)
    part("日期", outline.date)
    return "\n".join(lines)
