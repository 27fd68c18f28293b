"""``jjnlp problems FILE``: the problem statements of a work report and their categories."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_files, add_format, analyses, exit_code, write_json

SCHEMA = "jjnlp.problems/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import to_jsonable

    failures = 0
    payloads = []
    for path, analysis in analyses(args.files, ("problems",)):
        if analysis is None:
            failures += 1
            continue
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
    if payloads:
        write_json(payloads[0] if len(payloads) == 1 and len(args.files) == 1 else payloads)
    return exit_code(failures)
