"""Older and other word-processor formats (.doc, .wps, .rtf, .odt), read through LibreOffice.

The file is converted to .docx by ``soffice --headless`` in a fresh temporary directory
with a private LibreOffice profile inside it (so conversions running at the same time
never share one), under the ``[read]`` limit ``convert_seconds``; on the limit the whole
process tree is killed. The .docx is then read by the docx reader; the Document keeps the
original path, and ``metadata["converted_from"]`` says what it was. Without LibreOffice the
file is a :class:`~jjnlp.errors.NeedsConversion` that names the format and the fix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from jjnlp.errors import ConversionFailed, JjnlpError, NeedsConversion
from jjnlp.model import Document
from jjnlp.readers.limits import ReadLimits

# what the user calls each convertible kind (the kind is decided by content; .doc and .wps
# hold the same Word 97–2003 binary format and differ only in the name)
FORMATS = {
    "doc": "旧版 Word 文件（.doc）",
    "wps": "WPS 文字文件（.wps）",
    "rtf": "RTF 文件（.rtf）",
    "odt": "OpenDocument 文本（.odt）",
}
# the suffix the copy handed to LibreOffice gets, by kind
_SUFFIX = {"doc": ".doc", "wps": ".doc", "rtf": ".rtf", "odt": ".odt"}
CONVERTER = "LibreOffice"


def find_soffice(configured: str | None = None) -> str | None:
    """LibreOffice's ``soffice``: the configured program, else on PATH, else (on Windows) in
    the usual install folders; None when there is none."""
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or sys.platform != "win32":
        return found
    for variable, default in (
        ("ProgramFiles", r"C:\Program Files"),
        ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
    ):
        program = (
            Path(os.environ.get(variable, default)) / "LibreOffice" / "program" / "soffice.exe"
        )
        if program.is_file():
            return str(program)
    return None


def soffice_command(soffice: str, source: Path, work: Path, target: str = "docx") -> list[str]:
    """LibreOffice's command line converting ``source`` to ``target`` into ``work/out``,
    with its own profile in ``work/profile``."""
    return [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(work / "out"),
        str(source),
    ]


def read_converted(path: Path, kind: str, limits: ReadLimits) -> Document:
    """``path`` (of a kind in :data:`FORMATS`) converted to .docx and read as one."""
    soffice = find_soffice(limits.soffice)
    if soffice is None:
        raise NeedsConversion(str(path), _missing(kind, limits.soffice))
    with tempfile.TemporaryDirectory(prefix="jjnlp-convert-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        source = work / f"source{_SUFFIX[kind]}"
        try:
            shutil.copyfile(path, source)  # an ASCII name: the output's name is then known
        except OSError as exc:
            raise ConversionFailed(
                str(path), f"无法在临时目录中准备转换（{exc.strerror or exc}）"
            ) from exc
        _run(soffice_command(soffice, source, work), limits.convert_seconds, path)
        made = work / "out" / "source.docx"
        if not made.is_file():
            raise ConversionFailed(
                str(path),
                f"{FORMATS[kind]}经 LibreOffice 转换失败（文件可能已损坏或设有密码）："
                "请在 Word/WPS 中打开后另存为 .docx",
            )
        try:
            document = _read_docx(made, limits)
        except JjnlpError as error:  # named by the temporary copy: name the user's file
            raise type(error)(str(path), error.message) from error
    metadata = {
        **document.metadata,
        "converted_from": kind,
        "converter": CONVERTER,
        "source_size": path.stat().st_size,
    }
    return replace(document, path=str(path), format=kind, metadata=metadata)


def _missing(kind: str, configured: str | None) -> str:
    if configured:
        return (
            f"{FORMATS[kind]}需要 LibreOffice 转换，但配置 [read] soffice 指定的程序"
            f"“{configured}”不存在：请改正配置，或另存为 .docx 后重试"
        )
    return f"{FORMATS[kind]}：请另存为 .docx，或安装 LibreOffice 后重试"


def _read_docx(made: Path, limits: ReadLimits) -> Document:
    """The converted file, checked against the limits as any .docx is, then read."""
    from jjnlp.readers import sniff
    from jjnlp.readers.docx import read_docx
    from jjnlp.readers.limits import check_file

    check_file(made, made.stat().st_size, limits)
    with made.open("rb") as file:
        head = file.read(8)
    if sniff(made, head, limits) != "docx":
        raise ConversionFailed(str(made), "LibreOffice 的转换结果不是 Word（.docx）文档")
    return read_docx(made)


def _run(command: list[str], seconds: int, path: Path) -> None:
    """Run LibreOffice to completion, or kill it and all it started after ``seconds``."""
    if sys.platform == "win32":
        options: dict[str, object] = {"creationflags": subprocess.CREATE_NO_WINDOW}
    else:  # its own process group: soffice starts oosplash, which starts soffice.bin
        options = {"start_new_session": True}
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **options,  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise ConversionFailed(
            str(path), f"无法启动 LibreOffice（{command[0]}：{exc.strerror or exc}）"
        ) from exc
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(
            str(path),
            f"LibreOffice 转换超过{seconds}秒，已终止（可在配置 [read] 的 convert_seconds 中调整）",
        ) from None
    finally:
        _kill_tree(process)


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """End the process and whatever it started that is still running."""
    if sys.platform == "win32":
        if process.poll() is None:
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(process.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                creationflags=subprocess.CREATE_NO_WINDOW,
                check=False,
            )
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has ended
            os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    process.wait()
