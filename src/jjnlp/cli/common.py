"""What every subcommand shares: flags, one pipeline per run, per-file errors, output.

A command builds a configuration from its flags, makes one :class:`~jjnlp.pipeline.Pipeline`
and runs it file by file; a file that cannot be read or analysed is reported (on stderr,
and as an ``error`` entry in JSON) and the run goes on with the next.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jjnlp.errors import JjnlpError
from jjnlp.model import Analysis

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def add_files(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "files", nargs="+" if required else "*", metavar="FILE", help="txt/docx/pdf 文件"
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")
) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="输出格式")


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE.toml",
        help="TOML 配置文件，按阶段分节，如 [audit.rules.rate]（见 README“配置”）",
    )


def add_document_arguments(parser: argparse.ArgumentParser) -> None:
    """``FILE...``, ``--format text|json`` and ``--config``: a per-document listing command."""
    add_files(parser)
    add_format(parser)
    add_config(parser)


def report_error(error: JjnlpError) -> None:
    print(f"错误：{error}", file=sys.stderr)


def pipeline(
    args: argparse.Namespace, stages: tuple[str, ...], overrides: Mapping[str, Any] | None = None
) -> Any:
    """The run's pipeline: ``--config`` (if given) with the command's flag ``overrides`` on top."""
    from jjnlp.config import read_toml
    from jjnlp.pipeline import Pipeline

    source = getattr(args, "config", None)
    config: dict[str, Any] = read_toml(source) if source else {}
    for name, section in (overrides or {}).items():
        config[name] = {**config.get(name, {}), **section}
    return Pipeline(stages, config, source or "命令行参数")


def analyses(paths: list[str], nlp: Any) -> Iterator[tuple[str, Analysis | JjnlpError]]:
    """Read and analyse each path; an error is yielded in its place, never raised."""
    from jjnlp.readers import load

    for path in paths:
        try:
            yield path, nlp(load(path))
        except JjnlpError as error:
            report_error(error)
            yield path, error


def write_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def exit_code(failures: int) -> int:
    return EXIT_BAD_INPUT if failures else EXIT_OK


def run_per_document(
    args: argparse.Namespace,
    payload: str,
    stages: tuple[str, ...],
    listing: Callable[[str, Analysis], str],
    overrides: Mapping[str, Any] | None = None,
) -> int:
    """Analyse each file and print it as the ``payload`` JSON or for people (``listing``)."""
    from jjnlp.render.json import envelope, error_payload, file_payload

    try:
        nlp = pipeline(args, stages, overrides)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    failures = 0
    files = []
    for path, result in analyses(args.files, nlp):
        if isinstance(result, JjnlpError):
            failures += 1
            files.append(error_payload(path, result))
        elif args.format == "json":
            files.append(file_payload(result, payload))
        else:
            print(listing(path, result))
    if args.format == "json":
        write_json(envelope(payload, files))
    return exit_code(failures)
