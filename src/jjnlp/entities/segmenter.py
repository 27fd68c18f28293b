"""The word segmenter behind spaCy's ``zh`` tokenizer: jieba with the domain dictionary.

spaCy's Chinese tokenizer (``{"segmenter": "jieba"}``) calls ``jieba_seg.cut(text)``;
:class:`DomainSegmenter` is a drop-in for that object. It owns a private jieba
dictionary (never the global one) holding organisation words, positions, sanctions and
terms; keeps masked names and redaction marks (张某某, **市, **) as single tokens; and
cuts at the edges of every pattern entity so each is a whole run of tokens. spaCy's
``to_disk`` keeps none of this, so :func:`jjnlp.entities.nlp.load` installs a new one
every time a pipeline loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from typing import Any

from jjnlp.entities import rules
from jjnlp.resources import load_lines, load_toml


def domain_words() -> list[str]:
    """The user dictionary: every word the segmenter must keep whole.

    Whole names of bodies (市纪委监委, 镇纪委) are not in it: as words they would pull a
    place's last character away from it (河西|镇纪委)."""
    config = rules.config()
    compound = set(compound_positions())
    positions = [p for p in load_toml("cases.toml")["positions"] if p not in compound]
    words = [*config["words"], *config["org_suffixes"], *positions, *load_lines("terms.txt")]
    return sorted(set(words))


def compound_positions() -> list[str]:
    """Positions that open with a unit (党支部书记, 党委书记, 村委会主任): they stay two words,
    neither in the user dictionary nor in jieba's own, so the unit inside a title
    (莲塘社区党委 in 莲塘社区党委书记) ends on a token edge."""
    units = tuple(s for s in rules.config()["org_suffixes"] if len(s) > 1)
    return [p for p in load_toml("cases.toml")["positions"] if p.startswith(units)]


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for word in domain_words():
        tokenizer.add_word(word, freq=100_000)
    for word in (*rules.config()["not_words"], *compound_positions()):
        tokenizer.del_word(word)
    return tokenizer


def _split_levels(words: Iterator[str]) -> Iterator[str]:
    """An unknown word that jieba's HMM glued onto a place's level is cut after the level
    (白沙湾|区石埠|街道 → 区|石埠): the level ends the place before it."""
    known = _jieba().FREQ
    levels = rules.single_levels()
    for word in words:
        if len(word) > 1 and word[0] in levels and word not in known:
            yield word[0]
            yield word[1:]
        else:
            yield word


class DomainSegmenter:
    """``cut(text)`` yields words whose concatenation is ``text``."""

    def cut(self, text: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:
        edges = {edge for span in rules.find(text) for edge in (span.start, span.end)}
        at = 0
        for start, end, _ in rules.atoms(text):
            yield from self._plain(text, at, start, edges)
            yield text[start:end]
            at = end
        yield from self._plain(text, at, len(text), edges)

    @staticmethod
    def _plain(text: str, start: int, end: int, edges: set[int]) -> Iterator[str]:
        at = start
        for word in _split_levels(_jieba().cut(text[start:end], HMM=True)):
            word_end = at + len(word)
            cuts = [at, *(e for e in sorted(edges) if at < e < word_end), word_end]
            for left, right in pairwise(cuts):
                yield text[left:right]
            at = word_end
