"""Scanning adversarial text finishes: a hang guard, not a benchmark.

Each input runs in a subprocess with a generous time limit, through ``find_quantities``
and through the audit pipeline; where the right number of quantities is known it is
checked. The quantity search must also find exactly what a plain ``finditer`` with the
grammar would (it only skips starts that cannot match), which is checked on random text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jjnlp.numbers import quantity
from jjnlp.numbers.quantity import find_quantities

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 30.0
NUMERALS = "零〇一二两三四五六七八九十百千万亿"

# name → (Python expression for the text, quantities it states or None if not pinned)
INPUTS: dict[str, tuple[str, int | None]] = {
    "50,000 digits": ('"1234567890" * 5000', 0),
    "50,000 digits and a unit": ('"7" * 50000 + "件"', 0),  # no figure has 50,000 digits
    "20,000 Chinese numerals": (f'("{NUMERALS}" * 1200)[:20000]', 0),
    "20,000 numerals and a unit": ('"三" * 20000 + "万元"', 0),
    "10,000-figure sentence": ('"立案1件，" * 10000', 10_000),
    "thousands groups": ('"1" + ",234" * 12500', 0),
    "magnitudes": ('"1" + "万" * 20000', 0),
    "percent and magnitudes": ('"百分之6万" * 5000', 5_000),
    "fractions": ('"三分之" * 10000', 5_000),
    "ranges": ('"1-" * 25000', 0),
    "decimals": ('"1." + "5" * 50000 + "%"', 1),
}

_SCRIPT = """
import json, sys, time
from jjnlp.numbers.quantity import find_quantities
text = {expr}
started = time.perf_counter()
found = len(find_quantities(text))
out = {{"quantities": found, "find_seconds": round(time.perf_counter() - started, 3)}}
if {audit}:
    from jjnlp.model import Document
    from jjnlp.pipeline import run
    started = time.perf_counter()
    analysis = run(Document.from_text(text), ("audit",))
    out["metrics"] = len(analysis.metrics)
    out["audit_seconds"] = round(time.perf_counter() - started, 3)
print(json.dumps(out))
"""


def _run(expr: str, audit: bool) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    script = _SCRIPT.format(expr=expr, audit=audit)
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=LIMIT,
            env=env,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish in {LIMIT:.0f}s ({'audit' if audit else 'find_quantities'})")
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("name", list(INPUTS))
def test_find_quantities_finishes(name: str) -> None:
    expr, expected = INPUTS[name]
    result = _run(expr, audit=False)
    if expected is not None:
        assert result["quantities"] == expected


@pytest.mark.parametrize(
    "name", ["50,000 digits", "20,000 Chinese numerals", "10,000-figure sentence"]
)
def test_audit_finishes(name: str) -> None:
    expr, expected = INPUTS[name]
    result = _run(expr, audit=True)
    if expected is not None:
        assert result["quantities"] == expected
        assert result["metrics"] == expected


def test_long_runs_are_no_figures() -> None:
    """More digits or numerals than a figure has: nothing, not its last digits."""
    digits = "1" * (quantity.MAX_DIGITS + 1)
    assert find_quantities(digits + "件") == []
    assert find_quantities("百分之" + digits) == []
    assert [q.text for q in find_quantities("1" * quantity.MAX_DIGITS + "件")] == [
        "1" * quantity.MAX_DIGITS + "件"
    ]
    assert find_quantities("三" * (quantity.MAX_NUMERALS + 1) + "件") == []
    assert find_quantities("一二三四五六七八九十一二三四五六七八九十" + "万元") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quantity ending inside a run: the next one starts right there
        ("百分之6万六个月", ["百分之6万", "六个月"]),
        ("2/2７人次", ["2/2", "７人次"]),
        ("三分之二万元", ["三分之二万"]),
        ("1,2,3件", ["3件"]),
        ("1,2345件", ["2345件"]),
        ("五百分点", ["五百分点"]),
        ("三万元", ["三万元"]),
    ],
)
def test_starts_after_a_quantity(text: str, expected: list[str]) -> None:
    assert [q.text for q in find_quantities(text)] == expected


_ALPHABET = st.sampled_from(
    list("0123456789０５") * 3
    + list(NUMERALS) * 2
    + [",", ".", "点", "元", "余", "-", "至", "/", "%", "件", "人次", "万元", "百分点"]
    + ["个百分点", "百分之", "分之", "近", "以上", "，", "立案", "年"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_search_finds_what_finditer_finds(text: str) -> None:
    """Skipping starts inside a run changes nothing: the same matches as a plain finditer."""
    plain = quantity._pattern("at")
    expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in quantity._matches(text)] == expected


def test_text_rule_patterns_are_linear() -> None:
    """The text rules' regular expressions on a megabyte of what they look for."""
    script = """
from jjnlp.audit.rules import text as rules
samples = ["监督检查" * 250000, "的" * 1000000, "中,文" * 300000, "2024年07月0" * 100000,
           "0" * 1000000, "年" * 1000000]
for sample in samples:
    for pattern in (rules._REPEAT, rules._HALF_WIDTH, rules._DATE):
        sum(1 for _ in pattern.finditer(sample))
print("{}")
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=LIMIT, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
