"""A new Word file of plain paragraphs with comments, written as WordprocessingML text.

Text and PDF input have no Word file of their own to keep, so their annotated copy is a
new document: one paragraph per block, set as a 公文 body, each comment around its range.
Written here rather than through python-docx, which parses and re-serialises its
template's 800 KB of styles for every document: 55 ms a report, more than analysing it.
The file needs only paragraphs, runs, tabs and comment marks; the package's other parts
are fixed (``resources/docx_package.toml``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from functools import cache
from html import escape

from jjnlp.resources import load_toml

# characters XML 1.0 cannot hold (C0 controls but tab, newline, return; lone surrogates;
# U+FFFE/U+FFFF): dropped from the text written
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REFERENCE = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'

Range = tuple[int, int, int]  # comment id, start, end: characters of the paragraph's text


@cache
def _package() -> dict[str, dict[str, str]]:
    return load_toml("docx_package.toml")


def _run(text: str) -> str:
    """One run holding ``text``: tabs and line breaks as Word's own elements."""
    pieces = re.split(r"(\t|\n)", _ILLEGAL.sub("", text))
    inner = "".join(
        "<w:tab/>"
        if p == "\t"
        else "<w:br/>"
        if p == "\n"
        else f'<w:t xml:space="preserve">{escape(p, quote=False)}</w:t>'
        for p in pieces
        if p
    )
    return f"<w:r>{inner}</w:r>"


def _paragraph(text: str, ranges: Sequence[Range]) -> str:
    """The paragraph, its text cut at every range edge; a range opens before its first run
    and closes after its last, followed by the run that carries the comment's mark."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for number, start, end in ranges:
        starts.setdefault(start, []).append(number)
        ends.setdefault(end, []).append(number)
    cuts = sorted({0, len(text), *starts, *ends})
    out = ["<w:p>"]
    for at, following in zip(cuts, [*cuts[1:], None], strict=True):
        for number in sorted(ends.get(at, ()), reverse=True):
            out.append(f'<w:commentRangeEnd w:id="{number}"/>')
            out.append(f'{_REFERENCE}<w:commentReference w:id="{number}"/></w:r>')
        for number in starts.get(at, ()):
            out.append(f'<w:commentRangeStart w:id="{number}"/>')
        if following is not None and following > at:
            out.append(_run(text[at:following]))
    out.append("</w:p>")
    return "".join(out)


def _comment(number: int, note: str) -> str:
    return (
        f'<w:comment w:id="{number}" w:author="jjnlp" w:initials="JJ"><w:p>'
        '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
        f"{_REFERENCE}<w:annotationRef/></w:r>{_run(note)}</w:p></w:comment>"
    )


def new_docx(paragraphs: Sequence[tuple[str, Sequence[Range]]], notes: Sequence[str]) -> bytes:
    """The .docx bytes: each paragraph's text with its comment ranges; comment ``i`` says
    ``notes[i]``. Deterministic (no dates, fixed entry times): the same input, the same file."""
    package = _package()
    document = "".join(_paragraph(text, ranges) for text, ranges in paragraphs)
    comments = "".join(_comment(number, note) for number, note in enumerate(notes))
    parts = {
        **package["parts"],
        "word/document.xml": package["document"]["head"] + document + package["document"]["tail"],
        "word/comments.xml": package["comments"]["head"] + comments + package["comments"]["tail"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(name), xml.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
