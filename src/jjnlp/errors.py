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


class InternalError(JjnlpError):
    """A bug in jjnlp: an unexpected exception, reported with the file and the stage."""

    code = "E900"
