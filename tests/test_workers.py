"""The worker pool: started early, it analyses with the workers it started; closed, it
leaves no process behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psutil

from conftest import load_script
from jjnlp.errors import TimedOut
from jjnlp.workers import QUEUED, Limits, Workers


def _workers_alive() -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and "resource_tracker" not in " ".join(p.cmdline())
    ]


def test_workers_started_early_are_the_ones_that_analyse_and_none_outlives_the_pool(
    tmp_path: Path,
) -> None:
    paths = []
    for k in range(3):
        path = tmp_path / f"r{k}.txt"
        text = f"关于工作情况的报告\n全年立案{10 + k}件，结案{9 + k}件。\n"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    before = {p.pid for p in _workers_alive()}
    with Workers(("metrics",), jobs=2) as pool:
        pool.start()  # both load while the caller goes on
        started = {p.pid for p in _workers_alive()} - before
        assert len(started) == 2
        outcomes = list(pool.map(paths))
        assert {p.pid for p in _workers_alive()} - before == started  # no other was spawned
    assert [o.path for o in outcomes] == paths
    assert [[m.value for m in o.analysis.metrics] for o in outcomes] == [
        [10, 9],
        [11, 10],
        [12, 11],
    ]
    assert not {p.pid for p in _workers_alive()} - before


def test_a_pool_started_and_never_used_stops_its_workers(tmp_path: Path) -> None:
    before = {p.pid for p in _workers_alive()}
    with Workers(("structure",), jobs=2) as pool:
        pool.start()
        assert len({p.pid for p in _workers_alive()} - before) == 2
    assert not {p.pid for p in _workers_alive()} - before


def test_the_files_queued_behind_a_file_killed_at_its_time_limit_are_analysed(
    tmp_path: Path,
) -> None:
    """A worker is given its next file while it analyses one: when it is killed, the file
    waiting in its pipe goes to a fresh worker, and its clock starts only then."""
    assert QUEUED == 2
    paths = []
    for k in range(4):
        path = tmp_path / f"r{k}.txt"
        if k == 1:  # seconds of work, far beyond the limit
            path.write_bytes(load_script("make_hostile").text_one_line())
        else:
            path.write_text(f"关于工作情况的报告\n全年立案{10 + k}件。\n", encoding="utf-8")
        paths.append(str(path))
    with Workers(("metrics",), jobs=1, limits=Limits(seconds=2)) as pool:
        outcomes = list(pool.map(paths))
    assert [o.path for o in outcomes] == paths
    assert isinstance(outcomes[1].error, TimedOut)
    assert outcomes[1].seconds >= 2
    assert [[m.value for m in o.analysis.metrics] for o in outcomes if o.error is None] == [
        [10],
        [12],
        [13],
    ]
    assert all(o.seconds < 2 for o in outcomes if o.error is None)


def test_warming_a_pipeline_up_loads_what_its_stages_load_on_first_use() -> None:
    """A worker warms its pipeline up before it says it is ready: jieba's table and the POS
    tags are loaded then, not in its first file's time."""
    probe = (
        "import sys; from jjnlp.pipeline import Pipeline; from jjnlp.workers import warm_up; "
        "from jjnlp.zh import segment; pipeline = Pipeline(('metrics',)); "
        "sys.argv[1] == 'warm' and warm_up(pipeline); "
        "print(len(segment._built), segment._tags.cache_info().currsize)"
    )

    def loaded(*argv: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert loaded("cold") == "0 0"
    assert loaded("warm") == "1 1"
