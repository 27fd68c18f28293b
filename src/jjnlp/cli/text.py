"""``jjnlp text FILE``: the normalised text a document is read into."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import add_files, exit_code, report_error
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)


def run(args: argparse.Namespace) -> int:
    from jjnlp.readers import load

    failures = 0
    for path in args.files:
        try:
            document = load(path)
        except JjnlpError as error:
            report_error(error)
            failures += 1
            continue
        sys.stdout.write(document.text + "\n")
    return exit_code(failures)
