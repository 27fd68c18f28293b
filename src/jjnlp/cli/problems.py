"""``jjnlp problems FILE``: the problem statements of a work report and their categories."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_document_arguments(parser)
    parser.add_argument(
        "--backend",
        choices=("sklearn", "transformers"),
        help="分类模型：随包发布的 sklearn 模型（默认），或本地目录中的 transformers 模型",
    )
    parser.add_argument(
        "--model-dir", help="transformers 模型所在的本地目录（--backend transformers 时必填）"
    )


def _listing(path: str, analysis: Analysis) -> str:
    lines = [f"{path}：{len(analysis.problems)}条问题"]
    for n, problem in enumerate(analysis.problems, start=1):
        best = max(problem.scores.values()) if problem.scores else 0.0
        lines.append(f"  {n}. {problem.headline}")
        lines.append(f"     类别：{'、'.join(problem.labels)}（置信度{best:.2f}）")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    flags = {"backend": args.backend, "model_dir": args.model_dir}
    overrides = {"problems": {k: v for k, v in flags.items() if v is not None}}
    return run_per_document(args, "problems", ("problems",), _listing, overrides)
