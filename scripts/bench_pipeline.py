"""Benchmark reading and the analysis stages: documents/s, characters/s, figures/s, peak memory.

Usage: python scripts/bench_pipeline.py [--repeat N]
Reads corpora/docs (txt) and corpora/generated (docx, pdf) N times each, then runs
the structure, metrics and entities stages on the text documents.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

from jjnlp.metrics import extract_metrics
from jjnlp.readers import read
from jjnlp.structure import parse_outline

ROOT = Path(__file__).resolve().parent.parent


def bench(paths: list[Path], repeat: int, outline: bool) -> tuple[float, int, int]:
    """Read (and outline) every path ``repeat`` times: seconds, characters, peak bytes."""
    chars = 0
    tracemalloc.start()
    started = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            document = read(path)
            chars += len(document.text)
            if outline:
                parse_outline(document)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, chars, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sets = {
        "txt": sorted((ROOT / "corpora" / "docs").glob("*.txt")),
        "docx": sorted((ROOT / "corpora" / "generated").glob("*.docx")),
        "pdf": sorted((ROOT / "corpora" / "generated").glob("*.pdf")),
    }
    print(f"{'format':<8}{'stage':<18}{'docs':>6}{'docs/s':>10}{'kchars/s':>10}{'peak MiB':>10}")
    for fmt, paths in sets.items():
        if not paths:
            continue
        for outline in (False, True):
            elapsed, chars, peak = bench(paths, args.repeat, outline)
            n = len(paths) * args.repeat
            stage = "read+structure" if outline else "read"
            print(
                f"{fmt:<8}{stage:<18}{len(paths):>6}{n / elapsed:>10.1f}"
                f"{chars / elapsed / 1000:>10.1f}{peak / 2**20:>10.1f}"
            )
    started = time.perf_counter()
    extract_metrics(read(sets["txt"][0]), None)
    print(f"metrics first call (loads the jieba dictionary): {time.perf_counter() - started:.2f} s")
    bench_metrics(sets["txt"], args.repeat)
    bench_entities(sets["txt"], args.repeat)


def bench_metrics(paths: list[Path], repeat: int) -> None:
    documents = [read(path) for path in paths]
    outlines = [parse_outline(d) for d in documents]
    extract_metrics(documents[0], outlines[0])  # load the tokenizer once, outside the timing
    figures = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for document, outline in zip(documents, outlines, strict=True):
            figures += len(extract_metrics(document, outline)[0])
    elapsed = time.perf_counter() - started
    n = len(documents) * repeat
    print(f"metrics stage: {n / elapsed:.1f} docs/s, {figures / elapsed:.0f} figures/s")


def bench_entities(paths: list[Path], repeat: int) -> None:
    """The spaCy entity pipeline: load time, then documents, characters and entities per second."""
    import resource

    from jjnlp.entities import find_entities, pipeline

    started = time.perf_counter()
    nlp = pipeline()
    print(f"entities: pipeline load {time.perf_counter() - started:.2f} s")
    documents = [read(path) for path in paths]
    find_entities(documents[0], nlp)  # warm the segmenter and the pattern caches
    chars = entities = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for document in documents:
            entities += len(find_entities(document, nlp))
            chars += len(document.text)
    elapsed = time.perf_counter() - started
    n = len(documents) * repeat
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"entities stage: {n / elapsed:.1f} docs/s, {chars / elapsed / 1000:.1f} kchars/s, "
        f"{entities / elapsed:.0f} entities/s, peak RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
