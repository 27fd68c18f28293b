"""``jjnlp structure FILE``: title, 主送, headings, 一是/二是 items, 落款 and periods."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_files, add_format, analyses, exit_code, write_results

SCHEMA = "jjnlp.structure/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import to_jsonable
    from jjnlp.render.outline import render_outline

    failures = 0
    results = []
    for _, analysis in analyses(args.files, ("structure",)):
        if analysis is None or analysis.outline is None:
            failures += 1
            continue
        if args.format == "json":
            results.append(
                {
                    "schema": SCHEMA,
                    "path": analysis.document.path,
                    "outline": to_jsonable(analysis.outline),
                }
            )
        else:
            print(render_outline(analysis.document, analysis.outline))
            print()
    write_results(results, len(args.files))
    return exit_code(failures)
