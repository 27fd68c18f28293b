"""The checks of statistics tables, run by the rules they belong to: a 合计 row or a 其中
column is a part–whole relation (``part_whole``), a rate column is a rate (``rate``), the
same total stated in the prose is a figure stated twice (``duplicate_figure``).

Every cell a check reads is counted in the coverage, so a clean table says how much of it
was checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jjnlp.audit.context import AuditContext, agrees, quotient_range
from jjnlp.audit.findings import Draft, percent
from jjnlp.metrics.lexicon import lexicon
from jjnlp.metrics.tables import is_part_column, is_total_column
from jjnlp.model import StatTable, TableRow

_ADDABLE = ("count", "money")


def _column_name(table: StatTable, col: int) -> str:
    return table.columns[col].replace("/", "·")


def _totals(table: StatTable) -> tuple[TableRow | None, list[TableRow]]:
    totals = [r for r in table.rows if r.total]
    body = [r for r in table.rows if not r.total]
    return (totals[0] if len(totals) == 1 else None), body


def total_rows(ctx: AuditContext, rule: str) -> Iterator[Draft]:
    """A 合计 row equals the sum of the rows above it, column by column."""
    for table in ctx.tables:
        total, body = _totals(table)
        if total is None or not body:
            continue
        for col, index in enumerate(total.cells):
            if index is None or ctx.metrics[index].kind not in _ADDABLE:
                continue
            cells = [row.cells[col] if col < len(row.cells) else None for row in body]
            if any(c is None for c in cells):
                continue  # a row without a figure in this column: no sum to check
            parts = [c for c in cells if c is not None]
            stated = ctx.metrics[index]
            if any(ctx.metrics[p].unit != stated.unit or ctx.metrics[p].approx for p in parts):
                continue
            ctx.mark(rule, index, *parts)
            summed = sum((ctx.metrics[p].value for p in parts), Decimal(0))
            if summed == stated.value:
                continue
            arithmetic = "＋".join(ctx.metrics[p].text for p in parts)
            yield Draft(
                stated.start,
                stated.end,
                f"表中“{total.label}”行“{_column_name(table, col)}”应为{summed}"
                f"（{arithmetic}），表中为{stated.text}",
                evidence=tuple(ctx.span(p) for p in parts),
                stated=stated.text,
                expected=f"{summed}",
            )


def part_columns(ctx: AuditContext, rule: str) -> Iterator[Draft]:
    """A 其中 column does not exceed its group's 合计 column in any row."""
    for table in ctx.tables:
        for col, path in enumerate(table.columns):
            if not is_part_column(path):
                continue
            group = path.rsplit("/", 1)[0]
            whole_col = next(
                (
                    c
                    for c, p in enumerate(table.columns)
                    if p.rsplit("/", 1)[0] == group and is_total_column(p)
                ),
                None,
            )
            if whole_col is None:
                continue
            for row in table.rows:
                part, whole = row.cells[col], row.cells[whole_col]
                if part is None or whole is None:
                    continue
                ctx.mark(rule, part, whole)
                if ctx.metrics[part].value > ctx.metrics[whole].value:
                    yield Draft(
                        ctx.metrics[part].start,
                        ctx.metrics[part].end,
                        f"表中“{row.label}”行“{_column_name(table, col)}”为"
                        f"{ctx.metrics[part].text}，超过其合计{ctx.metrics[whole].text}",
                        evidence=(ctx.span(whole),),
                        stated=ctx.metrics[part].text,
                        expected=f"≤{ctx.metrics[whole].text}",
                    )


def rate_columns(
    ctx: AuditContext, rule: str, names: dict[str, tuple[str, str]]
) -> Iterator[Draft]:
    """Each row's rate (结案率) equals that row's numerator ÷ denominator columns."""
    rates = lexicon().rates
    for table in ctx.tables:
        for col, _path in enumerate(table.columns):
            for row in table.rows:
                index = row.cells[col] if col < len(row.cells) else None
                if index is None or ctx.metrics[index].indicator not in rates:
                    continue
                stated = ctx.metrics[index]
                numerator, denominator = names[stated.indicator]
                by_name = {
                    ctx.metrics[c].indicator: c for c in row.cells if c is not None and c != index
                }
                num, den = by_name.get(numerator), by_name.get(denominator)
                if num is None or den is None:
                    continue
                span = quotient_range(ctx.metrics[num], [ctx.metrics[den]])
                if span is None:
                    continue
                ctx.mark(rule, index, num, den)
                if agrees(stated, *span):
                    continue
                exact = ctx.metrics[num].value * 100 / ctx.metrics[den].value
                expected = percent(exact, stated.decimals)
                yield Draft(
                    stated.start,
                    stated.end,
                    f"表中“{row.label}”行{stated.indicator}应为{expected}"
                    f"（{numerator}{ctx.metrics[num].text}÷{denominator}{ctx.metrics[den].text}），"
                    f"表中为{stated.text}",
                    evidence=(ctx.span(num), ctx.span(den)),
                    stated=stated.text,
                    expected=expected,
                )


def in_table(ctx: AuditContext, index: int) -> bool:
    metric = ctx.metrics[index]
    return any(t.start <= metric.start < t.end for t in ctx.tables)


def prose_against_totals(ctx: AuditContext, rule: str, wanted: set[str]) -> Iterator[Draft]:
    """A total the prose states for the whole area (全市立案386件) equals the table's 合计."""
    scope = lexicon().scope_word
    for table in ctx.tables:
        total, _body = _totals(table)
        if total is None:
            continue
        for index in total.cells:
            if index is None:
                continue
            cell = ctx.metrics[index]
            if cell.indicator not in wanted or cell.kind != "count":
                continue
            for j, metric in enumerate(ctx.metrics):
                if (
                    in_table(ctx, j)
                    or metric.indicator != cell.indicator
                    or metric.unit != cell.unit
                    or metric.period_key != cell.period_key
                    or metric.relations
                    or not (metric.scope and scope.fullmatch(metric.scope))
                ):
                    continue
                ctx.mark(rule, index, j)
                if metric.value != cell.value:
                    yield Draft(
                        metric.start,
                        metric.end,
                        f"正文称{metric.scope}{metric.indicator}{metric.text}，"
                        f"表中“{total.label}”为{cell.text}",
                        evidence=(ctx.span(index),),
                        stated=metric.text,
                        expected=cell.text,
                        severity="warning",
                    )
