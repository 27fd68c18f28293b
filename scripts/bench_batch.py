"""Benchmark ``jjnlp batch`` on generated reports beside jieba's own figures.

Usage: python scripts/bench_batch.py [--reports 1000] [--jobs 1,2] [--stages default,all]
                                     [--repeat 3]

Generates ``--reports`` work reports of about 5 KB each (paragraphs of the bundled work
reports under a title and signature of their own unit; for speed only, never for
grading), then runs ``jjnlp batch DIR --out OUT --jobs J`` as a subprocess for each jobs
count and stage set, in two ways: on as many cores as it has jobs (the process tree held to
the first J cores with psutil's ``cpu_affinity``: its rate over J is the rate per core, and
the speed-up is what a second job with a core of its own gains), and on every core of the
machine (as a user runs it: with one job, the batch's own process and the one writing the
findings use the second core beside the worker). Each is run ``--repeat`` times, the
jobs counts alternating, since this machine's speed drifts by half within minutes; the run
with the median wall clock is shown with the range. Prints reports per second, the speed-up
over one job (the median of each turn's, its two runs back to back) with its range, the
peak resident memory of the whole process tree (sampled every 50 ms with psutil) and the
CPU seconds of each kind of process in it (the command, the process writing
findings, the workers), beside three yardsticks measured here: jieba's dictionary load
in a fresh interpreter, ``jieba.lcut`` over the same reports, and the speed-up two
processes running jieba.lcut at once get on this machine (the ceiling of any two-job run).
From the unheld one-job run's CPU seconds it prints the most speed-up the cores allow it (no
run can take less wall time than all its CPU seconds spread over every core).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import psutil

ROOT = Path(__file__).resolve().parent.parent
# consistent work reports written for the project (no injected errors): their paragraphs
TEMPLATES = sorted(
    [
        *(ROOT / "corpora" / "docs").glob("wr_*.txt"),
        *(ROOT / "corpora" / "heldout" / "docs").glob("ho_*.txt"),
        *(ROOT / "corpora" / "batch" / "docs").glob("*/*.txt"),
        *(ROOT / "corpora" / "batch-heldout" / "docs").glob("*/*.txt"),
    ]
)
TARGETS = {"default reports/s per core": 60.0, "all reports/s per core": 15.0, "speed-up": 1.7}
PEAK_MB = 1536
T = TypeVar("T")
HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.．]")


def generate(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` reports: each a title, an opening and a signature for its own unit, and a
    body of paragraphs drawn from the bundled work reports (each paragraph consistent in
    itself), so the reports are alike as a real batch is, not copies of one another."""
    rng = random.Random(seed)
    bodies: list[str] = []
    for template in TEMPLATES:
        lines = template.read_text(encoding="utf-8").splitlines()
        bodies += [line for line in lines[3:-2] if len(line) > 30 and not HEADING.match(line)]
    paths = []
    for i in range(count):
        unit = f"临川市第{i}区"
        lines = [
            f"{unit}纪委监委关于2024年上半年工作情况的报告",
            "临川市纪委监委：",
            "一、主要工作",
        ]
        while len("\n".join(lines).encode()) < 5000:
            lines.append(rng.choice(bodies))
        lines += [f"{unit}纪委监委", "2024年7月8日"]
        path = directory / f"report_{i:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Sample:
    """What one run of the command used: wall seconds, the peak summed RSS (MiB) of its
    process tree, and the CPU seconds (user + system) of each kind of process in it."""

    wall: float = 0.0
    peak_mb: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # main, workbook, workers


def run(command: list[str], jobs: int, cores: int | None = None) -> Sample:
    """Run ``command`` with ``jobs`` workers (on its first ``cores`` cores: the processes it
    starts inherit them), sampling its process tree every 50 ms (memory, CPU per process;
    the processes in it looked up every 250 ms)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    process = psutil.Process(child.pid)
    if cores is not None:
        process.cpu_affinity(list(range(cores)))  # before it has started any other
    peak = 0
    # pid: (started, a helper of multiprocessing's own, CPU seconds at its last sample)
    seen: dict[int, tuple[float, bool, float]] = {}
    tree: list[psutil.Process] = [process]
    samples = 0
    while child.poll() is None:
        total = 0
        # the tree is looked for every fifth sample: psutil finds children by reading every
        # process of the machine, which every 50 ms was 3 % of a core taken from the run
        if samples % 5 == 0:
            with contextlib.suppress(psutil.Error):
                tree = [process, *process.children(recursive=True)]
        samples += 1
        for p in tree:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
                times = p.cpu_times()
                started, helper, _ = seen.get(p.pid) or (
                    p.create_time(),
                    "resource_tracker" in " ".join(p.cmdline()),
                    0.0,
                )
                seen[p.pid] = (started, helper, times.user + times.system)
        peak = max(peak, total)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if child.returncode not in (0, 1):
        detail = child.stderr.read()[-800:] if child.stderr else b""
        raise SystemExit(f"jjnlp batch failed ({child.returncode}): {detail!r}")
    sample = Sample(wall, peak / 2**20, {"main": seen.pop(child.pid)[2]})
    # run_batch starts its workers first, then the process writing the findings (a
    # worker started later replaces one that was stopped); the resource tracker is left out
    children = sorted(
        (started, pid, cpu) for pid, (started, helper, cpu) in seen.items() if not helper
    )
    for number, (_, _, cpu) in enumerate(children):
        kind = "workbook" if number == jobs else "workers"
        sample.cpu[kind] = sample.cpu.get(kind, 0.0) + cpu
    return sample


def yardsticks(paths: list[Path]) -> tuple[float, float]:
    init = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time, jieba; t = time.perf_counter(); jieba.initialize(); "
            "print(time.perf_counter() - t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = len(paths) / _lcut_seconds([str(p) for p in paths])
    return float(init.stdout.strip().splitlines()[-1]), rate


def _command(docs: Path, out: Path, jobs: int, stages: str) -> list[str]:
    command = [sys.executable, "-m", "jjnlp", "batch", str(docs), "--out", str(out)]
    command += ["--jobs", str(jobs), "--quiet"]
    return command + (["--stages", "all"] if stages == "all" else [])


def parallel_yardstick(paths: list[Path]) -> float:
    """What this machine gives two processes doing the same CPU work at once: jieba.lcut over
    the reports in one process, then in two at the same time (spawned, as the workers are):
    the most any two-job run can gain here, whatever it does."""
    context = multiprocessing.get_context("spawn")
    texts = [str(p) for p in paths]
    with context.Pool(1) as pool:
        one = pool.map(_lcut_seconds, [texts])[0]
    with context.Pool(2) as pool:
        two = max(pool.map(_lcut_seconds, [texts, texts]))
    return one / two * 2


def _lcut_seconds(paths: list[str]) -> float:
    """Seconds of one jieba.lcut over the files' text (the dictionary loaded first)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    text = "".join(Path(p).read_text(encoding="utf-8") for p in paths)
    start = time.perf_counter()
    jieba.lcut(text)
    return time.perf_counter() - start


def _median(items: list[T], key: Callable[[T], float]) -> T:
    """The item in the middle by ``key`` (the upper of two: an item that was measured)."""
    return sorted(items, key=key)[len(items) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--stages", default="default,all")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median is shown")
    args = parser.parse_args(argv)
    jobs = [int(j) for j in args.jobs.split(",")]
    cores = psutil.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        paths = generate(docs, args.reports)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        init, lcut_rate = yardsticks(paths)
        twice: list[float] = []  # measured again before every turn of runs
        print(f"{len(paths)} 份报告，平均 {size / 1024:.1f} KB；本机 {cores} 核")
        print(f"基准：jieba 词典加载 {init:.2f} 秒；jieba.lcut 每秒 {lcut_rate:.0f} 份")
        print("核数：“=并行”为进程树只用前 J 个核（每核份/秒 = 份/秒 ÷ J），“全部”为不限")
        print(f"每种各跑 {args.repeat} 次（交替进行），列出墙钟中位数的那次及墙钟范围")
        print("加速比：每一轮中前后紧挨的两次之比，取中位数，括号内为各轮的范围")
        print(
            "阶段\t并行\t核数\t秒\t范围\t份/秒\t每核份/秒\t加速比\t峰值内存MB"
            "\t主进程CPU秒\t写意见文件进程\t工作进程"
        )
        bounds = []
        for stages in args.stages.split(","):
            for held in (True, False):
                samples: dict[int, list[Sample]] = {j: [] for j in jobs}
                for turn in range(args.repeat):  # alternating, so a slow spell hits both
                    twice.append(parallel_yardstick(paths[:300]))
                    for j in jobs:
                        out = Path(tmp) / f"out-{stages}-{j}-{held}-{turn}"
                        sample = run(
                            _command(docs, out, j, stages), j, min(j, cores) if held else None
                        )
                        samples[j].append(sample)
                        shutil.rmtree(out, ignore_errors=True)
                median = {j: _median(runs, lambda x: x.wall) for j, runs in samples.items()}
                base = median[jobs[0]]
                # the speed-up of each turn (its runs back to back, so a slow spell hits
                # both), the median of them: steadier than a ratio of two medians
                ratios = {
                    j: sorted(a.wall / b.wall for a, b in zip(samples[jobs[0]], runs, strict=True))
                    for j, runs in samples.items()
                }
                if not held:
                    # the same work on every core: the wall clock can be no shorter than the
                    # CPU seconds of all its processes over the cores
                    bounds.append((stages, base.wall / (sum(base.cpu.values()) / cores)))
                for j in jobs:
                    sample, walls = median[j], [x.wall for x in samples[j]]
                    rate = len(paths) / sample.wall
                    row = (
                        stages,
                        j,
                        "=并行" if held else "全部",
                        f"{sample.wall:.1f}",
                        f"{min(walls):.1f}–{max(walls):.1f}",
                        f"{rate:.1f}",
                        f"{rate / j:.1f}" if held else "—",
                        f"{_median(ratios[j], float):.2f}"
                        + (f"（{ratios[j][0]:.2f}–{ratios[j][-1]:.2f}）" if j != jobs[0] else ""),
                        f"{max(x.peak_mb for x in samples[j]):.0f}",
                    )
                    cpu = (f"{sample.cpu.get(k, 0):.1f}" for k in ("main", "workbook", "workers"))
                    print("\t".join(map(str, (*row, *cpu))), flush=True)
        twice.sort()
        middle = _median(twice, float)
        print(
            f"基准：两个进程同时做 jieba.lcut（各 300 份），本机的加速比中位数 {middle:.2f}"
            f"（{twice[0]:.2f}–{twice[-1]:.2f}，每轮运行前量一次）：完全并行的工作在这台机器上的上限"
        )
        for stages, bound in bounds:
            print(
                f"{stages}：不限核数、{jobs[0]} 并行时全部进程的 CPU 秒，本机 {cores} 核上"
                f"的加速比最多为 {bound:.2f}（墙钟 ÷ (CPU 秒合计 ÷ 核数)）"
            )
        print(
            f"目标：默认阶段每核 ≥{TARGETS['default reports/s per core']:g} 份/秒，"
            f"全部阶段每核 ≥{TARGETS['all reports/s per core']:g}，"
            f"2 并行加速比 ≥{TARGETS['speed-up']}，峰值 ≤{PEAK_MB} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
