"""``jjnlp metrics FILE``: every figure with what it counts, its period and scope."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_files, add_format, analyses, exit_code, write_results

SCHEMA = "jjnlp.metrics/1"
COLUMNS = ("行", "指标", "数值", "单位", "约数", "期间", "范围", "原文")
APPROX = {
    "more_than": "余/超过",
    "less_than": "近/不到",
    "about": "约",
    "at_least": "以上",
    "at_most": "以下",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from jjnlp.render.json import to_jsonable

    failures = 0
    payloads = []
    for path, analysis in analyses(args.files, ("metrics",)):
        if analysis is None:
            failures += 1
            continue
        if args.format == "json":
            payloads.append(
                {
                    "schema": SCHEMA,
                    "path": path,
                    "metrics": to_jsonable(analysis.metrics),
                    "terms": to_jsonable(analysis.terms),
                }
            )
            continue
        document = analysis.document
        print(f"文件：{path}（共{len(analysis.metrics)}个数字）")
        print("\t".join(COLUMNS))
        for m in analysis.metrics:
            value = format(m.value, "f")  # 35000.0 keeps the decimal 3.5万元 was stated with
            row = (
                str(document.line_of(m.start)),
                m.indicator,
                value,
                m.unit,
                APPROX.get(m.approx or "", ""),
                m.period or "",
                m.scope or "",
                m.text,
            )
            print("\t".join(row))
        print()
    write_results(payloads, len(args.files))
    return exit_code(failures)
