"""``jjnlp audit FILE...``: check the figures and the text, report findings like a linter."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    Results,
    add_config,
    add_files,
    add_format,
    add_limits,
    add_ocr,
    analyses,
    exit_code,
    pipeline,
    report_error,
    write_text,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser, required=False)
    add_format(parser, ("text", "json", "jsonl", "html"))
    parser.add_argument(
        "--annotate",
        metavar="OUT.docx",
        help="把审校意见作为批注写入 Word 文件（只处理一个输入文件）",
    )
    parser.add_argument(
        "--severity",
        choices=("info", "warning", "error"),
        help="只报告不低于该级别的意见（默认 info，全部）",
    )
    parser.add_argument("--rules", help="只运行这些规则，逗号分隔（默认全部）")
    add_config(parser)
    add_ocr(parser)
    parser.add_argument("--list-rules", action="store_true", help="列出全部规则后退出")
    add_limits(parser)


def _list_rules() -> int:
    from jjnlp.audit.engine import rules

    for rule in rules().values():
        options = "、".join(rule.options) or "—"
        print(f"{rule.id:<22}{rule.severity:<9}{rule.kind:<12}{rule.doc}（选项：{options}）")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.findings import render_text
    from jjnlp.render.html import render_html
    from jjnlp.render.json import error_payload, file_payload

    if args.list_rules:
        return _list_rules()
    if not args.files:
        print("错误：请给出要审校的文件（或用 --list-rules 列出规则）", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.annotate and len(args.files) != 1:
        print("错误：--annotate 一次只处理一个输入文件", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.annotate:
        from jjnlp.output import check_target

        try:
            check_target(args.annotate)
        except JjnlpError as error:
            report_error(error)
            return EXIT_BAD_INPUT
    flags: dict[str, object] = {}
    if args.rules:
        flags["only"] = [r.strip() for r in args.rules.split(",") if r.strip()]
    if args.severity:
        flags["min_severity"] = args.severity
    try:
        nlp = pipeline(args, ("audit",), {"audit": flags})
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    failures: list[JjnlpError] = []
    errors = 0
    results = Results("audit", "jsonl" if args.format == "jsonl" else "json")
    pages = []
    for path, result in analyses(args, nlp):
        if isinstance(result, JjnlpError):
            failures.append(result)
            results.add(error_payload(path, result))
            continue
        errors += sum(1 for f in result.findings if f.severity == "error")
        if args.annotate:
            from jjnlp.render.docx_comments import write_annotated

            try:
                write_annotated(result.document, result.findings, args.annotate)
            except JjnlpError as error:
                report_error(error)
                failures.append(error)
        if args.format in ("json", "jsonl"):
            results.add(file_payload(result, "audit"))
        elif args.format == "html":
            pages.append((result.document, result.findings, dict(result.coverage)))
        else:
            write_text(render_text(result.document, result.findings, dict(result.coverage)))
    if args.format in ("json", "jsonl"):
        results.close()
    elif args.format == "html":
        write_text(render_html(pages))
    if failures:
        return exit_code(failures)
    return EXIT_FINDINGS if errors else EXIT_OK
