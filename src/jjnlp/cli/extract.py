"""``jjnlp extract FILE``: the whole document model as ``jjnlp.document/2`` JSON."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    add_config,
    add_files,
    analyses,
    exit_code,
    pipeline,
    report_error,
    write_json,
)
from jjnlp.errors import JjnlpError
from jjnlp.pipeline import ORDER


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    parser.add_argument("--format", choices=("json",), default="json", help="输出格式（仅 JSON）")
    parser.add_argument(
        "--stages",
        default=",".join(name for name in ORDER if name != "audit"),
        help="要运行的分析阶段，逗号分隔（默认：%(default)s；所需的前置阶段自动加入）",
    )
    add_config(parser)
    parser.add_argument("--no-blocks", action="store_true", help="不输出 blocks（段落来源）")


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import document_json, envelope, error_payload

    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    try:
        nlp = pipeline(args, stages)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    failures = 0
    files = []
    for path, result in analyses(args.files, nlp):
        if isinstance(result, JjnlpError):
            failures += 1
            files.append(error_payload(path, result))
        else:
            files.append(document_json(result, include_blocks=not args.no_blocks))
    write_json(envelope("document", files))
    return exit_code(failures)
