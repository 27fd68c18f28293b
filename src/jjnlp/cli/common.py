"""What every subcommand shares: reading files without tracebacks, writing output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from jjnlp.errors import JjnlpError
from jjnlp.model import Analysis, Document

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def add_files(parser: argparse.ArgumentParser, *, many: bool = True) -> None:
    parser.add_argument("files", nargs="+" if many else 1, metavar="FILE", help="txt/docx/pdf 文件")


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")
) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="输出格式")


def add_document_arguments(parser: argparse.ArgumentParser) -> None:
    """``FILE...`` and ``--format text|json``: what a per-document listing command takes."""
    add_files(parser)
    add_format(parser)


def json_payload(schema: str, *fields: str) -> Callable[[str, Analysis], dict[str, Any]]:
    """The JSON a listing command writes per file: its schema, the path, the named fields."""

    def payload(path: str, analysis: Analysis) -> dict[str, Any]:
        from jjnlp.render.json import to_jsonable

        named = {name: to_jsonable(getattr(analysis, name)) for name in fields}
        return {"schema": schema, "path": path, **named}

    return payload


def report_error(error: JjnlpError) -> None:
    print(f"错误：{error}", file=sys.stderr)


def documents(paths: list[str]) -> Iterator[Document | None]:
    """Read each path; a bad file is reported and yields ``None`` so a batch goes on."""
    from jjnlp.readers import load

    for path in paths:
        try:
            yield load(path)
        except JjnlpError as error:
            report_error(error)
            yield None


def analyses(paths: list[str], stages: tuple[str, ...]) -> Iterator[tuple[str, Analysis | None]]:
    """Analyse each path with ``stages``; errors are reported, never raised."""
    from jjnlp.pipeline import run

    for path, document in zip(paths, documents(paths), strict=True):
        if document is None:
            yield path, None
            continue
        try:
            yield path, run(document, stages)
        except JjnlpError as error:
            report_error(error)
            yield path, None


def write_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_results(payloads: list[Any], requested: int) -> None:
    """One JSON object for one file asked for, a list for several; nothing if all failed."""
    if payloads:
        write_json(payloads[0] if len(payloads) == 1 and requested == 1 else payloads)


def run_per_document(
    args: argparse.Namespace,
    stages: tuple[str, ...],
    payload: Callable[[str, Analysis], dict[str, Any]],
    text: Callable[[str, Analysis], str],
) -> int:
    """Analyse each file and print it as JSON (``payload``) or for people (``text``)."""
    failures = 0
    payloads = []
    for path, analysis in analyses(args.files, stages):
        if analysis is None:
            failures += 1
        elif args.format == "json":
            payloads.append(payload(path, analysis))
        else:
            print(text(path, analysis))
    write_results(payloads, len(args.files))
    return exit_code(failures)


def exit_code(failures: int) -> int:
    return EXIT_BAD_INPUT if failures else EXIT_OK
