"""``jjnlp text FILE``: the normalised text a document is read into."""

from __future__ import annotations

import argparse
import sys

from jjnlp.cli.common import add_files, documents, exit_code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)


def run(args: argparse.Namespace) -> int:
    failures = 0
    for document in documents(args.files):
        if document is None:
            failures += 1
            continue
        sys.stdout.write(document.text + "\n")
    return exit_code(failures)
