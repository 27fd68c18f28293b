"""``jjnlp eval corpora/gold``: per-task precision, recall and F1 against gold."""

from __future__ import annotations

import argparse
import os
import sys

from jjnlp.cli.common import EXIT_BAD_INPUT, EXIT_OK, report_error
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from jjnlp.evaluate import TASKS

    parser.add_argument("gold_dir", metavar="GOLD_DIR", help="金标准目录，如 corpora/gold")
    parser.add_argument(
        "--tasks", default=",".join(TASKS), help="评测任务，逗号分隔（默认全部：%(default)s）"
    )
    parser.add_argument(
        "--source-format",
        default="txt",
        metavar="EXT",
        help=(
            "读取哪种格式的源文档：txt，或 generated/ 中生成件的扩展名"
            "（docx、pdf、ofd、doc、rtf、scan.pdf 等）"
        ),
    )
    parser.add_argument(
        "--transformer-dir",
        default=os.environ.get("JJNLP_TRANSFORMER_DIR"),
        help="另用此本地 transformers 模型评测问题分类（默认：环境变量 JJNLP_TRANSFORMER_DIR）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="列出错例")


def run(args: argparse.Namespace) -> int:
    from jjnlp.evaluate import TASKS, run_tasks
    from jjnlp.evaluate.scoring import format_results

    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        print(
            f"错误：未知评测任务：{'、'.join(unknown)}（可用：{'、'.join(TASKS)}）", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    try:
        results = run_tasks(args.gold_dir, tasks, args.source_format, args.transformer_dir)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    print(format_results(results, verbose=args.verbose))
    return EXIT_OK
