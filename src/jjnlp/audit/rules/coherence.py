"""Period and coherence rules: figures for the right period, stated once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from jjnlp.audit.context import AuditContext
from jjnlp.audit.findings import Draft
from jjnlp.audit.registry import rule
from jjnlp.audit.rules import tables
from jjnlp.metrics.lexicon import lexicon
from jjnlp.model import section_at
from jjnlp.resources import load_toml
from jjnlp.zh.text import Level, near


def chinese_date(day: date) -> str:
    """2024年7月5日: GB/T 9704 writes no leading zeros (strftime's %-m is glibc-only)."""
    return f"{day.year}年{day.month}月{day.day}日"


@rule("period_shorter", severity="info", kind="period")
def check_shorter_period(ctx: AuditContext) -> Iterator[Draft]:
    """Figures for a period shorter than the report's (1-4月 in a 上半年 report) are noted."""
    report = ctx.outline.report_period
    if report is None or report.start_date is None or report.end_date is None:
        return
    if report.text.endswith("以来"):
        return  # an open-ended report period (今年以来) has no fixed length to fall short of
    seen: set[str] = set()
    for period in ctx.outline.periods:
        if not period.governs or period.start_date is None or period.end_date is None:
            continue
        if (period.start_date.year, period.start_date.month) == (
            period.end_date.year,
            period.end_date.month,
        ):
            continue  # 2024年1月，… dates an event; a statistics period spans months
        inside = report.start_date <= period.start_date and period.end_date <= report.end_date
        shorter = (period.end_date - period.start_date) < (report.end_date - report.start_date)
        if inside and shorter and period.text not in seen:
            seen.add(period.text)
            yield Draft(
                period.span.start,
                period.span.end,
                f"此处数字为{period.text}数据，短于报告期{report.text}"
                f"（{report.start_date.year}年{report.start_date.month}月至"
                f"{report.end_date.year}年{report.end_date.month}月）",
                evidence=(report.span,),
                stated=period.text,
                expected=report.text,
            )


@rule("period_date", severity="warning", kind="period")
def check_period_date(ctx: AuditContext) -> Iterator[Draft]:
    """A report is not dated in the first half of the period it reports on."""
    report, issued = ctx.outline.report_period, ctx.outline.issued_on
    if report is None or report.end_date is None or issued is None or ctx.outline.date is None:
        return
    if report.comparison or report.text.endswith("以来"):
        return
    if report.start_date is None:
        return
    # reports are often written in the last weeks of their period: only a date before the
    # middle of the period (a 上半年 report dated in March) is a contradiction
    middle = report.start_date + (report.end_date - report.start_date) / 2
    if issued < middle:
        yield Draft(
            ctx.outline.date.start,
            ctx.outline.date.end,
            f"成文日期{chinese_date(issued)}尚在报告期{report.text}"
            f"（至{chinese_date(report.end_date)}）前半段，所报数据不可能覆盖全期",
            evidence=(report.span,),
            stated=chinese_date(issued),
            expected=f"不早于{middle.year}年{middle.month}月",
        )


@rule(
    "duplicate_figure",
    severity="warning",
    kind="period",
    # only the core figures of the case flow are compared (other words recur with other meanings)
    default_config={"indicators": list(load_toml("indicators.toml")["core"]["indicators"])},
)
def check_duplicates(ctx: AuditContext) -> Iterator[Draft]:
    """A core figure stated twice for the same scope, period and section has one value."""
    wanted = set(ctx.options("duplicate_figure")["indicators"])
    yield from tables.prose_against_totals(ctx, "duplicate_figure", wanted)
    seen: dict[tuple[object, ...], int] = {}
    respectively = lexicon().respectively
    for i, metric in enumerate(ctx.metrics):
        if metric.indicator not in wanted or metric.kind != "count" or metric.relations:
            continue
        clause = ctx.text[near(ctx.text, metric.start, Level.CLAUSE)[0] : metric.start]
        if respectively in clause:
            continue  # 第三、四种形态分别为2人次、1人次: which name goes with which is not read
        section = section_at(ctx.outline.sections, metric.start)
        key = (
            metric.indicator,
            metric.scope,
            metric.period_key,
            metric.unit,
            section.title if section else None,
        )
        if key in seen:
            first = ctx.metrics[seen[key]]
            ctx.mark("duplicate_figure", i, seen[key])
            if first.value != metric.value:
                yield Draft(
                    metric.start,
                    metric.end,
                    f"{metric.indicator}前文为{first.text}，此处为{metric.text}，口径相同而数值不同",
                    evidence=(ctx.span(seen[key]),),
                    stated=metric.text,
                    expected=first.text,
                )
        else:
            seen[key] = i
