"""``jjnlp problems FILE``: the problem statements of a work report and their categories."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import (
    EXIT_BAD_INPUT,
    add_files,
    add_format,
    analyses,
    exit_code,
    report_error,
    write_results,
)

SCHEMA = "jjnlp.problems/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_format(parser)
    parser.add_argument(
        "--backend",
        choices=("sklearn", "transformers"),
        default="sklearn",
        help="分类模型：随包发布的 sklearn 模型，或本地目录中的 transformers 模型",
    )
    parser.add_argument(
        "--model-dir", help="transformers 模型所在的本地目录（--backend transformers 时必填）"
    )


def run(args: argparse.Namespace) -> int:
    from jjnlp.classify import extract_problems
    from jjnlp.errors import JjnlpError
    from jjnlp.render.json import to_jsonable

    model = None
    if args.backend == "transformers":
        from jjnlp.classify.transformer import TransformerProblemModel

        try:
            model = TransformerProblemModel(args.model_dir or "")
        except JjnlpError as error:
            report_error(error)
            return EXIT_BAD_INPUT
    failures = 0
    payloads = []
    for path, analysis in analyses(args.files, ("structure",)):
        if analysis is None or analysis.outline is None:
            failures += 1
            continue
        analysis.problems = extract_problems(analysis.document, analysis.outline, model)
        if args.format == "json":
            payloads.append(
                {"schema": SCHEMA, "path": path, "problems": to_jsonable(analysis.problems)}
            )
            continue
        print(f"{path}：{len(analysis.problems)}条问题")
        for n, problem in enumerate(analysis.problems, start=1):
            best = max(problem.scores.values()) if problem.scores else 0.0
            print(f"  {n}. {problem.headline}")
            print(f"     类别：{'、'.join(problem.labels)}（置信度{best:.2f}）")
    write_results(payloads, len(args.files))
    return exit_code(failures)
