"""A short, seeded fuzzing run per format: mutants of the corpus never crash or hang.

``scripts/fuzz.py`` mutates corpus files and feeds each mutant to ``readers.load`` and the
audit pipeline in a worker process; every outcome must be a result or a coded error. The
run is bounded (about 20 s of mutants per format) so the suite stays fast; longer runs
(``--seconds 600``) are for finding bugs, and save one reproducer per signature.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 20
SEED = 20240701


@pytest.mark.parametrize("fmt", ["txt", "docx", "ofd"])
def test_fuzzing_finds_no_crash_or_hang(fmt: str, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "fuzz.py"),
            "--seconds",
            str(SECONDS),
            "--format",
            fmt,
            "--seed",
            str(SEED),
            "--out",
            str(tmp_path / "found"),
            "--summary",
            str(summary),
            # a generous hang guard: a slow mutant on a busy machine is no hang
            "--timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 180,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["executions"] > 0
    bad = {
        signature: f"{entry['outcome']} ×{entry['count']} [{entry['deepest']}] "
        f"{entry['message'][:120]} (mutation: {entry['mutation']}, from {entry['source']})"
        for signature, entry in report["signatures"].items()
    }
    outcomes = report["outcomes"]
    assert outcomes["crash"] + outcomes["hang"] + outcomes["memory"] == 0, (
        f"{fmt}: {report['executions']} executions, outcomes {outcomes}; "
        + "; ".join(f"{s}: {d}" for s, d in bad.items())
    )
