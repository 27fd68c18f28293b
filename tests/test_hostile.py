"""Hostile files through ``jjnlp audit FILE --format json``, each in a bounded subprocess.

Made at test time by ``scripts/make_hostile.py`` (nothing large is committed). For every
file a correct tool either reads it (exit 0, or 1 when it found errors, with its findings)
or refuses it (exit 2, a coded ``[E1xx]`` error naming the file on stderr and an error
entry in the JSON); it never prints a traceback, never says E000, never exits 1 from a
crash, never runs past 60 s, and never needs more than 300 MB for a 1 GiB bomb. Each
child runs under RLIMIT_AS = 2 GiB; its peak resident memory comes from ``os.wait4``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
ADDRESS_SPACE = 2 << 30
BOMB_RSS_MB = 300

_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "scripts" / "make_hostile.py")
assert _spec and _spec.loader
make_hostile = importlib.util.module_from_spec(_spec)
sys.modules["make_hostile"] = make_hostile
_spec.loader.exec_module(make_hostile)


@dataclass
class Outcome:
    code: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float

    def describe(self) -> str:
        tail = self.stderr.strip().splitlines()[-3:]
        return (
            f"exit={self.code} after {self.seconds:.1f}s, peak {self.max_rss_mb:.0f} MB; "
            f"stderr: {' | '.join(tail)[:600]}"
        )


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


# A forked child starts with its parent's peak RSS (pytest's, hundreds of MB after the
# in-process tests), so the command runs under a small fresh interpreter that reports the
# peak of its own children: the jjnlp process and its worker.
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


def audit(*paths: Path | str, timeout: float = TIMEOUT) -> Outcome:
    """``python -m jjnlp audit PATHS --format json`` with a time and address-space limit."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"jjnlp-hostile-{os.getpid()}"
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        started = time.monotonic()
        command = [sys.executable, "-m", "jjnlp", "audit", *map(str, paths), "--format", "json"]
        child = subprocess.Popen(
            [sys.executable, "-c", MEASURE, f"{out_path}.rss", *command],
            stdout=out,
            stderr=err,
            env=env,
            cwd=ROOT,
            preexec_fn=_limit,
            start_new_session=True,
        )
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - started > timeout:
                os.killpg(child.pid, signal.SIGKILL)
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        child.returncode = -9 if code is None else code  # reaped here, not by Popen
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    measured = Path(f"{out_path}.rss")
    peak_kb = int(measured.read_text()) if measured.exists() else usage.ru_maxrss
    for suffix in (".out", ".err", ".rss"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return Outcome(code, stdout, stderr, seconds, peak_kb / 1024)


# ----------------------------------------------------------------------- expectations

READ, REFUSE, EITHER = "read", "refuse", "either"


@dataclass(frozen=True)
class Expect:
    may: str  # READ, REFUSE or EITHER
    codes: tuple[str, ...] = ()  # the error codes a refusal may carry (any E1xx if empty)
    check: Callable[[dict[str, Any]], str | None] | None = None  # a read's result → problem
    bomb: bool = False  # peak memory bounded by BOMB_RSS_MB


def _rules(entry: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in entry["findings"]]


def _finds_rate(entry: dict[str, Any]) -> str | None:
    """GOOD_TEXT read correctly: 结案率80% is flagged, 54/72 being 75.0%."""
    if any(f["rule"] == "rate" and f.get("expected") == "75.0%" for f in entry["findings"]):
        return None
    return f"the wrong rate (80% for 54/72) is not flagged; rules found: {_rules(entry)}"


def _finds_marks(*texts: str) -> Callable[[dict[str, Any]], str | None]:
    """Decoded correctly: findings stand on these characters (的的, an unclosed （)."""

    def check(entry: dict[str, Any]) -> str | None:
        stated = {f.get("text") for f in entry["findings"]}
        missing = [t for t in texts if t not in stated]
        if missing:
            return f"no finding on {missing}: misdecoded? findings: {sorted(map(str, stated))}"
        return None

    return check


def _no_figures(entry: dict[str, Any]) -> str | None:
    arithmetic = [f for f in entry["findings"] if f.get("kind") == "arithmetic"]
    return f"arithmetic findings on digits alone: {arithmetic[:3]}" if arithmetic else None


def _heading_repeats(entry: dict[str, Any]) -> str | None:
    repeats = sum(1 for f in entry["findings"] if f["rule"] == "heading_sequence")
    return None if repeats == 9_999 else f"{repeats} heading_sequence findings, not 9999"


EXPECT: dict[str, Expect] = {
    # a tolerant parser may recover the stream by its endstream; or it refuses the file
    "length_loop.pdf": Expect(EITHER),
    "widths_2e32.pdf": Expect(EITHER, bomb=True),  # an 892-byte file needs no gigabytes
    "flate_bomb.pdf": Expect(REFUSE, bomb=True),
    "encrypted.pdf": Expect(REFUSE, ("E106",)),
    "media_bomb.docx": Expect(REFUSE, bomb=True),
    # the body is intact: read it (its findings), or refuse the package as corrupt
    "core_is_body.docx": Expect(EITHER, check=lambda e: None if e["findings"] else "no findings"),
    "method_99.docx": Expect(REFUSE),
    "truncated.docx": Expect(REFUSE),
    "digits_50k.txt": Expect(READ, check=_no_figures),
    "numerals_8k.txt": Expect(READ),
    "headings_10k.txt": Expect(READ, check=_heading_repeats),
    "date_0000.txt": Expect(READ),
    "percent_28_decimals.txt": Expect(READ),
    "control_chars.txt": Expect(EITHER, check=_finds_rate),
    "one_line_5mb.txt": Expect(READ),
    # 17 million characters, six times the largest report: refused by the reading limit (E108)
    "text_50mb.txt": Expect(REFUSE, ("E108",)),
    "big5.txt": Expect(EITHER, ("E104", "E103"), _finds_marks("的的", "（")),
    "shift_jis.txt": Expect(EITHER, ("E104", "E103"), _finds_marks("（")),
    "utf16_no_bom.txt": Expect(EITHER, ("E104", "E103"), _finds_rate),
    "empty.txt": Expect(REFUSE, ("E102",)),
    "bad_name": Expect(READ, check=_finds_rate),
    "directory": Expect(REFUSE, ("E101", "E103")),
}
assert set(EXPECT) == set(make_hostile.NAMES) | set(make_hostile.LARGE)


def verdict(name: str, path: Path, outcome: Outcome) -> list[str]:
    """Everything wrong with ``outcome`` for the hostile file ``name`` (empty: correct)."""
    expect = EXPECT[name]
    problems: list[str] = []
    if outcome.code is None:
        return [f"timed out after {TIMEOUT:.0f}s (killed)"]
    if "Traceback" in outcome.stderr:
        last = outcome.stderr.strip().splitlines()[-1]
        problems.append(f"traceback: {last[:300]}")
    if "E000" in outcome.stderr or "E000" in outcome.stdout:
        problems.append("an uncoded error E000")
    if outcome.code not in (0, 1, 2):
        problems.append(f"exit {outcome.code} (signal or crash)")
    if expect.bomb and outcome.max_rss_mb > BOMB_RSS_MB:
        problems.append(f"peak memory {outcome.max_rss_mb:.0f} MB > {BOMB_RSS_MB} MB")
    try:
        payload = json.loads(outcome.stdout)
    except ValueError:
        problems.append(f"stdout is not JSON: {outcome.stdout[:120]!r}")
        return problems
    if payload.get("schema") != "jjnlp.audit/2" or len(payload.get("files", [])) != 1:
        problems.append(f"not one jjnlp.audit/2 file entry: {str(payload)[:200]}")
        return problems
    entry = payload["files"][0]
    if outcome.code == 2:
        if expect.may == READ:
            problems.append("refused a file a correct tool reads")
        error = entry.get("error") or {}
        code = str(error.get("code", ""))
        if not re.fullmatch(r"E1\d\d", code):
            problems.append(f"exit 2 without an E1xx error entry: {entry}")
        elif expect.codes and code not in expect.codes:
            problems.append(f"error {code}, expected one of {expect.codes}: {error.get('message')}")
        stamp = re.search(r"\[E1\d\d\]", outcome.stderr)
        if not stamp:
            problems.append("no [E1xx] on stderr")
        if (
            path.name not in outcome.stderr
            and os.fsencode(path.name).decode("utf-8", "backslashreplace") not in outcome.stderr
        ):
            problems.append("stderr does not name the file")
    elif outcome.code in (0, 1):
        if expect.may == REFUSE:
            problems.append("read a file a correct tool refuses")
        if "findings" not in entry:
            problems.append(f"no findings in a read result: {str(entry)[:200]}")
            return problems
        errors = entry.get("summary", {}).get("error", 0)
        if (outcome.code == 1) != (errors > 0):
            problems.append(f"exit {outcome.code} with {errors} error findings")
        if expect.check is not None and (problem := expect.check(entry)):
            problems.append(problem)
    return problems


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_hostile.make_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", [*make_hostile.NAMES, *make_hostile.LARGE])
def test_hostile_file(
    name: str, hostile: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if name in make_hostile.LARGE:  # made only when this test runs: it is large
        path = make_hostile.make(name, tmp_path_factory.mktemp("large"))
    else:
        path = hostile[name]
    try:
        outcome = audit(path)
    finally:
        if name in make_hostile.LARGE:
            path.unlink()
    problems = verdict(name, path, outcome)
    assert not problems, f"{name}: {'; '.join(problems)} [{outcome.describe()}]"


def test_bad_files_among_good_ones(hostile: dict[str, Path], tmp_path: Path) -> None:
    """One run over good, looping, bomb, good: both good results, two coded failures, fast."""
    good, good2 = make_hostile.good_files(tmp_path)
    loop, bomb = hostile["length_loop.pdf"], hostile["media_bomb.docx"]
    outcome = audit(good, loop, bomb, good2)
    assert outcome.code is not None, f"timed out: {outcome.describe()}"
    assert outcome.seconds < 30, outcome.describe()
    assert "Traceback" not in outcome.stderr, outcome.describe()
    assert outcome.code == 2, outcome.describe()
    payload = json.loads(outcome.stdout)
    assert payload["schema"] == "jjnlp.audit/2"
    files = payload["files"]
    assert [f["path"] for f in files] == [str(good), str(loop), str(bomb), str(good2)]
    assert _finds_rate(files[0]) is None
    assert "findings" in files[3]
    for failed in (files[1], files[2]):
        error = failed.get("error") or {}
        assert re.fullmatch(r"E1\d\d", str(error.get("code"))), failed
        assert error.get("message"), failed
