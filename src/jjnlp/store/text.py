"""What the store indexes of a text and how a query is read against it.

Two views of each document's text are indexed, in both backends alike:

* **words**: search-mode words of the project's one segmenter (:func:`jjnlp.zh.segment.search_cut`),
  so 纪委 finds 纪委书记 and 市纪委监委 and a query of several words finds them apart;
* **flat**: the text folded for exact substring search (NFKC, lower case, no white space).
  SQLite indexes it character by character in FTS5 (a phrase of consecutive characters is a
  substring, one character a token), PostgreSQL with pg_trgm under ``LIKE``;
  both mean the same thing, so a query that appears in the text is always found, whatever
  its length, which a word index alone (or a trigram one, for 1–2 characters) does not give.

Relevance is one formula (BM25 over the query terms' occurrences in the flat text) computed
here from counts both databases return exactly, so the two backends order hits the same way;
their own rankers (FTS5 ``bm25``, ``ts_rank``) do not agree with each other.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jjnlp.zh.text import nfkc

_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_ALNUM = re.compile(r"[0-9a-z]+")
_WORD = re.compile(r"[\u3400-\u9fff]+|[0-9a-z]+")
QUOTES = '"“”「」『』'
_QUOTED = re.compile(f"[{QUOTES}]([^{QUOTES}]+)[{QUOTES}]")
_STRAY = str.maketrans("", "", QUOTES)
# ASCII characters FTS5's ascii tokenizer would split on, moved to the Private Use Area so
# each stays a token of its own (5% → "5 \ue025"); a regex, as most characters are Han and
# str.translate looks every character up
_SPLIT_ASCII = re.compile(r"[^0-9A-Za-z\u0080-\U0010ffff]")


def _shifted(text: str) -> str:
    return _SPLIT_ASCII.sub(lambda m: chr(0xE000 + ord(m[0])), text)


K1, B = 1.2, 0.75


def flat(text: str) -> str:
    """The text as substring search sees it: NFKC (full-width forms folded), lower case,
    no white space (a line break inside a word never hides it)."""
    return _SPACE.sub("", nfkc(text).lower())


def chars(folded: str) -> str:
    """The FTS5 ``chars`` column of a flat text: its characters apart, so that each is a
    token and its position the character's. One token per character, not per character
    pair: the text is split in C (``str.join``), the index is smaller and quicker to write,
    and a query of one character is a token, not a prefix of thousands of pairs."""
    return " ".join(_shifted(folded))


def char_phrase(term: str) -> str:
    """An FTS5 query on ``chars`` for a flat term: the phrase of its characters (consecutive
    positions: a substring). A quote mark is shifted like every ASCII mark: none is left."""
    return '"' + " ".join(_shifted(term)) + '"'


def words(text: str) -> str:
    """The ``words`` column: search-mode words, lower case, Han runs and ASCII letters or
    digits only (what FTS5's ascii tokenizer and PostgreSQL's parser both keep whole)."""
    from jjnlp.zh.segment import search_cut

    return " ".join(_word_tokens(search_cut(nfkc(text).lower())))


def _word_tokens(tokens: Iterable[str]) -> list[str]:
    out = []
    for token in tokens:
        out.extend(_WORD.findall(token))
    return out


def like_pattern(text: str) -> str:
    """``text`` anywhere, as a ``LIKE ? ESCAPE '\\'`` pattern (its own % _ \\ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a query: ``flat`` is matched as a substring; a term that was not quoted also
    matches when all its ``words`` occur (a search engine's AND)."""

    flat: str
    words: tuple[str, ...] = ()
    quoted: bool = False


def parse_query(query: str) -> list[Term]:
    """A user's query as terms: quoted phrases exact, the rest split at white space, each
    part cut into words by the one segmenter.

    >>> [t.flat for t in parse_query('纪委 "惠民惠农补贴"')]
    ['惠民惠农补贴', '纪委']
    """
    from jjnlp.zh.segment import entity_cut

    terms: list[Term] = []
    seen: set[str] = set()
    for phrase in _QUOTED.findall(query):
        folded = flat(phrase)
        if folded and folded not in seen:
            seen.add(folded)
            terms.append(Term(folded, quoted=True))
    rest = _QUOTED.sub(" ", query).translate(_STRAY)  # an unpaired quote is no content
    for part in rest.split():
        folded = flat(part)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        cut = tuple(dict.fromkeys(_word_tokens(entity_cut(folded))))
        terms.append(Term(folded, words=cut if len(cut) > 1 else ()))
    return terms


def bm25(counts: Any, lengths: Any, idf: Sequence[float], average: float) -> Any:
    """Each document's relevance from each term's number of occurrences in it (``counts``:
    documents × terms) and its length, rounded to 9 places: the same on every platform
    and backend. numpy arrays in and out (a ranking scores up to 2000 documents at once)."""
    import numpy as np

    tf = np.asarray(counts, dtype=np.float64).reshape(len(lengths), len(idf))
    lengths = np.asarray(lengths, dtype=np.float64)
    norm = K1 * (1 - B + B * lengths / average) if average else np.full(len(lengths), K1)
    terms = np.asarray(idf, dtype=np.float64) * tf * (K1 + 1) / (tf + norm[:, None])
    return np.round(terms.sum(axis=1), 9)


def idf(total: int, containing: int) -> float:
    return math.log(1 + (total - containing + 0.5) / (containing + 0.5))


# --------------------------------------------------------------------------- snippets


_VISIBLE = re.compile(r"\S+")


def _flat_map(text: str) -> tuple[str, list[int]]:
    """The flat text with, for each of its characters, the raw offset it came from."""
    folded = nfkc(text).lower()
    if len(folded) == len(text):  # the usual case: NFKC and lower case kept every position
        origin: list[int] = []
        for run in _VISIBLE.finditer(folded):
            origin.extend(range(run.start(), run.end()))
        return "".join(_VISIBLE.findall(folded)), origin
    return _flat_map_slowly(text)


def _flat_map_slowly(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        for c in unicodedata.normalize("NFKC", ch).lower():
            if not c.isspace():
                chars.append(c)
                origin.append(i)
    return "".join(chars), origin


def matches(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Raw-text spans of the terms' occurrences (substrings, else their words), in order."""
    folded, origin = _flat_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        needles = [term.flat] if term.flat in folded or not term.words else list(term.words)
        for needle in needles:
            at = folded.find(needle)
            while at >= 0 and needle:
                spans.append((origin[at], origin[at + len(needle) - 1] + 1))
                at = folded.find(needle, at + len(needle))
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def snippets(text: str, terms: Sequence[Term], width: int = 60, most: int = 3) -> list[str]:
    """Up to ``most`` passages of the raw text around the matches, HTML-escaped, each match
    in ``<mark>``; the text's opening when nothing matches (a query of filters only)."""
    spans = matches(text, terms) if terms else []
    if not spans:
        return [html.escape(_SPACE.sub(" ", text[: width * 2]).strip())] if text else []
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        lo, hi = max(0, start - width // 2), min(len(text), end + width // 2)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        elif len(windows) < most:
            windows.append((lo, hi))
    out = []
    for lo, hi in windows:
        pieces, at = [], lo
        for start, end in spans:
            if end <= lo or start >= hi:
                continue
            start, end = max(start, lo), min(end, hi)
            pieces.append(html.escape(text[at:start]))
            pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
            at = end
        pieces.append(html.escape(text[at:hi]))
        passage = _SPACE.sub(" ", "".join(pieces)).strip()
        out.append(("…" if lo else "") + passage + ("…" if hi < len(text) else ""))
    return out
