"""Sentence splitting on Chinese punctuation that respects quotes and brackets."""

from __future__ import annotations

from functools import cache

from jjnlp.model import Span
from jjnlp.resources import load_toml


@cache
def _config() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    config = load_toml("structure.toml")["sentences"]
    return frozenset(config["enders"]), frozenset(config["closers"]), dict(config["openers"])


def split_sentences(text: str) -> tuple[Span, ...]:
    """Spans of sentences: a sentence ends at 。！？… outside quotes and brackets, or at a line end.

    Closing quotes and brackets right after the ender stay with the sentence, and a
    run of enders (``？！``, ``……``) is one ending.
    """
    enders, closers, openers = _config()
    spans: list[Span] = []
    start = 0
    depth_stack: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            if i > start:
                spans.append(Span(start, i))
            start, depth_stack = i + 1, []
        elif char in openers:
            depth_stack.append(openers[char])
        elif depth_stack and char == depth_stack[-1]:
            depth_stack.pop()
        elif char in enders and not depth_stack:
            j = i + 1
            while j < n and (text[j] in enders or text[j] in closers):
                j += 1
            spans.append(Span(start, j))
            start, i = j, j
            continue
        i += 1
    if start < n:
        spans.append(Span(start, n))
    return tuple(s for s in spans if s.end > s.start)
