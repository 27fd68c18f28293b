"""Findings highlighted in place: one block of text with each finding wrapped in <mark>.

Shared by the single-report page (:mod:`jjnlp.render.html`) and a batch's document pages
(:mod:`jjnlp.render.document_page`); both kinds of finding record fit :class:`Marked`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol


class Marked(Protocol):
    """What highlighting needs of a finding (an audit finding or a batch one)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def severity(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...


def mark_findings(
    text: str,
    start: int,
    end: int,
    numbered: Sequence[tuple[int, Marked]],
    *,
    markers: bool = False,
) -> str:
    """``text[start:end]`` escaped, its findings (in order, non-overlapping) as <mark id="fN">.

    A finding that overlaps the one before it or runs past ``end`` is left unmarked (its
    caller lists it elsewhere). With ``markers``, each mark is followed by a numbered link
    ``[N]`` to the finding's note (``#nN``), so a page can show the message without hover.
    """
    out, at = [], start
    for number, f in numbered:
        if f.start < at or f.end > end:
            continue
        out.append(escape(text[at : f.start]))
        out.append(
            f'<mark class="finding {escape(f.severity)}" id="f{number}" '
            f'data-rule="{escape(f.rule)}" title="{escape(f.message)}">'
            f"{escape(text[f.start : f.end])}</mark>"
        )
        if markers:
            out.append(f'<a class="marker" href="#n{number}">[{number}]</a>')
        at = f.end
    out.append(escape(text[at:end]))
    return "".join(out)
