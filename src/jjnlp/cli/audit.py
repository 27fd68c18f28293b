"""``jjnlp audit FILE...``: check the figures and the text, report findings like a linter."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    add_format,
    documents,
    report_error,
    write_json,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="txt/docx/pdf 文件")
    add_format(parser, ("text", "json", "html"))
    parser.add_argument(
        "--annotate",
        metavar="OUT.docx",
        help="把审校意见作为批注写入 Word 文件（只处理一个输入文件）",
    )
    parser.add_argument(
        "--severity",
        choices=("info", "warning", "error"),
        default="info",
        help="只报告不低于该级别的意见（默认 info，全部）",
    )
    parser.add_argument("--rules", help="只运行这些规则，逗号分隔（默认全部）")
    parser.add_argument("--config", help="TOML 配置文件：开关规则、调整参数（如结案率分母）")
    parser.add_argument("--list-rules", action="store_true", help="列出全部规则后退出")


def run(args: argparse.Namespace) -> int:
    from jjnlp.audit import SCHEMA, load_config, run_audit
    from jjnlp.audit.engine import SEVERITIES
    from jjnlp.audit.registry import RULES
    from jjnlp.pipeline import run as analyse
    from jjnlp.render.findings import file_json, render_text
    from jjnlp.render.html import render_html

    try:
        config = load_config(args.config)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id:<22}{rule.severity:<9}{rule.kind:<12}{rule.doc}")
        return EXIT_OK
    if not args.files:
        print("错误：请给出要审校的文件（或用 --list-rules 列出规则）", file=sys.stderr)
        return EXIT_BAD_INPUT
    selected = None
    if args.rules:
        selected = [r.strip() for r in args.rules.split(",") if r.strip()]
        unknown = [r for r in selected if r not in RULES]
        if unknown:
            print(
                f"错误：未知的规则：{'、'.join(unknown)}（--list-rules 列出全部）", file=sys.stderr
            )
            return EXIT_BAD_INPUT
    if args.annotate and len(args.files) != 1:
        print("错误：--annotate 一次只处理一个输入文件", file=sys.stderr)
        return EXIT_BAD_INPUT
    floor = SEVERITIES.index(args.severity)
    failures = errors = 0
    payloads = []
    pages = []
    for document in documents(args.files):
        if document is None:
            failures += 1
            continue
        try:
            analysis = analyse(document, ("structure", "metrics"))
            findings, coverage = run_audit(analysis, config, selected)
        except JjnlpError as error:
            report_error(error)
            failures += 1
            continue
        findings = [f for f in findings if SEVERITIES.index(f.severity) >= floor]
        errors += sum(1 for f in findings if f.severity == "error")
        if args.annotate:
            from jjnlp.render.docx_comments import write_annotated

            try:
                write_annotated(document, findings, args.annotate)
            except JjnlpError as error:
                report_error(error)
                failures += 1
        if args.format == "json":
            payloads.append(file_json(document, findings, coverage))
        elif args.format == "html":
            pages.append((document, findings, coverage))
        else:
            print(render_text(document, findings, coverage))
    if args.format == "json":
        write_json({"schema": SCHEMA, "files": payloads})
    elif args.format == "html":
        sys.stdout.write(render_html(pages) + "\n")
    if failures:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if errors else EXIT_OK
