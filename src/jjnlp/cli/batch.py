"""``jjnlp batch PATH... --out OUTDIR``: review a folder of submitted reports as one batch."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    ProgressDisplay,
    add_config,
    add_limits,
    add_ocr,
    debug_enabled,
    read_overrides,
    report_error,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from jjnlp.batch.run import DEFAULT_STAGES
    from jjnlp.workers import cpu_count

    parser.add_argument("paths", nargs="+", metavar="PATH", help="报送文件或文件夹（递归查找）")
    parser.add_argument("--out", required=True, metavar="OUTDIR", help="审核结果包的输出目录")
    parser.add_argument(
        "--manifest", metavar="units.csv", help="单位清单（file,unit,parent,period），覆盖自动识别"
    )
    parser.add_argument(
        "--baseline",
        metavar="PREVIOUS_OUT",
        help=(
            "上一轮的输出目录或审核过的 findings.xlsx："
            "沿用审核状态与说明，标注新增/未变/有变化/已消失"
        ),
    )
    parser.add_argument(
        "--show-dismissed", action="store_true", help="页面与批注中也显示已“驳回”的意见"
    )
    parser.add_argument(
        "--resume", action="store_true", help="续跑：跳过内容、版本与配置均未变的已完成文件"
    )
    parser.add_argument(
        "--stages",
        help=f"额外运行的阶段，逗号分隔（默认 {','.join(DEFAULT_STAGES)}；all 为全部）",
    )
    parser.add_argument(
        "--executor", choices=("local", "dask"), default="local", help="本机进程或 Dask 集群"
    )
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址（tcp://…）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度")
    parser.add_argument(
        "--gold", metavar="gold.json", help="批量语料的金标准：运行后打印跨文件意见的精确率与召回率"
    )
    add_config(parser)
    add_ocr(parser)
    add_limits(parser)
    parser.set_defaults(jobs=cpu_count())
    for action in parser._actions:
        if action.dest == "jobs":
            action.help = "同时处理的文件数（默认 CPU 核数）"


def _stages(value: str | None) -> tuple[str, ...]:
    from jjnlp.batch.run import DEFAULT_STAGES
    from jjnlp.pipeline import ORDER

    if not value:
        return DEFAULT_STAGES
    if value == "all":
        return tuple(ORDER)
    extra = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in extra if s not in ORDER]
    if unknown:
        raise JjnlpError("--stages", f"未知的阶段 {'、'.join(unknown)}（可用：{'、'.join(ORDER)}）")
    return tuple(s for s in ORDER if s in (*DEFAULT_STAGES, *extra))


def run(args: argparse.Namespace) -> int:
    from jjnlp.batch.run import BatchOptions, run_batch
    from jjnlp.config import read_toml

    try:
        config: dict[str, Any] = read_toml(args.config) if args.config else {}
        for name, section in read_overrides(args).items():
            config[name] = {**config.get(name, {}), **section}
        batch_config = config.pop("batch", {})
        stages = _stages(args.stages)
        from jjnlp.pipeline import configure

        configure(stages, config, args.config or "命令行参数")  # checked before any file is read
        from jjnlp.batch.crosscheck import configure as configure_cross

        configure_cross(batch_config, args.config or "命令行参数")
        if args.executor == "dask" and not args.scheduler:
            raise JjnlpError("--executor dask", "需要用 --scheduler 给出 Dask 调度器地址")
        options = BatchOptions(
            paths=args.paths,
            out=Path(args.out),
            stages=stages,
            config=config,
            batch_config=batch_config,
            source=args.config or "命令行参数",
            manifest=args.manifest,
            baseline=args.baseline,
            resume=args.resume,
            jobs=max(1, args.jobs),
            timeout=args.timeout,
            memory_mb=args.memory_limit,
            executor=args.executor,
            scheduler=args.scheduler,
            show_dismissed=args.show_dismissed,
            debug=debug_enabled(),
        )
        with ProgressDisplay(args.quiet) as progress:
            batch = run_batch(options, progress)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(summary_text(batch, Path(args.out)))
    if args.gold:
        from jjnlp.evaluate.batch import format_scores, load_gold, score_batch

        try:
            print(format_scores(score_batch(batch, load_gold(args.gold))))
        except JjnlpError as error:
            report_error(error)
            return EXIT_BAD_INPUT
    # as for audit: 3 for a bug of jjnlp's, 2 when a file could not be processed (the batch
    # still completes and lists it), 1 for errors not dismissed by the reviewer, else 0
    if any(r.error and r.error["code"] == "E900" for r in batch.documents):
        return EXIT_INTERNAL
    if any(r.failed for r in batch.documents):
        return EXIT_BAD_INPUT
    errors = any(f.severity == "error" and f.review != "驳回" for f in batch.findings())
    return EXIT_FINDINGS if errors else EXIT_OK


def summary_text(batch: Any, out: Path, top: int = 10) -> str:
    """What a person reads in the console: where the package is, counts, the top findings."""
    from jjnlp.render.findings import SEVERITY_ZH

    findings = [f for f in batch.findings() if f.review != "驳回"]
    counts = Counter(f.severity for f in findings)
    failed = [r for r in batch.documents if r.failed]
    lines = [
        f"审核完成：{len(batch.documents)} 个文件"
        f"（失败 {len(failed)}，跳过 {len(batch.skipped)}）；"
        f"错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条，"
        f"其中跨文件 {sum(f.scope == 'cross' for f in findings)} 条",
        f"汇总页面：{(out / 'summary.html').resolve()}",
    ]
    ranked = sorted(
        findings, key=lambda f: (("error", "warning", "info").index(f.severity), f.scope != "cross")
    )
    if ranked:
        lines.append("主要意见：")
        for f in ranked[:top]:
            lines.append(f"  {SEVERITY_ZH[f.severity]}[{f.rule}] {f.file}：{f.message}")
    for record in failed:
        lines.append(f"  处理失败：{record.file}：{record.error['message']}")
    return "\n".join(lines)
