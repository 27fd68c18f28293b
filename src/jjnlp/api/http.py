"""The HTTP server: uvicorn, with request targets that hold raw UTF-8 accepted.

``curl "http://127.0.0.1:8000/v1/search?q=惠民惠农"`` sends the query's UTF-8 bytes as they
were typed; browsers and HTTP libraries percent-encode them first. RFC 9112 allows only
ASCII in a request target, and both of uvicorn's parsers (h11, httptools) answer such a
request with 400, which an analyst trying the API from a terminal would take for a broken
server. Neither parser has a lenient mode, so :class:`Utf8TargetProtocol` percent-encodes
those bytes of the request line (what the client should have sent) before h11 reads it;
everything else is uvicorn's own.
"""

from __future__ import annotations

import re
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def _escaped(match: re.Match[bytes]) -> bytes:
    return b"%%%02X" % match[0][0]


class Utf8TargetProtocol(H11Protocol):
    """uvicorn's h11 protocol, reading a request line's non-ASCII bytes as their %XX."""

    _line = True  # the bytes that come next belong to a request line

    def data_received(self, data: bytes) -> None:
        if self._line and self.conn.their_state is h11.IDLE:
            end = data.find(b"\n")
            line, rest = (data, b"") if end < 0 else (data[:end], data[end:])
            self._line = end < 0  # the line goes on in the next chunk
            data = _NOT_ASCII.sub(_escaped, line) + rest
        super().data_received(data)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._line = True  # the next request on this connection starts with its line


def server_options() -> dict[str, Any]:
    """The uvicorn options ``jjnlp serve`` (and its tests) run the app with."""
    return {"http": Utf8TargetProtocol, "log_level": "warning"}
