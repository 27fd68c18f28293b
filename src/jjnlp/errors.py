"""Errors a user can act on: each names the file and the cause, with a stable code."""

from __future__ import annotations


class JjnlpError(Exception):
    """Base class: ``code`` is stable, ``message`` is Chinese and says what to do."""

    code = "E000"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}：{message}")
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.path}：{self.message}"

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # errors cross process boundaries
        return (type(self), (self.path, self.message))


# what a library's exception means for the user, by its class name (the English text of a
# library's message is an internal detail: it goes to --debug, never into the cause)
_CAUSES = {
    "error": "压缩数据无法解压",  # zlib.error
    "BadZipFile": "不是完整的压缩包",
    "EOFError": "文件被截断",
    "KeyError": "缺少必需的组成部分",
    "XMLSyntaxError": "内部 XML 格式错误",
    "RecursionError": "结构嵌套过深",
    "MemoryError": "内容过大",
    "UnicodeDecodeError": "含无法解码的文字",
    "NotImplementedError": "使用了不支持的格式特性",
    "PDFSyntaxError": "PDF 语法错误",
    "PdfminerException": "PDF 结构无法解析",
    "PSEOF": "文件被截断",
}


def cause_of(exc: BaseException) -> str:
    """A Chinese account of why a library failed on a file, from the exception's class."""
    for kind in type(exc).__mro__:
        if kind.__name__ in _CAUSES:
            return _CAUSES[kind.__name__]
    return "结构无法解析"


class ReadError(JjnlpError):
    """The file could not be read into a document."""

    code = "E100"


class FileMissing(ReadError):
    code = "E101"


class EmptyFile(ReadError):
    code = "E102"


class UnsupportedFormat(ReadError):
    code = "E103"


class UndecodableText(ReadError):
    code = "E104"


class CorruptFile(ReadError):
    code = "E105"


class EncryptedPdf(ReadError):
    code = "E106"


class NoTextLayer(ReadError):
    code = "E107"


class TooLarge(ReadError):
    """The file exceeds a reading limit (size, inflated size, pages, characters)."""

    code = "E108"


class NeedsConversion(ReadError):
    """An older or other word-processor format (.doc, .wps, .rtf, .odt) and no LibreOffice
    to convert it: the message names the format and the fix."""

    code = "E109"


class ConversionFailed(ReadError):
    """LibreOffice could not convert the file to .docx (it failed or ran out of time)."""

    code = "E110"


class ProcessingFailed(JjnlpError):
    """The file was read but its analysis was stopped (time limit, memory ceiling, crash)."""

    code = "E150"


class TimedOut(ProcessingFailed):
    code = "E151"


class OutOfMemory(ProcessingFailed):
    code = "E152"


class Crashed(ProcessingFailed):
    code = "E153"


class ConfigError(JjnlpError):
    """A configuration file is malformed or names an unknown rule or option."""

    code = "E200"


class ModelMissing(JjnlpError):
    """A model directory or file the user named (or the package ships) is absent."""

    code = "E300"


class GoldError(JjnlpError):
    """A gold annotation file is malformed or one of its spans cannot be located."""

    code = "E400"


class OutputError(JjnlpError):
    """An output file or stream cannot be written (a directory, read-only, disk full …)."""

    code = "E500"


class BatchInputError(JjnlpError):
    """A batch's manifest, baseline, reviewed findings workbook or resume state cannot be used."""

    code = "E600"


class StoreError(JjnlpError):
    """The store cannot be opened or used (no such database, a newer schema, no pg_trgm …)."""

    code = "E700"


class QueryError(JjnlpError):
    """A search or filter parameter cannot be used (``path`` names the parameter)."""

    code = "E710"


class InternalError(JjnlpError):
    """A bug in jjnlp: an unexpected exception, reported with the file and the stage."""

    code = "E900"
