"""Writing output safely: whole files or none, and streams that fail with a clear error.

Every file jjnlp writes goes to a temporary file in the target's directory and is renamed
into place (``os.replace`` is atomic on one file system, Windows included); an interrupted
write leaves no partial file, and the new file's permissions follow the umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from jjnlp.errors import OutputError


def check_target(path: str | Path) -> Path:
    """``path`` as a file jjnlp may create or replace, or an :class:`OutputError` saying why."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(str(target), "是一个目录，不能作为输出文件")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(str(target), "所在目录不存在")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(str(target), "文件只读，未覆盖；请换一个输出文件名或先取消只读")
    if not os.access(parent, os.W_OK):
        raise OutputError(str(target), "所在目录不可写")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)``, then move the result to ``path``; nothing is left
    behind if ``write`` fails or the run is interrupted."""
    target = check_target(path)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(str(target), f"无法写入（{exc.strerror or exc}）") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_text_atomic(path: str | Path, text: str) -> None:
    def write(temporary: Path) -> None:
        temporary.write_text(text, encoding="utf-8")

    write_atomic(path, write)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    write_atomic(path, write)


@contextlib.contextmanager
def stream_errors(name: str = "标准输出") -> Iterator[None]:
    """Writing to stdout: a closed pipe ends quietly, a full disk is an :class:`OutputError`."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(name, f"无法写出结果（{exc.strerror or exc}）") from exc


def writable(stream: IO[str] | None) -> IO[str]:
    """``stream``, or an :class:`OutputError` when there is none (stdout closed)."""
    if stream is None:
        raise OutputError("标准输出", "已关闭，无法写出结果")
    return stream
