"""``jjnlp index PATH... --store jjnlp.db``: analyse files and put them in the store."""

from __future__ import annotations

import argparse
from collections import Counter

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    ProgressDisplay,
    add_limits,
    add_store,
    report_error,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from jjnlp.workers import cpu_count

    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹（递归查找）")
    add_store(parser)
    parser.add_argument(
        "--resume", action="store_true", help="续跑：跳过库中已有且版本相同的文件（按内容哈希）"
    )
    parser.add_argument("--quiet", action="store_true", help="不显示进度")
    add_limits(parser)
    parser.set_defaults(jobs=cpu_count())


def run(args: argparse.Namespace) -> int:
    from jjnlp.store import open_store
    from jjnlp.store.ingest import index_paths

    try:
        store = open_store(args.store)
        try:
            with ProgressDisplay(args.quiet, "入库") as progress:
                result = index_paths(
                    store,
                    args.paths,
                    jobs=max(1, args.jobs),
                    resume=args.resume,
                    timeout=args.timeout,
                    memory_mb=args.memory_limit,
                    progress=progress,
                )
            documents = store.count()
        finally:
            store.close()
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    counts = Counter(result.stored.values())
    print(
        f"入库 {len(result.stored)} 份（新增 {counts['new']}，更新 {counts['updated']}，"
        f"新版本替代旧版本 {counts['superseding']}），未变跳过 {len(result.kept)}，"
        f"失败 {len(result.failed)}，非文档跳过 {len(result.skipped)}；库中共 {documents} 份。"
    )
    for record in result.failed:
        assert record.error is not None
        print(f"  失败：{record.file}：{record.error['message']}（{record.error['code']}）")
    return EXIT_BAD_INPUT if result.failed else EXIT_OK
