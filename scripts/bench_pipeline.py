"""Benchmark the command line and the stages against jieba's own start-up and cutting speed.

Usage: python scripts/bench_pipeline.py [--file FILE] [--repeat N] [--no-reading] [--entities-only]

Prints, on this machine:

* the yardstick ``python -c "import jieba; jieba.initialize()"`` (a subprocess: wall, peak RSS);
* ``jjnlp audit FILE`` and ``jjnlp extract FILE`` as subprocesses (wall, peak RSS of the child
  from ``os.wait4``), ``extract`` also with torch hidden from thinc (what an install without
  the ``transformers`` extra gets), and the ratios to the yardstick;
* ``jjnlp.load()`` and the first document after it (a fresh subprocess);
* the entity stage in characters per second on a short report and on a long text (corpus
  documents concatenated, ≥ 40 000 characters), each beside ``jieba.lcut`` on the same text
  (the two called in turn), and ``find_entities_many`` against one call per document;
* reading, structure and metrics throughput per format (timed without tracemalloc; the peak
  of Python allocations comes from a separate pass).

Subprocess figures are the best wall (and CPU) time of ``--repeat`` runs, the least disturbed
on a shared machine; the stages in this process are timed in CPU seconds, best of ``--repeat``,
each after a warm-up that does the imports and loads the dictionaries.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jjnlp.model import Document

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "corpora" / "docs" / "wr_01_qingshan_2024h1.txt"
LONG_CHARS = 40_000

TARGETS = {  # what the command line and the entity stage should stay within
    "audit / jieba-init": 1.5,
    "extract / jieba-init": 4.5,
    "extract peak MiB": 300,
    "entity per char long / short": 1.3,
    "entity / jieba.lcut per char": 6.0,
}


def run_child(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1) or b"Traceback" in err:  # 1: the audit found something
        raise RuntimeError(f"{' '.join(argv)} failed:\n{err.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def best_child(argv: list[str], repeat: int) -> tuple[float, float, float]:
    runs = [run_child(argv) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def jjnlp_command(*args: str, hide_torch: bool = False) -> list[str]:
    """The console script (or the same through ``-c``, with torch made unimportable: thinc
    imports torch whenever it is installed, as it is here for the ``transformers`` extra)."""
    script = Path(sys.executable).with_name("jjnlp")
    if script.is_file() and not hide_torch:
        return [str(script), *args]
    prelude = "import sys; sys.modules['torch'] = None; " if hide_torch else "import sys; "
    code = f"{prelude}from jjnlp.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, *args]


def bench_commands(path: Path, repeat: int) -> dict[str, float]:
    yard, yard_cpu, yard_rss = best_child(
        [sys.executable, "-c", "import jieba; jieba.setLogLevel(60); jieba.initialize()"], repeat
    )
    print(f"{'command':<40}{'wall s':>8}{'cpu s':>7}{'peak MiB':>10}{'× jieba-init':>14}")
    name = "python -c import jieba; jieba.initialize()"
    print(f"{name:<40}{yard:>8.2f}{yard_cpu:>7.2f}{yard_rss:>10.0f}{1:>14.2f}")
    figures = {"yardstick": yard}
    for name, argv in (
        ("jjnlp audit FILE", jjnlp_command("audit", str(path))),
        ("jjnlp extract FILE", jjnlp_command("extract", str(path))),
        ("jjnlp extract FILE, torch hidden", jjnlp_command("extract", str(path), hide_torch=True)),
    ):
        wall, cpu, rss = best_child(argv, repeat)
        print(f"{name:<40}{wall:>8.2f}{cpu:>7.2f}{rss:>10.0f}{wall / yard:>14.2f}")
        figures[name] = wall
        figures[name + " rss"] = rss
    return figures


LOAD_PROBE = """
import time
started = time.perf_counter()
import jjnlp
nlp = jjnlp.load()
loaded = time.perf_counter()
nlp(open({path!r}, encoding="utf-8").read())
print(loaded - started, time.perf_counter() - loaded)
"""


def bench_load(path: Path, repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_PROBE.format(path=str(path))],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    load = min(r[0] for r in runs)
    first = min(r[1] for r in runs)
    print(f"jjnlp.load(): {load:.2f} s (fresh process, imports included)")
    print(f"first document after jjnlp.load(): {first:.2f} s")


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The least CPU time of ``repeat`` calls (this process's: steadier than wall time on a
    shared machine; the work here is single-threaded)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def best_of_each(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """:func:`best_of` for each of ``fns``, called in turn in every round: a ratio of two of
    them compares moments of the same load (on a shared machine the speed of a whole block
    of runs drifts by half and more)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            started = time.process_time()
            fn()
            spent.append(time.process_time() - started)
    return [min(spent) for spent in times]


def corpus_documents() -> list[Document]:
    from jjnlp.readers import read

    paths = sorted((ROOT / "corpora" / "docs").glob("*.txt"))
    paths += sorted((ROOT / "corpora" / "heldout" / "docs").glob("*.txt"))
    return [read(p) for p in paths]


def long_text(texts: list[str]) -> str:
    text = "\n".join(texts)
    while len(text) < LONG_CHARS:
        text += "\n" + "\n".join(texts)
    return text


def bench_entities(path: Path, repeat: int) -> dict[str, float]:
    import jieba

    import jjnlp.entities as entities_module
    from jjnlp.entities import find_entities, pipeline, rules
    from jjnlp.readers import read

    nlp = pipeline()
    jieba.setLogLevel(60)
    jieba.initialize()  # the yardstick's own dictionary (jieba.lcut), outside the timing
    short = read(path).text
    documents = corpus_documents()
    texts = [d.text for d in documents]
    long = long_text(texts)
    nlp(short)  # warm: dictionaries, pattern caches
    jieba.lcut(short)
    rows = {}
    print(f"{'entity stage':<26}{'chars':>8}{'chars/s':>10}{'jieba.lcut/s':>14}{'× jieba':>9}")
    for name, text, n in (("short report", short, repeat * 5), ("long text", long, repeat)):

        def entity_stage(text: str = text) -> None:
            rules.find.cache_clear()  # the pattern entities are found once per new text
            nlp(text)

        entity, cut = (
            seconds / len(text)
            for seconds in best_of_each([entity_stage, lambda t=text: jieba.lcut(t)], n)
        )
        rows[name] = entity
        rows[name + " ratio"] = entity / cut
        print(f"{name:<26}{len(text):>8}{1 / entity:>10.0f}{1 / cut:>14.0f}{entity / cut:>9.1f}")
    print(
        f"entity cost per character, long / short: {rows['long text'] / rows['short report']:.2f}"
    )

    chars = sum(map(len, texts))
    one = best_of(lambda: [find_entities(d, nlp) for d in documents], repeat)
    find_entities_many = getattr(entities_module, "find_entities_many", None)
    if find_entities_many is None:  # an older revision
        return rows
    many = best_of(lambda: find_entities_many(documents, nlp), repeat)
    print(
        f"corpus ({len(texts)} documents): one nlp() per document {chars / one:.0f} chars/s, "
        f"find_entities_many {chars / many:.0f} chars/s (time saved {(one - many) / one:+.0%})"
    )
    return rows


def bench_reading(repeat: int) -> None:
    from jjnlp.metrics import extract_metrics
    from jjnlp.readers import read
    from jjnlp.structure import parse_outline

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

            def work(paths: list[Path] = paths, outline: bool = outline) -> int:
                chars = 0
                for p in paths:
                    document = read(p)
                    chars += len(document.text)
                    if outline:
                        parse_outline(document)
                return chars

            chars = work()  # warm-up: reader imports, patterns
            elapsed = best_of(work, repeat)
            tracemalloc.start()
            work()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            stage = "read+structure" if outline else "read"
            print(
                f"{fmt:<8}{stage:<18}{len(paths):>6}{len(paths) / elapsed:>10.1f}"
                f"{chars / elapsed / 1000:>10.1f}{peak / 2**20:>10.1f}"
            )
    documents = [read(p) for p in sets["txt"]]
    outlines = [parse_outline(d) for d in documents]
    extract_metrics(documents[0], outlines[0])  # the tokenizer and lexicons, outside the timing

    def metrics() -> int:
        return sum(len(extract_metrics(d, o)[0]) for d, o in zip(documents, outlines, strict=True))

    figures = metrics()
    elapsed = best_of(metrics, repeat)
    print(
        f"metrics stage: {len(documents) / elapsed:.1f} docs/s, {figures / elapsed:.0f} figures/s"
    )


# adversarial inputs (the hostile-input issue): their cost must grow with their size
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "digits": lambda k: "立案" + "7" * (12_500 * k) + "件。",
    "Chinese numerals": lambda k: "立案" + "三" * (5_000 * k) + "件。",
    "figures in one sentence": lambda k: "立案1件，" * (2_500 * k),
    "headings": lambda k: "".join(f"（{n % 9 + 1}）标题\n" for n in range(2_500 * k)),
}


def bench_growth() -> None:
    """The audit pipeline on 1×/2×/4× each adversarial input: linear cost stays ≈ 1, 2, 4."""
    from jjnlp.model import Document
    from jjnlp.pipeline import Pipeline

    nlp = Pipeline(("audit",))
    nlp(Document.from_text("立案1件。"))  # dictionaries and rules loaded outside the timing
    print(f"{'adversarial input (audit)':<28}{'1× s':>8}{'2× s':>8}{'4× s':>8}{'4×/1×':>8}")
    for name, make in ADVERSARIAL.items():
        seconds = []
        for k in (1, 2, 4):
            document = Document.from_text(make(k))
            started = time.process_time()
            nlp(document)
            seconds.append(time.process_time() - started)
        growth = seconds[2] / seconds[0] if seconds[0] else float("nan")
        print(f"{name:<28}" + "".join(f"{s:>8.2f}" for s in seconds) + f"{growth:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=FILE, help="the report for audit/extract")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reading", action="store_true", help="skip the per-format reading")
    parser.add_argument(
        "--entities-only", action="store_true", help="only the entity stage against jieba.lcut"
    )
    args = parser.parse_args()
    path = args.file.resolve()

    if args.entities_only:
        entities = bench_entities(path, args.repeat)
        reached = entity_targets(entities)
        print_targets({name: TARGETS[name] for name in reached}, reached)
        return
    commands = bench_commands(path, args.repeat)
    bench_load(path, args.repeat)
    entities = bench_entities(path, args.repeat)
    if not args.no_reading:
        bench_reading(args.repeat)
    bench_growth()

    yard = commands["yardstick"]
    reached = {
        "audit / jieba-init": commands["jjnlp audit FILE"] / yard,
        "extract / jieba-init": commands["jjnlp extract FILE"] / yard,
        "extract peak MiB": commands["jjnlp extract FILE rss"],
        **entity_targets(entities),
    }
    print_targets(TARGETS, reached)


def entity_targets(entities: dict[str, float]) -> dict[str, float]:
    return {
        "entity per char long / short": entities["long text"] / entities["short report"],
        "entity / jieba.lcut per char": max(
            entities["short report ratio"], entities["long text ratio"]
        ),
    }


def print_targets(targets: dict[str, float], reached: dict[str, float]) -> None:
    print(f"{'target':<32}{'now':>8}{'limit':>8}")
    for name, limit in targets.items():
        mark = "ok" if reached[name] <= limit else "MISSED"
        print(f"{name:<32}{reached[name]:>8.2f}{limit:>8.1f}  {mark}")


if __name__ == "__main__":
    main()
