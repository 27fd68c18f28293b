"""``jjnlp extract FILE``: the whole document model as ``jjnlp.document/1`` JSON."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import EXIT_BAD_INPUT, add_files, analyses, exit_code, write_results
from jjnlp.pipeline import STAGES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    parser.add_argument("--format", choices=("json",), default="json", help="输出格式（仅 JSON）")
    parser.add_argument(
        "--stages",
        default=",".join(name for name in STAGES if name != "audit"),
        help="要运行的分析阶段，逗号分隔（默认：%(default)s）",
    )
    parser.add_argument("--no-blocks", action="store_true", help="不输出 blocks（段落来源）")


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import document_json

    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        known = "、".join(STAGES)
        print(f"错误：未知分析阶段：{'、'.join(unknown)}（可用：{known}）", file=sys.stderr)
        return EXIT_BAD_INPUT
    failures = 0
    results = []
    for _, analysis in analyses(args.files, stages):
        if analysis is None:
            failures += 1
            continue
        results.append(document_json(analysis, include_blocks=not args.no_blocks))
    write_results(results, len(args.files))
    return exit_code(failures)
