"""``jjnlp search QUERY --store jjnlp.db``: search the store from the command line."""

from __future__ import annotations

import argparse
import html
import re

from jjnlp.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_store, report_error, write_json
from jjnlp.errors import JjnlpError

_MARK = re.compile(r"<mark>(.*?)</mark>")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query", nargs="?", default="", metavar="QUERY", help="检索词；引号内为短语"
    )
    add_store(parser)
    for name, text in (
        ("unit", "报送单位（如 东城区）"),
        ("level", "单位层级（市、县、区、乡镇 …）"),
        ("parent", "上级单位"),
        ("kind", "文种：work_report、case_notice、other"),
        ("period-from", "期间起（2024-01-01 或 2024年一季度）"),
        ("period-to", "期间止"),
        ("entity", "实体（人名、机构 …）"),
        ("category", "问题或案件类别"),
        ("rule", "含某条审校规则的意见"),
    ):
        parser.add_argument(f"--{name}", help=text)
    parser.add_argument("--has-findings", action="store_true", help="只看有错误或警告的文档")
    parser.add_argument("--sort", choices=("relevance", "period"), default="relevance")
    parser.add_argument("--limit", type=int, default=10, help="条数（默认 %(default)d）")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _shown(snippet: str, color: bool) -> str:
    marked = _MARK.sub(
        lambda m: f"\x1b[1;31m{m.group(1)}\x1b[0m" if color else f"【{m.group(1)}】", snippet
    )
    return html.unescape(marked)


def run(args: argparse.Namespace) -> int:
    import sys

    from jjnlp.store import open_store
    from jjnlp.store import query as q

    filters = q.Filters(
        unit=args.unit,
        level=args.level,
        parent=args.parent,
        kind=args.kind,
        period_from=args.period_from,
        period_to=args.period_to,
        entity=args.entity,
        category=args.category,
        has_findings=True if args.has_findings else None,
        rule=args.rule,
    )
    sort = args.sort if args.query else "period"
    try:
        store = open_store(args.store, create=False)
        try:
            result = q.search(store, q.Search(args.query, filters, sort, args.limit))
        finally:
            store.close()
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    if args.format == "json":
        write_json(result)
        return EXIT_OK
    color = sys.stdout.isatty()
    print(
        f"共 {result['total']} 份文档"
        + (f"，显示前 {len(result['items'])} 份" if result["items"] else "")
    )
    if result["notice"]:
        print(result["notice"])
    for item in result["items"]:
        where = " · ".join(x for x in (item["unit"], item["period"]) if x)
        flags = (
            f"，错误 {item['errors']}、警告 {item['warnings']}"
            if item["errors"] or item["warnings"]
            else ""
        )
        print(f"\n[{item['id']}] {item['title'] or item['file']}（{where}{flags}）")
        for snippet in item["snippets"]:
            print("    " + _shown(snippet, color))
    return EXIT_OK
