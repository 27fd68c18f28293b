"""``jjnlp structure FILE``: title, 主送, headings, 一是/二是 items, 落款 and periods."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis

add_arguments = add_document_arguments


def _tree(path: str, analysis: Analysis) -> str:
    from jjnlp.render.outline import render_outline

    assert analysis.outline is not None
    return render_outline(analysis.document, analysis.outline) + "\n"


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, "structure", ("structure",), _tree)
