"""``jjnlp extract FILE``: the whole document model as ``jjnlp.document/2`` JSON."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    Results,
    add_config,
    add_files,
    add_limits,
    add_ocr,
    analyses,
    exit_code,
    pipeline,
    report_error,
)
from jjnlp.errors import JjnlpError
from jjnlp.pipeline import ORDER


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    parser.add_argument("--format", choices=("json", "jsonl"), default="json", help="输出格式")
    parser.add_argument(
        "--stages",
        default=",".join(name for name in ORDER if name != "audit"),
        help="要运行的分析阶段，逗号分隔（默认：%(default)s；所需的前置阶段自动加入）",
    )
    add_config(parser)
    add_ocr(parser)
    parser.add_argument("--no-blocks", action="store_true", help="不输出 blocks（段落来源）")
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import document_json, error_payload

    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    try:
        nlp = pipeline(args, stages)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    failures: list[JjnlpError] = []
    results = Results("document", args.format)
    for path, result in analyses(args, nlp):
        if isinstance(result, JjnlpError):
            failures.append(result)
            results.add(error_payload(path, result))
        else:
            results.add(document_json(result, include_blocks=not args.no_blocks))
    results.close()
    return exit_code(failures)
