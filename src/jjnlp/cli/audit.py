"""``jjnlp audit FILE...``: check the figures and the text, report findings like a linter."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    add_config,
    add_files,
    add_format,
    analyses,
    pipeline,
    report_error,
    write_json,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser, required=False)
    add_format(parser, ("text", "json", "html"))
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
    parser.add_argument("--list-rules", action="store_true", help="列出全部规则后退出")


def _list_rules() -> int:
    from jjnlp.audit.engine import rules

    for rule in rules().values():
        options = "、".join(rule.options) or "—"
        print(f"{rule.id:<22}{rule.severity:<9}{rule.kind:<12}{rule.doc}（选项：{options}）")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.findings import render_text
    from jjnlp.render.html import render_html
    from jjnlp.render.json import envelope, error_payload, file_payload

    if args.list_rules:
        return _list_rules()
    if not args.files:
        print("错误：请给出要审校的文件（或用 --list-rules 列出规则）", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.annotate and len(args.files) != 1:
        print("错误：--annotate 一次只处理一个输入文件", file=sys.stderr)
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
    failures = errors = 0
    files = []
    pages = []
    for path, result in analyses(args.files, nlp):
        if isinstance(result, JjnlpError):
            failures += 1
            files.append(error_payload(path, result))
            continue
        errors += sum(1 for f in result.findings if f.severity == "error")
        if args.annotate:
            from jjnlp.render.docx_comments import write_annotated

            try:
                write_annotated(result.document, result.findings, args.annotate)
            except JjnlpError as error:
                report_error(error)
                failures += 1
        if args.format == "json":
            files.append(file_payload(result, "audit"))
        elif args.format == "html":
            pages.append((result.document, result.findings, dict(result.coverage)))
        else:
            print(render_text(result.document, result.findings, dict(result.coverage)))
    if args.format == "json":
        write_json(envelope("audit", files))
    elif args.format == "html":
        sys.stdout.write(render_html(pages) + "\n")
    if failures:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if errors else EXIT_OK
