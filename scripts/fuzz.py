"""Mutation fuzzing of the readers and the audit pipeline, in-process in a worker subprocess.

Usage: python scripts/fuzz.py --seconds N --format txt|docx|pdf|ofd [--seed S]
                              [--out tests/hostile/found] [--timeout T] [--memory-mb M]
                              [--summary FILE.json]

Mutants of the corpus (corpora/docs/*.txt, corpora/generated/*.docx|pdf,
corpora/realformats/generated/*.ofd) are made by byte flips, truncation, random insertions
and deletions, splices and tokens that matter to the grammar (numerals, brackets, headings,
huge numbers); for .docx and .ofd (zip packages) also member edits (XML damage, dropped,
duplicated or renamed members, odd compression); for .pdf also object
edits (a number changed, /Length broken, the xref broken or rebuilt, a content stream
rewritten). Each mutant goes to one long-lived worker process, which calls
``jjnlp.readers.load(path)`` and ``jjnlp.pipeline.run(document, ("audit",))`` under a time
limit (an alarm, then faulthandler, then SIGKILL from here) and an address-space limit;
the worker is restarted after a hang, a memory exhaustion or its death.

Outcomes: ``ok``; ``coded`` (a JjnlpError with its code); ``crash`` (any other exception,
or E000; its signature is the exception type and the innermost jjnlp frame); ``hang``
(over the time limit; signature: the innermost jjnlp frame when it was stopped);
``memory`` (MemoryError anywhere in the chain, or the worker killed). One reproducer per
new crash, hang or memory signature is saved to ``--out`` with a JSON sidecar.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import faulthandler
import hashlib
import io
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = {
    "txt": sorted((ROOT / "corpora" / "docs").glob("*.txt")),
    "docx": sorted((ROOT / "corpora" / "generated").glob("*.docx")),
    "pdf": sorted((ROOT / "corpora" / "generated").glob("*.pdf")),
    "ofd": sorted((ROOT / "corpora" / "realformats" / "generated").glob("*.ofd")),
}
# the member of a zip package most mutations go to, and names a renamed member may take
MAIN_PART = {"docx": "word/document.xml", "ofd": "Doc_0/Pages/Page_0/Content.xml"}
RENAMES = {
    "docx": ("word/Document.xml", "word/document.xml ", "../x.xml", ""),
    "ofd": ("ofd.xml", "OFD.xml ", "../OFD.xml", "/Doc_0/Document.xml", ""),
}
OUTCOMES = ("ok", "coded", "crash", "hang", "memory")

# --------------------------------------------------------------------------- mutations

TOKENS = [
    "（",
    "）",
    "“",
    "”",
    "《",
    "》",
    "一、",
    "（一）",
    "（十）",
    "1.",
    "（1）",
    "一是",
    "三是",
    "其中",
    "。",
    "，",
    "；",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\ufeff",
    "\u3000",
    "\x0b",
    "0000年",
    "2024年13月",
    "2024年1-6月",
    "1-0月",
    "百分之",
    "分之",
    "%",
    "％",
    "99999999999999999999999件",
    "1" * 40,
    "零" * 30,
    "亿" * 30,
    "万元",
    "个百分点",
    "0件",
    "0人",
    "结案率",
    "占比",
    "同比增长",
    "较上年",
    "去年同期",
    "立案",
    "结案",
    "处分",
    "72件",
    "0.0%",
    "1e999",
    "NaN",
    "-5件",
    "1,2,3件",
    "1/0",
    "零分之一",
    "三分之零",
    "近",
    "余",
    "以上",
    "至",
    "—",
    "\ud800",
]


def _interesting_bytes(rng: random.Random) -> bytes:
    token = rng.choice(TOKENS)
    encoding = rng.choice(("utf-8", "utf-8", "utf-8", "gb18030", "utf-16-le"))
    try:
        return token.encode(encoding, "surrogatepass")
    except UnicodeEncodeError:  # a lone surrogate in GB18030
        return token.encode("utf-8", "surrogatepass")


def mutate_bytes(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    """One byte-level mutation of ``data`` and what it was."""
    buf = bytearray(data)
    size = len(buf)
    kind = rng.choice(
        ("flip", "byte", "insert", "delete", "duplicate", "truncate", "token", "splice", "repeat")
    )
    if not size:
        kind = "insert"
    at = rng.randrange(size) if size else 0
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(size)
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(size)] = rng.randrange(256)
    elif kind == "insert":
        buf[at:at] = (
            os.urandom(rng.randint(1, 64))
            if rng.random() < 0.5
            else bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        )
    elif kind == "delete":
        del buf[at : at + rng.randint(1, max(1, size // 8))]
    elif kind == "duplicate":
        piece = bytes(buf[at : at + rng.randint(1, 256)])
        buf[at:at] = piece * rng.randint(1, 20)
    elif kind == "truncate":
        del buf[rng.randrange(size + 1) :]
    elif kind == "token":
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = _interesting_bytes(rng)
    elif kind == "splice":
        other = rng.choice(others) if others else data
        j = rng.randrange(len(other) + 1)
        buf[at:] = other[j : j + rng.randint(1, 4096)]
    elif kind == "repeat":
        token = _interesting_bytes(rng)
        buf[at:at] = token * rng.randint(100, 5000)
    return bytes(buf), f"{kind}@{at}"


_ALPHABET = (
    "零〇一二两三四五六七八九十百千万亿0123456789０１２３４５６７８９,.．%％-—～至到"
    "（）“”《》、，。；：？！…\n件人次元个百分点余多近约以上年月日是"
)


def _random_char(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(_ALPHABET)
    if roll < 0.8:
        return chr(rng.randint(0x4E00, 0x9FFF))
    if roll < 0.9:
        return chr(rng.randint(0, 0x1F))
    return chr(rng.choice((rng.randint(0x80, 0xFFFF), rng.randint(0x10000, 0x10FFFF))))


def mutate_str(text: str, rng: random.Random) -> tuple[str, str]:
    """One character-level mutation of a text."""
    size = len(text)
    at = rng.randrange(size + 1)
    kind = rng.choice(
        ("token", "token", "chars", "delete", "duplicate", "repeat", "lines", "truncate")
    )
    if kind == "token":
        return text[:at] + rng.choice(TOKENS) + text[at:], f"token@{at}"
    if kind == "chars":
        chars = "".join(_random_char(rng) for _ in range(rng.randint(1, 12)))
        return text[:at] + chars + text[at + rng.randint(0, 3) :], f"chars@{at}"
    if kind == "delete":
        return text[:at] + text[at + rng.randint(1, 200) :], f"delete@{at}"
    if kind == "duplicate":
        piece = text[at : at + rng.randint(1, 300)]
        return text[:at] + piece * rng.randint(2, 30) + text[at:], f"duplicate@{at}"
    if kind == "repeat":
        token = rng.choice([*TOKENS, _random_char(rng)])
        return text[:at] + token * rng.randint(50, 3000) + text[at:], f"repeat@{at}"
    if kind == "lines":
        lines = text.split("\n")
        rng.shuffle(lines)
        return "\n".join(lines[: rng.randint(1, len(lines))]), "lines"
    return text[:at], f"truncate@{at}"


def mutate_text(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    roll = rng.random()
    if roll < 0.1:  # the same text in another encoding
        encoding = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-8-sig", "big5"))
        return data.decode("utf-8", "replace").encode(encoding, "replace"), f"encode:{encoding}"
    if roll < 0.3:  # the bytes themselves
        return mutate_bytes(data, rng, others)
    text = data.decode("utf-8", "replace")
    steps = []
    for _ in range(rng.randint(1, 4)):
        text, step = mutate_str(text, rng)
        steps.append(step)
    return text.encode("utf-8", "surrogatepass"), "+".join(steps)


_OFD_NS = b"http://www.ofdspec.org/2016"
_OFD_NUMBERS = re.compile(rb'="((?:-?[\d.]+|g)(?: (?:-?[\d.]+|g))*)"')
_XML_DAMAGE = ("flip", "cut_tag", "dup_element", "truncate", "insert", "attr", "text", "entity")


def damage_xml(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(_XML_DAMAGE)
    if kind == "flip" or not xml:
        out, step = mutate_bytes(xml, rng, [])
        return out, f"xml-{step}"
    tags = [m.span() for m in re.finditer(rb"<[^<>]{1,200}>", xml)]
    if kind == "cut_tag" and tags:
        a, b = rng.choice(tags)
        return xml[:a] + xml[b:], f"xml-cut_tag@{a}"
    if kind == "dup_element" and tags:
        a, _ = rng.choice(tags)
        b = min(len(xml), a + rng.randint(10, 2000))
        return xml[:b] + xml[a:b] * rng.randint(1, 50) + xml[b:], f"xml-dup@{a}"
    if kind == "truncate":
        at = rng.randrange(len(xml))
        return xml[:at], f"xml-truncate@{at}"
    if kind == "attr":
        ofd = _OFD_NS in xml  # OFD numbers: decimals, lists (Boundary, CTM), g repeats
        values = list(re.finditer(_OFD_NUMBERS if ofd else rb'="(-?\d+)"', xml))
        if values:
            m = rng.choice(values)
            new = rng.choice(
                (b"-1", b"0", b"4294967296", b"99999999999999999999", b"1e9", b"x")
                + (
                    (b"nan", b"inf", b"1 2", b"g 99999999999 1", b"g 3", b"-0.0 1e308")
                    if ofd
                    else ()
                )
            )
            return xml[: m.start(1)] + new + xml[m.end(1) :], f"xml-attr@{m.start(1)}={new!r}"
    if kind == "text":
        texts = list(re.finditer(rb"<(w:t|ofd:TextCode)(?: [^>]*)?>([^<]*)</\1>", xml))
        if texts:
            m = rng.choice(texts)
            token = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
            token = token.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
            return xml[: m.start(2)] + token * rng.randint(1, 200) + xml[m.end(2) :], "xml-text"
    if kind == "entity":
        at = rng.randrange(len(xml))
        entity = rng.choice((b"&#0;", b"&#xFFFF;", b"&#1114112;", b"&bogus;", b"&amp", b"]]>"))
        return xml[:at] + entity + xml[at:], f"xml-entity@{at}"
    at = rng.randrange(len(xml))
    return xml[:at] + _interesting_bytes(rng) + xml[at:], f"xml-insert@{at}"


def mutate_docx(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    return mutate_package(data, rng, others, "docx")


def mutate_ofd(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    return mutate_package(data, rng, others, "ofd")


def mutate_package(
    data: bytes, rng: random.Random, others: list[bytes], fmt: str
) -> tuple[bytes, str]:
    """A zip package (.docx, .ofd) with one member damaged, dropped, duplicated, renamed,
    stored uncompressed or taken from another package of the corpus."""
    if rng.random() < 0.2:  # damage the archive itself
        return mutate_bytes(data, rng, others)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # an earlier mutant's damage: mutate its bytes instead
        return mutate_bytes(data, rng, others)
    if not members:
        return mutate_bytes(data, rng, others)
    kind = rng.choice(("xml", "xml", "xml", "drop", "duplicate", "rename", "stored", "other"))
    names = [info.filename for info, _ in members]
    weights = [5 if n == MAIN_PART[fmt] else 1 for n in names]
    index = rng.choices(range(len(members)), weights)[0]
    info, payload = members[index]
    step = f"{kind}:{info.filename}"
    if kind == "xml":
        payload, damage = damage_xml(payload, rng)
        members[index] = (info, payload)
        step += f":{damage}"
    elif kind == "drop":
        del members[index]
    elif kind == "duplicate":
        members.append((info, payload))
    elif kind == "rename":
        new = zipfile.ZipInfo(rng.choice(RENAMES[fmt]))
        new.filename = new.filename or "x/"
        members[index] = (new, payload)
    elif kind == "other":  # a member taken from another package
        try:
            with zipfile.ZipFile(io.BytesIO(rng.choice(others))) as other:
                payload = other.read(info.filename)
            members[index] = (info, payload)
        except Exception:
            pass
    out = io.BytesIO()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(out, "w") as archive:
            for member, content in members:
                compress = zipfile.ZIP_STORED if kind == "stored" else zipfile.ZIP_DEFLATED
                archive.writestr(member.filename, content, compress_type=compress)
    return out.getvalue(), step


_STREAM = re.compile(rb"(<<(?:[^<>]|<<[^<>]*>>)*?>>)\s*stream\r?\n(.*?)\r?\nendstream", re.S)


def rebuild_xref(pdf: bytes) -> bytes:
    """A fresh xref table and startxref for the objects where they now stand."""
    offsets = {int(m[1]): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", pdf)}
    at = pdf.rfind(b"xref")
    if at < 0 or not offsets:
        return pdf
    trailer = pdf.find(b"trailer", at)
    if trailer < 0:
        return pdf
    size = max(offsets) + 1
    table = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
    for number in range(1, size):
        offset = offsets.get(number)
        table.append(
            b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n"
        )
    end = pdf.find(b"startxref", trailer)
    tail = pdf[trailer:end] if end >= 0 else pdf[trailer:]
    return pdf[:at] + b"".join(table) + tail + b"startxref\n%d\n%%%%EOF\n" % at


def _content_ops(ops: bytes, rng: random.Random) -> tuple[bytes, str]:
    numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?", ops))
    kind = rng.choice(("number", "number", "dup", "garbage", "string", "bytes"))
    if kind == "number" and numbers:
        m = rng.choice(numbers)
        new = rng.choice((b"0", b"-0", b"1e308", b"99999999999", b"-99999", b"nan", b"0.0000001"))
        return ops[: m.start()] + new + ops[m.end() :], f"op-number={new!r}"
    if kind == "dup":
        a = rng.randrange(len(ops) + 1)
        return ops[:a] + ops[a : a + 500] * rng.randint(2, 200) + ops[a:], "op-dup"
    if kind == "garbage":
        a = rng.randrange(len(ops) + 1)
        junk = rng.choice(
            (b" ET ET ", b" BT BT ", b" Q Q Q ", b" q " * 50, b" [( ", b" ) ", b" /F9 0 Tf ")
        )
        return ops[:a] + junk + ops[a:], f"op-garbage={junk[:12]!r}"
    if kind == "string":
        strings = list(re.finditer(rb"\(([^()\\]*)\)|<([0-9A-Fa-f]*)>", ops))
        if strings:
            m = rng.choice(strings)
            return ops[: m.start()] + b"<" + os.urandom(
                rng.randint(1, 64)
            ).hex().encode() + b">" + ops[m.end() :], "op-string"
    out, step = mutate_bytes(ops, rng, [])
    return out, f"op-{step}"


def _decode_stream(head: bytes, body: bytes) -> bytes | None:
    try:
        if b"/ASCII85Decode" in head:
            body = base64.a85decode(body.strip(), adobe=body.strip().startswith(b"<~"))
        if b"/FlateDecode" in head:
            body = zlib.decompress(body)
        return body
    except Exception:
        return None


def mutate_pdf(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    kind = rng.choice(
        ("bytes", "number", "number", "length", "xref", "content", "content", "object")
    )
    if kind == "number":
        numbers = [
            m
            for m in re.finditer(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", data)
            if m.start() < len(data) - 30
        ]
        if numbers:
            m = rng.choice(numbers)
            new = rng.choice(
                (
                    b"0",
                    b"-1",
                    b"4294967296",
                    b"2147483648",
                    b"99999999999999999999",
                    b"0.5",
                    b"1e9",
                    b"7 0 R",
                    b"[]",
                )
            )
            out = data[: m.start()] + new + data[m.end() :]
            if rng.random() < 0.5:
                out = rebuild_xref(out)
            return out, f"number@{m.start()}={new!r}"
    if kind == "length":
        lengths = list(re.finditer(rb"/Length (\d+)", data))
        if lengths:
            m = rng.choice(lengths)
            new = rng.choice(
                (
                    b"0",
                    b"1",
                    b"999999",
                    b"-5",
                    b"3 0 R",
                    b"99 0 R",
                    str(int(m[1]) + rng.randint(-20, 20)).encode(),
                )
            )
            return rebuild_xref(data[: m.start(1)] + new + data[m.end(1) :]), f"length={new!r}"
    if kind == "xref":
        choice = rng.choice(("offset", "startxref", "drop", "size"))
        if choice == "offset":
            entries = list(re.finditer(rb"(?m)^(\d{10}) 00000 n", data))
            if entries:
                m = rng.choice(entries)
                new = b"%010d" % rng.choice((0, 1, len(data) + 100, rng.randrange(len(data))))
                return data[: m.start(1)] + new + data[m.end(1) :], "xref-offset"
        if choice == "startxref":
            return re.sub(
                rb"startxref\s+\d+", b"startxref\n%d" % rng.randrange(len(data) * 2), data
            ), "xref-startxref"
        if choice == "drop":
            at = data.rfind(b"xref")
            return data[:at] + data[data.find(b"trailer", at) :] if at >= 0 else data, "xref-drop"
        return re.sub(rb"/Size \d+", b"/Size %d" % rng.choice((0, 1, 10**9)), data), "xref-size"
    if kind == "content":
        streams = list(_STREAM.finditer(data))
        if streams:
            m = rng.choice(streams)
            decoded = _decode_stream(m[1], m[2])
            if decoded is not None:
                ops, step = _content_ops(decoded, rng)
                packed = zlib.compress(ops)
                head = re.sub(rb"/Filter\s*(\[[^\]]*\]|/\w+)", b"/Filter /FlateDecode", m[1])
                head = re.sub(rb"/Length \d+", b"/Length %d" % len(packed), head)
                out = (
                    data[: m.start()]
                    + head
                    + b"\nstream\n"
                    + packed
                    + b"\nendstream"
                    + data[m.end() :]
                )
                return rebuild_xref(out), f"content:{step}"
    if kind == "object":
        objects = list(re.finditer(rb"(?ms)^\d+ 0 obj.*?endobj\s*", data))
        if objects:
            m = rng.choice(objects)
            choice = rng.choice(("drop", "dup", "endobj", "dict"))
            if choice == "drop":
                return rebuild_xref(data[: m.start()] + data[m.end() :]), "object-drop"
            if choice == "dup":
                return rebuild_xref(data[: m.end()] + m.group() + data[m.end() :]), "object-dup"
            if choice == "endobj":
                return data.replace(b"endobj", b"", 1), "object-endobj"
            body = m.group().replace(b">>", b"", 1)
            return rebuild_xref(data[: m.start()] + body + data[m.end() :]), "object-dict"
    return mutate_bytes(data, rng, others)


MUTATORS = {"txt": mutate_text, "docx": mutate_docx, "pdf": mutate_pdf, "ofd": mutate_ofd}


# --------------------------------------------------------------------------- worker


class _Hang(BaseException):
    """Raised by the alarm: a BaseException, so ``except Exception`` does not swallow it."""


def _frames(tb: Any) -> list[traceback.FrameSummary]:
    """The traceback's frames, without the alarm handler's own."""
    return [f for f in traceback.extract_tb(tb) if f.filename != __file__]


def _where(frame: traceback.FrameSummary) -> str:
    path = frame.filename.replace(os.sep, "/")
    for anchor in ("/jjnlp/", "/site-packages/", "/lib/python"):
        if anchor in path:
            path = path.split(anchor, 1)[1]
            path = ("jjnlp/" if anchor == "/jjnlp/" else "") + path
            break
    return f"{path}:{frame.name}"


def _innermost_jjnlp(frames: list[traceback.FrameSummary]) -> str:
    ours = [f for f in frames if "/jjnlp/" in f.filename.replace(os.sep, "/")]
    return _where(ours[-1]) if ours else "(no jjnlp frame)"


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _classify(error: BaseException) -> dict[str, Any]:
    from jjnlp.errors import JjnlpError

    chain = _chain(error)
    trace = "".join(traceback.format_exception(error))
    if any(isinstance(e, _Hang) for e in chain):
        hang = next(e for e in chain if isinstance(e, _Hang))
        frames = _frames(hang.__traceback__)
        deepest = _where(frames[-1]) if frames else "?"
        return {
            "outcome": "hang",
            "signature": f"hang@{_innermost_jjnlp(frames)}",
            "deepest": deepest,
            "traceback": trace,
        }
    if any(isinstance(e, MemoryError) for e in chain):
        memory = next(e for e in chain if isinstance(e, MemoryError))
        frames = _frames(memory.__traceback__)
        deepest = _where(frames[-1]) if frames else "?"
        return {
            "outcome": "memory",
            "signature": f"MemoryError@{_innermost_jjnlp(frames)}",
            "deepest": deepest,
            "traceback": trace,
        }
    if isinstance(error, JjnlpError) and error.code != "E000":
        return {"outcome": "coded", "code": error.code, "message": str(error)[:300]}
    frames = _frames(error.__traceback__)
    deepest = _where(frames[-1]) if frames else "?"
    name = type(error).__name__ + (f"({error.code})" if isinstance(error, JjnlpError) else "")
    return {
        "outcome": "crash",
        "signature": f"{name}@{_innermost_jjnlp(frames)}",
        "deepest": deepest,
        "message": str(error)[:300],
        "traceback": trace,
    }


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def worker(limit: float) -> None:
    """Read one path per line on stdin; answer one JSON line per path on the original stdout."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever the library prints goes to the log
    sys.stdout = sys.stderr
    from jjnlp.pipeline import run
    from jjnlp.readers import read

    for fmt in ("txt", "docx", "pdf", "ofd"):  # warm up: imports, jieba's dictionary, tagger
        for path in CORPUS[fmt][:1]:
            run(read(path), ("audit",))
    signal.signal(signal.SIGALRM, _alarm)
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        path = json.loads(line)["path"]
        started = time.perf_counter()
        # the alarm stops Python code; faulthandler dumps the stacks and exits if C code
        # never returns to the interpreter
        faulthandler.dump_traceback_later(limit + 3, exit=True)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            try:
                run(read(path), ("audit",))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            result: dict[str, Any] = {"outcome": "ok"}
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            result = _classify(error)
        finally:
            faulthandler.cancel_dump_traceback_later()
        result["seconds"] = round(time.perf_counter() - started, 3)
        protocol.write(json.dumps(result) + "\n")


@dataclass
class Worker:
    limit: float
    memory_mb: int
    log: Path
    process: subprocess.Popen[str] | None = None
    log_offset: int = 0
    starts: int = 0

    def _start(self) -> None:
        memory = self.memory_mb << 20

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                "--timeout",
                str(self.limit),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(self.log, "ab"),  # noqa: SIM115 - the child keeps it
            text=True,
            env=env,
            preexec_fn=limits,
            start_new_session=True,
        )
        self.starts += 1
        ready = self._read(120)
        if not ready or not ready.get("ready"):
            raise RuntimeError(f"the worker did not start; see {self.log}")

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self.process and self.process.stdout
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"eof": True}

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def run(self, path: Path) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self._start()
        assert self.process and self.process.stdin
        self.log_offset = self.log.stat().st_size
        try:
            self.process.stdin.write(json.dumps({"path": str(path)}) + "\n")
            self.process.stdin.flush()
            result = self._read(self.limit + 8)
        except (BrokenPipeError, ValueError):
            result = {"eof": True}
        if result is None or result.get("eof"):
            dump = self._log_since()
            code = self.process.poll()
            self.stop()
            if result is None or "Timeout (" in dump:  # killed here, or by faulthandler
                where = _dumped_frame(dump)
                return {
                    "outcome": "hang",
                    "signature": f"hang@{where[0]}",
                    "deepest": where[1],
                    "traceback": dump[-4000:],
                }
            if (
                code is not None
                and code < 0
                and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT)
            ):
                name = signal.Signals(-code).name
                outcome = "memory" if name == "SIGKILL" else "crash"
                return {
                    "outcome": outcome,
                    "signature": f"{name}@worker",
                    "deepest": "?",
                    "traceback": dump[-4000:],
                }
            return {
                "outcome": "crash",
                "signature": f"exit{code}@worker",
                "deepest": "?",
                "traceback": dump[-4000:],
            }
        if result["outcome"] in ("hang", "memory"):
            self.stop()  # its state may be broken: start afresh
        return result

    def _log_since(self) -> str:
        with open(self.log, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode("utf-8", "replace")


def _dumped_frame(dump: str) -> tuple[str, str]:
    """Innermost jjnlp frame and innermost frame of a faulthandler dump (most recent first)."""
    frames = re.findall(r'File "([^"]+)", line \d+ in (\S+)', dump)
    if not frames:
        return "(killed, no stack)", "?"
    summaries = [traceback.FrameSummary(f, 0, name) for f, name in frames]
    ours = [s for s in summaries if "/jjnlp/" in s.filename]
    return (_where(ours[0]) if ours else "(no jjnlp frame)"), _where(summaries[0])


# --------------------------------------------------------------------------- driver


@dataclass
class Report:
    executions: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: Counter[str] = field(default_factory=Counter)
    worker_starts: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "executions": self.executions,
            "outcomes": {name: self.outcomes.get(name, 0) for name in OUTCOMES},
            "codes": dict(self.codes),
            "worker_starts": self.worker_starts,
            "signatures": self.signatures,
        }


def fuzz(
    fmt: str,
    seconds: float,
    seed: int,
    out: Path | None,
    limit: float,
    memory_mb: int,
    verbose: bool = False,
) -> Report:
    rng = random.Random(seed)
    corpus = [p.read_bytes() for p in CORPUS[fmt]]
    if not corpus:
        raise SystemExit(f"no {fmt} files in the corpus")
    work = Path(tempfile.mkdtemp(prefix=f"jjnlp-fuzz-{fmt}-"))
    log = work / "worker.log"
    log.touch()
    pool = Worker(limit, memory_mb, log)
    report = Report()
    mutate = MUTATORS[fmt]
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            source = rng.randrange(len(corpus))
            data, steps = corpus[source], []
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                data, step = mutate(data, rng, corpus)
                steps.append(step)
            path = work / f"input.{fmt}"
            path.write_bytes(data)
            result = pool.run(path)
            report.executions += 1
            outcome = result["outcome"]
            report.outcomes[outcome] += 1
            if outcome == "coded":
                report.codes[result["code"]] += 1
            if outcome in ("crash", "hang", "memory"):
                signature = result["signature"]
                known = report.signatures.get(signature)
                if known:
                    known["count"] += 1
                    continue
                entry = {
                    "outcome": outcome,
                    "count": 1,
                    "deepest": result.get("deepest"),
                    "message": result.get("message", ""),
                    "source": CORPUS[fmt][source].name,
                    "mutation": " | ".join(steps),
                }
                if out is not None:
                    entry["reproducer"] = str(_save(out, fmt, data, signature, result, entry, seed))
                report.signatures[signature] = entry
                if verbose:
                    print(f"new {outcome}: {signature} ({result.get('deepest')})", file=sys.stderr)
    finally:
        pool.stop()
        report.worker_starts = pool.starts
        shutil.rmtree(work, ignore_errors=True)
    return report


def _save(
    out: Path,
    fmt: str,
    data: bytes,
    signature: str,
    result: dict[str, Any],
    entry: dict[str, Any],
    seed: int,
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(signature.encode()).hexdigest()[:10]
    slug = re.sub(r"[^A-Za-z0-9]+", "_", signature.split("@")[0])[:24]
    path = out / f"{fmt}-{result['outcome']}-{slug}-{digest}.{fmt}"
    path.write_bytes(data)
    sidecar = {
        "signature": signature,
        "outcome": result["outcome"],
        "deepest": result.get("deepest"),
        "message": result.get("message", ""),
        "source": entry["source"],
        "mutation": entry["mutation"],
        "seed": seed,
        "sha256": hashlib.sha256(data).hexdigest(),
        "traceback": result.get("traceback", ""),
    }
    path.with_name(path.name + ".json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--format", choices=sorted(MUTATORS), default="txt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="save one reproducer per new signature here")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per input")
    parser.add_argument("--memory-mb", type=int, default=2048, help="the worker's address space")
    parser.add_argument("--summary", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.timeout)
        return 0
    started = time.monotonic()
    report = fuzz(
        args.format, args.seconds, args.seed, args.out, args.timeout, args.memory_mb, args.verbose
    )
    elapsed = time.monotonic() - started
    print(
        f"format {args.format}, seed {args.seed}: {report.executions} executions in {elapsed:.0f}s "
        f"({report.executions / max(elapsed, 1e-9):.1f}/s), worker started {report.worker_starts}×"
    )
    print("outcomes: " + ", ".join(f"{name} {report.outcomes.get(name, 0)}" for name in OUTCOMES))
    if report.codes:
        print("codes: " + ", ".join(f"{code} {n}" for code, n in sorted(report.codes.items())))
    print(f"distinct signatures: {len(report.signatures)}")
    for signature, entry in sorted(report.signatures.items(), key=lambda kv: -kv[1]["count"]):
        print(
            f"  {entry['outcome']:<7}{entry['count']:>5}  {signature}  [{entry['deepest']}]"
            f"  {entry['message'][:100]}"
        )
        if entry.get("reproducer"):
            print(f"         reproducer: {entry['reproducer']}")
    if args.summary:
        args.summary.write_text(
            json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
