"""The word segmenter behind spaCy's ``zh`` tokenizer: jieba with the domain dictionary.

spaCy's Chinese tokenizer (``{"segmenter": "jieba"}``) calls ``jieba_seg.cut(text)``;
:class:`DomainSegmenter` is a drop-in for that object. Its words come from the entity view of
the project's one jieba dictionary (:func:`jjnlp.zh.segment.entity_cut`: organisation words,
positions, sanctions and terms); it keeps masked names and redaction marks (张某某, **市, **)
as single tokens and cuts at the edges of every pattern entity so each is a whole run of tokens.

:class:`DomainTokenizer` is spaCy's ``ChineseTokenizer`` with this segmenter, registered as
``jjnlp.ChineseTokenizer.v1`` in ``registry.tokenizers`` and named in ``models/ner/config.cfg``,
so ``spacy.load("models/ner")`` builds it: spaCy resolves the name through a
``spacy_tokenizers`` entry point of the installed jjnlp, or once this module has been imported.
It never lets spaCy build jieba's default dictionary, which ``ChineseTokenizer.__init__`` does
for ``segmenter = "jieba"``.
"""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator

from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from jjnlp.entities import rules
from jjnlp.zh import segment
from jjnlp.zh.segment import compound_positions, entity_words

__all__ = [
    "DomainSegmenter",
    "DomainTokenizer",
    "compound_positions",
    "create_tokenizer",
    "domain_words",
]

domain_words = entity_words  # the user dictionary (defined with the one jieba dictionary)


def _split_levels(words: Iterator[str]) -> Iterator[str]:
    """An unknown word that jieba's HMM glued onto a place's level is cut after the level
    (白沙湾|区石埠|街道 → 区|石埠): the level ends the place before it."""
    levels = rules.single_levels()
    knows = segment.entity_knows
    for word in words:
        if len(word) > 1 and word[0] in levels and not knows(word):
            yield word[0]
            yield word[1:]
        else:
            yield word


class DomainSegmenter:
    """``cut(text)`` yields words whose concatenation is ``text``."""

    def cut(self, text: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:
        # sorted once per text; each word looks up the edges inside it by bisection
        edges = sorted({edge for span in rules.find(text) for edge in (span.start, span.end)})
        at = 0
        for start, end, _ in rules.atoms(text):
            yield from self._plain(text, at, start, edges)
            yield text[start:end]
            at = end
        yield from self._plain(text, at, len(text), edges)

    @staticmethod
    def _plain(text: str, start: int, end: int, edges: list[int]) -> Iterator[str]:
        """jieba's words of ``text[start:end]``, cut again at the pattern edges inside them."""
        if start == end:
            return
        at, last = start, len(edges)
        for word in _split_levels(segment.entity_cut(text[start:end])):
            word_end = at + len(word)
            # the first edge after the word's start: inside the word if before its end
            first = bisect_right(edges, at) if word_end - at > 1 else last
            if first == last or edges[first] >= word_end:
                yield word
            else:
                left = at
                for edge in edges[first : bisect_left(edges, word_end, first)]:
                    yield text[left:edge]
                    left = edge
                yield text[left:word_end]
            at = word_end


def words_and_spaces(words: Iterable[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces`` in linear time: the same tokens and spaces (an
    empty or whitespace word dropped, the text between two words one token, one space after
    a word its trailing space), but each word is looked up from where the last one ended,
    not in a copy of the rest of the text (quadratic: 0.16 s of a 78 000-character text)."""
    out_words: list[str] = []
    out_spaces: list[bool] = []
    at = 0
    for word in words:
        if not word or word.isspace():
            continue
        start = text.index(word, at)  # ValueError: the words are not the text's
        if start > at:
            out_words.append(text[at:start])
            out_spaces.append(False)
        out_words.append(word)
        at = start + len(word)
        trailing = text.startswith(" ", at)
        out_spaces.append(trailing)
        at += trailing
    if at < len(text):
        out_words.append(text[at:])
        out_spaces.append(False)
    return out_words, out_spaces


class DomainTokenizer(ChineseTokenizer):
    """spaCy's ``zh`` tokenizer with :class:`DomainSegmenter` as its jieba segmenter.

    ``segmenter`` stays ``"jieba"`` (what ``to_disk`` writes to ``tokenizer/cfg`` and
    ``from_disk`` reads back), so every other method of ``ChineseTokenizer`` works unchanged;
    ``__init__`` does not import and initialise jieba's global dictionary, and ``__call__``
    aligns the words with the text in linear time (:func:`words_and_spaces`)."""

    jieba_seg: DomainSegmenter

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.segmenter = Segmenter.jieba.value
        self.pkuseg_seg = None
        self.jieba_seg = DomainSegmenter()

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.jieba_seg.cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("jjnlp.ChineseTokenizer.v1")
def create_tokenizer(segmenter: str = "jieba") -> Callable[[object], DomainTokenizer]:
    """The tokenizer factory for ``[nlp.tokenizer]``. ``segmenter`` is accepted for configs
    written for ``spacy.zh.ChineseTokenizer`` (``segmenter = "jieba"``) and must be jieba."""
    if segmenter != Segmenter.jieba.value:
        raise ValueError(f"jjnlp.ChineseTokenizer.v1 segments with jieba, not {segmenter!r}")

    def make(nlp: object) -> DomainTokenizer:
        return DomainTokenizer(nlp.vocab)  # type: ignore[attr-defined]

    return make
