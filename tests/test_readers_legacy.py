"""Older and other word-processor formats: .doc/.wps/.rtf/.odt through LibreOffice, or a hint.

The files are ``corpora/realformats/generated/rf_02.{doc,rtf}`` and
``tests/data/legacy/sheet.xls`` (``scripts/make_legacy.py``). Tests that convert need
LibreOffice and skip without it; the hint without it, the format checks and the timeout
(a stand-in ``soffice`` that hangs) run everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jjnlp.errors import ConversionFailed, CorruptFile, NeedsConversion, UnsupportedFormat
from jjnlp.evaluate import run_tasks
from jjnlp.model import Document
from jjnlp.readers import ReadLimits, read
from jjnlp.readers.convert import soffice_command

ROOT = Path(__file__).resolve().parent.parent
REALFORMATS = ROOT / "corpora" / "realformats"
GENERATED = REALFORMATS / "generated"
DOCX = GENERATED / "rf_02.docx"
SHEET = ROOT / "tests" / "data" / "legacy" / "sheet.xls"

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a script")


def _jjnlp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", *args], capture_output=True, text=True, env=env
    )


def _without_libreoffice(tmp_path: Path) -> dict[str, str]:
    """The environment with a PATH (and Windows install folders) where no soffice is."""
    bare = tmp_path / "bare"
    bare.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(bare), "ProgramFiles": str(bare), "ProgramFiles(x86)": ""}


def _stand_in_soffice(tmp_path: Path, body: str) -> str:
    """An executable Python script in place of LibreOffice's program."""
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    program.chmod(0o755)
    return str(program)


# --------------------------------------------------------------------- with LibreOffice


@pytest.fixture(scope="module")
def docx_document() -> Document:
    return read(DOCX)


@needs_soffice
@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_doc_and_rtf_twins_give_the_docx_text(kind: str, docx_document: Document) -> None:
    source = GENERATED / f"rf_02.{kind}"
    document = read(source)
    assert document.text == docx_document.text
    assert [(b.kind, b.start, b.end, b.table, b.row) for b in document.blocks] == [
        (b.kind, b.start, b.end, b.table, b.row) for b in docx_document.blocks
    ]
    assert document.path == str(source)
    assert document.format == kind
    assert document.metadata["converted_from"] == kind
    assert document.metadata["converter"] == "LibreOffice"
    assert document.metadata["source_size"] == source.stat().st_size


@needs_soffice
def test_word_binary_named_wps_and_an_odt_read_like_the_docx(
    tmp_path: Path, docx_document: Document
) -> None:
    wps = tmp_path / "报告.wps"
    shutil.copyfile(GENERATED / "rf_02.doc", wps)
    command = soffice_command("soffice", DOCX, tmp_path, "odt")
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    for path, kind in ((wps, "wps"), (tmp_path / "out" / "rf_02.odt", "odt")):
        document = read(path)
        assert (document.format, document.metadata["converted_from"]) == (kind, kind)
        assert document.text == docx_document.text


@needs_soffice
def test_cli_text_of_a_doc_is_the_docx_text(docx_document: Document) -> None:
    result = _jjnlp("text", str(GENERATED / "rf_02.doc"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == docx_document.text + "\n"


@needs_soffice
def test_libreoffice_over_its_time_limit_is_stopped() -> None:
    # a fresh profile alone takes LibreOffice several seconds to set up
    with pytest.raises(ConversionFailed, match="转换超过1秒，已终止") as caught:
        read(GENERATED / "rf_02.doc", ReadLimits(convert_seconds=1))
    assert caught.value.code == "E110"


@needs_soffice
def test_eval_on_doc_twins_skips_documents_without_one_and_scores_as_the_docx(
    tmp_path: Path,
) -> None:
    tasks = ["headings", "metrics"]
    doc = run_tasks(str(REALFORMATS / "gold"), tasks, "doc")
    skipped = (
        "skipped 7 gold documents without a doc twin: "
        "rf_01, rf_03, rf_04, rf_05, rf_06, rf_07, rf_08"
    )
    assert all(skipped in result.notes for result in doc)
    # the same one document as a docx twin
    (tmp_path / "gold").mkdir()
    (tmp_path / "generated").mkdir()
    shutil.copyfile(REALFORMATS / "gold" / "rf_02.json", tmp_path / "gold" / "rf_02.json")
    shutil.copyfile(DOCX, tmp_path / "generated" / "rf_02.docx")
    docx = run_tasks(str(tmp_path / "gold"), tasks, "docx")
    for on_doc, on_docx in zip(doc, docx, strict=True):
        assert on_doc.per_label == on_docx.per_label
        assert on_doc.headline == on_docx.headline
    assert doc[0].total().f1 == 1.0 and doc[1].total().tp == 67


# --------------------------------------------------------------------- without LibreOffice


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("rf_02.doc", "旧版 Word 文件（.doc）"),
        ("rf_02.rtf", "RTF 文件（.rtf）"),
        ("通报.wps", "WPS 文字文件（.wps）"),
    ],
)
def test_without_libreoffice_text_exits_2_with_the_hint(
    tmp_path: Path, name: str, label: str
) -> None:
    source = GENERATED / name
    if not source.exists():  # a .wps of WPS 文字 is the Word 97–2003 format
        source = tmp_path / name
        shutil.copyfile(GENERATED / "rf_02.doc", source)
    result = _jjnlp("text", str(source), env=_without_libreoffice(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"错误：[E109] {source}：{label}：请另存为 .docx，或安装 LibreOffice 后重试"
    )


def test_an_odt_is_told_from_other_zips_by_its_mimetype(tmp_path: Path) -> None:
    odt = tmp_path / "报告.zip"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(
        NeedsConversion, match=re.escape("OpenDocument 文本（.odt）需要 LibreOffice 转换")
    ):
        read(odt, ReadLimits(soffice=str(tmp_path / "no-such-soffice")))


def test_a_configured_soffice_that_is_missing_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "LibreOffice" / "soffice.exe")
    with pytest.raises(NeedsConversion) as caught:
        read(GENERATED / "rf_02.doc", ReadLimits(soffice=missing))
    assert caught.value.message == (
        f"旧版 Word 文件（.doc）需要 LibreOffice 转换，但配置 [read] soffice 指定的程序"
        f"“{missing}”不存在：请改正配置，或另存为 .docx 后重试"
    )


def test_a_wps_that_is_a_docx_is_read_as_a_docx(tmp_path: Path) -> None:
    wps = tmp_path / "报告.wps"
    shutil.copyfile(DOCX, wps)
    document = read(wps, ReadLimits(soffice=str(tmp_path / "no-such-soffice")))
    assert document.format == "docx"
    assert document.text == read(DOCX).text


@pytest.mark.parametrize("name", ["sheet.xls", "sheet.doc"])
def test_an_ole2_spreadsheet_is_an_unsupported_format(tmp_path: Path, name: str) -> None:
    sheet = tmp_path / name  # the content decides, not the name
    shutil.copyfile(SHEET, sheet)
    with pytest.raises(UnsupportedFormat) as caught:
        read(sheet)
    assert caught.value.code == "E103"
    assert caught.value.message.startswith("是 Excel/WPS 表格文件（.xls/.et），不是文字文档")


def test_a_word_file_with_an_open_password_says_so(tmp_path: Path) -> None:
    data = bytearray((GENERATED / "rf_02.doc").read_bytes())
    # the WordDocument stream begins with the FIB (wIdent 0xA5EC) at a sector boundary
    fib = next(at for at in range(512, len(data), 512) if data[at : at + 2] == b"\xec\xa5")
    data[fib + 0x0B] |= 0x01  # fEncrypted, bit 8 of the flags word at 0x0A
    locked = tmp_path / "locked.doc"
    locked.write_bytes(bytes(data))
    with pytest.raises(
        CorruptFile, match=re.escape("文档设有打开密码，请在 Word/WPS 中解除密码后另存为 .docx")
    ):
        read(locked)


def test_a_truncated_ole2_file_is_corrupt(tmp_path: Path) -> None:
    cut = tmp_path / "cut.doc"
    cut.write_bytes((GENERATED / "rf_02.doc").read_bytes()[:700])
    with pytest.raises(CorruptFile, match="复合文档已损坏或不完整") as caught:
        read(cut)
    assert caught.value.code == "E105"


@posix_only
def test_a_hung_conversion_is_killed_with_everything_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    soffice = _stand_in_soffice(
        tmp_path,
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n",
    )
    started = time.monotonic()
    with pytest.raises(ConversionFailed) as caught:
        read(GENERATED / "rf_02.doc", ReadLimits(convert_seconds=1, soffice=soffice))
    assert time.monotonic() - started < 10
    assert caught.value.code == "E110"
    assert caught.value.message == (
        "LibreOffice 转换超过1秒，已终止（可在配置 [read] 的 convert_seconds 中调整）"
    )
    child = int(pid_file.read_text())
    assert _gone(child)


def _gone(pid: int) -> bool:
    """The process has ended (a zombie awaiting its reaper counts as ended)."""
    for _ in range(50):
        try:
            if Path("/proc").is_dir():
                if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                    return True
            else:
                os.kill(pid, 0)
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.1)
    return False


@posix_only
def test_a_conversion_that_writes_nothing_names_the_cause(tmp_path: Path) -> None:
    soffice = _stand_in_soffice(tmp_path, "import sys\nsys.exit(1)\n")
    with pytest.raises(ConversionFailed) as caught:
        read(GENERATED / "rf_02.rtf", ReadLimits(soffice=soffice))
    assert caught.value.message == (
        "RTF 文件（.rtf）经 LibreOffice 转换失败（文件可能已损坏或设有密码）："
        "请在 Word/WPS 中打开后另存为 .docx"
    )


@posix_only
def test_a_conversion_result_that_is_no_docx_is_reported_on_the_users_file(
    tmp_path: Path,
) -> None:
    soffice = _stand_in_soffice(
        tmp_path,
        "import pathlib, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--outdir') + 1])\n"
        "out.mkdir()\n"
        "(out / 'source.docx').write_text('不是压缩包', encoding='utf-8')\n",
    )
    source = GENERATED / "rf_02.doc"
    with pytest.raises(ConversionFailed) as caught:
        read(source, ReadLimits(soffice=soffice))
    assert str(caught.value) == f"[E110] {source}：LibreOffice 的转换结果不是 Word（.docx）文档"
