"""What an audit hands back: Word comments on the right text, an HTML page a browser shows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import docx
import pytest

from conftest import comment_anchors

SLIPS = (("结案率75%", "结案率80%"), ("占比38.4%", "占比36.4%"), ("现已整改66个", "现已整改116个"))
ANCHORS = ["2023年1-4月", "80%", "36.4%", "116个", "明察暗访明察暗访"]


@pytest.fixture()
def slipped_seed(seed_path: Path, tmp_path: Path) -> Path:
    text = seed_path.read_text(encoding="utf-8")
    for right, wrong in SLIPS:
        text = text.replace(right, wrong)
    path = tmp_path / "seed_bad.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", "audit", *args], capture_output=True, text=True
    )


def test_annotate_text_input_into_new_docx(slipped_seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "annotated.docx"
    result = _audit(str(slipped_seed), "--annotate", str(out))
    assert result.returncode == 1
    word = docx.Document(str(out))
    notes, anchored = [c.text for c in word.comments], comment_anchors(word)
    assert len(notes) == 5
    assert [anchored[str(i)] for i in range(5)] == ANCHORS
    assert notes[1] == "【错误·率的重算】结案率应为75.0%（结案54件÷立案72件），文中为80%"


def test_annotate_docx_input_keeps_the_document(
    slipped_seed: Path, tmp_path: Path, make_formats: ModuleType
) -> None:
    source = tmp_path / "seed_bad.docx"
    make_formats.render_docx(make_formats.read_blocks(slipped_seed), source, header="页眉文字")
    out = tmp_path / "annotated.docx"
    assert _audit(str(source), "--annotate", str(out)).returncode == 1
    word = docx.Document(str(out))
    notes, anchored = [c.text for c in word.comments], comment_anchors(word)
    assert [anchored[str(i)] for i in range(len(notes))] == ANCHORS
    assert word.sections[0].header.paragraphs[0].text == "页眉文字"
    assert word.paragraphs[0].text == "市委政策法规研究室："


def test_html_report_renders_with_highlights(slipped_seed: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    page = tmp_path / "report.html"
    result = _audit(str(slipped_seed), "--format", "html")
    assert result.returncode == 1
    page.write_text(result.stdout, encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, *flags, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert dom.count('class="finding error"') == 3
    assert dom.count('class="finding warning"') == 1 and dom.count('class="finding info"') == 1
    assert ">80%</mark>" in dom and "错误3条，警告1条，提示1条" in dom
