"""Arithmetic rules: recompute every rate, share, sum and subset the text states."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from jjnlp.audit.context import AuditContext, agrees, quotient_range
from jjnlp.audit.findings import Draft, percent
from jjnlp.audit.registry import rule
from jjnlp.audit.rules import tables
from jjnlp.config import Table
from jjnlp.metrics.extract import compatible_scopes
from jjnlp.metrics.lexicon import lexicon
from jjnlp.model import Metric
from jjnlp.numbers.chinese import chinese_int
from jjnlp.resources import load_toml
from jjnlp.zh.text import expand


@cache
def _announced_aspects() -> re.Pattern[str]:
    """存在以下三个方面问题: a count of the problems the 一是/二是 list that follows states."""
    return re.compile(expand(load_toml("structure.toml")["enumeration"]["announced"]))


def _label(metric: Metric) -> str:
    return f"{metric.indicator}{metric.text}"


def _operand(ctx: AuditContext, index: int, indicator: str, linked: list[int]) -> int | None:
    """The figure a rate is computed from: the linked one if it counts ``indicator``, else
    the nearest earlier count of it in the same paragraph, period and unit."""
    for target in linked:
        if ctx.metrics[target].indicator == indicator:
            return target
    rate = ctx.metrics[index]
    block = ctx.document.block_at(rate.start)
    paragraph = block.start if block is not None else 0
    for j in range(index - 1, -1, -1):
        m = ctx.metrics[j]
        if m.start < paragraph:
            return None
        if (
            m.indicator == indicator
            and m.kind == "count"
            and m.period_key == rate.period_key
            and compatible_scopes(m.scope, rate.scope)
        ):
            return j
    return None


def _sum_label(ctx: AuditContext, indices: list[int]) -> str:
    labels = [_label(ctx.metrics[j]) for j in indices]
    return labels[0] if len(labels) == 1 else "(" + "＋".join(labels) + ")"


def _check_quotient(
    ctx: AuditContext,
    rule_id: str,
    index: int,
    numerator: int,
    wholes: list[int],
    name: str,
    whole_by: str | None,
) -> Iterator[Draft]:
    stated = ctx.metrics[index]
    num = ctx.metrics[numerator]
    span = quotient_range(num, [ctx.metrics[j] for j in wholes])
    if span is None:
        return
    ctx.mark(rule_id, index, numerator, *wholes)
    if agrees(stated, *span):
        return
    whole = sum((ctx.metrics[j].value for j in wholes), Decimal(0))
    exact = num.value * 100 / whole
    expected = percent(exact, stated.decimals)
    nudge = _nudged(ctx, index, exact)
    why = WHOLE_BY_ZH.get(whole_by or "", "")
    arithmetic = f"{_label(num)}÷{_sum_label(ctx, wholes)}"
    if nudge is not None:
        yield Draft(
            stated.start,
            stated.end,
            f"{name}按{arithmetic}计算为{expected}，文中为{stated.text}：同组各项占比合计{nudge}，"
            "系为凑足100%所作的微调（允许的做法）",
            evidence=(ctx.span(numerator), *(ctx.span(j) for j in wholes)),
            stated=stated.text,
            expected=expected,
            severity="info",
        )
        return
    yield Draft(
        stated.start,
        stated.end,
        f"{name}应为{expected}（{arithmetic}{why}），文中为{stated.text}",
        evidence=(ctx.span(numerator), *(ctx.span(j) for j in wholes)),
        stated=stated.text,
        expected=expected,
        checked=(index, numerator, *wholes),
    )


WHOLE_BY_ZH = {
    "named": "；分母为文中指明的总数",
    "qizhong": "；分母为该项所属的总数",
    "stated_method": "；按文中所述计算方法",
    "default": "",
}


def _nudged(ctx: AuditContext, index: int, exact: Decimal) -> str | None:
    """The stated total of the share's set when the share is one nudged so that the set
    totals 100% (domain practice): off by at most ``nudge`` and the set sums to 100."""
    stated = ctx.metrics[index]
    limit: Decimal = ctx.options("share")["nudge"]
    if stated.kind != "percent" or abs(exact - stated.value) > limit:
        return None
    _parts, wholes, _ = ctx.operands(index)
    siblings = [
        j
        for j, m in enumerate(ctx.metrics)
        if m.kind == "percent" and ctx.operands(j)[1] == wholes and ctx.operands(j)[2] is not None
    ]
    if len(siblings) < 2:
        return None
    total = sum((ctx.metrics[j].value for j in siblings), Decimal(0))
    return f"{total}%" if total == 100 else None


@rule(
    "rate",
    severity="error",
    kind="arithmetic",
    # numerator and denominator indicator of each rate (defaults: indicators.toml [rates]);
    # e.g. denominators = { "结案率" = "立案" }; a method the author states beats them
    default_config={"numerators": Table(), "denominators": Table()},
)
def check_rates(ctx: AuditContext) -> Iterator[Draft]:
    """A stated rate (结案率, 整改率 …) equals numerator ÷ denominator within its precision."""
    options = ctx.options("rate")
    for i, metric in enumerate(ctx.metrics):
        if metric.kind != "percent" or metric.indicator not in lexicon().rates:
            continue
        if tables.in_table(ctx, i):
            continue  # a table's rates are checked against their own row
        default_num, default_den = lexicon().rates[metric.indicator]
        num_name = options["numerators"].get(metric.indicator, default_num)
        den_name = options["denominators"].get(metric.indicator, default_den)
        parts, wholes, whole_by = ctx.operands(i)
        numerator = _operand(ctx, i, num_name, parts)
        if whole_by == "stated_method":
            denominators = wholes
        else:
            denominator = _operand(ctx, i, den_name, wholes)
            denominators = [denominator] if denominator is not None else []
            whole_by = whole_by if denominator in wholes else "default"
        if numerator is not None and denominators:
            yield from _check_quotient(
                ctx, "rate", i, numerator, denominators, metric.indicator, whole_by
            )
    names = {
        rate: (
            options["numerators"].get(rate, numerator),
            options["denominators"].get(rate, denominator),
        )
        for rate, (numerator, denominator) in lexicon().rates.items()
    }
    yield from tables.rate_columns(ctx, "rate", names)


@rule(
    "share",
    severity="error",
    kind="arithmetic",
    # a share nudged by at most this much so that its set totals 100% is the domain's practice
    default_config={"nudge": Decimal("0.1")},
)
def check_shares(ctx: AuditContext) -> Iterator[Draft]:
    """A stated share (占比, 占…的) equals part ÷ its whole within its precision."""
    for i, metric in enumerate(ctx.metrics):
        if metric.kind != "percent" or metric.indicator in lexicon().rates:
            continue
        parts, wholes, whole_by = ctx.operands(i)
        if len(parts) == 1 and wholes:
            yield from _check_quotient(ctx, "share", i, parts[0], wholes, "占比", whole_by)


def _groups(ctx: AuditContext) -> dict[int, list[int]]:
    """Each total with the parts the text states for it (其中, brackets)."""
    groups: dict[int, list[int]] = {}
    for i in range(len(ctx.metrics)):
        for total in ctx.related(i, "part_of"):
            groups.setdefault(total, []).append(i)
    return groups


def _overlapping(ctx: AuditContext, parts: list[int]) -> bool:
    names = {ctx.metrics[p].indicator for p in parts}
    pairs = ctx.options("part_whole")["overlapping"]
    return any(set(pair) <= names for pair in pairs)


@rule("grim", severity="error", kind="arithmetic")
def check_grim(ctx: AuditContext) -> Iterator[Draft]:
    """A share of a known whole count is one that some whole part can produce (GRIM test)."""
    for i, metric in enumerate(ctx.metrics):
        totals = ctx.related(i, "share_of")
        if metric.kind != "percent" or not totals:
            continue
        total = ctx.metrics[totals[0]]
        size = total.value
        if total.approx or total.kind != "count" or size != size.to_integral_value() or size <= 0:
            continue
        ctx.mark("grim", i, totals[0])
        low, high = metric.interval.low, metric.interval.high
        if low is None or high is None:
            continue
        first = int((low * size / 100).to_integral_value(rounding="ROUND_CEILING"))
        if first * 100 / size <= high:
            continue  # some whole count k gives k/size within the stated precision
        below, above = first - 1, first
        options = "或".join(
            f"{k}/{size}＝{percent(Decimal(k) * 100 / size, metric.decimals)}"
            for k in (below, above)
            if 0 <= k <= size
        )
        yield Draft(
            metric.start,
            metric.end,
            f"以{total.text}为基数，{metric.text}不可能由整数得到（最接近：{options}）",
            evidence=(ctx.span(totals[0]),),
            stated=metric.text,
            expected=percent(Decimal(above) * 100 / size, metric.decimals),
        )


@rule(
    "part_whole",
    severity="error",
    kind="arithmetic",
    # parts that may overlap and so never sum to their total (one person can get both)
    default_config={"overlapping": [["党纪处分", "政务处分"]]},
)
def check_parts(ctx: AuditContext) -> Iterator[Draft]:
    """Parts after 其中 do not sum above their total; an exhaustive list (…其他) sums to it;
    a table's 合计 row is the sum of its rows and a 其中 column within its 合计."""
    yield from tables.total_rows(ctx, "part_whole")
    yield from tables.part_columns(ctx, "part_whole")
    for total_index, parts in _groups(ctx).items():
        if len(parts) < 2 or _overlapping(ctx, parts):
            continue
        total = ctx.metrics[total_index]
        values = [ctx.metrics[p].value for p in parts]
        if any(ctx.metrics[p].approx for p in parts) or total.approx:
            continue
        ctx.mark("part_whole", total_index, *parts)
        summed = sum(values, Decimal(0))
        arithmetic = "＋".join(ctx.metrics[p].text for p in parts)
        evidence = tuple(ctx.span(p) for p in parts)
        if summed > total.value:
            yield Draft(
                total.start,
                total.end,
                f"分项之和{arithmetic}＝{summed}{total.unit}，超过总数{total.text}",
                evidence=evidence,
                stated=total.text,
                expected=f"≥{summed}{total.unit}",
            )
        elif (
            summed < total.value
            and lexicon().roles["rest"]
            in ctx.metrics[parts[-1]].indicator_text
            + ctx.text[ctx.metrics[parts[-2]].end : ctx.metrics[parts[-1]].start]
        ):
            yield Draft(
                total.start,
                total.end,
                f"分项列至“其他”仍只合计{arithmetic}＝{summed}{total.unit}，少于总数{total.text}",
                evidence=evidence,
                stated=total.text,
                expected=f"{summed}{total.unit}",
                severity="warning",
            )


@rule(
    "shares_total",
    severity="error",
    kind="arithmetic",
    # forced rounding: a report may nudge each share by this much so the set totals 100%
    default_config={"per_item": Decimal("0.1")},
)
def check_share_sets(ctx: AuditContext) -> Iterator[Draft]:
    """Shares of parts that make up their whole total 100%, within the forced-rounding allowance."""
    per_item: Decimal = ctx.options("shares_total")["per_item"]
    for shares in _share_lists(ctx):
        yield from _check_share_total(ctx, shares, per_item)
    shares_of: dict[int, list[int]] = {}  # a whole → the shares stated of it alone
    for i, m in enumerate(ctx.metrics):
        wholes = ctx.operands(i)[1]
        if m.kind == "percent" and len(wholes) == 1:
            shares_of.setdefault(wholes[0], []).append(i)
    for total_index, parts in _groups(ctx).items():
        total = ctx.metrics[total_index]
        if len(parts) < 2 or _overlapping(ctx, parts):
            continue
        if sum((ctx.metrics[p].value for p in parts), Decimal(0)) != total.value:
            continue  # the parts do not make up the whole: their shares need not total 100%
        shares = shares_of.get(total_index, [])
        if len(shares) == len(parts):
            yield from _check_share_total(ctx, shares, per_item)


def _check_share_total(ctx: AuditContext, shares: list[int], per_item: Decimal) -> Iterator[Draft]:
    summed = sum((ctx.metrics[s].value for s in shares), Decimal(0))
    ctx.mark("shares_total", *shares)
    allowance = per_item * len(shares)
    if abs(summed - 100) > allowance:
        arithmetic = "＋".join(ctx.metrics[s].text for s in shares)
        yield Draft(
            ctx.metrics[shares[0]].start,
            ctx.metrics[shares[-1]].end,
            f"各部分占比之和应为100%（允许每项因四舍五入相差{per_item}个百分点，"
            f"共±{allowance}），文中{arithmetic}＝{summed}%",
            evidence=tuple(ctx.span(s) for s in shares),
            stated=f"{summed}%",
            expected="100%",
        )


def _share_lists(ctx: AuditContext) -> Iterator[list[int]]:
    """Shares listed together of one unstated whole that the list exhausts: its last item is
    其他 (…、其他问题占11.5%), or 分别占 follows every member of a family (第一种形态、…、
    第四种形态分别占63.5%、…). Shares with a known whole are checked through their parts."""
    lex = lexicon()
    run: list[int] = []

    def exhaustive(run: list[int]) -> bool:
        first, last = ctx.metrics[run[0]], ctx.metrics[run[-1]]
        before_last = ctx.text[ctx.metrics[run[-2]].end : last.start]
        if lex.roles["rest"] in before_last:
            return True
        lead = ctx.text[ctx.sentence_of(first.start).start : first.start]
        members = lex.families_listed(lead)
        return lex.respectively in lead and members is not None

    for i, metric in enumerate(ctx.metrics):
        joined = (
            run
            and ctx.metrics[run[-1]].end <= metric.start
            and _list_separator(ctx.text[ctx.metrics[run[-1]].end : metric.start])
        )
        if metric.kind != "percent" or metric.indicator in lex.rates or ctx.operands(i)[1]:
            if len(run) >= 2 and exhaustive(run):
                yield run
            run = []
            continue
        if not joined:
            if len(run) >= 2 and exhaustive(run):
                yield run
            run = [i]
        else:
            run.append(i)
    if len(run) >= 2 and exhaustive(run):
        yield run


def _list_separator(between: str) -> bool:
    """Two shares of one list: joined by 、 (or ；), with at most a short name between."""
    return len(between) <= 16 and between[:1] in "、；" and not any(c in between for c in "。，")


@rule("done_le_found", severity="error", kind="arithmetic")
def check_done(ctx: AuditContext) -> Iterator[Draft]:
    """What was done (已整改, 已办结) does not exceed what was found (发现问题, 受理)."""
    for i, metric in enumerate(ctx.metrics):
        for found_index in ctx.related(i, "done_of"):
            found = ctx.metrics[found_index]
            ctx.mark("done_le_found", i, found_index)
            if (
                metric.interval.low is not None
                and found.interval.high is not None
                and metric.interval.low > found.interval.high
            ):
                yield Draft(
                    metric.start,
                    metric.end,
                    f"完成数（{_label(metric)}）超过发现数（{_label(found)}）",
                    evidence=(ctx.span(found_index),),
                    stated=metric.text,
                    expected=f"≤{found.text}",
                )


@rule(
    "subset_le_total",
    severity="error",
    kind="arithmetic",
    # subset → superset: 检举控告 are a subset of 信访举报 (问题线索 are not)
    default_config={"subsets": Table({"检举控告": "信访举报"})},
)
def check_subsets(ctx: AuditContext) -> Iterator[Draft]:
    """A subset does not exceed its set: 检举控告 ≤ 信访举报, 8名…中有6名."""
    subsets = ctx.options("subset_le_total")["subsets"]
    for i, metric in enumerate(ctx.metrics):
        for total_index in ctx.related(i, "part_of"):
            total = ctx.metrics[total_index]
            if subsets.get(metric.indicator) == total.indicator and metric.unit == total.unit:
                ctx.mark("subset_le_total", i, total_index)
                if metric.value > total.value:
                    yield Draft(
                        metric.start,
                        metric.end,
                        f"{_label(metric)}是{_label(total)}的一部分，不应超过它",
                        evidence=(ctx.span(total_index),),
                        stated=metric.text,
                        expected=f"≤{total.text}",
                    )
        if i + 1 < len(ctx.metrics):
            after = ctx.metrics[i + 1]
            between = ctx.text[metric.end : after.start]
            if (
                re.fullmatch(r"[^，。；]{1,16}中(?:，)?有", between)
                and metric.kind == after.kind == "count"
            ):
                ctx.mark("subset_le_total", i, i + 1)
                if after.value > metric.value:
                    yield Draft(
                        after.start,
                        after.end,
                        f"{metric.text}{between}{after.text}：部分多于整体",
                        evidence=(ctx.span(i),),
                        stated=after.text,
                        expected=f"≤{metric.value}",
                    )


@rule("yoy", severity="error", kind="arithmetic")
def check_year_on_year(ctx: AuditContext) -> Iterator[Draft]:
    """A stated year-on-year change equals (current − base) ÷ base, when the base is stated."""
    for i, metric in enumerate(ctx.metrics):
        current_list = ctx.related(i, "change_from")
        if metric.kind != "percent" or not current_list:
            continue
        current = ctx.metrics[current_list[0]]
        sentence = ctx.sentence_of(metric.start)
        # the base: a 去年同期 figure of the sentence, or one written between the current figure
        # and the change for another period (立案486件，较上年的426件增长14.1%)
        base_index = next(
            (
                j
                for j, m in enumerate(ctx.metrics)
                if m.unit == current.unit
                and sentence.start <= m.start < sentence.end
                and j != current_list[0]
                and (
                    (m.period is not None and m.period.comparison)
                    or (
                        current.end <= m.start < metric.start and m.period_key != current.period_key
                    )
                )
            ),
            None,
        )
        if base_index is None:
            continue
        base = ctx.metrics[base_index]
        if not base.value:
            continue
        ctx.mark("yoy", i, base_index, current_list[0])
        change = (current.value - base.value) * 100 / base.value
        if metric.indicator == lexicon().roles["decrease"]:
            change = -change
        low, high = metric.interval.low, metric.interval.high
        if (low is not None and change < low) or (high is not None and change > high):
            expected = percent(change, metric.decimals)
            yield Draft(
                metric.start,
                metric.end,
                f"同比变化应为{expected}（({current.text}−{base.text})÷{base.text}），"
                f"文中为{metric.text}",
                evidence=(ctx.span(base_index), ctx.span(current_list[0])),
                stated=metric.text,
                expected=expected,
            )


@rule("announced_count", severity="error", kind="arithmetic")
def check_announced(ctx: AuditContext) -> Iterator[Draft]:
    """The cases or problems a title or sentence announces (5起, 三个方面) are all listed."""
    notice = ctx.cases  # the cases stage's reading of the notice: one count for both
    if notice is not None and notice.announced_span is not None and notice.cases:
        span = notice.announced_span
        stated = span.slice(ctx.text)
        ctx.mark(
            "announced_count", *(i for i, m in enumerate(ctx.metrics) if m.start == span.start)
        )
        if notice.announced != len(notice.cases):
            yield Draft(
                span.start,
                span.end,
                f"标题称{stated}，正文列出{len(notice.cases)}起",
                stated=stated,
                expected=f"{len(notice.cases)}起",
            )
    outline = ctx.outline
    for match in _announced_aspects().finditer(ctx.text):
        said = chinese_int(match.group(1))
        after = [it for it in outline.items if it.span.start > match.end()]
        listed = 0
        for item in after:
            if item.ordinal != listed + 1:
                break
            listed += 1
        if listed and listed != said:
            yield Draft(
                match.start(1),
                match.end(1) + 3,
                f"文中称{match.group(1)}个方面问题，实际列出{listed}个",
                stated=f"{match.group(1)}个方面",
                expected=f"{listed}个方面",
            )
