"""Every input the fuzzer ever broke jjnlp with (tests/hostile/, with the signature and the
mutation beside each in its .json) now gets a correct result or a coded error, in time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parent / "hostile"
FOUND = sorted(p for p in HOSTILE.iterdir() if p.suffix != ".json")


@pytest.mark.parametrize("path", FOUND, ids=[p.name for p in FOUND])
def test_a_reproducer_is_read_or_refused_with_a_coded_error(path: Path) -> None:
    command = [sys.executable, "-m", "jjnlp", "audit", str(path), "--format", "json"]
    result = subprocess.run(
        [*command, "--timeout", "30"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "E000" not in result.stderr
    entry = json.loads(result.stdout)["files"][0]
    if result.returncode == 2:
        assert entry["error"]["code"].startswith("E1"), entry
        assert str(path.name) in result.stderr
    else:
        assert "findings" in entry
