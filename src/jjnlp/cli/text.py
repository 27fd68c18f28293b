"""``jjnlp text FILE``: the normalised text a document is read into."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import (
    add_files,
    add_limits,
    add_ocr,
    analyses,
    exit_code,
    pipeline,
    write_text,
)
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_ocr(parser)
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    failures: list[JjnlpError] = []
    for _path, result in analyses(args, pipeline(args, ())):
        if isinstance(result, JjnlpError):
            failures.append(result)
        else:
            write_text(result.document.text)
    return exit_code(failures)
