"""``jjnlp structure FILE``: title, 主送, headings, 一是/二是 items, 落款 and periods."""

from __future__ import annotations

import argparse
from typing import Any

from jjnlp.cli.common import add_files, add_format, run_per_document
from jjnlp.model import Analysis

SCHEMA = "jjnlp.structure/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_files(parser)
    add_format(parser)


def _payload(path: str, analysis: Analysis) -> dict[str, Any]:
    from jjnlp.render.json import to_jsonable

    return {"schema": SCHEMA, "path": path, "outline": to_jsonable(analysis.outline)}


def _tree(path: str, analysis: Analysis) -> str:
    from jjnlp.render.outline import render_outline

    assert analysis.outline is not None
    return render_outline(analysis.document, analysis.outline) + "\n"


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, ("structure",), _payload, _tree)
