"""Benchmark the metrics stage: documents/s and figures/s over corpora/docs.

Usage: python scripts/bench_metrics.py [--repeat N]
Documents are read and outlined once; only ``extract_metrics`` is timed (after one
warm-up pass, so jieba's dictionary load is not counted).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from jjnlp.metrics import extract_metrics
from jjnlp.readers import read
from jjnlp.structure import parse_outline

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus")
    parser.add_argument("--docs", type=Path, default=ROOT / "corpora" / "docs")
    args = parser.parse_args()

    inputs = []
    for path in sorted(args.docs.glob("*.txt")):
        document = read(path)
        inputs.append((document, parse_outline(document)))
    if not inputs:
        raise SystemExit(f"{args.docs} 中没有 .txt 文档")
    for document, outline in inputs:  # warm-up: lexicons, patterns, jieba dictionary
        extract_metrics(document, outline)

    figures = 0
    started = time.perf_counter()
    for _ in range(args.repeat):
        for document, outline in inputs:
            figures += len(extract_metrics(document, outline)[0])
    elapsed = time.perf_counter() - started
    docs = len(inputs) * args.repeat
    chars = sum(len(d.text) for d, _ in inputs) * args.repeat
    print(f"documents: {len(inputs)} × {args.repeat} passes, {elapsed:.2f} s")
    print(f"docs/s:    {docs / elapsed:,.1f}")
    print(f"chars/s:   {chars / elapsed:,.0f}")
    print(f"figures/s: {figures / elapsed:,.0f} ({figures // args.repeat} figures per pass)")


if __name__ == "__main__":
    main()
